"""Check-in: joining, self-recorded numbers and asking for a one-on-one."""

import pytest

from groupvisit.domain import Actor, Role
from groupvisit.domain import commands as c
from groupvisit.domain.events import NumbersRecorded, ParticipantJoined, VisitRequested
from sessionkit import FACILITATOR, NEWCOMER, Session, clinician, only


# --- join ---------------------------------------------------------------------------

def test_join_checks_in_with_a_new_id_and_the_trimmed_name() -> None:
    s = Session()
    s.tick(3)
    events = s.run(c.Join("  Ann   Lee "), NEWCOMER)
    assert events == [ParticipantJoined("p1", "Ann Lee", s.now)]
    assert s.join("Bob").id == "p2"
    assert s.state.participants["p1"].name == "Ann Lee"
    assert s.state.participants["p1"].joined_at == s.now


@pytest.mark.parametrize("again", ["Ann", "ann", "ANN", " aNn "])
def test_join_refuses_a_name_already_taken_ignoring_case(again: str) -> None:
    s = Session()
    s.join("Ann")
    refused = s.refuse(c.Join(again), NEWCOMER, code="conflict")
    assert "already checked in as" in refused.reason


def test_join_name_is_limited_to_40_characters() -> None:
    s = Session()
    s.join("A" * 40)
    refused = s.refuse(c.Join("B" * 41), NEWCOMER, code="too_long")
    assert "40" in refused.reason


def test_join_refuses_an_empty_name() -> None:
    s = Session()
    s.refuse(c.Join("   "), NEWCOMER, code="invalid")


def test_a_participant_who_has_checked_in_cannot_join_again() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.Join("Annie"), ann, code="conflict")


def test_the_facilitator_checks_in_a_participant_without_a_device() -> None:
    s = Session()
    (joined,) = s.run(c.Join("Carl"), FACILITATOR)
    assert isinstance(joined, ParticipantJoined)
    assert s.state.participants[joined.participant_id].name == "Carl"


# --- record_numbers -----------------------------------------------------------------

def test_a_participant_records_their_own_numbers() -> None:
    s = Session()
    ann = s.join("Ann")
    recorded = only(s.run(c.RecordNumbers(bp_systolic=128, bp_diastolic=82, weight=81.5, glucose=140), ann),
                    NumbersRecorded)
    numbers = s.state.participants[ann.id].numbers
    assert numbers is not None
    assert (numbers.bp_systolic, numbers.bp_diastolic, numbers.weight, numbers.weight_unit, numbers.glucose) == (
        128, 82, 81.5, "kg", 140)
    assert recorded.recorded_by == ann.id


def test_staff_record_numbers_for_a_named_participant() -> None:
    s = Session()
    ann = s.join("Ann")
    recorded = only(s.run(c.RecordNumbers(weight=180, weight_unit="lb", participant_id=ann.id), clinician()),
                    NumbersRecorded)
    numbers = s.state.participants[ann.id].numbers
    assert numbers is not None and numbers.weight == 180 and numbers.weight_unit == "lb"
    assert recorded.recorded_by == "c1"


def test_staff_must_name_an_existing_participant() -> None:
    s = Session()
    s.join("Ann")
    s.refuse(c.RecordNumbers(glucose=100), FACILITATOR, code="invalid")
    s.refuse(c.RecordNumbers(glucose=100, participant_id="p9"), FACILITATOR, code="not_found")


def test_a_participant_cannot_record_numbers_for_someone_else() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    s.refuse(c.RecordNumbers(glucose=100, participant_id=bob.id), ann, code="forbidden")


def test_a_participant_must_check_in_before_recording_numbers() -> None:
    s = Session()
    s.refuse(c.RecordNumbers(glucose=100), Actor(Role.PARTICIPANT, "p7"), code="not_checked_in")


def test_record_numbers_needs_at_least_one_number() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.RecordNumbers(), ann, code="invalid")


@pytest.mark.parametrize("numbers", [c.RecordNumbers(bp_systolic=128), c.RecordNumbers(bp_diastolic=82)])
def test_blood_pressure_needs_both_numbers(numbers: c.RecordNumbers) -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(numbers, ann, code="invalid")
    assert "both numbers" in refused.reason


@pytest.mark.parametrize(("systolic", "diastolic"), [(59, 40), (261, 90), (120, 29), (200, 161)])
def test_blood_pressure_out_of_range_is_refused(systolic: int, diastolic: int) -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.RecordNumbers(bp_systolic=systolic, bp_diastolic=diastolic), ann, code="invalid")


@pytest.mark.parametrize(("systolic", "diastolic"), [(60, 30), (260, 160)])
def test_blood_pressure_at_the_range_limits_is_accepted(systolic: int, diastolic: int) -> None:
    s = Session()
    ann = s.join("Ann")
    s.run(c.RecordNumbers(bp_systolic=systolic, bp_diastolic=diastolic), ann)
    assert s.state.participants[ann.id].numbers is not None


def test_the_top_blood_pressure_number_must_be_the_larger() -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(c.RecordNumbers(bp_systolic=80, bp_diastolic=120), ann, code="invalid")
    assert "larger" in refused.reason


@pytest.mark.parametrize(("weight", "unit", "ok"), [
    (400, "kg", True), (401, "kg", False), (19, "kg", False),
    (880, "lb", True), (881, "lb", False), (44, "lb", False), (500, "lb", True),
])
def test_weight_range_depends_on_its_unit(weight: float, unit: str, ok: bool) -> None:
    s = Session()
    ann = s.join("Ann")
    command = c.RecordNumbers(weight=weight, weight_unit=unit)
    if ok:
        s.run(command, ann)
    else:
        s.refuse(command, ann, code="invalid")


def test_weight_units_other_than_kg_and_lb_are_refused() -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(c.RecordNumbers(weight=12, weight_unit="stone"), ann, code="invalid")
    assert "kg or lb" in refused.reason


@pytest.mark.parametrize(("glucose", "ok"), [(20, True), (600, True), (19, False), (601, False)])
def test_glucose_range(glucose: int, ok: bool) -> None:
    s = Session()
    ann = s.join("Ann")
    if ok:
        s.run(c.RecordNumbers(glucose=glucose), ann)
    else:
        s.refuse(c.RecordNumbers(glucose=glucose), ann, code="invalid")


# --- request_visit ------------------------------------------------------------------

def test_request_visit_puts_a_waiting_encounter_in_the_queue() -> None:
    s = Session()
    ann = s.join("Ann")
    encounter_id = s.request_visit(ann, "my new medication")
    encounter = s.state.encounters[encounter_id]
    assert (encounter.participant_id, encounter.request, encounter.status) == (ann.id, "my new medication", "waiting")
    assert encounter.requested_at == encounter.queued_at == s.now


def test_a_second_request_changes_the_text_and_keeps_the_encounter() -> None:
    s = Session()
    ann = s.join("Ann")
    first = s.request_visit(ann, "my feet")
    s.tick(2)
    second = s.request_visit(ann, "my feet and my sleep")
    assert second == first
    assert len(s.state.encounters) == 1
    encounter = s.state.encounters[first]
    assert encounter.request == "my feet and my sleep"
    assert encounter.queued_at == s.now - 120  # keeps its place in the queue


def test_request_visit_is_refused_once_called() -> None:
    s = Session()
    ann = s.join("Ann")
    encounter_id = s.request_visit(ann)
    s.run(c.CallParticipant(encounter_id, "Room 1"), clinician())
    refused = s.refuse(c.RequestVisit("something else"), ann, code="conflict")
    assert "already begun" in refused.reason


def test_after_a_completed_encounter_a_new_request_opens_a_new_one() -> None:
    s = Session()
    ann = s.join("Ann")
    first = s.request_visit(ann)
    for command in (c.CallParticipant(first, "Room 1"), c.StartEncounter(first), c.CompleteEncounter(first)):
        s.run(command, clinician())
    second = s.request_visit(ann, "one more thing")
    assert second != first
    assert s.state.encounters[second].status == "waiting"


def test_staff_request_a_visit_for_a_participant() -> None:
    s = Session()
    ann = s.join("Ann")
    requested = only(s.run(c.RequestVisit("refill", participant_id=ann.id), FACILITATOR), VisitRequested)
    assert s.state.encounters[requested.encounter_id].participant_id == ann.id


def test_request_visit_text_is_limited_to_500_characters() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.RequestVisit("x" * 501), ann, code="too_long")
    s.request_visit(ann, "x" * 500)


def test_a_newline_in_a_name_is_a_space_so_the_same_name_cannot_check_in_twice() -> None:
    s = Session()
    s.run(c.Join("Ann\nLee"), Actor(Role.PARTICIPANT))
    assert s.state.participants["p1"].name == "Ann Lee"
    s.refuse(c.Join("Ann Lee"), Actor(Role.PARTICIPANT), code="conflict")
