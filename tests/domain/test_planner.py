"""The one-on-ones' plan: properties over generated sessions, and scenarios on a manual clock."""

import copy
from dataclasses import dataclass

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupvisit.domain import Actor, Phase, SessionState
from groupvisit.domain import commands as c
from groupvisit.domain.planner import (OVERRUN_MINUTES, SEVERITY, OnDuty, Plan, conflict_at, flags,
                                       lay_out, on_duty, plan, team_of, windows_to_avoid)
from groupvisit.domain.settings import PlannerSettings
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, PROJECTOR, T0, Session, clinician, keys_in

DR1, DR2, DR3 = clinician(1), clinician(2), clinician(3)
MINUTE = 60.0
NAMES = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Joe", "Kim", "Lu"]


@dataclass(frozen=True)
class Patient:
    gap: float  # minutes after the previous request (0: queued at the same moment)
    glucose: int | None
    votes: tuple[int, ...]  # agenda topics (by number) this patient votes for
    goal: bool
    estimate: float | None  # the minutes a clinician set for them (None: the session's)
    moved_up: bool  # a clinician moves them up (if they are still waiting)


@dataclass(frozen=True)
class Duty:
    on_duty: bool  # said so themselves (late: after the calls), or only by having called someone
    leaves_in: float | None  # minutes from then (None: to the end)
    off: bool  # then goes off duty again (when free)


patients = st.builds(Patient, st.sampled_from([0, 0, 0.5, 1, 3]), st.sampled_from([None, 54, 110, 320]),
                     st.lists(st.integers(0, 3), max_size=3).map(tuple), st.booleans(),
                     st.sampled_from([None, None, 2, 4.5, 15]), st.booleans())
duties = st.builds(Duty, st.booleans(), st.sampled_from([None, 10, 25, 45]), st.sampled_from([False, False, True]))


@st.composite
def sessions(draw: st.DrawFn) -> tuple[SessionState, float]:
    """A session in discussion with up to 12 waiting patients (some with their own estimates, some moved up),
    0–3 clinicians with someone, 0–3 on duty by their own say (leaving at some time, or going off again),
    and a moment."""
    s = Session(minutes=draw(st.sampled_from([40, 60, 120])), goals_minutes=10)
    people: list[tuple[Actor, Patient]] = []
    for name, patient in zip(NAMES, draw(st.lists(patients, max_size=12)), strict=False):
        who = s.join(name)
        if patient.glucose is not None:
            s.run(c.RecordNumbers(glucose=patient.glucose), who)
        s.request_visit(who)
        people.append((who, patient))
        s.tick(patient.gap)
    s.open(Phase.AGENDA)
    topics = [s.propose(title) for title in ("Sleep", "Food", "Feet", "Stress")]
    for who, patient in people:
        for n in patient.votes:
            s.vote(who, topics[n])
    s.open(Phase.DISCUSSION)
    for dr in (DR1, DR2, DR3)[:draw(st.integers(0, 3))]:
        waiting = [e.id for e in s.state.encounters.values() if e.status == "waiting"]
        if waiting:
            s.run(c.CallParticipant(waiting[0], "Room 1"), dr)
            s.tick(draw(st.sampled_from([0, 2, 9])))
    for dr, duty in zip((DR1, DR2, DR3), draw(st.lists(duties, max_size=3)), strict=False):
        if duty.on_duty:
            s.run(c.GoOnDuty(None if duty.leaves_in is None else s.now + duty.leaves_in * MINUTE), dr)
        if duty.off and s.state.clinician_encounter(dr.id) is None and any(
                cid == dr.id for cid, *_ in team_of(s.state)):
            s.run(c.GoOffDuty(), dr)
        s.tick(draw(st.sampled_from([0, 1])))
    for (who, patient) in people:
        enc = s.state.open_encounter(who.id)
        if enc is not None and patient.estimate is not None:
            s.run(c.SetEstimate(enc.id, patient.estimate), DR1)
        if enc is not None and enc.status == "waiting" and patient.moved_up:
            s.run(c.MoveUp(enc.id), DR1)
            s.tick(draw(st.sampled_from([0, 0.5])))
    if draw(st.booleans()):
        s.open(Phase.GOALS)
        for who, patient in people:
            if patient.goal:
                s.set_goal(who)
    return s.state, s.now + draw(st.sampled_from([0, 1, 5, 30])) * MINUTE


examples = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
estimates = st.sampled_from([3.0, 7.0, 12.0])


def waiting_ids(state: SessionState) -> list[str]:
    return [e.id for e in state.encounters.values() if e.status == "waiting"]


def is_flagged(state: SessionState, encounter_id: str) -> bool:
    return bool(flags(state.participants[state.encounters[encounter_id].participant_id].numbers, state.settings))


def is_moved_up(state: SessionState, encounter_id: str) -> bool:
    return state.encounters[encounter_id].moved_up_at is not None


def length(state: SessionState, encounter_id: str, minutes: float) -> float:
    """The seconds the plan gives this encounter: its own estimate, or `minutes`."""
    own = state.encounters[encounter_id].estimate_minutes
    return (minutes if own is None else own) * MINUTE


@given(sessions(), estimates)
@examples
def test_every_waiting_patient_is_planned_exactly_once_or_does_not_fit(case: tuple[SessionState, float],
                                                                      minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    assert sorted(p.order()) == sorted(waiting_ids(state))
    assert not {s.encounter_id for s in p.slots} & set(p.does_not_fit)


@given(sessions(), estimates)
@examples
def test_no_clinician_has_overlapping_slots_and_none_is_outside_now_their_leaving_and_the_end(
        case: tuple[SessionState, float], minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    for member in p.clinicians:
        lane = p.lane(member.clinician_id)
        assert all(a.end <= b.start for a, b in zip(lane, lane[1:], strict=False))
        assert all(s.start >= member.free_at for s in lane)
        assert member.until is None or all(s.end <= member.until for s in lane)
    assert all(now <= s.start and s.end <= state.ends_at for s in p.slots)
    assert all(s.end - s.start == length(state, s.encounter_id, minutes) == s.minutes * MINUTE for s in p.slots)
    assert (p.shortfall_minutes > 0) == bool(p.does_not_fit)


@given(sessions(), estimates)
@examples
def test_nobody_off_duty_has_a_slot_and_everyone_on_duty_is_in_the_plan(case: tuple[SessionState, float],
                                                                       minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    on = {m.clinician_id for m in p.clinicians}
    # Off: went off duty and has called nobody since.
    off = {cid for cid, duty in state.duty.items() if duty.off_at is not None and not any(
        e.clinician_id == cid and e.called_at is not None and e.called_at >= duty.off_at
        for e in state.encounters.values())}
    assert not on & off
    assert {s.clinician_id for s in p.slots} <= on
    assert {cid for cid, duty in state.duty.items() if duty.off_at is None} <= on


@given(sessions(), estimates)
@examples
def test_with_enough_time_everyone_fits(case: tuple[SessionState, float], minutes: float) -> None:
    state, now = case
    roomy = copy.deepcopy(state)
    for duty in roomy.duty.values():
        duty.until = None  # nobody leaves early
    team = on_duty(roomy, now, minutes)
    latest = max((m.free_at for m in team), default=now)
    roomy.ends_at = max(latest, now) + sum(length(state, e, minutes) for e in waiting_ids(state))
    p = plan(roomy, now, minutes)
    if team:
        assert p.does_not_fit == () and p.shortfall_minutes == 0
    else:  # everyone who was on duty has gone off: nobody can be seen
        assert p.slots == () and len(p.does_not_fit) == len(waiting_ids(state))


@given(sessions(), estimates, st.sampled_from([0, 4, 20]), st.sampled_from([None, 15, 40]))
@examples
def test_adding_a_clinician_never_makes_the_plan_worse(case: tuple[SessionState, float], minutes: float,
                                                       joins_after: int, leaves_after: int | None) -> None:
    state, now = case
    team = on_duty(state, now, minutes) or [OnDuty("", "any clinician", now)]
    before = plan(state, now, minutes, team)
    until = None if leaves_after is None else now + leaves_after * MINUTE
    after = plan(state, now, minutes, [*team, OnDuty("c9", "Dr 9", now + joins_after * MINUTE, until)])
    assert len(after.does_not_fit) <= len(before.does_not_fit)
    # Laid out without waiting for topics to end (a clinician may wait a few minutes to spare someone their
    # top topic, so a call can come later for the room's sake): the nth call comes no later, nor the last.
    default = minutes * MINUTE
    greedy_before, _ = lay_out(state, now, team, default, wait=False)
    greedy_after, _ = lay_out(state, now, [*team, OnDuty("c9", "Dr 9", now + joins_after * MINUTE, until)], default,
                              wait=False)
    calls_before, calls_after = sorted(s.start for s in greedy_before.slots), sorted(s.start for s in greedy_after.slots)
    assert all(a <= b for a, b in zip(calls_after, calls_before, strict=False))


@given(sessions(), estimates)
@examples
def test_a_flagged_patient_is_never_planned_after_an_unflagged_one_who_queued_no_earlier_unless_moved_up(
        case: tuple[SessionState, float], minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    order, starts = p.order(), {s.encounter_id: s.start for s in p.slots}
    for flagged in filter(lambda e: is_flagged(state, e), order):
        for other in order:
            if (not is_flagged(state, other) and not is_moved_up(state, other)
                    and state.encounters[other].queued_at >= state.encounters[flagged].queued_at):
                assert order.index(flagged) < order.index(other)
                if other in starts:
                    assert starts[flagged] <= starts[other]


@given(sessions(), estimates)
@examples
def test_the_moved_up_come_first_the_latest_moved_first(case: tuple[SessionState, float], minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    order, starts = p.order(), {s.encounter_id: s.start for s in p.slots}
    moved = [e for e in order if is_moved_up(state, e)]
    assert order[:len(moved)] == moved
    at = [state.encounters[e].moved_up_at or 0.0 for e in moved]
    assert at == sorted(at, reverse=True)
    for first, then in zip(order, order[1:], strict=False):
        if first in moved and then in starts:
            assert first in starts and starts[first] <= starts[then]


@given(sessions(), estimates)
@examples
def test_a_slot_calls_someone_out_only_when_everyone_else_waiting_would_be_too(case: tuple[SessionState, float],
                                                                               minutes: float) -> None:
    state, now = case
    p = plan(state, now, minutes)
    avoid = windows_to_avoid(state, now, [state.encounters[e].participant_id for e in p.order()])
    order = p.order()
    leaves = {m.clinician_id: min(m.until or state.ends_at, state.ends_at) for m in p.clinicians}
    for n, slot in enumerate(p.slots):
        assert conflict_at(avoid[slot.participant_id], slot.start, slot.end) == slot.conflict
        if is_flagged(state, slot.encounter_id) or is_moved_up(state, slot.encounter_id):
            continue  # their numbers, or a clinician, put them first
        for later in order[n + 1:]:
            end = slot.start + length(state, later, minutes)
            if end <= leaves[slot.clinician_id]:  # who else this clinician could have seen before leaving
                theirs = conflict_at(avoid[state.encounters[later].participant_id], slot.start, end)
                assert SEVERITY[theirs] >= SEVERITY[slot.conflict]


@given(sessions(), estimates)
@examples
def test_the_plan_is_deterministic(case: tuple[SessionState, float], minutes: float) -> None:
    state, now = case
    first = plan(state, now, minutes)
    assert plan(copy.deepcopy(state), now, minutes) == first == plan(state, now, minutes)
    assert plan(state, now) == plan(copy.deepcopy(state), now)


# --- scenarios on a manual clock -------------------------------------------------------


def queued(names: list[str], minutes: int = 120) -> tuple[Session, list[str]]:
    s = Session(minutes=minutes)
    encounter_ids = [s.request_visit(s.join(name)) for name in names]
    return s, encounter_ids


def see(s: Session, encounter_id: str, dr: Actor) -> None:
    s.run(c.CallParticipant(encounter_id, "Room 1"), dr)
    s.run(c.StartEncounter(encounter_id), dr)


def done(s: Session, encounter_id: str, dr: Actor) -> None:
    s.run(c.CompleteEncounter(encounter_id), dr)


def test_one_encounter_running_long_re_forms_the_plan_and_warns_while_time_remains() -> None:
    # 12 patients, 2 clinicians, 7-minute estimates, 50 minutes: it fits, until Dr 1's first runs 20 minutes.
    s, ids = queued(NAMES, minutes=50)
    s.tick(5)
    see(s, ids[0], DR1)
    see(s, ids[1], DR2)
    at_start = plan(s.state, s.now)
    assert at_start.minutes == PlannerSettings().minutes_per_patient
    assert at_start.does_not_fit == ()
    assert [m.clinician_id for m in at_start.clinicians] == [DR1.id, DR2.id]
    first_warning, last_call = None, {s.encounter_id: s.start for s in at_start.slots}[ids[11]]
    for minute in range(6, 26):
        s.now = T0 + minute * MINUTE
        if minute in (12, 19):  # Dr 2 keeps to 7 minutes; Dr 1 is still with the first patient
            done(s, ids[minute // 7], DR2)
            see(s, ids[minute // 7 + 1], DR2)
        p = plan(s.state, s.now)
        assert p.clinicians[0].free_at == max(s.now + OVERRUN_MINUTES * MINUTE, T0 + 12 * MINUTE)
        if p.does_not_fit and first_warning is None:
            first_warning = minute
        expected = {s.encounter_id: s.start for s in p.slots}
        if ids[11] in expected:
            assert expected[ids[11]] >= last_call  # the plan re-forms later as the encounter runs on
            last_call = expected[ids[11]]
    assert first_warning is not None and first_warning <= 20  # with half the session still to go
    assert p.does_not_fit and p.shortfall_minutes > 0
    # The staff screen says so as of the last event (Dr 2's call at minute 19), with 31 minutes left.
    warning = view_for(s.state, DR1)["queue"]["plan"]
    assert warning["planned_at"] == T0 + 19 * MINUTE
    assert [row["name"] for row in warning["does_not_fit"]] == ["Lu"]
    assert warning["shortfall_minutes"] == 4


def test_a_flagged_glucose_of_54_goes_first() -> None:
    s, (ann, bob, cy) = queued(["Ann", "Bob", "Cy"])
    s.run(c.RecordNumbers(glucose=54, participant_id=s.state.encounters[cy].participant_id))
    p = plan(s.state, s.now)
    assert [slot.encounter_id for slot in p.slots] == [cy, ann, bob]
    queue = view_for(s.state, DR1)["queue"]
    assert {row["encounter_id"]: row["flags"] for row in queue["waiting"]} == {ann: [], bob: [], cy: ["glucose_low"]}
    assert queue["plan"]["slots"][0]["encounter_id"] == cy


def test_nobody_is_slotted_in_their_top_topic_when_another_choice_exists() -> None:
    s = Session()
    ann, bob, cy, dee = s.join_all("Ann", "Bob", "Cy", "Dee")
    ids = {who.name: s.request_visit(who) for who in (ann, bob, cy, dee)}
    s.open(Phase.AGENDA)
    sleep, food, feet = s.propose("Sleep"), s.propose("Food"), s.propose("Feet")
    s.vote(ann, sleep, 2)
    s.vote(bob, sleep, 1)
    s.vote(bob, food, 2)
    s.vote(cy, food, 1)
    s.vote(dee, feet, 1)
    s.open(Phase.DISCUSSION)  # Sleep (3 votes), then Food, then Feet, 8 minutes each
    assert s.current_topic() == sleep
    p = plan(s.state, s.now, 7)
    by_id = {slot.encounter_id: slot for slot in p.slots}
    # Sleep, now: Cy (no vote on it) and Dee go first; Ann waits for Sleep to end, Bob for Food.
    assert [slot.encounter_id for slot in p.slots] == [ids["Cy"], ids["Dee"], ids["Ann"], ids["Bob"]]
    assert all(slot.conflict != "top_topic" for slot in p.slots)
    assert by_id[ids["Ann"]].start >= s.now + 8 * MINUTE
    assert by_id[ids["Dee"]].conflict is None


def test_when_everyone_is_in_their_top_topic_the_clinician_still_calls_and_sees_why() -> None:
    s = Session(timebox_minutes=25)  # longer than a clinician waits for a topic to end
    ann, bob = s.join_all("Ann", "Bob")
    first = s.request_visit(ann)
    s.request_visit(bob)
    s.open(Phase.AGENDA)
    sleep = s.propose("Sleep")
    s.vote(ann, sleep)
    s.vote(bob, sleep)
    s.open(Phase.DISCUSSION)
    slot = plan(s.state, s.now, 7).slots[0]
    assert (slot.encounter_id, slot.start, slot.conflict) == (first, s.now, "top_topic")


def test_the_median_of_three_completed_encounters_replaces_the_default() -> None:
    s, ids = queued(["Ann", "Bob", "Cy", "Dee"])
    for eid, minutes in zip(ids, (4, 10, 5), strict=False):
        see(s, eid, DR1)
        s.tick(minutes)
        done(s, eid, DR1)
    assert plan(s.state, s.now).minutes == 5


def test_with_nobody_on_duty_one_unnamed_clinician_gives_estimates() -> None:
    s, (ann, bob) = queued(["Ann", "Bob"])
    p: Plan = plan(s.state, s.now)
    assert [(m.clinician_id, m.name) for m in p.clinicians] == [("", "any clinician")]
    assert [slot.start for slot in p.slots] == [s.now, s.now + 7 * MINUTE]


def test_a_patient_sees_only_their_own_estimate_and_the_projector_none() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    s.request_visit(ann)
    s.tick(1)
    s.request_visit(bob)
    visit = view_for(s.state, bob)["me"]["visit"]
    assert (visit["position"], visit["expected_at"], visit["planned_at"]) == (2, s.now + 7 * MINUTE, s.now)
    assert not {"plan", "slots", "does_not_fit"} & keys_in(view_for(s.state, bob))
    assert "Ann" not in str(view_for(s.state, bob)["me"])
    assert not {"plan", "expected_at", "flags", "does_not_fit"} & keys_in(view_for(s.state, PROJECTOR))
    assert "plan" in view_for(s.state, FACILITATOR)["queue"]


def test_a_plan_refuses_minutes_of_zero_or_less_and_an_empty_team_naming_what_was_wrong() -> None:
    s, _ = queued(["Ann"])
    with pytest.raises(ValueError, match="minutes per patient"):
        plan(s.state, s.now, 0)
    with pytest.raises(ValueError, match="at least one clinician"):
        plan(s.state, s.now, 7, [])
