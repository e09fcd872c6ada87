"""Goal setting and the wrap-up evaluation."""

from dataclasses import dataclass

from ..phases import Phase
from ..roles import FACILITATOR, PARTICIPANT, Role
from .base import Command, GOAL_SETTING


@dataclass(frozen=True)
class SetGoal(Command):
    """One action plan: what, how much, when, how often, and confidence 0-10; the facilitator names the
    `participant_id` of someone without a device."""

    name = "set_goal"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = GOAL_SETTING
    what: str
    how_much: str
    when: str
    how_often: str
    confidence: int
    shared: bool = False
    participant_id: str = ""


@dataclass(frozen=True)
class ShareGoal(Command):
    name = "share_goal"
    roles = PARTICIPANT
    phases = GOAL_SETTING
    shared: bool


@dataclass(frozen=True)
class GiveEvaluation(Command):
    name = "give_evaluation"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = frozenset({Phase.WRAP_UP})
    rating: int
    helped: str = ""
    change: str = ""
    participant_id: str = ""
