"""What spans a cohort's sessions, derived from their logs and the roster: never a second copy of the facts.

`Continuity` is what earlier sessions carry into one session (each returning patient's last goal and
numbers, the strategy library); `CohortRecord`, the cohort over time (attendance, evaluations, goals and
follow-ups, topics) for the team and the patients to redesign the next session, is built from the same folds.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from statistics import fmean

from .agenda import ranked
from .state import Goal, Numbers, SessionState, Topic


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
    one_on_ones: tuple[float, ...] = ()  # the minutes of every one-on-one completed at an earlier session


@dataclass(frozen=True)
class Outcomes:
    """How many follow-ups said each outcome."""

    done: int = 0
    partly: int = 0
    not_yet: int = 0


@dataclass(frozen=True)
class ChosenTopic:
    """A topic the group put on a session's agenda, with the votes that put it there."""

    title: str
    votes: int


@dataclass(frozen=True)
class SessionRecord:
    """One session of the cohort as the record over time shows it: counts and answers, never names."""

    session_id: str
    starts_at: float
    ends_at: float
    status: str  # held (over: closed, or its end has passed) | upcoming | cancelled
    came: int  # roster patients who took part
    guests: int  # took part, matched as not on the roster
    unmatched: int  # took part, never matched either way
    rating_mean: float | None
    rating_count: int
    helped: tuple[str, ...]  # every "what helped" answer, sorted: their order says nothing of who
    changes: tuple[str, ...]  # every "what should change" answer, likewise
    goals_set: int
    follow_ups: Outcomes  # given at this session, about goals set at earlier ones
    goals_followed_up: Outcomes  # this session's goals, as later sessions followed them up
    topics: tuple[ChosenTopic, ...]  # its agenda in order (the topics by votes, had it no discussion)


@dataclass(frozen=True)
class Attendance:
    """One roster patient across the cohort's sessions: came, no_show, cancelled or upcoming for each."""

    patient: RosterEntry
    marks: tuple[str, ...]  # in the order of `CohortRecord.sessions`


@dataclass(frozen=True)
class CohortRecord:
    sessions: tuple[SessionRecord, ...]  # in the order they start, cancelled ones included
    attendance: tuple[Attendance, ...]  # in the roster's order


def held(sessions: list[HeldSession]) -> list[HeldSession]:
    """The sessions that were not cancelled, in the order they start."""
    return sorted((s for s in sessions if not s.cancelled), key=lambda s: s.starts_at)


def continuity(roster: list[RosterEntry], earlier: list[HeldSession]) -> Continuity:
    """What `earlier` (the cohort's sessions that started before this one) carry into it: each roster patient's
    latest goal and their numbers session by session, the library, and how long its one-on-ones took (for the
    planner's estimate). Cancelled sessions carry nothing."""
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
    minutes = tuple(e.minutes for session in held(earlier) for e in session.state.encounters.values()
                    if e.status == "completed" and e.minutes is not None)
    return Continuity({entry.patient_id: entry for entry in roster}, last_goals, numbers, library(earlier), minutes)


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
            # A copy whose first capture left the library (hidden there) stands for it, under its id.
            library_id = strategy.origin or f"{session.session_id}:{strategy.id}"
            topic = state.topics[strategy.topic_id].title if strategy.topic_id in state.topics else ""
            entries[library_id] = LibraryStrategy(library_id, strategy.text, topic, session.session_id,
                                                  session.starts_at, helpful, tried)
    return list(entries.values())


def outcomes(said: list[str]) -> Outcomes:
    tally = Counter(said)
    return Outcomes(tally["done"], tally["partly"], tally["not_yet"])


def is_over(session: HeldSession, now: float) -> bool:
    return session.state.closed_at is not None or session.ends_at <= now


def cohort_record(roster: list[RosterEntry], sessions: list[HeldSession], now: float) -> CohortRecord:
    """The cohort over time, as of `now`: every session of `sessions` (the cohort's, cancelled ones included) and
    every patient of `roster`."""
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    followed_up: dict[str, list[str]] = {}  # goal_session_id -> the outcomes later sessions gave
    for session in held(ordered):
        for person in session.state.took_part():
            given = session.state.follow_ups.get(person.id)
            if given is not None:
                followed_up.setdefault(given.goal_session_id, []).append(given.outcome)
    records = tuple(session_record(s, now, followed_up.get(s.session_id, [])) for s in ordered)
    attendance = tuple(Attendance(entry, tuple(mark(s, entry.patient_id, now) for s in ordered)) for entry in roster)
    return CohortRecord(records, attendance)


def mark(session: HeldSession, patient_id: str, now: float) -> str:
    if session.cancelled:
        return "cancelled"
    if any(p.patient_id == patient_id for p in session.state.took_part()):
        return "came"
    return "no_show" if is_over(session, now) else "upcoming"


def session_record(session: HeldSession, now: float, followed_up: list[str]) -> SessionRecord:
    state = session.state
    people = state.took_part()
    evaluations = [state.evaluations[p.id] for p in people if p.id in state.evaluations]
    ratings = [e.rating for e in evaluations]
    status = "cancelled" if session.cancelled else "held" if is_over(session, now) else "upcoming"
    return SessionRecord(
        session.session_id, session.starts_at, session.ends_at, status,
        came=sum(1 for p in people if p.patient_id), guests=sum(1 for p in people if p.patient_id == ""),
        unmatched=sum(1 for p in people if p.patient_id is None),
        rating_mean=fmean(ratings) if ratings else None, rating_count=len(ratings),
        helped=tuple(sorted(e.helped for e in evaluations if e.helped)),
        changes=tuple(sorted(e.change for e in evaluations if e.change)),
        goals_set=sum(1 for p in people if p.id in state.goals),
        follow_ups=outcomes([state.follow_ups[p.id].outcome for p in people if p.id in state.follow_ups]),
        goals_followed_up=outcomes(followed_up),
        topics=tuple(ChosenTopic(t.title, t.total) for t in chosen(state)),
    )


def chosen(state: SessionState) -> list[Topic]:
    """The topics the group chose: its agenda, or the open topics by votes if it never got to discussion."""
    return [state.topics[item.topic_id] for item in state.agenda] if state.agenda else ranked(state)
