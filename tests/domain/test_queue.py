"""The individual-visit queue: call, start, complete, not here, skip."""

from groupvisit.domain import Actor
from groupvisit.domain import commands as c
from groupvisit.domain.views import queue_order
from sessionkit import FACILITATOR, Session, clinician

DR1, DR2 = clinician(1), clinician(2)


def queued(*names: str) -> tuple[Session, list[str]]:
    """A session where each of `names` has asked for a one-on-one, a minute apart, in that order."""
    s = Session()
    encounter_ids = []
    for name in names:
        encounter_ids.append(s.request_visit(s.join(name), f"{name}'s question"))
        s.tick(1)
    return s, encounter_ids


def waiting_order(s: Session) -> list[str]:
    return [e.id for e in queue_order(s.state)]


def see(s: Session, encounter_id: str, by: Actor = DR1) -> None:
    """Call, start and complete one encounter."""
    for command in (c.CallParticipant(encounter_id, "Room 1"), c.StartEncounter(encounter_id),
                    c.CompleteEncounter(encounter_id)):
        s.run(command, by)


def test_calling_a_participant_assigns_the_clinician_and_room() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "  room 3 "), DR1)
    encounter = s.state.encounters[ann]
    assert (encounter.status, encounter.clinician_id, encounter.clinician_name, encounter.room) == (
        "called", DR1.id, DR1.name, "room 3")
    assert encounter.called_at == s.now
    assert waiting_order(s) == []


def test_two_clinicians_cannot_call_the_same_participant() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    refused = s.refuse(c.CallParticipant(ann, "Room 1"), DR2, code="already_called")
    assert DR1.name in refused.reason
    assert s.state.encounters[ann].clinician_id == DR1.id


def test_calling_the_same_participant_twice_is_refused() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    assert "you have" in s.refuse(c.CallParticipant(ann, "Room 1"), DR1, code="already_called").reason


def test_a_clinician_with_an_active_encounter_cannot_call_another() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.refuse(c.CallParticipant(bob, "Room 1"), DR1, code="clinician_busy")
    s.run(c.StartEncounter(ann), DR1)
    s.refuse(c.CallParticipant(bob, "Room 1"), DR1, code="clinician_busy")
    s.run(c.CallParticipant(bob, "Room 1"), DR2)  # another clinician is free


def test_start_and_complete_time_the_encounter_and_keep_the_note() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.tick(1)
    s.run(c.StartEncounter(ann), DR1)
    started = s.now
    s.tick(7)
    s.run(c.CompleteEncounter(ann, "  BP fine; refill metformin  "), DR1)
    encounter = s.state.encounters[ann]
    assert (encounter.status, encounter.started_at, encounter.ended_at, encounter.note) == (
        "completed", started, s.now, "BP fine; refill metformin")


def test_a_clinician_is_free_to_call_the_next_after_completing() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    see(s, ann)
    s.run(c.CallParticipant(bob, "Room 1"), DR1)
    assert s.state.encounters[bob].status == "called"


def test_only_the_calling_clinician_may_start_or_complete() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.refuse(c.StartEncounter(ann), DR2, code="conflict")
    s.run(c.StartEncounter(ann), DR1)
    s.refuse(c.CompleteEncounter(ann), DR2, code="conflict")
    s.refuse(c.NotHere(ann), DR2, code="conflict")


def test_steps_out_of_order_are_refused() -> None:
    s, (ann,) = queued("Ann")
    s.refuse(c.StartEncounter(ann), DR1, code="wrong_status")
    s.refuse(c.CompleteEncounter(ann), DR1, code="wrong_status")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.refuse(c.CompleteEncounter(ann), DR1, code="wrong_status")
    s.run(c.StartEncounter(ann), DR1)
    s.refuse(c.NotHere(ann), DR1, code="wrong_status")


def test_a_completed_encounter_cannot_be_called_again() -> None:
    s, (ann,) = queued("Ann")
    see(s, ann)
    s.refuse(c.CallParticipant(ann, "Room 1"), DR2, code="wrong_status")


def test_an_unknown_encounter_is_not_found() -> None:
    s, _ = queued("Ann")
    s.refuse(c.CallParticipant("e9", "Room 1"), DR1, code="not_found")


def test_queue_is_first_come_first_served() -> None:
    s, ids = queued("Ann", "Bob", "Cy")
    assert waiting_order(s) == ids


def test_not_here_sends_the_participant_to_the_back_of_the_queue() -> None:
    s, (ann, bob, cy) = queued("Ann", "Bob", "Cy")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.tick(2)
    s.run(c.NotHere(ann), DR1)
    encounter = s.state.encounters[ann]
    assert (encounter.status, encounter.clinician_id, encounter.room, encounter.returns) == ("waiting", "", "", 1)
    assert waiting_order(s) == [bob, cy, ann]
    s.run(c.CallParticipant(bob, "Room 1"), DR1)  # the clinician is free again


def test_skip_sends_a_waiting_participant_to_the_back_of_the_queue() -> None:
    s, (ann, bob, cy) = queued("Ann", "Bob", "Cy")
    s.run(c.SkipEncounter(ann), FACILITATOR)
    assert waiting_order(s) == [bob, cy, ann]
    assert s.state.encounters[ann].returns == 1


def test_only_a_waiting_participant_can_be_skipped() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.refuse(c.SkipEncounter(ann), DR2, code="wrong_status")


def test_room_name_is_limited_to_40_characters() -> None:
    s, (ann,) = queued("Ann")
    s.refuse(c.CallParticipant(ann, "r" * 41), DR1, code="too_long")


def test_requests_made_at_the_same_instant_keep_the_order_they_were_made_in() -> None:
    s = Session()  # the clock stands still: staff enter a dozen requests in the same second
    people = s.join_all(*(f"Person {n}" for n in range(1, 13)))
    ids = [s.request_visit(who) for who in people]
    assert waiting_order(s) == ids


def test_a_call_always_says_where_to_go() -> None:
    s = Session()
    ann = s.request_visit(s.join("Ann"))
    refused = s.refuse(c.CallParticipant(ann), DR1, code="invalid")
    assert "room" in refused.reason
    s.refuse(c.CallParticipant(ann, " \u200b "), DR1, code="invalid")
