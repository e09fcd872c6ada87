"""The session as a whole: when it meets, its phases, its votes, its close."""

from dataclasses import dataclass

from ..phases import Phase
from ..roles import FACILITATOR
from .base import Command, EARLY


@dataclass(frozen=True)
class Reschedule(Command):
    """Move the session to `starts_at`-`ends_at` (UTC seconds), before anyone has checked in."""

    name = "reschedule"
    roles = FACILITATOR
    phases = frozenset({Phase.CHECK_IN})
    starts_at: float
    ends_at: float


@dataclass(frozen=True)
class CancelSession(Command):
    """The session will not be held (`reason` is for staff), decided before anyone has checked in."""

    name = "cancel_session"
    roles = FACILITATOR
    phases = frozenset({Phase.CHECK_IN})
    reason: str = ""


@dataclass(frozen=True)
class OpenPhase(Command):
    """Move the room forward to `phase` (agenda, discussion, goals or wrap_up); skipping agenda topics
    needs `confirm`."""

    name = "open_phase"
    roles = FACILITATOR
    phase: str
    confirm: bool = False


@dataclass(frozen=True)
class SetVoteBudget(Command):
    """Give each participant `budget` votes."""

    name = "set_vote_budget"
    roles = FACILITATOR
    phases = EARLY
    budget: int


@dataclass(frozen=True)
class CloseSession(Command):
    """End the session; with people still waiting in the queue, only with `confirm`."""

    name = "close_session"
    roles = FACILITATOR
    confirm: bool = False
