"""Co-signing a chart note: only an attending, only once the patient's one-on-one is completed or the session has
closed, never their own patient's, once per patient unless the attending who co-signed withdraws it."""

from domain.sessionkit import FACILITATOR, Session, clinician, only
from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.domain.events import ChartNoteCosigned, CosignWithdrawn
from groupvisit.domain.state import Cosign

ATTENDING = Actor(Role.CLINICIAN, "a1", "Dr Osei", attending=True)
RESIDENT = clinician(1)


def seen_by_resident() -> tuple[Session, Actor]:
    """Ann's one-on-one with a resident, completed; the session is still open."""
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    s.run(c.CallParticipant(visit, "Room 1"), RESIDENT)
    s.run(c.StartEncounter(visit), RESIDENT)
    s.tick(7)
    s.run(c.CompleteEncounter(visit, "feet fine"), RESIDENT)
    return s, ann


def test_an_attending_co_signs_a_residents_note_once_the_one_on_one_is_completed() -> None:
    s, ann = seen_by_resident()
    s.tick(2)
    cosigned = only(s.run(c.CosignChartNote(ann.id), ATTENDING), ChartNoteCosigned)
    assert cosigned == ChartNoteCosigned(ann.id, "a1", "Dr Osei", s.now)
    assert s.state.cosigns == {ann.id: Cosign("a1", "Dr Osei", s.now)}


def test_a_resident_cannot_co_sign() -> None:
    s, ann = seen_by_resident()
    s.refuse(c.CosignChartNote(ann.id), clinician(2), "not_attending")


def test_a_note_is_co_signed_only_once() -> None:
    s, ann = seen_by_resident()
    s.run(c.CosignChartNote(ann.id), ATTENDING)
    refusal = s.refuse(c.CosignChartNote(ann.id), Actor(Role.CLINICIAN, "a2", "Dr Lind", attending=True), "conflict")
    assert "already co-signed by Dr Osei" in refusal.reason


def test_not_before_the_one_on_one_is_completed_or_the_session_closed() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    visit = s.request_visit(ann)
    s.run(c.CallParticipant(visit, "Room 1"), RESIDENT)
    s.refuse(c.CosignChartNote(ann.id), ATTENDING, "too_early")
    s.refuse(c.CosignChartNote(bob.id), ATTENDING, "too_early")  # never asked for one: the session is open
    s.run(c.StartEncounter(visit), RESIDENT)
    s.refuse(c.CosignChartNote(ann.id), ATTENDING, "too_early")
    s.run(c.CompleteEncounter(visit, ""), RESIDENT)
    s.run(c.CloseSession())
    s.run(c.CosignChartNote(bob.id), ATTENDING)  # closed: every note can be co-signed
    assert s.state.phase is Phase.CLOSED and set(s.state.cosigns) == {bob.id}


def test_an_attending_does_not_co_sign_the_note_of_a_patient_they_saw_themselves() -> None:
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    s.run(c.CallParticipant(visit, "Room 1"), ATTENDING)
    s.run(c.StartEncounter(visit), ATTENDING)
    s.run(c.CompleteEncounter(visit, ""), ATTENDING)
    s.refuse(c.CosignChartNote(ann.id), ATTENDING, "conflict")


def test_only_a_clinician_co_signs_and_only_someone_who_took_part() -> None:
    s, ann = seen_by_resident()
    s.refuse(c.CosignChartNote(ann.id), FACILITATOR, "forbidden")
    s.refuse(c.CosignChartNote(ann.id), ann, "forbidden")
    s.refuse(c.CosignChartNote("p9"), ATTENDING, "not_found")
    s.run(c.MarkParticipant("mistake", s.join("Zed").id))
    s.refuse(c.CosignChartNote("p2"), ATTENDING, "not_found")


def test_a_cancelled_session_has_no_notes_to_co_sign() -> None:
    s = Session()
    s.run(c.CancelSession("flood"))
    s.refuse(c.CosignChartNote("p1"), ATTENDING, "cancelled")


def test_the_attending_who_co_signed_may_withdraw_it_and_the_note_may_be_co_signed_again() -> None:
    s, ann = seen_by_resident()
    s.run(c.CloseSession())
    other = Actor(Role.CLINICIAN, "a2", "Dr Lind", attending=True)
    s.refuse(c.WithdrawCosign(ann.id), ATTENDING, "not_found")  # nothing to withdraw yet
    s.run(c.CosignChartNote(ann.id), ATTENDING)
    s.refuse(c.WithdrawCosign(ann.id), other, "not_yours")
    s.refuse(c.WithdrawCosign(ann.id), RESIDENT, "not_yours")
    s.tick(1)
    assert s.run(c.WithdrawCosign(ann.id), ATTENDING) == [CosignWithdrawn(ann.id, "a1", s.now)]
    assert s.state.cosigns == {}
    s.run(c.CosignChartNote(ann.id), other)
    assert s.state.cosigns == {ann.id: Cosign("a2", "Dr Lind", s.now)}
