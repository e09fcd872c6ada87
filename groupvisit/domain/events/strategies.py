"""The strategy board: strategies captured, reworded, hidden and marked helpful."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class StrategyCaptured(Event):
    """Strategy `strategy_id`: `text`, tagged to `topic_id` (may be empty), from `author_id` (empty: anonymous or staff), captured by `captured_by`."""

    type = "strategy_captured"
    strategy_id: str
    text: str
    topic_id: str
    author_id: str
    anonymous: bool
    captured_by: str
    at: float
    origin: str = ""  # brought from the cohort's library: the first capture's "session_id:strategy_id"

@dataclass(frozen=True)
class StrategyEdited(Event):
    """The facilitator reworded strategy `strategy_id` to `text`. Staff only: the others get the new wording in
    their strategies view section, so that rewording a hidden strategy reaches no one else."""

    type = "strategy_edited"
    audience = "private"
    strategy_id: str
    text: str

@dataclass(frozen=True)
class StrategyHidden(Event):
    """The facilitator hid strategy `strategy_id` from the wall and the participants (`hidden`), or showed it again."""

    type = "strategy_hidden"
    strategy_id: str
    hidden: bool

@dataclass(frozen=True)
class StrategyMarkedHelpful(Event):
    """`participant_id` marked `strategy_id` "this could help me"."""

    type = "strategy_marked_helpful"
    personal = ("participant_id",)
    strategy_id: str
    participant_id: str

@dataclass(frozen=True)
class StrategyTried(Event):
    """`participant_id` tried `strategy_id` and it helped ("I tried it and it helped"), or took that back."""

    type = "strategy_tried"
    personal = ("participant_id",)
    strategy_id: str
    participant_id: str
    helped: bool
