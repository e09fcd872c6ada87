"""The strategy board and the cohort's library."""

from dataclasses import dataclass

from ..roles import FACILITATOR, PARTICIPANT, Role
from .base import Command


@dataclass(frozen=True)
class CaptureStrategy(Command):
    """A strategy a peer shared. Staff may attribute it to `participant_id`."""

    name = "capture_strategy"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    text: str
    anonymous: bool = False
    participant_id: str = ""


@dataclass(frozen=True)
class EditStrategy(Command):
    name = "edit_strategy"
    roles = FACILITATOR
    strategy_id: str
    text: str


@dataclass(frozen=True)
class HideStrategy(Command):
    """Take a strategy off the wall (`hidden`), or put it back (`hidden` false)."""

    name = "hide_strategy"
    roles = FACILITATOR
    strategy_id: str
    hidden: bool = True


@dataclass(frozen=True)
class MarkHelpful(Command):
    """"This could help me", once per strategy."""

    name = "mark_helpful"
    roles = PARTICIPANT
    strategy_id: str


@dataclass(frozen=True)
class MarkTried(Command):
    """"I tried it and it helped" (`helped`), or taking that back."""

    name = "mark_tried"
    roles = PARTICIPANT
    strategy_id: str
    helped: bool = True


@dataclass(frozen=True)
class BringStrategy(Command):
    """Bring `library_id`, a strategy of the cohort's library, onto today's board."""

    name = "bring_strategy"
    roles = FACILITATOR
    library_id: str
