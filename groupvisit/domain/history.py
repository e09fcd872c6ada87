"""What spans a cohort's sessions, derived from their logs and the roster: never a second copy of the facts.

`Continuity` is what earlier sessions carry into one session (each returning patient's last goal and
numbers, the strategy library); the cohort's record over time is built from the same folds.
"""

from dataclasses import dataclass, field

from .state import Goal, Numbers, SessionState


@dataclass(frozen=True)
class RosterEntry:
    """What the session's rules and screens need of an enrolled patient: no chart number, no birth date."""

    patient_id: str
    display_name: str
    clinic_name: str
    language: str
    agreement_signed: bool


@dataclass(frozen=True)
class HeldSession:
    """One session of the cohort, as its log folds (`state`), with what the schedule says of it."""

    session_id: str
    starts_at: float
    ends_at: float
    cancelled: bool
    state: SessionState


@dataclass(frozen=True)
class PriorGoal:
    """A patient's latest goal from an earlier session of the cohort."""

    session_id: str
    session_starts_at: float
    goal: Goal


@dataclass(frozen=True)
class PriorNumbers:
    """A patient's numbers as recorded at an earlier session of the cohort."""

    session_id: str
    session_starts_at: float
    numbers: Numbers


@dataclass(frozen=True)
class LibraryStrategy:
    """A strategy the cohort found in an earlier session. `id` is its first capture's "session_id:strategy_id";
    the counts add up every session it was on the board."""

    id: str
    text: str
    topic: str
    session_id: str
    session_starts_at: float
    helpful: int
    tried: int


@dataclass(frozen=True)
class Continuity:
    """What the cohort's earlier sessions carry into this one."""

    roster: dict[str, RosterEntry] = field(default_factory=dict)
    last_goals: dict[str, PriorGoal] = field(default_factory=dict)  # by patient_id
    numbers: dict[str, list[PriorNumbers]] = field(default_factory=dict)  # by patient_id, oldest first
    library: list[LibraryStrategy] = field(default_factory=list)
