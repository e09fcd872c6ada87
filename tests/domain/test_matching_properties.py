"""Invariants of roster matching and follow-ups under generated command sequences.

Whatever the facilitator matches, corrects and marks, in any order: one roster patient is at most one
participant of the session, never two; a follow-up is only ever given for a matched patient with a last
goal; and no participant, nor the projector, ever sees another patient's last goal or follow-up.
"""

import copy

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from groupvisit.domain import Actor, Phase, Refused, Role, decide, replay
from groupvisit.domain import commands as c
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, NEWCOMER, PROJECTOR, ROSTER, Session, cohort_session, strings_in

PATIENTS = [entry.patient_id for entry in ROSTER]


def goal_of(patient_id: str) -> str:
    return f"GOAL-{patient_id}"


def obstacle_of(participant_id: str) -> str:
    return f"OBSTACLE-{participant_id}"


def last_month() -> Session:
    """Every roster patient but the last came and set a goal naming them."""
    s = cohort_session()
    people = [(s.join(entry.display_name), entry.patient_id) for entry in ROSTER[:-1]]
    for who, patient_id in people:
        s.match(who, patient_id)
    s.open(Phase.GOALS)
    for who, patient_id in people:
        s.set_goal(who, what=goal_of(patient_id))
    s.run(c.CloseSession())
    return s


LAST_MONTH = last_month()


class Matching(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.s = cohort_session([LAST_MONTH])
        self.accepted = 0

    def attempt(self, command: c.Command, actor: Actor = FACILITATOR) -> None:
        before = copy.deepcopy(self.s.state)
        try:
            events = decide(self.s.state, command, actor, self.s.now)
        except Refused as refused:
            assert refused.code and self.s.state == before
            return
        self.s.record(events)
        self.accepted += 1

    def participant(self, n: int) -> str:
        ids = list(self.s.state.participants)
        return ids[n % len(ids)] if ids else "p1"

    @rule(name=st.sampled_from(["Ann", "Bob", "Cy", "Dee", "Annie", "Bobby", "Eve"]))
    def join(self, name: str) -> None:
        self.attempt(c.Join(name), NEWCOMER)

    @rule(n=st.integers(0, 9), patient_id=st.sampled_from([*PATIENTS, "", "pat9"]))
    def match(self, n: int, patient_id: str) -> None:
        self.attempt(c.MatchParticipant(self.participant(n), patient_id))

    @rule(n=st.integers(0, 9), status=st.sampled_from(["present", "left", "mistake"]))
    def mark(self, n: int, status: str) -> None:
        self.attempt(c.MarkParticipant(status, self.participant(n)))

    @rule(n=st.integers(0, 9), outcome=st.sampled_from(["done", "partly", "not_yet"]), own=st.booleans())
    def follow_up(self, n: int, outcome: str, own: bool) -> None:
        pid = self.participant(n)
        actor = Actor(Role.PARTICIPANT, pid, "") if own else FACILITATOR
        self.attempt(c.GiveFollowUp(outcome, obstacle_of(pid), "" if own else pid), actor)

    @invariant()
    def one_patient_is_never_two_participants(self) -> None:
        matched = [p.patient_id for p in self.s.state.participants.values() if p.patient_id]
        assert len(matched) == len(set(matched)), matched

    @invariant()
    def follow_ups_are_only_for_matched_patients_with_a_last_goal(self) -> None:
        cohort = self.s.state.continuity
        assert cohort is not None
        for pid, given in self.s.state.follow_ups.items():
            patient_id = self.s.state.participants[pid].patient_id
            assert patient_id and patient_id in cohort.last_goals
            assert given.goal_session_id == cohort.last_goals[patient_id].session_id

    @invariant()
    def nobody_sees_anothers_last_goal_or_follow_up(self) -> None:
        state = self.s.state
        markers = {goal_of(p) for p in PATIENTS} | {obstacle_of(pid) for pid in state.participants}
        assert not markers & set(strings_in(view_for(state, PROJECTOR)))
        for person in state.participants.values():
            own = {goal_of(person.patient_id), obstacle_of(person.id)} if person.patient_id else set()
            seen = markers & set(strings_in(view_for(state, Actor(Role.PARTICIPANT, person.id, person.name))))
            assert seen <= own, (person.id, seen)

    @invariant()
    def the_log_replays_to_the_state(self) -> None:
        assert replay(self.s.log) == self.s.state


def test_matching_and_follow_ups_keep_their_invariants_under_any_sequence() -> None:
    run_state_machine_as_test(Matching, settings=settings(max_examples=60, stateful_step_count=40, deadline=None,
                                                          database=None,
                                                          suppress_health_check=[HealthCheck.too_slow]))
