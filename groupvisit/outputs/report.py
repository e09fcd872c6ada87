"""The session report, for staff: one session as it was run against what was planned, beside the cohort's other
sessions, for the team to redesign the next one.

A read model: a pure function of the session's fold, its log (for what the fold forgets: each round of the
room's keep-going vote, when someone went home), the cohort's roster and its other sessions. Nothing in it is
kept anywhere else.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

from ..domain.events import Event, ParticipantMarked, RoomVoted, TopicExtended
from ..domain.history import HeldSession, RosterEntry, SessionRecord, cohort_record, continuity, held
from ..domain.planner import top_topic
from ..domain.state import Encounter, FollowUp, Goal, Participant, SessionState
from ..domain.summary import encounter_status

RATINGS = range(1, 6)
REWORK_BELOW = 7  # an action plan with less confidence than this is worth reworking


@dataclass(frozen=True)
class Attendee:
    """Someone who took part: `name` as the room knew them, `clinic_name` as the roster does ("" off it)."""

    participant_id: str
    name: str
    patient_id: str | None  # None: never matched to the roster, "" a guest
    clinic_name: str
    joined_at: float
    left_at: float | None  # went home before the end, at


@dataclass(frozen=True)
class Attendance:
    came: tuple[Attendee, ...]  # roster patients, in check-in order
    guests: tuple[Attendee, ...]  # matched as not on the roster
    unmatched: tuple[Attendee, ...]  # never matched either way (everyone, for a session outside a cohort)
    absent: tuple[RosterEntry, ...]  # roster patients who did not come, in the roster's order
    mistakes: int  # check-ins marked as made by mistake: counted nowhere else

    @property
    def took_part(self) -> tuple[Attendee, ...]:
        return tuple(sorted((*self.came, *self.guests, *self.unmatched), key=lambda a: a.joined_at))


@dataclass(frozen=True)
class RoomRound:
    """One time a topic's time ran out and the room voted: `round` 0 is the first, 1 after one extension."""

    round: int
    keep_going: int
    move_on: int
    outcome: str  # extended | moved_on | undecided (the topic is still being discussed)


@dataclass(frozen=True)
class TopicRun:
    """An agenda topic as planned (its timebox when the agenda was fixed) and as run."""

    topic_id: str
    title: str
    votes: int
    planned_minutes: int
    status: str  # done | current | not_reached
    started_at: float | None
    ended_at: float | None  # None while it is being discussed
    minutes: float | None  # as run (so far, for the current topic); None if never reached
    extensions: int
    extended_minutes: int
    rounds: tuple[RoomRound, ...]
    out: tuple[str, ...]  # who was away at a one-on-one during it, by display name

    @property
    def over_minutes(self) -> float | None:
        """How much longer it ran than planned (negative: shorter)."""
        return None if self.minutes is None else self.minutes - self.planned_minutes


@dataclass(frozen=True)
class OneOnOne:
    """An encounter that was called, on its clinician's timeline: the patient was away from the group from
    `out_from` (the call) to `out_until` (its end or, never completed, the end of the session so far)."""

    encounter_id: str
    participant_id: str
    name: str
    clinician_id: str
    clinician_name: str
    room: str
    called_at: float
    started_at: float | None
    ended_at: float | None
    completed: bool
    out_from: float
    out_until: float
    topics: tuple[str, ...]  # titles of the topics discussed while they were away, in agenda order
    missed_their_topic: bool  # away during the topic they voted for most (as the planner tries to avoid)

    @property
    def minutes(self) -> float:
        return (self.out_until - self.out_from) / 60


@dataclass(frozen=True)
class Lane:
    clinician_id: str
    clinician_name: str
    one_on_ones: tuple[OneOnOne, ...]  # in the order they were called


@dataclass(frozen=True)
class Wait:
    """A visit request, from asking to being called (to the latest call, after a return to the queue)."""

    encounter_id: str
    participant_id: str
    name: str
    requested_at: float
    called_at: float | None
    returns: int
    outcome: str  # the encounter's status in the chart summary's words (completed, not seen: ran out of time, …)

    @property
    def minutes(self) -> float | None:
        return None if self.called_at is None else (self.called_at - self.requested_at) / 60


@dataclass(frozen=True)
class GoalRow:
    """A participant's action plan today, and how last session's went."""

    participant_id: str
    name: str
    goal: Goal | None
    follow_up: FollowUp | None
    earlier_goal: Goal | None  # the goal the follow-up is about

    @property
    def rework(self) -> bool:
        return self.goal is not None and self.goal.confidence < REWORK_BELOW


@dataclass(frozen=True)
class Evaluations:
    given: int  # by how many of those who took part
    by_rating: tuple[int, ...]  # how many rated 1, 2, 3, 4 and 5
    mean: float | None
    helped: tuple[str, ...]  # sorted, as the cohort record has them: their order says nothing of who
    changes: tuple[str, ...]


@dataclass(frozen=True)
class SessionReport:
    session_id: str
    title: str
    cohort: str
    starts_at: float
    ends_at: float
    closed_at: float | None
    phase: str
    attendance: Attendance
    agenda: tuple[TopicRun, ...]
    lanes: tuple[Lane, ...]  # one per clinician, in the order they first called someone
    waits: tuple[Wait, ...]  # in the order asked
    goals: tuple[GoalRow, ...]  # everyone who took part, in check-in order
    evaluations: Evaluations
    enrolled: int  # the roster's size (0 outside a cohort)
    trend: tuple[SessionRecord, ...]  # the cohort's sessions held so far and this one, by start

    @property
    def waited(self) -> list[float]:
        return [m for w in self.waits if (m := w.minutes) is not None]

    @property
    def median_wait(self) -> float | None:
        return median(self.waited) if self.waited else None

    @property
    def longest_wait(self) -> float | None:
        return max(self.waited, default=None)


def session_report(session: HeldSession, log: Sequence[Event], roster: Sequence[RosterEntry],
                   cohort: Sequence[HeldSession], now: float) -> SessionReport:
    """The report of `session` (whose events are `log`), as of `now`, with the cohort's `roster` and `cohort`
    sessions (this one among them or not; cancelled ones count for nothing)."""
    state = session.state
    # What is still going on (a topic, a one-on-one never completed) runs until the close, or else until now
    # or the session's planned end, whichever comes first: a session nobody closed does not run on for days.
    until = state.closed_at if state.closed_at is not None else min(now, state.ends_at)
    lanes = timeline(state, until)
    others = [s for s in cohort if s.session_id != session.session_id]
    trend = tuple(r for r in cohort_record(list(roster), [*others, session], now).sessions
                  if r.status == "held" or r.session_id == session.session_id)
    earlier = [s for s in held(others) if s.starts_at < session.starts_at]
    return SessionReport(
        session.session_id, state.title, state.cohort, session.starts_at, session.ends_at, state.closed_at,
        state.phase.value, attendance(state, log, roster), agenda(state, log, lanes, until), lanes, waits(state),
        goals(state, roster, earlier), evaluations(state), len(roster), trend)


def attendance(state: SessionState, log: Sequence[Event], roster: Sequence[RosterEntry]) -> Attendance:
    left_at = {e.participant_id: e.at for e in log if isinstance(e, ParticipantMarked) and e.status == "left"}
    names = {entry.patient_id: entry.clinic_name for entry in roster}

    def attendee(p: Participant) -> Attendee:
        return Attendee(p.id, p.name, p.patient_id, names.get(p.patient_id or "", ""), p.joined_at,
                        left_at.get(p.id) if p.status == "left" else None)

    people = sorted(state.took_part(), key=lambda p: p.joined_at)
    came = {p.patient_id for p in people if p.patient_id}
    return Attendance(
        came=tuple(attendee(p) for p in people if p.patient_id),
        guests=tuple(attendee(p) for p in people if p.patient_id == ""),
        unmatched=tuple(attendee(p) for p in people if p.patient_id is None),
        absent=tuple(entry for entry in roster if entry.patient_id not in came),
        mistakes=sum(1 for p in state.participants.values() if not p.took_part))


def agenda(state: SessionState, log: Sequence[Event], lanes: tuple[Lane, ...], until: float) -> tuple[TopicRun, ...]:
    counted = {p.id for p in state.took_part()}
    votes: dict[tuple[str, int], dict[str, str]] = {}  # each round's latest choice of each participant
    extended: dict[str, int] = {}
    for e in log:
        if isinstance(e, RoomVoted) and e.participant_id in counted:
            votes.setdefault((e.topic_id, e.round), {})[e.participant_id] = e.choice
        elif isinstance(e, TopicExtended):
            extended[e.topic_id] = extended.get(e.topic_id, 0) + e.minutes
    visits = [v for lane in lanes for v in lane.one_on_ones]
    runs = []
    for item in state.agenda:
        topic = state.topics[item.topic_id]
        status = {"pending": "not_reached"}.get(item.status, item.status)
        end = item.ended_at if item.ended_at is not None else until
        minutes = None if item.started_at is None else max(end - item.started_at, 0) / 60
        rounds = tuple(RoomRound(n, sum(1 for c in chosen.values() if c == "keep_going"),
                                 sum(1 for c in chosen.values() if c == "move_on"),
                                 "extended" if n < item.extensions else "moved_on" if item.status == "done"
                                 else "undecided")
                       for (topic_id, n), chosen in sorted(votes.items()) if topic_id == item.topic_id)
        out = tuple(v.name for v in visits if topic.title in v.topics)
        runs.append(TopicRun(item.topic_id, topic.title, topic.total, item.minutes, status, item.started_at,
                             item.ended_at, minutes, item.extensions, extended.get(item.topic_id, 0), rounds, out))
    return tuple(runs)


def discussed(state: SessionState, until: float) -> list[tuple[str, float, float]]:
    """Each agenda topic that was reached, with when it was discussed: (topic_id, start, end)."""
    return [(item.topic_id, item.started_at, item.ended_at if item.ended_at is not None else until)
            for item in state.agenda if item.started_at is not None]


def timeline(state: SessionState, until: float) -> tuple[Lane, ...]:
    windows = discussed(state, until)
    called = sorted((e for e in state.encounters.values() if e.called_at is not None and e.clinician_id),
                    key=lambda e: e.called_at or 0.0)
    lanes: dict[str, list[OneOnOne]] = {}
    names: dict[str, str] = {}
    for enc in called:
        visit = one_on_one(state, enc, windows, until)
        lanes.setdefault(enc.clinician_id, []).append(visit)
        names[enc.clinician_id] = enc.clinician_name
    return tuple(Lane(cid, names[cid], tuple(visits)) for cid, visits in lanes.items())


def one_on_one(state: SessionState, enc: Encounter, windows: list[tuple[str, float, float]],
               until: float) -> OneOnOne:
    assert enc.called_at is not None
    completed = enc.status == "completed" and enc.ended_at is not None
    out_until = enc.ended_at if completed and enc.ended_at is not None else max(until, enc.called_at)
    during = [tid for tid, start, end in windows if start < out_until and enc.called_at < end]
    return OneOnOne(enc.id, enc.participant_id, state.participants[enc.participant_id].name, enc.clinician_id,
                    enc.clinician_name, enc.room, enc.called_at, enc.started_at, enc.ended_at, completed,
                    enc.called_at, out_until, tuple(state.topics[tid].title for tid in during),
                    top_topic(state, enc.participant_id) in during)


def waits(state: SessionState) -> tuple[Wait, ...]:
    counted = {p.id for p in state.took_part()}
    asked = sorted((e for e in state.encounters.values() if e.participant_id in counted), key=lambda e: e.requested_at)
    return tuple(Wait(e.id, e.participant_id, state.participants[e.participant_id].name, e.requested_at, e.called_at,
                      e.returns, encounter_status(e)) for e in asked)


def goals(state: SessionState, roster: Sequence[RosterEntry], earlier: list[HeldSession]) -> tuple[GoalRow, ...]:
    last_goals = continuity(list(roster), earlier).last_goals
    rows = []
    for person in sorted(state.took_part(), key=lambda p: p.joined_at):
        prior = last_goals.get(person.patient_id) if person.patient_id else None
        rows.append(GoalRow(person.id, person.name, state.goals.get(person.id), state.follow_ups.get(person.id),
                            prior.goal if prior is not None else None))
    return tuple(rows)


def evaluations(state: SessionState) -> Evaluations:
    given = [state.evaluations[p.id] for p in state.took_part() if p.id in state.evaluations]
    return Evaluations(len(given), tuple(sum(1 for e in given if e.rating == n) for n in RATINGS),
                       fmean(e.rating for e in given) if given else None,
                       tuple(sorted(e.helped for e in given if e.helped)),
                       tuple(sorted(e.change for e in given if e.change)))
