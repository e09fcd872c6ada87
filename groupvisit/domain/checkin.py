"""Check-in: joining the session, self-recorded numbers and asking for a one-on-one (changing the request,
or withdrawing it: "I don't need it today", while still waiting to be called)."""

from typing import Any

from .commands import Join, RecordNumbers, RequestVisit, WithdrawRequest
from .errors import Refused, require
from .events import EncounterWithdrawn, Event, NumbersRecorded, ParticipantJoined, VisitRequested
from .identity import subject_of
from .names import look_alike_of
from .roles import Actor, Role
from .settings import GLUCOSE_RANGES
from .state import Encounter, Numbers, Participant, SessionState
from .text import clean_text, in_range

NAME_LIMIT = 40
REQUEST_LIMIT = 500
WEIGHT_RANGES = {"kg": (20, 400), "lb": (45, 880)}


def join(state: SessionState, cmd: Join, actor: Actor, now: float) -> list[Event]:
    require(not (actor.role is Role.PARTICIPANT and actor.id), "you have already checked in", "conflict")
    name = clean_text(cmd.display_name, "a display name", NAME_LIMIT)
    refuse_look_alike(state, name)
    return [ParticipantJoined(f"p{len(state.participants) + 1}", name, now)]


def refuse_look_alike(state: SessionState, name: str, except_id: str = "") -> None:
    """A clinician calling a name must never find two people who look like it."""
    names = {p.id: p.name for p in state.took_part()}  # a name checked in by mistake is free again
    other = look_alike_of(name, names, except_id)
    if other is not None:
        raise Refused(f"someone has already checked in as {names[other]} (or a name that looks the same): "
                      "add an initial to tell you apart", "conflict")


def record_numbers(state: SessionState, cmd: RecordNumbers, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)
    values = (cmd.bp_systolic, cmd.bp_diastolic, cmd.weight, cmd.glucose)
    require(any(v is not None for v in values), "enter at least one number", "invalid")
    require((cmd.bp_systolic is None) == (cmd.bp_diastolic is None),
            "blood pressure needs both numbers (for example 128 over 82)", "invalid")
    if cmd.bp_systolic is not None and cmd.bp_diastolic is not None:
        in_range(cmd.bp_systolic, "the top blood pressure number", 60, 260)
        in_range(cmd.bp_diastolic, "the bottom blood pressure number", 30, 160)
        require(cmd.bp_systolic > cmd.bp_diastolic, "the top blood pressure number must be the larger one", "invalid")
    require(cmd.weight_unit in WEIGHT_RANGES, "weight is in kg or lb", "invalid")
    if cmd.weight is not None:
        in_range(cmd.weight, f"weight in {cmd.weight_unit}", *WEIGHT_RANGES[cmd.weight_unit])
    glucose_unit = state.settings.glucose_unit if cmd.glucose_unit is None else cmd.glucose_unit
    require(glucose_unit in GLUCOSE_RANGES, f"glucose is in {' or '.join(GLUCOSE_RANGES)}", "invalid")
    if cmd.glucose is not None:
        in_range(cmd.glucose, f"glucose in {glucose_unit}", *GLUCOSE_RANGES[glucose_unit])
    return [NumbersRecorded(pid, cmd.bp_systolic, cmd.bp_diastolic, cmd.weight, cmd.weight_unit,
                            cmd.glucose, actor.id, now, glucose_unit)]


def request_visit(state: SessionState, cmd: RequestVisit, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)
    person = state.participants[pid]
    require(person.status == "present",
            f"{person.name} is marked as having left: the care team can mark them present again", "marked_left")
    text = clean_text(cmd.text, "what you'd like to talk about", REQUEST_LIMIT, multiline=True)
    current = state.open_encounter(pid)
    if current is None:
        return [VisitRequested(f"e{len(state.encounters) + 1}", pid, text, now)]
    require(current.status == "waiting", "your one-on-one has already begun", "conflict")
    return [VisitRequested(current.id, pid, text, now)]


def withdraw_request(state: SessionState, cmd: WithdrawRequest, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)
    current = state.open_encounter(pid)
    if current is None:
        raise Refused("there is no request for a one-on-one to withdraw", "not_found")
    require(current.status == "waiting", f"{current.clinician_name} has already called you: tell them instead",
            "already_called")
    return [EncounterWithdrawn(current.id, pid, "not_needed", now)]


def numbers_dict(numbers: Numbers | None) -> dict[str, Any] | None:
    if numbers is None:
        return None
    return {"bp_systolic": numbers.bp_systolic, "bp_diastolic": numbers.bp_diastolic, "weight": numbers.weight,
            "weight_unit": numbers.weight_unit, "glucose": numbers.glucose, "glucose_unit": numbers.glucose_unit,
            "at": numbers.at}


def apply_joined(state: SessionState, e: ParticipantJoined) -> None:
    state.participants[e.participant_id] = Participant(e.participant_id, e.display_name, e.at)


def apply_numbers(state: SessionState, e: NumbersRecorded) -> None:
    state.participants[e.participant_id].numbers = Numbers(
        e.bp_systolic, e.bp_diastolic, e.weight, e.weight_unit, e.glucose, e.at, e.glucose_unit)


def apply_visit_requested(state: SessionState, e: VisitRequested) -> None:
    existing = state.encounters.get(e.encounter_id)
    if existing is None:
        state.encounters[e.encounter_id] = Encounter(e.encounter_id, e.participant_id, e.text, e.at, e.at)
    else:
        existing.request = e.text
