"""What spans a cohort's sessions, derived from their logs and the roster: never a second copy of the facts.

`Continuity` is what earlier sessions carry into one session (each returning patient's last goal and
numbers, the strategy library); the cohort's record over time is built from the same folds.
"""

from dataclasses import dataclass, field, replace

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


def held(sessions: list[HeldSession]) -> list[HeldSession]:
    """The sessions that were not cancelled, in the order they start."""
    return sorted((s for s in sessions if not s.cancelled), key=lambda s: s.starts_at)


def continuity(roster: list[RosterEntry], earlier: list[HeldSession]) -> Continuity:
    """What `earlier` (the cohort's sessions that started before this one) carry into it: each roster patient's
    latest goal and their numbers session by session, and the library. Cancelled sessions carry nothing."""
    last_goals: dict[str, PriorGoal] = {}
    numbers: dict[str, list[PriorNumbers]] = {}
    for session in held(earlier):
        for person in session.state.took_part():
            if not person.patient_id:  # a guest, or never matched: not the same person next time
                continue
            goal = session.state.goals.get(person.id)
            if goal is not None:
                last_goals[person.patient_id] = PriorGoal(session.session_id, session.starts_at, goal)
            if person.numbers is not None:
                numbers.setdefault(person.patient_id, []).append(
                    PriorNumbers(session.session_id, session.starts_at, person.numbers))
    return Continuity({entry.patient_id: entry for entry in roster}, last_goals, numbers, library(earlier))


def library(sessions: list[HeldSession]) -> list[LibraryStrategy]:
    """Every strategy the cohort's `sessions` put on their boards and kept (hidden ones are left out), in the
    order first captured. A strategy brought back from the library adds its counts to its first capture's
    entry instead of making another."""
    entries: dict[str, LibraryStrategy] = {}
    for session in held(sessions):
        state = session.state
        for strategy in state.strategies.values():
            if strategy.hidden:
                continue
            helpful, tried = len(strategy.helpful), len(strategy.tried)
            first = entries.get(strategy.origin)
            if first is not None:
                entries[first.id] = replace(first, helpful=first.helpful + helpful, tried=first.tried + tried)
                continue
            library_id = strategy.origin or f"{session.session_id}:{strategy.id}"  # an origin hidden since keeps its id
            topic = state.topics[strategy.topic_id].title if strategy.topic_id in state.topics else ""
            entries[library_id] = LibraryStrategy(library_id, strategy.text, topic, session.session_id,
                                                  session.starts_at, helpful, tried)
    return list(entries.values())
