"""Who is in the one-on-ones' plan and how it runs: clinicians go on duty (late is fine, leaving at a time
they say) and off; a clinician sets one patient's minutes, or moves a waiting patient to the front.

The planner (`planner.team_of`, `planner.plan`) reads what these record; nothing here plans.
"""

from .commands import GoOffDuty, GoOnDuty, MoveUp, SetEstimate
from .errors import Refused, require
from .events import ClinicianOffDuty, ClinicianOnDuty, EstimateSet, Event, MovedUp
from .planner import team_of
from .queue import encounter, name_of
from .roles import Actor
from .state import Duty, SessionState

ESTIMATE_RANGE = (1.0, 60.0)  # minutes one one-on-one can be planned to take


def go_on_duty(state: SessionState, cmd: GoOnDuty, actor: Actor, now: float) -> list[Event]:
    if cmd.until is not None and cmd.until <= now:
        raise Refused(f"the time to leave must be later than now, not {minutes_ago(now - cmd.until)}", "invalid")
    duty = state.duty.get(actor.id)
    if duty is not None and duty.off_at is None and duty.until == cmd.until:
        raise Refused("you are already in the plan " + ("to the end" if cmd.until is None else "until then"),
                      "conflict")
    return [ClinicianOnDuty(actor.id, actor.name, cmd.until, now)]


def minutes_ago(seconds: float) -> str:
    minutes = round(seconds / 60)
    return "now" if minutes == 0 else f"{minutes} minute{'s' if minutes != 1 else ''} ago"


def go_off_duty(state: SessionState, cmd: GoOffDuty, actor: Actor, now: float) -> list[Event]:
    require(any(cid == actor.id for cid, *_ in team_of(state)), "you are not in the plan", "not_on_duty")
    busy = state.clinician_encounter(actor.id)
    if busy is not None:
        raise Refused(f"you are still with {name_of(state, busy)}: complete it or send them back first",
                      "clinician_busy")
    return [ClinicianOffDuty(actor.id, now)]


def set_estimate(state: SessionState, cmd: SetEstimate, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    name = name_of(state, enc)
    low, high = ESTIMATE_RANGE
    if cmd.minutes is not None and not low <= cmd.minutes <= high:
        raise Refused(f"minutes must be between {low:g} and {high:g}, not {cmd.minutes:g}", "invalid")
    require(enc.open, f"{name}'s one-on-one is {enc.status}: there is nothing left to estimate", "wrong_status")
    if cmd.minutes == enc.estimate_minutes:
        raise Refused(f"{name}'s estimate is already " +
                      ("the session's" if cmd.minutes is None else f"{cmd.minutes:g} minutes"), "conflict")
    return [EstimateSet(enc.id, enc.participant_id, cmd.minutes, actor.id, now)]


def move_up(state: SessionState, cmd: MoveUp, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    name = name_of(state, enc)
    require(enc.status == "waiting", f"only a waiting participant can be moved up; {name} is "
            f"{enc.status.replace('_', ' ')}", "wrong_status")
    latest = max((e.moved_up_at for e in state.encounters.values()
                  if e.status == "waiting" and e.moved_up_at is not None), default=None)
    require(enc.moved_up_at is None or enc.moved_up_at != latest, f"{name} is already at the front", "conflict")
    return [MovedUp(enc.id, enc.participant_id, actor.id, now)]


def apply_on_duty(state: SessionState, e: ClinicianOnDuty) -> None:
    duty = state.duty.get(e.clinician_id)
    since = duty.since if duty is not None and duty.off_at is None else e.at  # a new `until` is not a new start
    state.duty[e.clinician_id] = Duty(e.name, since, e.until)


def apply_off_duty(state: SessionState, e: ClinicianOffDuty) -> None:
    duty = state.duty.get(e.clinician_id)
    name = duty.name if duty is not None else next(
        (enc.clinician_name for enc in state.encounters.values() if enc.clinician_id == e.clinician_id), "")
    state.duty[e.clinician_id] = Duty(name, duty.since if duty is not None else e.at, None, e.at)


def apply_estimate(state: SessionState, e: EstimateSet) -> None:
    enc = state.encounters[e.encounter_id]
    enc.estimate_minutes, enc.estimated_at = e.minutes, e.at


def apply_moved_up(state: SessionState, e: MovedUp) -> None:
    enc = state.encounters[e.encounter_id]
    enc.moved_up_at = e.at
    enc.last_action = None  # its place is the clinician's choice now: an earlier skip no longer undoes
