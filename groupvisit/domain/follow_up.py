"""Follow-up: a returning patient says how the goal they set last time went.

The group opens with last session's action plans: done, partly or not yet, and what got in the way.
Only a participant matched to a roster patient with a goal from an earlier session of the cohort
can give one (their own, or the facilitator on their behalf); it may be changed.
"""

from .commands import GiveFollowUp
from .errors import Refused, require
from .events import Event, FollowUpGiven
from .history import PriorGoal
from .identity import subject_of
from .matching import cohort_of
from .roles import Actor
from .state import FollowUp, SessionState
from .text import clean_text

OUTCOMES = ("done", "partly", "not_yet")
OBSTACLE_LIMIT = 500


def last_goal(state: SessionState, participant_id: str) -> PriorGoal | None:
    """The goal `participant_id`'s roster patient set at an earlier session, if they are matched and set one."""
    patient_id = state.participants[participant_id].patient_id
    if not patient_id or state.continuity is None:
        return None
    return state.continuity.last_goals.get(patient_id)


def give_follow_up(state: SessionState, cmd: GiveFollowUp, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)
    cohort_of(state)
    person = state.participants[pid]
    require(bool(person.patient_id), f"{person.name} is not matched to the cohort's roster yet", "not_matched")
    prior = last_goal(state, pid)
    if prior is None:
        raise Refused(f"{person.name} has no goal from an earlier session to follow up", "no_last_goal")
    require(cmd.outcome in OUTCOMES, f"say how it went: {', '.join(OUTCOMES)}, not {cmd.outcome!r}", "invalid")
    obstacle = clean_text(cmd.obstacle, "what got in the way", OBSTACLE_LIMIT, required=False, multiline=True)
    return [FollowUpGiven(pid, prior.session_id, cmd.outcome, obstacle, now)]


def apply_follow_up(state: SessionState, e: FollowUpGiven) -> None:
    state.follow_ups[e.participant_id] = FollowUp(e.goal_session_id, e.outcome, e.obstacle, e.at)
