"""Invariants of the rules under generated command sequences.

Two hypothesis state machines stress the agenda (vote budgets, merges) and the queue (one
active encounter each); a generated whole session walks every phase with any command.
Every command goes through `CheckedSession.attempt`, which asserts each time that `decide`
leaves the state it is given untouched (compared with a deep copy, also when it refuses),
that a refused command emits nothing (log and state stay as they were), that `decide`
fails only with `Refused`, and that replaying the log gives exactly the live state.

Moves mostly pick ids that exist and a fitting actor (`pick`), so that runs get far into a
session; some send arbitrary ids and commands, to exercise the refusals too.
"""

import copy
import json
from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from groupvisit.domain import Actor, Phase, Refused, Role, SessionState, decide, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import Event, event_from_dict
from groupvisit.domain.history import continuity
from groupvisit.domain.views import view_for, visible_event
from sessionkit import FACILITATOR, MONTH, NEWCOMER, PROJECTOR, ROSTER, T0, Session, clinician, cohort_session, keys_in

PARTICIPANTS = [Actor(Role.PARTICIPANT, f"p{n}", name) for n, name in enumerate(("Ann", "Bob", "Cy"), start=1)]
CLINICIANS = [clinician(n) for n in (1, 2, 3)]
ACTORS = [*PARTICIPANTS, NEWCOMER, FACILITATOR, *CLINICIANS, PROJECTOR]

participants = st.sampled_from(PARTICIPANTS)
clinicians = st.sampled_from(CLINICIANS)
topic_ids = st.sampled_from([f"t{n}" for n in range(1, 7)])
encounter_ids = st.sampled_from([f"e{n}" for n in range(1, 7)])
participant_ids = st.sampled_from(["", "p1", "p2", "p3", "p9"])
patient_ids = st.sampled_from(["", "pat1", "pat2", "pat3", "pat9"])
titles = st.sampled_from(["Sleep", "sleep ", "Food", "Stress", "Feet", "", "x" * 121])
minutes = st.sampled_from([0, 0.5, 1, 3, 8, 20])
picks = st.integers(0, 60)


def settings_for(examples: int, steps: int) -> settings:
    return settings(max_examples=examples, stateful_step_count=steps, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def pick(options: list[str], n: int, fallback: str) -> str:
    """The `n`th of `options` (wrapping round), or `fallback` when there are none."""
    return options[n % len(options)] if options else fallback


class CheckedSession(Session):
    """A session that checks the rules' contract on every command it is given."""

    def attempt(self, command: c.Command, actor: Actor) -> list[Event] | None:
        """The events `command` caused, or None when it was refused."""
        before, log_length = copy.deepcopy(self.state), len(self.log)
        try:
            events = decide(self.state, command, actor, self.now)
        except Refused as refused:
            assert refused.reason and refused.code
            assert self.state == before, f"decide changed the state while refusing {command}"
            assert len(self.log) == log_length
            return None
        assert self.state == before, f"decide changed the state while deciding {command}"
        assert events, f"{command} was accepted but emitted nothing"
        self.record(events)
        assert replay(self.log) == self.state
        assert self.state.seq == len(self.log)
        return events

    def replays_through_json(self) -> bool:
        stored = [json.loads(json.dumps(e.to_dict())) for e in self.log]
        return replay(event_from_dict(data) for data in stored) == self.state

    def topics(self) -> list[str]:
        return list(self.state.topics)

    def encounters(self, *statuses: str) -> list[str]:
        return [e.id for e in self.state.encounters.values() if e.status in statuses]

    def clinician_step(self, kind: Callable[[str], c.Command], status: str, n: int) -> None:
        """`kind` for an encounter in `status`, from the clinician who called it."""
        chosen = pick(self.encounters(status), n, "e1")
        enc = self.state.encounters.get(chosen)
        doctor = next((d for d in CLINICIANS if enc and d.id == enc.clinician_id), CLINICIANS[0])
        self.attempt(kind(chosen), doctor)


def assert_vote_budgets_kept(state: SessionState) -> None:
    for pid in state.participants:
        assert state.votes_used(pid) <= state.vote_budget, f"{pid} used more than {state.vote_budget} votes"
    for topic in state.topics.values():
        assert all(count > 0 for count in topic.votes.values())
        assert topic.status == "open" or not topic.votes


def assert_one_active_encounter_each(state: SessionState) -> None:
    encounters = state.encounters.values()
    active = [e for e in encounters if e.active]
    assert max(Counter(e.participant_id for e in active).values(), default=0) <= 1
    assert max(Counter(e.clinician_id for e in active).values(), default=0) <= 1
    assert max(Counter(e.participant_id for e in encounters if e.open).values(), default=0) <= 1
    assert all(e.clinician_id for e in active)


class SessionMachine(RuleBasedStateMachine):
    """A checked session with Ann, Bob and Cy checked in, and a clock that moves."""

    vote_budget = 3

    @initialize()
    def setup(self) -> None:
        self.s = CheckedSession(vote_budget=self.vote_budget)
        for actor in PARTICIPANTS:
            self.s.join(actor.name)

    @rule(by=minutes)
    def tick(self, by: float) -> None:
        self.s.tick(by)


# --- the agenda: vote budgets and merges --------------------------------------------

class AgendaMachine(SessionMachine):
    vote_budget = 2  # small, so that runs reach it often

    @initialize()
    def setup(self) -> None:
        super().setup()
        self.s.open(Phase.AGENDA)
        for title in ("Sleep", "Food", "Stress"):
            self.s.propose(title)

    @rule(voter=participants, n=picks, topic_id=topic_ids)
    def cast(self, voter: Actor, n: int, topic_id: str) -> None:
        self.s.attempt(c.CastVote(pick(self.s.topics(), n, topic_id)), voter)

    @rule(voter=participants, n=picks, topic_id=topic_ids)
    def retract(self, voter: Actor, n: int, topic_id: str) -> None:
        voted = [t.id for t in self.s.state.topics.values() if voter.id in t.votes]
        self.s.attempt(c.RetractVote(pick(voted, n, topic_id)), voter)

    @rule(n=picks, m=picks, topic_id=topic_ids)
    def merge(self, n: int, m: int, topic_id: str) -> None:
        state = self.s.state
        source, into = pick(self.s.topics(), n, topic_id), pick(self.s.topics(), m, topic_id)
        total_before = sum(t.total for t in state.open_topics())
        used_before = {pid: state.votes_used(pid) for pid in state.participants}
        expected = sum(state.topics[t].total for t in {source, into} if t in state.topics)
        if self.s.attempt(c.MergeTopics(source, into), FACILITATOR) is not None:
            assert sum(t.total for t in state.open_topics()) == total_before
            assert {pid: state.votes_used(pid) for pid in state.participants} == used_before
            assert state.topics[into].total == expected

    @rule(n=picks, topic_id=topic_ids)
    def hide(self, n: int, topic_id: str) -> None:
        self.s.attempt(c.HideTopic(pick(self.s.topics(), n, topic_id)), FACILITATOR)

    @rule(budget=st.sampled_from([0, 1, 2, 3, 4, 11]))
    def set_budget(self, budget: int) -> None:
        self.s.attempt(c.SetVoteBudget(budget), FACILITATOR)

    @rule(proposer=participants, title=titles, anonymous=st.booleans())
    def propose(self, proposer: Actor, title: str, anonymous: bool) -> None:
        self.s.attempt(c.ProposeTopic(title, anonymous), proposer)

    @invariant()
    def vote_budgets_are_never_exceeded(self) -> None:
        assert_vote_budgets_kept(self.s.state)


def test_vote_budgets_are_never_exceeded_and_merges_conserve_votes() -> None:
    run_state_machine_as_test(AgendaMachine, settings=settings_for(examples=60, steps=35))


# --- the queue: one active encounter each -------------------------------------------

class QueueMachine(SessionMachine):
    @initialize()
    def setup(self) -> None:
        super().setup()
        for actor in PARTICIPANTS:
            self.s.request_visit(actor)

    @rule(doctor=clinicians, n=picks, encounter_id=encounter_ids)
    def call(self, doctor: Actor, n: int, encounter_id: str) -> None:
        self.s.attempt(c.CallParticipant(pick(self.s.encounters("waiting"), n, encounter_id), "Room 1"), doctor)

    @rule(n=picks)
    def start(self, n: int) -> None:
        self.s.clinician_step(c.StartEncounter, "called", n)

    @rule(n=picks)
    def complete(self, n: int) -> None:
        self.s.clinician_step(c.CompleteEncounter, "in_progress", n)

    @rule(n=picks)
    def not_here(self, n: int) -> None:
        self.s.clinician_step(c.NotHere, "called", n)

    @rule(staff=st.sampled_from([FACILITATOR, *CLINICIANS]), n=picks, encounter_id=encounter_ids)
    def skip(self, staff: Actor, n: int, encounter_id: str) -> None:
        self.s.attempt(c.SkipEncounter(pick(self.s.encounters("waiting"), n, encounter_id)), staff)

    @rule(doctor=clinicians, encounter_id=encounter_ids,
          kind=st.sampled_from([c.CallParticipant, c.StartEncounter, c.CompleteEncounter, c.NotHere]))
    def any_step(self, doctor: Actor, encounter_id: str, kind: type[c.CallParticipant]) -> None:
        self.s.attempt(kind(encounter_id), doctor)

    @rule(who=participants, text=st.sampled_from(["my feet", "my meds", ""]))
    def request_visit(self, who: Actor, text: str) -> None:
        self.s.attempt(c.RequestVisit(text), who)

    @invariant()
    def at_most_one_active_encounter_per_participant_and_per_clinician(self) -> None:
        assert_one_active_encounter_each(self.s.state)


def test_at_most_one_active_encounter_per_participant_and_per_clinician() -> None:
    run_state_machine_as_test(QueueMachine, settings=settings_for(examples=60, steps=35))


# --- a whole session: every phase, any command ---------------------------------------

def maybe(values: list[int] | list[float]) -> st.SearchStrategy[int | float | None]:
    return st.none() | st.sampled_from(values)


ANY_COMMAND: st.SearchStrategy[c.Command] = st.sampled_from([
    st.builds(c.Join, st.sampled_from(["Dee", "ann", "", "E" * 41])),
    st.builds(c.OpenPhase, st.sampled_from([p.value for p in Phase]), st.booleans()),
    st.builds(c.RenameParticipant, st.sampled_from(["Dee", "Bob", "Аnn", ""]), participant_ids),
    st.builds(c.MarkParticipant, st.sampled_from(["present", "left", "mistake", "gone"]), participant_ids),
    st.builds(c.EditStrategy, st.sampled_from(["s1", "s2", "s9"]), st.sampled_from(["Walk more", ""])),
    st.builds(c.HideStrategy, st.sampled_from(["s1", "s2", "s9"]), st.booleans()),
    st.builds(c.SetVoteBudget, st.integers(0, 11)),
    st.builds(c.RecordNumbers, bp_systolic=maybe([50, 128, 300]), bp_diastolic=maybe([20, 82, 170]),
              weight=maybe([10.0, 80.5, 500.0]), weight_unit=st.sampled_from(["kg", "lb", "st"]),
              glucose=maybe([10, 110, 700]), participant_id=participant_ids),
    st.builds(c.RequestVisit, st.sampled_from(["my feet", ""]), participant_id=participant_ids),
    st.builds(c.ProposeTopic, titles, st.booleans()),
    st.builds(c.EditTopic, topic_ids, titles),
    st.builds(c.HideTopic, topic_ids),
    st.builds(c.MergeTopics, topic_ids, topic_ids),
    st.builds(c.CastVote, topic_ids),
    st.builds(c.RetractVote, topic_ids),
    st.just(c.NextTopic()),
    st.just(c.ExtendTopic()),
    st.builds(c.RoomVote, st.sampled_from(["keep_going", "move_on", "stay"])),
    st.builds(c.CaptureStrategy, st.sampled_from(["Walk with a friend", ""]), st.booleans(), participant_ids),
    st.builds(c.MarkHelpful, st.sampled_from(["s1", "s2", "s3"])),
    st.builds(c.CallParticipant, encounter_ids, st.sampled_from(["", "room 2"])),
    st.builds(c.StartEncounter, encounter_ids),
    st.builds(c.CompleteEncounter, encounter_ids, st.sampled_from(["", "refill"])),
    st.builds(c.NotHere, encounter_ids),
    st.builds(c.SkipEncounter, encounter_ids),
    st.builds(c.UndoEncounter, encounter_ids),
    st.builds(c.WithdrawRequest, participant_ids),
    st.builds(c.SetGoal, st.just("walk"), st.just("20 minutes"), st.just("after dinner"),
              st.sampled_from(["daily", ""]), st.integers(-1, 11), st.booleans()),
    st.builds(c.ShareGoal, st.booleans()),
    st.builds(c.GiveEvaluation, st.integers(0, 6), st.just("stories"), st.just("")),
    st.builds(c.CloseSession, st.booleans()),
    st.builds(c.MatchParticipant, participant_ids, patient_ids),
    st.builds(c.GiveFollowUp, st.sampled_from(["done", "partly", "not_yet", "maybe"]), st.just("rain"),
              participant_ids),
    st.builds(c.MarkTried, st.sampled_from(["s1", "s2", "s9"]), st.booleans()),
    st.builds(c.BringStrategy, st.sampled_from(["s1:s1", "s1:s2", "s1:s9"])),
    st.builds(c.Reschedule, st.sampled_from([T0, T0 + MONTH]), st.sampled_from([T0 + MONTH + 7200, T0])),
    st.builds(c.CancelSession, st.just("snow")),
]).flatmap(lambda strategy: strategy)  # each kind of command equally likely, not the first one most


def with_actor(command: c.Command) -> st.SearchStrategy[tuple[c.Command, Actor]]:
    """The command with an actor whose role may send it (role refusals have their own tests)."""
    allowed = [actor for actor in ACTORS if actor.role in command.roles]
    return st.tuples(st.just(command), st.sampled_from(allowed))


def participant_move(s: CheckedSession, who: Actor, n: int) -> None:
    """Something a participant would do in the current phase, on an existing topic or strategy."""
    topic_id = pick([t.id for t in s.state.open_topics()], n, "t1")
    mine = [t.id for t in s.state.open_topics() if who.id in t.votes]
    strategy_id = pick(list(s.state.strategies), n, "s1")
    item = s.state.current_item()
    time_up = item is not None and item.ends_at is not None and s.now >= item.ends_at
    goal = c.SetGoal("walk", "20 minutes", "after dinner", "daily", n % 11, n % 3 == 0)
    plausible: dict[Phase, list[c.Command]] = {
        Phase.CHECK_IN: [c.RecordNumbers(bp_systolic=100 + n, bp_diastolic=70), c.RequestVisit(f"question {n}"),
                         c.ProposeTopic(f"Topic {n % 7}", n % 2 == 0),
                         c.GiveFollowUp(("done", "partly", "not_yet")[n % 3], f"rain {n}")],
        Phase.AGENDA: [c.ProposeTopic(f"Topic {n % 7}", n % 2 == 0), c.CastVote(topic_id), c.CastVote(topic_id)] + [
            c.RetractVote(pick(mine, n, topic_id))] * bool(mine),
        Phase.DISCUSSION: [c.RoomVote("move_on" if n % 2 else "keep_going")] * (3 if time_up else 0) + [
            c.CaptureStrategy(f"Strategy {n}", n % 2 == 0), c.MarkHelpful(strategy_id),
            c.MarkTried(strategy_id, n % 3 > 0)],
        Phase.GOALS: [goal, c.ShareGoal(n % 2 == 1), c.MarkHelpful(strategy_id)],
        Phase.WRAP_UP: [c.GiveEvaluation(1 + n % 5, "stories"), goal, c.ShareGoal(n % 2 == 1)],
        Phase.CLOSED: [c.CastVote(topic_id)],
    }
    choices = plausible[s.state.phase]
    s.attempt(choices[n % len(choices)], who)


def facilitator_move(s: CheckedSession, n: int) -> None:
    """What the facilitator would do in the current phase: moderate the board, run the discussion."""
    topic_id, other_id = pick(s.topics(), n, "t1"), pick(s.topics(), n + 1, "t2")
    capture = c.CaptureStrategy(f"Tip {n}", participant_id=f"p{1 + n % 3}")
    early: list[c.Command] = [c.MergeTopics(topic_id, other_id), c.HideTopic(topic_id), c.SetVoteBudget(1 + n % 5),
                              c.EditTopic(topic_id, f"Topic {n % 9}")]
    plausible: dict[Phase, list[c.Command]] = {
        Phase.CHECK_IN: early,
        Phase.AGENDA: early,
        Phase.DISCUSSION: [c.NextTopic(), c.ExtendTopic(), c.ExtendTopic(), capture],
    }
    choices = plausible.get(s.state.phase, [capture, c.EditTopic(topic_id, f"Topic {n % 9}")])
    strategy_id = pick(list(s.state.strategies), n, "s1")
    roster: list[c.Command] = [c.MarkParticipant(("present", "left", "mistake")[n % 3], f"p{1 + n % 3}"),
                               c.RenameParticipant(f"Name {n % 5}", f"p{1 + n % 3}"),
                               c.HideStrategy(strategy_id, n % 2 == 0), c.EditStrategy(strategy_id, f"Tip {n}!"),
                               c.MatchParticipant(f"p{1 + n % 3}", ("", "pat1", "pat2", "pat3", "pat4")[n % 5]),
                               c.BringStrategy(f"s1:s{1 + n % 2}")]
    choices = choices + roster
    s.attempt(choices[n % len(choices)], FACILITATOR)


def queue_move(s: CheckedSession, doctor: Actor, n: int) -> None:
    """A clinician calls someone waiting, or moves on an encounter of theirs."""
    if n % 4 == 0:
        s.attempt(c.CallParticipant(pick(s.encounters("waiting"), n, "e1"), "Room 1"), doctor)
    else:
        kind, status = [(c.StartEncounter, "called"), (c.CompleteEncounter, "in_progress"),
                        (c.NotHere, "called")][n % 4 - 1]
        s.clinician_step(kind, status, n)


def time_passes(s: CheckedSession, n: int) -> None:
    """A few minutes pass; in discussion, often just until the current topic's time runs out."""
    item = s.state.current_item()
    if item is not None and item.ends_at is not None and n % 2 == 0:
        s.now = max(s.now, item.ends_at)
    else:
        s.tick(n % 12)


MOVE_KINDS = ["participant", "participant", "facilitator", "queue", "queue", "tick", "tick", "any"]
MOVES = st.tuples(st.sampled_from(MOVE_KINDS), participants, clinicians, picks)
PLAN = [Phase.CHECK_IN, Phase.AGENDA, Phase.DISCUSSION, Phase.GOALS, Phase.WRAP_UP, Phase.CLOSED]
MOST_MOVES = {Phase.CHECK_IN: 8, Phase.AGENDA: 12, Phase.DISCUSSION: 20, Phase.GOALS: 10, Phase.WRAP_UP: 8}


def assert_counts_hold_only_people_really_there(state: SessionState) -> None:
    """Nobody checked in by mistake is counted, listed, queued or holds a vote; nobody gone home is 'here'."""
    mistaken = {p.id for p in state.participants.values() if p.status == "mistake"}
    gone = {p.id for p in state.participants.values() if p.status == "left"}
    staff, wall = view_for(state, FACILITATOR), view_for(state, PROJECTOR)
    assert staff["attendance"] == {"here": len(state.participants) - len(mistaken) - len(gone),
                                   "took_part": len(state.participants) - len(mistaken)}
    assert {p["id"] for p in wall["participants"]}.isdisjoint(mistaken)
    assert all(pid not in mistaken | gone for pid in (e["participant_id"] for e in staff["queue"]["waiting"]))
    assert all(not (mistaken & set(t.votes)) for t in state.open_topics())
    for who in PARTICIPANTS:
        assert view_for(state, who)["participant_count"] == staff["attendance"]["here"]
    hidden = {sid for sid, strategy in state.strategies.items() if strategy.hidden}
    assert {r["id"] for r in wall["strategies"]}.isdisjoint(hidden)


def assert_one_participant_per_patient(state: SessionState) -> None:
    matched = [p.patient_id for p in state.participants.values() if p.patient_id]
    assert len(matched) == len(set(matched)), matched


def first_month() -> Session:
    """The cohort's first session: Ann and Bob set goals; two strategies for its library."""
    s = cohort_session()
    ann, bob = s.join_all("Ann", "Bob")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.capture("Walk after dinner", by=ann)
    s.capture("Water, not soda", by=bob)
    s.open(Phase.GOALS)
    s.set_goal(ann)
    s.set_goal(bob)
    s.run(c.CloseSession())
    return s


FIRST_MONTH = first_month()


def assert_projector_sees_nothing_private(s: CheckedSession) -> None:
    projector = view_for(s.state, PROJECTOR)
    assert not {"people", "queue", "me", "numbers", "request", "note", "goal", "evaluation", "roster", "follow_ups",
                "library", "prior", "follow_up", "suggestions"} & keys_in(projector)


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_replay_equals_live_state_and_decide_is_pure_through_a_whole_session(data: st.DataObject) -> None:
    """Each phase gets a few moves (mostly what that phase invites, sometimes any command at all),
    then the facilitator opens the next; finally the session is closed. Every command is checked
    by `attempt`; the invariants after every move; replay through JSON and all views at the end.
    The session is the second of a cohort, so that matching, follow-ups and the library are in play."""
    s = CheckedSession(session_id="s2", starts_at=T0 + MONTH, cohort=continuity(ROSTER, [FIRST_MONTH.held()]))
    for name in ("Ann", "Bob", "Cy"):
        s.request_visit(s.join(name))
    for title in ("Sleep", "Food"):
        s.propose(title)
    for planned, following in zip(PLAN, PLAN[1:]):  # planned: the phase the room should be in by now
        moves = data.draw(st.lists(MOVES, min_size=2, max_size=MOST_MOVES[planned]), label=planned.label)
        for kind, who, doctor, n in moves:
            if kind == "participant":
                participant_move(s, who, n)
            elif kind == "facilitator":
                facilitator_move(s, n)
            elif kind == "queue":
                queue_move(s, doctor, n)
            elif kind == "tick":
                time_passes(s, n)
            else:
                s.attempt(*data.draw(ANY_COMMAND.flatmap(with_actor)))
            assert_vote_budgets_kept(s.state)
            assert_one_active_encounter_each(s.state)
            assert_counts_hold_only_people_really_there(s.state)
            assert_one_participant_per_patient(s.state)
        assert_projector_sees_nothing_private(s)
        s.attempt(c.CloseSession(confirm=True) if following is Phase.CLOSED else c.OpenPhase(following.value, True),
                  FACILITATOR)
    assert s.replays_through_json()
    assert all(visible_event(e, PROJECTOR) is None for e in s.log if e.audience == "private")
    for viewer in ACTORS:
        json.dumps(view_for(s.state, viewer))
