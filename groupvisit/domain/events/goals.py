"""Goals and the wrap-up evaluation: each participant's action plan and what they thought of the session."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class GoalSet(Event):
    """`participant_id`'s action plan: what, how much, when, how often, confidence 0-10, and whether the group may see it."""

    type = "goal_set"
    audience = "private"
    participant_id: str
    what: str
    how_much: str
    when: str
    how_often: str
    confidence: int
    shared: bool
    at: float

@dataclass(frozen=True)
class GoalShared(Event):
    """`participant_id` shared their goal with the group (`shared`) or took it back."""

    type = "goal_shared"
    audience = "private"
    participant_id: str
    shared: bool

@dataclass(frozen=True)
class EvaluationGiven(Event):
    """`participant_id` rated the session `rating` (1-5): what `helped`, what to `change`."""

    type = "evaluation_given"
    audience = "private"
    participant_id: str
    rating: int
    helped: str
    change: str
    at: float

@dataclass(frozen=True)
class FollowUpGiven(Event):
    """How `participant_id`'s goal from session `goal_session_id` went: `outcome` done | partly | not_yet, and
    what got in the way (`obstacle`, may be empty)."""

    type = "follow_up_given"
    audience = "private"
    participant_id: str
    goal_session_id: str
    outcome: str
    obstacle: str
    at: float
