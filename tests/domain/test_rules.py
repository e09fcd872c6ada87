"""Dispatch: who may send what, the closed session, and wrong-phase messages."""

import copy

import pytest

from groupvisit.domain import Actor, Phase, Refused, Role, decide
from groupvisit.domain import commands as c
from groupvisit.domain.events import EVENT_TYPES
from groupvisit.domain.phases import OPEN
from groupvisit.domain.rules import APPLIERS, DECIDERS, role_refusal
from sessionkit import FACILITATOR, SAMPLE_COMMANDS, Session, actor_allowed

ROLE_ACTORS = {
    Role.FACILITATOR: FACILITATOR,
    Role.CLINICIAN: Actor(Role.CLINICIAN, "c1", "Dr 1"),
    Role.PARTICIPANT: Actor(Role.PARTICIPANT, "p1", "Ann"),
    Role.PROJECTOR: Actor(Role.PROJECTOR),
}
PHASED = [command_type for command_type in SAMPLE_COMMANDS if OPEN - command_type.phases]
FORBIDDEN = [(command_type, role) for command_type in SAMPLE_COMMANDS for role in Role
             if role not in command_type.roles]


def test_every_command_and_event_type_is_dispatched() -> None:
    assert set(DECIDERS) == set(c.COMMAND_TYPES.values()) == set(SAMPLE_COMMANDS)
    assert set(APPLIERS) == set(EVENT_TYPES.values())


def test_the_projector_may_send_nothing() -> None:
    assert all(Role.PROJECTOR not in command_type.roles for command_type in SAMPLE_COMMANDS)


@pytest.mark.parametrize(("command_type", "role"), FORBIDDEN, ids=lambda v: getattr(v, "name", str(v)))
def test_a_role_not_allowed_a_command_is_refused(command_type: type[c.Command], role: Role) -> None:
    s = Session()
    refused = s.refuse(SAMPLE_COMMANDS[command_type], ROLE_ACTORS[role], code="forbidden")
    assert refused.reason == f"a {role.value} cannot {command_type.name.replace('_', ' ')}"


@pytest.mark.parametrize("role", list(Role))
def test_role_refusal_needs_only_the_command_and_the_role_and_is_what_decide_refuses_with(role: Role) -> None:
    """The edge refuses with `role_refusal` before any lock or database read: it must say what `decide` says."""
    for command_type, command in SAMPLE_COMMANDS.items():
        refusal = role_refusal(command, role)
        assert (refusal is None) == (role in command_type.roles), command_type.name
        if refusal is not None:
            decided = Session().refuse(command, ROLE_ACTORS[role], code="forbidden")
            assert (refusal.code, refusal.reason) == (decided.code, decided.reason)


@pytest.mark.parametrize(("command", "role"), [
    (c.OpenPhase("agenda"), Role.PARTICIPANT),
    (c.CallParticipant("e1", "Room 1"), Role.FACILITATOR),
    (c.ProposeTopic("Sleep"), Role.CLINICIAN),
    (c.CastVote("t1"), Role.FACILITATOR),
])
def test_typical_role_refusals(command: c.Command, role: Role) -> None:
    Session().refuse(command, ROLE_ACTORS[role], code="forbidden")


def test_the_role_is_checked_before_the_closed_session() -> None:
    s = Session()
    s.run(c.CloseSession())
    s.refuse(c.OpenPhase("agenda"), ROLE_ACTORS[Role.PARTICIPANT], code="forbidden")


@pytest.mark.parametrize("command", [c.CastVote("t1"), c.RetractVote("t1")])
def test_voting_before_the_agenda_phase_has_not_opened_yet(command: c.Command) -> None:
    s = Session()
    ann = s.join("Ann")
    s.propose("Sleep")
    refused = s.refuse(command, ann, code="wrong_phase")
    assert refused.reason == "voting has not opened yet"


@pytest.mark.parametrize("phase", [Phase.DISCUSSION, Phase.GOALS, Phase.WRAP_UP])
@pytest.mark.parametrize("command", [c.CastVote("t1"), c.RetractVote("t1")])
def test_voting_after_the_agenda_phase_is_closed(command: c.Command, phase: Phase) -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.AGENDA)
    s.vote(ann, s.propose("Sleep"))
    s.open(phase)
    refused = s.refuse(command, ann, code="wrong_phase")
    assert refused.reason == "voting is closed"


def test_proposing_after_the_agenda_is_set_says_so() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.DISCUSSION)
    refused = s.refuse(c.ProposeTopic("Sleep"), ann, code="wrong_phase")
    assert refused.reason == "the agenda is set: new topics can no longer be proposed"


def test_other_wrong_phase_messages_name_the_allowed_phases_and_the_current_one() -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(c.SetGoal("walk", "20 minutes", "after dinner", "daily", 8), ann, code="wrong_phase")
    assert refused.reason == "set goal is for goals or wrap-up, and the session is in check-in"
    s.open(Phase.DISCUSSION)
    refused = s.refuse(c.SetVoteBudget(4), code="wrong_phase")
    assert refused.reason == "set vote budget is for check-in or agenda setting, and the session is in discussion"


@pytest.mark.parametrize("command_type", PHASED, ids=lambda t: t.name)
def test_commands_outside_their_phases_are_refused(command_type: type[c.Command]) -> None:
    latest_outside = max((p for p in OPEN if p not in command_type.phases), key=lambda p: p.rank)
    s = Session()
    if latest_outside is not Phase.CHECK_IN:
        s.open(latest_outside)
    s.refuse(SAMPLE_COMMANDS[command_type], actor_allowed(command_type), code="wrong_phase")


def busy_session(until: Phase) -> Session:
    """A session with something of everything, in `until`: votes, a topic whose time is up with
    room votes on it, strategies marked helpful, encounters waiting, called and in progress, goals."""
    s = Session()
    ann, bob, cy, dee = s.join_all("Ann", "Bob", "Cy", "Dee")
    s.run(c.RecordNumbers(bp_systolic=130, bp_diastolic=85), ann)
    for who in (ann, bob, cy, dee):
        s.request_visit(who)
    s.open(Phase.AGENDA)
    sleep, food = s.propose("Sleep", by=ann), s.propose("Food", by=bob, anonymous=True)
    s.vote(ann, sleep, times=2)
    s.vote(bob, food)
    s.run(c.CallParticipant("e1", "Room 1"), ROLE_ACTORS[Role.CLINICIAN])
    s.run(c.CallParticipant("e2", "Room 1"), Actor(Role.CLINICIAN, "c2", "Dr 2"))
    s.run(c.StartEncounter("e2"), Actor(Role.CLINICIAN, "c2", "Dr 2"))
    if until.rank >= Phase.DISCUSSION.rank:
        s.open(Phase.DISCUSSION)
        s.run(c.MarkHelpful(s.capture("Walk after dinner", by=cy)), ann)
        s.tick(9)
        s.run(c.RoomVote("keep_going"), ann)
    if until.rank >= Phase.GOALS.rank:
        s.open(Phase.GOALS)
        s.set_goal(ann, shared=True)
    if until is Phase.WRAP_UP:
        s.open(Phase.WRAP_UP)
        s.run(c.GiveEvaluation(4), bob)
    return s


EVERY_KIND_OF_COMMAND: list[c.Command] = [
    *SAMPLE_COMMANDS.values(),
    c.Join("Eve"), c.Join("ann"), c.RequestVisit("more"), c.RecordNumbers(glucose=99),
    c.MergeTopics("t2", "t1"), c.HideTopic("t2"), c.RetractVote("t1"), c.CastVote("t2"), c.SetVoteBudget(1),
    c.RoomVote("move_on"), c.MarkHelpful("s1"), c.CaptureStrategy("Tip", participant_id="p3"),
    c.CallParticipant("e3", "Room 1"), c.StartEncounter("e1"), c.CompleteEncounter("e2", "ok"), c.NotHere("e1"),
    c.SkipEncounter("e4"), c.ShareGoal(False), c.OpenPhase("wrap_up"), c.OpenPhase("discussion"),
]


@pytest.mark.parametrize("phase", [Phase.AGENDA, Phase.DISCUSSION, Phase.GOALS, Phase.WRAP_UP])
def test_decide_never_changes_the_state_it_is_given(phase: Phase) -> None:
    s = busy_session(phase)
    actors = [*ROLE_ACTORS.values(), Actor(Role.PARTICIPANT, "p2", "Bob"), Actor(Role.CLINICIAN, "c2", "Dr 2")]
    decided = 0
    for command in EVERY_KIND_OF_COMMAND:
        for actor in actors:
            before = copy.deepcopy(s.state)
            try:
                decide(s.state, command, actor, s.now)
                decided += 1
            except Refused:
                pass
            assert s.state == before, f"{command} from {actor} changed the state"
    assert decided > 20  # the sweep decides plenty, not only refusals
