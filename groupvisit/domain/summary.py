"""The chart summary: one row per participant, for the clinic to copy into each person's record."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .state import Encounter, Goal, Numbers, SessionState

COLUMNS = ("participant", "checked_in", "blood_pressure", "weight", "glucose", "visit_request", "encounter",
           "clinician", "room", "encounter_called", "encounter_start", "encounter_end", "encounter_minutes",
           "encounter_note", "strategies_liked", "goal", "goal_confidence", "goal_shared", "session_rating")

# Why a one-on-one did not happen, in the record's words.
NOT_SEEN = {"left": "left the session", "mistake": "checked in by mistake", "not_needed": "did not need it",
            "skipped": "skipped", "not_here_twice": "not here when called, twice", "out_of_time": "ran out of time"}


def encounter_status(encounter: Encounter) -> str:
    if encounter.status == "withdrawn":
        return "not seen: " + NOT_SEEN.get(encounter.withdrawn_reason, encounter.withdrawn_reason)
    return encounter.status


def blood_pressure(numbers: Numbers | None) -> str:
    if numbers is None or numbers.bp_systolic is None or numbers.bp_diastolic is None:
        return ""
    return f"{numbers.bp_systolic}/{numbers.bp_diastolic}"


def weight(numbers: Numbers | None) -> str:
    return f"{numbers.weight:g} {numbers.weight_unit}" if numbers and numbers.weight is not None else ""


def glucose(numbers: Numbers | None) -> str:
    return f"{numbers.glucose:g} {numbers.glucose_unit}" if numbers and numbers.glucose is not None else ""


def action_plan(goal: Goal) -> str:
    return f"{goal.what}, {goal.how_much}, {goal.when}, {goal.how_often}"


def chart_summary(state: SessionState, zone: ZoneInfo) -> list[dict[str, str]]:
    """Every participant's own data from this session, in check-in order, times on the clinic's clock (`zone`)."""
    def local_time(at: float | None) -> str:
        return "" if at is None else datetime.fromtimestamp(at, UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    rows = []
    for person in sorted(state.took_part(), key=lambda p: p.joined_at):  # not those checked in by mistake
        numbers, goal = person.numbers, state.goals.get(person.id)
        encounters = [e for e in state.encounters.values() if e.participant_id == person.id]
        encounter = max(encounters, key=lambda e: e.requested_at, default=None)
        evaluation = state.evaluations.get(person.id)
        rows.append({
            "participant": person.name,
            "checked_in": local_time(person.joined_at),
            "blood_pressure": blood_pressure(numbers),
            "weight": weight(numbers),
            "glucose": glucose(numbers),
            "visit_request": encounter.request if encounter else "",
            "encounter": encounter_status(encounter) if encounter else "",
            "clinician": encounter.clinician_name if encounter else "",
            "room": encounter.room if encounter else "",
            "encounter_called": local_time(encounter.called_at) if encounter else "",
            "encounter_start": local_time(encounter.started_at) if encounter else "",  # start and end: for billing
            "encounter_end": local_time(encounter.ended_at) if encounter else "",
            "encounter_minutes": "" if encounter is None or encounter.minutes is None else str(round(encounter.minutes)),
            "encounter_note": encounter.note if encounter else "",
            "strategies_liked": "; ".join(s.text for s in state.strategies.values() if person.id in s.helpful),
            "goal": action_plan(goal) if goal else "",
            "goal_confidence": str(goal.confidence) if goal else "",
            "goal_shared": ("shared" if goal.shared else "private") if goal else "",
            "session_rating": str(evaluation.rating) if evaluation else "",
        })
    return rows
