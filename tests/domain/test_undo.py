"""Undoing a move in the queue: what each undo restores, who may, for how long, and what it refuses."""

import pytest

from groupvisit.domain import Actor, Role, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import EncounterUndone
from groupvisit.domain.undo import UNDO_SECONDS
from groupvisit.domain.views import view_for, visible_event
from sessionkit import FACILITATOR, Session, clinician, only
from test_queue import queued, waiting_order

DR1, DR2 = clinician(1), clinician(2)


def undo(s: Session, encounter_id: str, by: Actor = DR1) -> EncounterUndone:
    return only(s.run(c.UndoEncounter(encounter_id), by), EncounterUndone)


def fields_of(s: Session, encounter_id: str) -> tuple[object, ...]:
    e = s.state.encounters[encounter_id]
    return (e.status, e.clinician_id, e.clinician_name, e.room, e.called_at, e.started_at, e.ended_at, e.queued_at,
            e.returns, e.note)


def test_undoing_a_call_puts_them_back_waiting_at_their_old_place() -> None:
    s, (ann, bob, cy) = queued("Ann", "Bob", "Cy")
    before = fields_of(s, ann)
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.tick(0.5)
    event = undo(s, ann)
    assert (event.undone, event.by, event.status) == ("call", DR1.id, "waiting")
    assert fields_of(s, ann) == before
    assert waiting_order(s) == [ann, bob, cy]
    assert s.state.clinician_encounter(DR1.id) is None  # free to call someone else


def test_undoing_a_start_makes_the_encounter_called_again() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    called = fields_of(s, ann)
    s.tick(1)
    s.run(c.StartEncounter(ann), DR1)
    undo(s, ann)
    assert fields_of(s, ann) == called
    assert s.state.encounters[ann].status == "called"


def test_undoing_a_completion_brings_the_encounter_back_in_progress_with_its_note_kept() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.StartEncounter(ann), DR1)
    started_at = s.state.encounters[ann].started_at
    s.tick(5)
    s.run(c.CompleteEncounter(ann, "Feet checked"), DR1)
    s.tick(1)
    event = undo(s, ann)
    encounter = s.state.encounters[ann]
    assert (encounter.status, encounter.ended_at, encounter.started_at) == ("in_progress", None, started_at)
    assert encounter.note == event.note == "Feet checked"  # kept for editing
    s.run(c.CompleteEncounter(ann, "Feet checked; podiatry referral"), DR1)
    assert s.state.encounters[ann].note == "Feet checked; podiatry referral"


def test_undoing_not_here_calls_them_again_at_their_old_place() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    called = fields_of(s, ann)
    s.tick(1)
    s.run(c.NotHere(ann), DR1)
    assert waiting_order(s) == [bob, ann]
    undo(s, ann)
    assert fields_of(s, ann) == called
    assert s.state.encounters[ann].returns == 0
    assert s.state.clinician_encounter(DR1.id) is s.state.encounters[ann]


@pytest.mark.parametrize("by", [DR1, FACILITATOR], ids=["clinician", "facilitator"])
def test_undoing_a_skip_puts_them_back_at_their_old_place(by: Actor) -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    s.run(c.SkipEncounter(ann), by)
    assert waiting_order(s) == [bob, ann]
    undo(s, ann, by)
    assert waiting_order(s) == [ann, bob]
    assert s.state.encounters[ann].returns == 0


def test_only_whoever_did_it_can_undo() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    assert "only whoever did it" in s.refuse(c.UndoEncounter(ann), DR2, code="not_yours").reason
    s.refuse(c.UndoEncounter(ann), FACILITATOR, code="not_yours")
    s.run(c.SkipEncounter(bob), FACILITATOR)
    s.refuse(c.UndoEncounter(bob), DR1, code="not_yours")


def test_an_undo_is_refused_after_two_minutes() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.now += UNDO_SECONDS
    s.tick(1 / 60)
    assert "2 minutes" in s.refuse(c.UndoEncounter(ann), DR1, code="too_late").reason


def test_an_undo_at_the_last_second_is_allowed() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.now += UNDO_SECONDS
    undo(s, ann)


def test_nothing_to_undo_on_an_encounter_never_acted_on() -> None:
    s, (ann,) = queued("Ann")
    s.refuse(c.UndoEncounter(ann), DR1, code="nothing_to_undo")
    s.refuse(c.UndoEncounter("e9"), DR1, code="not_found")


def test_one_move_is_undone_once_and_the_move_before_it_stays() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.StartEncounter(ann), DR1)
    undo(s, ann)
    # The start is undone; the call before it is not undone by a second undo.
    s.refuse(c.UndoEncounter(ann), DR1, code="nothing_to_undo")
    assert s.state.encounters[ann].status == "called"
    s.run(c.StartEncounter(ann), DR1)  # and the next move can be undone again
    undo(s, ann)


def test_undoing_a_completion_is_refused_while_the_clinician_has_called_the_next() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    for command in (c.CallParticipant(ann, "Room 1"), c.StartEncounter(ann), c.CompleteEncounter(ann),
                    c.CallParticipant(bob, "Room 1")):
        s.run(command, DR1)
    assert "Bob" in s.refuse(c.UndoEncounter(ann), DR1, code="clinician_busy").reason
    undo(s, bob)  # undo the call first: then the completion
    undo(s, ann)
    assert s.state.clinician_encounter(DR1.id) is s.state.encounters[ann]


def test_undoing_not_here_is_refused_once_the_clinician_has_called_someone_else() -> None:
    s, (ann, bob) = queued("Ann", "Bob")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.NotHere(ann), DR1)
    s.run(c.CallParticipant(bob, "Room 1"), DR1)
    s.refuse(c.UndoEncounter(ann), DR1, code="clinician_busy")


def test_undoing_a_completion_is_refused_once_they_have_asked_again() -> None:
    s, (ann,) = queued("Ann")
    for command in (c.CallParticipant(ann, "Room 1"), c.StartEncounter(ann), c.CompleteEncounter(ann)):
        s.run(command, DR1)
    s.run(c.RequestVisit("one more thing", participant_id="p1"))
    s.refuse(c.UndoEncounter(ann), DR1, code="participant_busy")


def test_undoing_a_completion_is_refused_once_they_have_been_marked_as_gone() -> None:
    s, (ann,) = queued("Ann")
    for command in (c.CallParticipant(ann, "Room 1"), c.StartEncounter(ann), c.CompleteEncounter(ann)):
        s.run(command, DR1)
    s.run(c.MarkParticipant("left", "p1"))
    s.refuse(c.UndoEncounter(ann), DR1, code="marked_left")


def test_a_withdrawal_after_a_skip_leaves_nothing_to_undo() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.SkipEncounter(ann), FACILITATOR)
    s.run(c.MarkParticipant("left", "p1"))
    s.refuse(c.UndoEncounter(ann), FACILITATOR, code="nothing_to_undo")


def test_marked_present_again_is_not_an_undoable_move() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.MarkParticipant("left", "p1"))
    s.run(c.MarkParticipant("present", "p1"))
    assert s.state.encounters[ann].status == "waiting"
    s.refuse(c.UndoEncounter(ann), FACILITATOR, code="nothing_to_undo")


def test_the_undone_move_stays_in_the_log_and_the_log_replays_to_the_state() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    undo(s, ann)
    assert [e.type for e in s.log[-2:]] == ["participant_called", "encounter_undone"]
    assert replay(s.log) == s.state


def test_the_view_says_who_may_undo_what_until_when() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    called_at = s.now

    def row(viewer: Actor) -> dict[str, object]:
        (found,) = view_for(s.state, viewer)["queue"]["active"]
        return found

    assert (row(DR1)["undo_action"], row(DR1)["undo_until"]) == ("call", called_at + UNDO_SECONDS)
    assert (row(DR2)["undo_action"], row(DR2)["undo_until"]) == (None, None)
    assert row(FACILITATOR)["undo_until"] is None
    undo(s, ann)
    (waiting,) = view_for(s.state, DR1)["queue"]["waiting"]
    assert waiting["undo_until"] is None


def test_the_patients_own_view_follows_an_undone_completion_but_never_shows_the_note() -> None:
    s, (ann,) = queued("Ann")
    patient = Actor(Role.PARTICIPANT, "p1", "Ann")
    for command in (c.CallParticipant(ann, "Room 1"), c.StartEncounter(ann), c.CompleteEncounter(ann, "secret")):
        s.run(command, DR1)
    assert view_for(s.state, patient)["me"]["visit"]["status"] == "completed"
    undo(s, ann)
    view = view_for(s.state, patient)
    assert view["me"]["visit"]["status"] == "in_progress"
    assert "secret" not in str(view)
    copy = visible_event(s.log[-1], patient)
    assert copy is not None and "note" not in copy
    assert visible_event(s.log[-1], Actor(Role.PARTICIPANT, "p2", "Bob")) is None
