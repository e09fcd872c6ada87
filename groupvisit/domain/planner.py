"""The plan for the rest of the session's one-on-ones: who is called when, by whom, and who will not fit.

`plan` is a pure function of the state, the clock and the minutes per patient (each encounter's own
estimate, where a clinician set one). It fills the clinicians' time greedily: the clinician free first
takes the next patient, so each slot starts as early as it can and slots are made in the order of their
start. The next patient is the first in priority order (those a clinician moved up, the latest first;
then flagged numbers; then by when they queued) who would not be called out of the room during a topic
they care about; when everyone left would be, the one with the mildest conflict is called anyway and the
slot says why. Moved-up and flagged patients are never held back for the room: they come first.

Each clinician's slots end by the time they leave (`until`) or the session's end, whichever is first. In
a clinician's last minutes the next one they take is someone who fits before then (a shorter one may go
ahead of a longer one), except that nobody goes ahead of a moved-up or flagged patient: a clinician who
cannot fit that patient in is done for the plan. Once nobody can fit anyone, the rest do not fit.

Who is on duty: those who went on duty and have not gone off (`state.duty`), and anyone who has called
someone this session since they last went off; with none ever, one unnamed clinician, `any clinician`, so
that waiting patients still get an estimate.
"""

import math
import statistics
from dataclasses import dataclass

from .agenda import timeboxes
from .settings import PlannerSettings, glucose_in
from .state import Encounter, Numbers, SessionState

HISTORY_NEEDED = 3  # completed encounters before their median replaces the cohort's minutes per patient
OVERRUN_MINUTES = 1.0  # an encounter past its estimate is assumed to end this much after now
WAIT_MINUTES = 10.0  # the longest a clinician waits for a topic to end rather than call someone out of their top one

ANY_CLINICIAN = "any clinician"

# Why a slot could not avoid calling someone out, mildest first.
GOALS, TOPIC, TOP_TOPIC = "goals", "topic", "top_topic"
SEVERITY = {None: 0, GOALS: 1, TOPIC: 2, TOP_TOPIC: 3}


@dataclass(frozen=True)
class OnDuty:
    clinician_id: str  # "" for the unnamed clinician
    name: str
    free_at: float  # when their active encounter is expected to end (or now)
    until: float | None = None  # when they leave; None: at the session's end
    since: float | None = None  # on duty since (their going on duty, or else their first call)


@dataclass(frozen=True)
class Slot:
    encounter_id: str
    participant_id: str
    clinician_id: str
    clinician_name: str
    start: float  # the expected call time
    end: float
    conflict: str | None  # top_topic | topic | goals | None
    minutes: float  # its length: the encounter's own estimate, or the plan's minutes per patient


@dataclass(frozen=True)
class Plan:
    now: float
    minutes: float  # per patient
    clinicians: tuple[OnDuty, ...]
    slots: tuple[Slot, ...]  # in call order, all ending by the session's end
    does_not_fit: tuple[str, ...]  # encounter ids, in the order they would have come
    shortfall_minutes: int  # clinician minutes past the end needed to see them all

    def lane(self, clinician_id: str) -> list[Slot]:
        return [s for s in self.slots if s.clinician_id == clinician_id]

    def order(self) -> list[str]:
        """Every waiting encounter in the order they are expected to be called."""
        return [s.encounter_id for s in self.slots] + list(self.does_not_fit)


def flags(numbers: Numbers | None, settings: PlannerSettings) -> list[str]:
    """What is out of range in these self-recorded numbers by the cohort's thresholds: bp_high, glucose_low,
    glucose_high (a reading in the other unit is compared in the cohort's)."""
    if numbers is None:
        return []
    found = []
    if (numbers.bp_systolic or 0) >= settings.systolic_high or (numbers.bp_diastolic or 0) >= settings.diastolic_high:
        found.append("bp_high")
    if numbers.glucose is not None:
        glucose = glucose_in(numbers.glucose, numbers.glucose_unit, settings.glucose_unit)
        if glucose < settings.glucose_low:
            found.append("glucose_low")
        if glucose > settings.glucose_high:
            found.append("glucose_high")
    return found


def estimate_minutes(state: SessionState) -> float:
    """The median length of this session's completed one-on-ones, once there are enough; else, once the
    cohort's earlier sessions (with this one's) have enough, theirs; else the cohort's minutes per patient."""
    lengths = [m for e in state.encounters.values() if e.status == "completed" and (m := e.minutes) is not None]
    if len(lengths) < HISTORY_NEEDED and state.continuity is not None:
        lengths += state.continuity.one_on_ones
    return statistics.median(lengths) if len(lengths) >= HISTORY_NEEDED else state.settings.minutes_per_patient


def team_of(state: SessionState) -> list[tuple[str, str, float, float | None]]:
    """Who is on duty, as (clinician_id, name, since, until), in the order they came on: those on duty by
    their own say, and those who have called someone since they last went off (or ever, if they never did)."""
    first_call: dict[str, tuple[float, str]] = {}
    for e in state.encounters.values():
        if e.clinician_id and e.called_at is not None:
            duty = state.duty.get(e.clinician_id)
            if duty is not None and duty.off_at is not None and e.called_at <= duty.off_at:
                continue  # a call from before they went off duty (it ended first: they could not go off busy)
            at, _ = first_call.get(e.clinician_id, (e.called_at, ""))
            first_call[e.clinician_id] = (min(at, e.called_at), e.clinician_name)
    team: dict[str, tuple[str, str, float, float | None]] = {
        cid: (cid, name, at, None) for cid, (at, name) in first_call.items()}
    for cid, duty in state.duty.items():
        if duty.off_at is None:
            team[cid] = (cid, duty.name, duty.since, duty.until)
    return sorted(team.values(), key=lambda member: (member[2], member[0]))


def on_duty(state: SessionState, now: float, minutes: float) -> list[OnDuty]:
    """The clinicians on duty (see `team_of`), each free when their active encounter should end (its own
    estimate, or `minutes`). One that has run over is assumed to end a minute from now: it is still going,
    and the least it can take is what the plan should count on. With nobody on duty and nobody ever having
    been, one unnamed clinician; once someone has been, nobody means nobody."""
    team = []
    for cid, name, since, until in team_of(state):
        free_at = now
        busy = state.clinician_encounter(cid)
        if busy is not None:
            began = busy.started_at if busy.started_at is not None else busy.called_at
            assert began is not None
            free_at = began + length_of(busy, minutes * 60)
            if free_at <= now:
                free_at = now + OVERRUN_MINUTES * 60
        team.append(OnDuty(cid, name, free_at, until, since))
    if team or state.duty or any(e.called_at is not None for e in state.encounters.values()):
        return team
    return [OnDuty("", ANY_CLINICIAN, now)]


def length_of(enc: Encounter, default: float) -> float:
    """How many seconds `enc` should take: its own estimate, or `default` (seconds)."""
    return default if enc.estimate_minutes is None else enc.estimate_minutes * 60


def priority(enc: Encounter, flagged: set[str]) -> tuple[bool, float, bool, float]:
    """Moved up first (the latest first), then flagged, then by when they queued."""
    moved = enc.moved_up_at is not None
    return (not moved, -(enc.moved_up_at or 0.0), enc.id not in flagged, enc.queued_at)


def plan(state: SessionState, now: float, minutes: float | None = None,
         clinicians: list[OnDuty] | None = None) -> Plan:
    """The plan for every waiting patient from `now` (`minutes` each unless a clinician set their own, by
    `clinicians`: by default from the state, see `estimate_minutes` and `on_duty`)."""
    if minutes is not None and not minutes > 0:
        raise ValueError(f"the minutes per patient must be more than 0, not {minutes!r}")
    if clinicians is not None and not clinicians:
        raise ValueError("a plan needs at least one clinician on duty")
    default = (estimate_minutes(state) if minutes is None else minutes) * 60
    team = on_duty(state, now, default / 60) if clinicians is None else clinicians
    planned, waited = lay_out(state, now, team, default, wait=True)
    if waited and planned.does_not_fit:  # waiting out a topic must cost nobody their one-on-one
        unwaited, _ = lay_out(state, now, team, default, wait=False)
        if len(unwaited.does_not_fit) < len(planned.does_not_fit):
            return unwaited
    return planned


def lay_out(state: SessionState, now: float, team: list[OnDuty], default: float, wait: bool) -> tuple[Plan, bool]:
    """The plan from `now` by `team`, `default` seconds a patient unless set; with `wait`, a clinician waits a
    few minutes for a topic to end rather than call someone out of their top one (see `wait_out`). Also
    whether anyone waited."""
    flagged = {e.id for e in state.encounters.values()
               if e.status == "waiting" and flags(state.participants[e.participant_id].numbers, state.settings)}
    waiting = sorted((e for e in state.encounters.values() if e.status == "waiting"),
                     key=lambda e: priority(e, flagged))
    first = {e.id for e in waiting if e.id in flagged or e.moved_up_at is not None}  # never held back
    avoid = windows_to_avoid(state, now, [e.participant_id for e in waiting])
    free = [max(c.free_at, now) for c in team]
    limit = [state.ends_at if c.until is None else min(c.until, state.ends_at) for c in team]
    taking = [n for n in range(len(team)) if free[n] < limit[n]]  # who can still see someone
    slots: list[Slot] = []
    waited = False
    while waiting and taking:
        n = min(taking, key=lambda k: (free[k], k))  # the clinician free first (the first on duty, if tied)
        start = free[n]
        chosen = choose(waiting, first, avoid, start, limit[n], default)
        if chosen is None:
            taking.remove(n)  # nobody they may take next would end before they leave: done for the plan
            continue
        if wait and chosen[1] == TOP_TOPIC and waiting[0].id not in first:
            later, chosen = wait_out(waiting, first, avoid, start, limit[n], default, chosen)
            waited, start = waited or later > start, later
        k, conflict = chosen
        enc = waiting.pop(k)
        free[n] = start + length_of(enc, default)
        slots.append(Slot(enc.id, enc.participant_id, team[n].clinician_id, team[n].name, start, free[n], conflict,
                          (free[n] - start) / 60))
    # Those left do not fit; laid out after the plan, on whoever is free first, they say how much time is short.
    short = 0.0
    for enc in waiting:
        length = length_of(enc, default)
        if not team:
            short += length
            continue
        n = free.index(min(free))
        start, free[n] = free[n], free[n] + length
        short += max(0.0, free[n] - max(start, limit[n]))
    # Someone not seen is always some time short (one held back behind a flagged patient may not overrun here).
    shortfall = max(math.ceil(round(short) / 60), 1 if waiting else 0)
    return Plan(now, default / 60, tuple(team), tuple(slots), tuple(e.id for e in waiting), shortfall), waited


def choose(waiting: list[Encounter], first: set[str], avoid: dict[str, list["Window"]], start: float,
           limit: float, default: float) -> tuple[int, str | None] | None:
    """Which of `waiting` (in priority order) a slot from `start` takes, and the conflict it has; None when
    nobody it may take would end by `limit`. The head, if nothing may hold them back (moved up or flagged),
    or nobody; else, of those who would end by `limit`, the first with the mildest conflict."""
    head = waiting[0]
    if head.id in first:
        end = start + length_of(head, default)
        return (0, conflict_at(avoid[head.participant_id], start, end)) if end <= limit else None
    best: tuple[int, str | None] | None = None
    for k, enc in enumerate(waiting):
        end = start + length_of(enc, default)
        if end > limit:
            continue
        found = conflict_at(avoid[enc.participant_id], start, end)
        if best is None or SEVERITY[found] < SEVERITY[best[1]]:
            best = (k, found)
            if found is None:
                break
    return best


def wait_out(waiting: list[Encounter], first: set[str], avoid: dict[str, list["Window"]], start: float,
             limit: float, default: float, chosen: tuple[int, str | None]) -> tuple[float, tuple[int, str | None]]:
    """When the slot from `start` could only take someone out of the topic they voted for most: the first
    moment within `WAIT_MINUTES` when a topic ends and it could take someone with a milder conflict (the
    clinician waits a few minutes rather than call them out), or `start` and `chosen` as they were."""
    ends = sorted({w_end for enc in waiting for w_end in (w[1] for w in avoid[enc.participant_id] if w[2] == TOP_TOPIC)
                   if start < w_end <= start + WAIT_MINUTES * 60})
    for later in ends:
        found = choose(waiting, first, avoid, later, limit, default)
        if found is not None and SEVERITY[found[1]] < SEVERITY[TOP_TOPIC]:
            return later, found
    return start, chosen


Window = tuple[float, float, str]


def windows_to_avoid(state: SessionState, now: float, participant_ids: list[str]) -> dict[str, list[Window]]:
    """For each participant, the times they should stay in the room, most important first: the
    agenda topic they voted for most, the others they voted for, and the goals phase if they
    have no goal yet. Pending topics shift by however long the current one has run over."""
    boxes, _ = timeboxes(state)
    current = state.current_item()
    overrun = max(0.0, now - current.ends_at) if current is not None and current.ends_at is not None else 0.0
    shifted = {tid: (start + (0 if current and tid == current.topic_id else overrun), end + overrun)
               for tid, (start, end) in boxes.items()}
    # One pass over the agenda's votes, not one per participant: this runs for every screen on every event.
    votes: dict[str, list[tuple[int, str]]] = {pid: [] for pid in participant_ids}
    for item in state.agenda:
        for pid, count in state.topics[item.topic_id].votes.items():
            if count and pid in votes:
                votes[pid].append((count, item.topic_id))
    goals: Window = (state.goals_at, state.ends_at, GOALS)
    avoid: dict[str, list[Window]] = {}
    for pid, theirs in votes.items():
        top = top_topic_of(theirs)
        windows: list[Window] = [(*shifted[top], TOP_TOPIC)] if top in shifted else []
        windows += [(*shifted[tid], TOPIC) for _, tid in theirs if tid != top and tid in shifted]
        if pid not in state.goals:
            windows.append(goals)
        avoid[pid] = windows
    return avoid


def top_topic_of(votes: list[tuple[int, str]]) -> str | None:
    """The topic with the most votes among (count, topic id) in agenda order; the first if tied."""
    best, most = None, 0
    for count, tid in votes:
        if count > most:
            best, most = tid, count
    return best


def top_topic(state: SessionState, participant_id: str) -> str | None:
    """The agenda topic this participant put most votes on (first on the agenda if tied)."""
    return top_topic_of([(state.topics[i.topic_id].votes.get(participant_id, 0), i.topic_id) for i in state.agenda])


def conflict_at(windows: list[Window], start: float, end: float) -> str | None:
    """The most important of `windows` that [start, end) overlaps, or None."""
    for w_start, w_end, why in windows:
        if start < w_end and w_start < end:
            return why
    return None
