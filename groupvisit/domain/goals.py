"""Goals: each participant's action plan (what, how much, when, how often, confidence)."""

from typing import Any

from .commands import SetGoal, ShareGoal
from .errors import require
from .events import Event, GoalSet, GoalShared
from .identity import subject_of
from .roles import Actor
from .state import Goal, SessionState
from .text import clean_text, in_range

WHAT_LIMIT = 200
PART_LIMIT = 120
REWORK_BELOW = 7  # below this confidence, action planning suggests making the plan easier


def set_goal(state: SessionState, cmd: SetGoal, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)  # the facilitator's, for a walk-in without a device
    in_range(cmd.confidence, "confidence", 0, 10)
    return [GoalSet(pid, clean_text(cmd.what, "what you will do", WHAT_LIMIT),
                    clean_text(cmd.how_much, "how much", PART_LIMIT), clean_text(cmd.when, "when", PART_LIMIT),
                    clean_text(cmd.how_often, "how often", PART_LIMIT), cmd.confidence, cmd.shared, now)]


def share_goal(state: SessionState, cmd: ShareGoal, actor: Actor, now: float) -> list[Event]:
    require(actor.id in state.goals, "set your goal first", "no_goal")
    return [GoalShared(actor.id, cmd.shared)]


def goal_dict(goal: Goal) -> dict[str, Any]:
    return {"what": goal.what, "how_much": goal.how_much, "when": goal.when, "how_often": goal.how_often,
            "confidence": goal.confidence, "shared": goal.shared, "needs_rework": goal.confidence < REWORK_BELOW,
            "at": goal.at}


def apply_goal_set(state: SessionState, e: GoalSet) -> None:
    state.goals[e.participant_id] = Goal(e.what, e.how_much, e.when, e.how_often, e.confidence, e.shared, e.at)


def apply_goal_shared(state: SessionState, e: GoalShared) -> None:
    state.goals[e.participant_id].shared = e.shared
