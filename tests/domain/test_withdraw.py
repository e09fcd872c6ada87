"""A patient withdraws their request for a one-on-one ("I don't need it today") before they are called."""

from groupvisit.domain import Actor
from groupvisit.domain import commands as c
from groupvisit.domain.events import EncounterWithdrawn
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, Session, clinician, only
from test_queue import waiting_order

DR1 = clinician(1)


def asked(*names: str) -> tuple[Session, list[Actor], list[str]]:
    s = Session()
    people = [s.join(name) for name in names]
    encounters = []
    for person in people:
        encounters.append(s.request_visit(person, f"{person.name}'s question"))
        s.tick(1)
    return s, people, encounters


def test_a_waiting_patient_withdraws_their_request_and_leaves_the_queue() -> None:
    s, (ann, bob), (ann_visit, bob_visit) = asked("Ann", "Bob")
    event = only(s.run(c.WithdrawRequest(), ann), EncounterWithdrawn)
    assert (event.encounter_id, event.participant_id, event.reason) == (ann_visit, ann.id, "not_needed")
    assert waiting_order(s) == [bob_visit]
    visit = view_for(s.state, ann)["me"]["visit"]
    assert (visit["status"], visit["withdrawn_reason"], visit["position"]) == ("withdrawn", "not_needed", None)
    (row,) = view_for(s.state, DR1)["queue"]["withdrawn"]
    assert row["withdrawn_reason"] == "not_needed"


def test_the_facilitator_can_withdraw_it_for_someone_without_a_device() -> None:
    s, (ann,), (visit,) = asked("Ann")
    s.run(c.WithdrawRequest(participant_id=ann.id), FACILITATOR)
    assert s.state.encounters[visit].withdrawn_reason == "not_needed"


def test_a_withdrawn_patient_can_ask_again_later_as_a_new_request_at_the_end() -> None:
    s, (ann, bob), (ann_visit, bob_visit) = asked("Ann", "Bob")
    s.run(c.WithdrawRequest(), ann)
    s.tick(1)
    again = s.request_visit(ann, "Actually, my feet")
    assert again != ann_visit
    assert waiting_order(s) == [bob_visit, again]


def test_withdrawing_is_refused_once_called() -> None:
    s, (ann,), (visit,) = asked("Ann")
    s.run(c.CallParticipant(visit, "Room 1"), DR1)
    assert DR1.name in s.refuse(c.WithdrawRequest(), ann, code="already_called").reason


def test_withdrawing_without_a_request_is_refused() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.WithdrawRequest(), ann, code="not_found")


def test_a_participant_cannot_withdraw_someone_elses_request() -> None:
    s, (ann, bob), _ = asked("Ann", "Bob")
    s.refuse(c.WithdrawRequest(participant_id=bob.id), ann, code="forbidden")


def test_changing_the_request_keeps_the_place_in_line() -> None:
    s, (ann, bob), (ann_visit, bob_visit) = asked("Ann", "Bob")
    s.tick(3)
    assert s.request_visit(ann, "Something else") == ann_visit
    assert s.state.encounters[ann_visit].request == "Something else"
    assert waiting_order(s) == [ann_visit, bob_visit]


def test_marked_present_again_does_not_bring_back_a_request_they_withdrew() -> None:
    s, (ann,), (visit,) = asked("Ann")
    s.run(c.WithdrawRequest(), ann)
    s.run(c.MarkParticipant("left", ann.id))
    s.run(c.MarkParticipant("present", ann.id))
    assert s.state.encounters[visit].status == "withdrawn"
    assert waiting_order(s) == []

