"""The cohort's planner settings: carried by the session's first event, read by the planner's flags and
estimate, by the numbers' checks (per unit) and by every screen's session section."""

import pytest

from groupvisit.domain import commands as c
from groupvisit.domain.events import NumbersRecorded, SessionScheduled, event_from_dict
from groupvisit.domain.planner import flags, plan
from groupvisit.domain.settings import PlannerSettings, glucose_in
from groupvisit.domain.state import Numbers
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, PROJECTOR, Session, clinician, only

MMOL = PlannerSettings(glucose_low=3.9, glucose_high=16.7, glucose_unit="mmol/L", weight_unit="kg")
STRICT = PlannerSettings(minutes_per_patient=10, systolic_high=160, diastolic_high=100, glucose_low=80,
                         glucose_high=250)


def numbers(systolic: int | None = None, diastolic: int | None = None, glucose: float | None = None,
            unit: str = "mg/dL") -> Numbers:
    return Numbers(systolic, diastolic, None, "kg", glucose, 0.0, unit)


def test_a_session_scheduled_before_the_settings_reads_with_the_defaults() -> None:
    stored = {"type": "session_scheduled", "session_id": "s1", "title": "t", "cohort": "c", "starts_at": 0.0,
              "ends_at": 7200.0, "join_code": "JOIN42", "vote_budget": 3, "timebox_minutes": 8, "goals_minutes": 15,
              "wrapup_minutes": 5}
    event = event_from_dict(stored)
    assert isinstance(event, SessionScheduled)
    assert (event.minutes_per_patient, event.systolic_high, event.diastolic_high, event.glucose_low,
            event.glucose_high, event.glucose_unit, event.weight_unit) == (7.0, 180, 110, 70, 300, "mg/dL", "lb")
    old_numbers = event_from_dict({"type": "numbers_recorded", "participant_id": "p1", "bp_systolic": None,
                                   "bp_diastolic": None, "weight": None, "weight_unit": "kg", "glucose": 140,
                                   "recorded_by": "p1", "at": 1.0})
    assert isinstance(old_numbers, NumbersRecorded) and old_numbers.glucose_unit == "mg/dL"


def test_the_session_holds_its_cohorts_settings_and_every_screen_sees_them() -> None:
    s = Session(planner=MMOL)
    assert s.state.settings == MMOL
    ann = s.join("Ann")
    for viewer in (FACILITATOR, clinician(), ann, PROJECTOR):
        assert view_for(s.state, viewer)["session"]["settings"] == {
            "minutes_per_patient": 7.0, "systolic_high": 180, "diastolic_high": 110, "glucose_low": 3.9,
            "glucose_high": 16.7, "glucose_unit": "mmol/L", "weight_unit": "kg"}


def test_the_plan_counts_the_cohorts_minutes_per_patient_until_there_is_history() -> None:
    s = Session(planner=STRICT)
    ann = s.join("Ann")
    s.request_visit(ann, "my feet")
    assert plan(s.state, s.now).minutes == 10
    assert plan(Session().state, s.now).minutes == 7


@pytest.mark.parametrize(("reading", "found"), [
    (numbers(180, 80), ["bp_high"]), (numbers(179, 109), []), (numbers(120, 110), ["bp_high"]),
    (numbers(glucose=69), ["glucose_low"]), (numbers(glucose=70), []), (numbers(glucose=300), []),
    (numbers(glucose=301), ["glucose_high"]), (numbers(190, 115, 54), ["bp_high", "glucose_low"]), (None, []),
])
def test_flags_by_the_default_thresholds(reading: Numbers | None, found: list[str]) -> None:
    assert flags(reading, PlannerSettings()) == found


@pytest.mark.parametrize(("reading", "found"), [
    (numbers(165, 80), ["bp_high"]), (numbers(150, 100), ["bp_high"]), (numbers(159, 99), []),
    (numbers(glucose=75), ["glucose_low"]), (numbers(glucose=260), ["glucose_high"]), (numbers(glucose=250), []),
])
def test_flags_by_a_cohorts_own_thresholds(reading: Numbers, found: list[str]) -> None:
    assert flags(reading, STRICT) == found
    assert flags(reading, PlannerSettings()) == [], "the defaults would not flag it"


@pytest.mark.parametrize(("reading", "found"), [
    (numbers(glucose=3.2, unit="mmol/L"), ["glucose_low"]), (numbers(glucose=5.4, unit="mmol/L"), []),
    (numbers(glucose=17.0, unit="mmol/L"), ["glucose_high"]), (numbers(glucose=3.9, unit="mmol/L"), []),
    (numbers(glucose=54, unit="mg/dL"), ["glucose_low"]), (numbers(glucose=140, unit="mg/dL"), []),
])
def test_flags_in_a_mmol_cohort_compare_each_reading_in_mmol(reading: Numbers, found: list[str]) -> None:
    assert flags(reading, MMOL) == found


def test_a_mmol_reading_in_a_mg_cohort_is_compared_in_mg() -> None:
    assert flags(numbers(glucose=3.2, unit="mmol/L"), PlannerSettings()) == ["glucose_low"]
    assert flags(numbers(glucose=5.4, unit="mmol/L"), PlannerSettings()) == []
    assert glucose_in(5.0, "mmol/L", "mg/dL") == 90.0 and glucose_in(90.0, "mg/dL", "mmol/L") == 5.0


def test_glucose_is_recorded_in_the_sessions_unit_when_none_is_given() -> None:
    s = Session(planner=MMOL)
    ann = s.join("Ann")
    recorded = only(s.run(c.RecordNumbers(glucose=5.4), ann), NumbersRecorded)
    assert (recorded.glucose, recorded.glucose_unit) == (5.4, "mmol/L")
    row = view_for(s.state, ann)["me"]["numbers"]
    assert (row["glucose"], row["glucose_unit"]) == (5.4, "mmol/L")
    other = only(s.run(c.RecordNumbers(glucose=130, glucose_unit="mg/dL"), ann), NumbersRecorded)
    assert (other.glucose, other.glucose_unit) == (130, "mg/dL")


@pytest.mark.parametrize(("unit", "glucose", "ok"), [
    ("mmol/L", 1.1, True), ("mmol/L", 33.3, True), ("mmol/L", 1.0, False), ("mmol/L", 33.4, False),
    ("mmol/L", 130, False), ("mg/dL", 20, True), ("mg/dL", 600, True), ("mg/dL", 19.9, False),
    ("mg/dL", 601, False), ("mg/dL", 5.4, False),
])
def test_the_glucose_range_is_checked_in_its_unit(unit: str, glucose: float, ok: bool) -> None:
    s = Session(planner=MMOL)
    ann = s.join("Ann")
    command = c.RecordNumbers(glucose=glucose, glucose_unit=unit)
    if ok:
        s.run(command, ann)
    else:
        low, high = ("1.1", "33.3") if unit == "mmol/L" else ("20", "600")
        refused = s.refuse(command, ann, code="invalid")
        assert refused.reason == f"glucose in {unit} must be between {low} and {high}"


def test_a_unit_other_than_mg_dl_or_mmol_l_is_refused() -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(c.RecordNumbers(glucose=5.4, glucose_unit="mmol"), ann, code="invalid")
    assert refused.reason == "glucose is in mg/dL or mmol/L"


def test_a_mmol_cohorts_low_reading_is_flagged_on_the_queue() -> None:
    s = Session(planner=MMOL)
    ann, bob = s.join("Ann"), s.join("Bob")
    first, second = s.request_visit(ann, "my feet"), s.request_visit(bob, "my pills")
    s.run(c.RecordNumbers(glucose=3.2), bob)
    s.run(c.RecordNumbers(glucose=5.4), ann)
    queue = view_for(s.state, clinician())["queue"]
    assert {row["encounter_id"]: row["flags"] for row in queue["waiting"]} == {first: [], second: ["glucose_low"]}
    assert plan(s.state, s.now).order() == [second, first]
