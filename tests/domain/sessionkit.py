"""A test builder for one session: its state, its event log and a fake clock.

`Session.run` decides a command and folds the events into the live state, keeping the
log; `Session.refuse` asserts a command is refused (with a code) and changes nothing.
Helpers for the common moves (join, propose, vote, ...) keep the tests short.
"""

import copy
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import pytest

from groupvisit.domain import Actor, Phase, Refused, Role, SessionState, apply, decide
from groupvisit.domain import commands as c
from groupvisit.domain.events import (Event, ParticipantJoined, SessionScheduled, StrategyCaptured, TopicProposed,
                                      VisitRequested)
from groupvisit.domain.history import Continuity, HeldSession, RosterEntry, continuity
from groupvisit.domain.settings import PlannerSettings

T0 = 1_700_000_000.0  # the session's starts_at
MONTH = 28 * 86400.0

FACILITATOR = Actor(Role.FACILITATOR, "f1", "Fran")
PROJECTOR = Actor(Role.PROJECTOR, "", "Wall")
NEWCOMER = Actor(Role.PARTICIPANT)  # a participant's device before it has checked in

E = TypeVar("E", bound=Event)


def only(events: list[Event], kind: type[E]) -> E:
    """The one event of `kind` among `events`."""
    (found,) = [e for e in events if isinstance(e, kind)]
    return found


def clinician(n: int = 1) -> Actor:
    return Actor(Role.CLINICIAN, f"c{n}", f"Dr {n}")


class Session:
    """One scheduled session, driven command by command against a fake clock."""

    def __init__(self, *, minutes: int = 120, vote_budget: int = 3, timebox_minutes: int = 8,
                 goals_minutes: int = 15, wrapup_minutes: int = 5, session_id: str = "s1", starts_at: float = T0,
                 cohort: Continuity | None = None, planner: PlannerSettings = PlannerSettings()) -> None:
        self.now = starts_at
        self.state = SessionState()
        self.state.continuity = cohort  # as the I/O layer sets it when it loads a session of a cohort
        self.log: list[Event] = []
        self.record([SessionScheduled(session_id, "Living with diabetes", "Tuesday group", starts_at,
                                      starts_at + minutes * 60, "JOIN42", vote_budget, timebox_minutes,
                                      goals_minutes, wrapup_minutes, **planner.to_dict())])

    # --- the two primitives ---------------------------------------------------------

    def record(self, events: list[Event]) -> list[Event]:
        for event in events:
            apply(self.state, event)
        self.log.extend(events)
        return events

    def run(self, command: c.Command, actor: Actor = FACILITATOR) -> list[Event]:
        return self.record(decide(self.state, command, actor, self.now))

    def refuse(self, command: c.Command, actor: Actor = FACILITATOR, code: str | None = None) -> Refused:
        """Assert `command` is refused (with `code`, if given) and leaves state and log as they were."""
        before, log_length = copy.deepcopy(self.state), len(self.log)
        with pytest.raises(Refused) as info:
            self.run(command, actor)
        if code is not None:
            assert info.value.code == code, info.value.reason
        assert self.state == before
        assert len(self.log) == log_length
        return info.value

    def tick(self, minutes: float = 1) -> None:
        self.now += minutes * 60

    # --- common moves ---------------------------------------------------------------

    def join(self, name: str) -> Actor:
        """Check `name` in from their own device; their actor from then on."""
        joined = only(self.run(c.Join(name), NEWCOMER), ParticipantJoined)
        return Actor(Role.PARTICIPANT, joined.participant_id, name)

    def join_all(self, *names: str) -> list[Actor]:
        return [self.join(name) for name in names]

    def open(self, phase: Phase, confirm: bool = True) -> list[Event]:
        """Move on to `phase`, confirming that undiscussed topics are skipped (unless told not to)."""
        return self.run(c.OpenPhase(phase.value, confirm))

    def propose(self, title: str, by: Actor = FACILITATOR, anonymous: bool = False) -> str:
        return only(self.run(c.ProposeTopic(title, anonymous), by), TopicProposed).topic_id

    def vote(self, voter: Actor, topic_id: str, times: int = 1) -> None:
        for _ in range(times):
            self.run(c.CastVote(topic_id), voter)

    def request_visit(self, who: Actor, text: str = "my feet") -> str:
        return only(self.run(c.RequestVisit(text), who), VisitRequested).encounter_id

    def capture(self, text: str, by: Actor = FACILITATOR, anonymous: bool = False, participant_id: str = "") -> str:
        return only(self.run(c.CaptureStrategy(text, anonymous, participant_id), by), StrategyCaptured).strategy_id

    def set_goal(self, who: Actor, what: str = "walk", confidence: int = 8, shared: bool = False) -> None:
        self.run(c.SetGoal(what, "20 minutes", "after dinner", "5 days a week", confidence, shared), who)

    def match(self, who: Actor, patient_id: str) -> None:
        self.run(c.MatchParticipant(who.id, patient_id))

    def held(self, cancelled: bool = False) -> HeldSession:
        """This session as the cohort's history sees it."""
        return HeldSession(self.state.session_id, self.state.starts_at, self.state.ends_at, cancelled,
                           copy.deepcopy(self.state))

    def current_topic(self) -> str | None:
        item = self.state.current_item()
        return item.topic_id if item else None


def patient(patient_id: str, display_name: str, clinic_name: str = "", agreement_signed: bool = True,
            language: str = "en") -> RosterEntry:
    return RosterEntry(patient_id, display_name, clinic_name or display_name, language, agreement_signed)


# A cohort's roster: display names as the room knows them, clinic names as the chart does.
ROSTER = [patient("pat1", "Ann", "Ann Lee"), patient("pat2", "Bob", "Robert Diaz"),
          patient("pat3", "Cy", "Cyrus Moss", agreement_signed=False), patient("pat4", "Dee", "Deirdre Kahn")]


def cohort_session(earlier: Sequence[Session] = (), roster: list[RosterEntry] | None = None,
                   **options: Any) -> Session:
    """A session of the cohort of `roster` (`ROSTER` unless given), the month after the last of `earlier`."""
    starts_at = max((e.state.starts_at for e in earlier), default=T0 - MONTH) + MONTH
    return Session(session_id=f"s{len(earlier) + 1}", starts_at=starts_at,
                   cohort=continuity(ROSTER if roster is None else roster, [e.held() for e in earlier]), **options)


def walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any, Any]]:
    """Every (path, key, value) in a JSON-like tree; key is None for list items and the root."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield f"{path}.{key}", key, child
            yield from walk(child, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for n, child in enumerate(value):
            yield f"{path}[{n}]", None, child
            yield from walk(child, f"{path}[{n}]")


def strings_in(value: Any) -> list[str]:
    return [v for _, _, v in walk(value) if isinstance(v, str)]


def keys_in(value: Any) -> set[str]:
    return {k for _, k, _ in walk(value) if k is not None}


# One valid-looking instance of every command type, for tests that sweep them all.
SAMPLE_COMMANDS: dict[type[c.Command], c.Command] = {
    c.Join: c.Join("Ann"),
    c.RenameParticipant: c.RenameParticipant("Ann B.", "p1"),
    c.MarkParticipant: c.MarkParticipant("left", "p1"),
    c.OpenPhase: c.OpenPhase("agenda"),
    c.SetVoteBudget: c.SetVoteBudget(3),
    c.RecordNumbers: c.RecordNumbers(bp_systolic=128, bp_diastolic=82, participant_id="p1"),
    c.RequestVisit: c.RequestVisit("my feet", participant_id="p1"),
    c.ProposeTopic: c.ProposeTopic("Eating out"),
    c.EditTopic: c.EditTopic("t1", "Eating out with friends"),
    c.HideTopic: c.HideTopic("t1"),
    c.MergeTopics: c.MergeTopics("t1", "t2"),
    c.CastVote: c.CastVote("t1"),
    c.RetractVote: c.RetractVote("t1"),
    c.NextTopic: c.NextTopic(),
    c.ExtendTopic: c.ExtendTopic(),
    c.RoomVote: c.RoomVote("keep_going"),
    c.CaptureStrategy: c.CaptureStrategy("Park further away"),
    c.EditStrategy: c.EditStrategy("s1", "Park further away from the door"),
    c.HideStrategy: c.HideStrategy("s1"),
    c.MarkHelpful: c.MarkHelpful("s1"),
    c.CallParticipant: c.CallParticipant("e1", "room 2"),
    c.StartEncounter: c.StartEncounter("e1"),
    c.CompleteEncounter: c.CompleteEncounter("e1", "ok"),
    c.NotHere: c.NotHere("e1"),
    c.SkipEncounter: c.SkipEncounter("e1"),
    c.UndoEncounter: c.UndoEncounter("e1"),
    c.WithdrawRequest: c.WithdrawRequest(participant_id="p1"),
    c.SetGoal: c.SetGoal("walk", "20 minutes", "after dinner", "5 days a week", 8),
    c.ShareGoal: c.ShareGoal(True),
    c.GiveEvaluation: c.GiveEvaluation(5),
    c.CloseSession: c.CloseSession(),
    c.MatchParticipant: c.MatchParticipant("p1", "pat1"),
    c.GiveFollowUp: c.GiveFollowUp("done"),
    c.MarkTried: c.MarkTried("s1", True),
    c.BringStrategy: c.BringStrategy("s0:s1"),
    c.Reschedule: c.Reschedule(T0 + 86400, T0 + 86400 + 7200),
    c.CancelSession: c.CancelSession("the room flooded"),
    c.GoOnDuty: c.GoOnDuty(T0 + 3600),
    c.GoOffDuty: c.GoOffDuty(),
    c.SetEstimate: c.SetEstimate("e1", 10),
    c.MoveUp: c.MoveUp("e1"),
    c.CosignChartNote: c.CosignChartNote("p1"),
    c.WithdrawCosign: c.WithdrawCosign("p1"),
}


def actor_allowed(command_type: type[c.Command]) -> Actor:
    """Some actor whose role may send `command_type` (a participant when they may)."""
    if Role.PARTICIPANT in command_type.roles:
        return Actor(Role.PARTICIPANT, "p1", "Ann")
    if Role.FACILITATOR in command_type.roles:
        return FACILITATOR
    return clinician()
