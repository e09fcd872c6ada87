"""The session's rules in two functions: `decide` (command -> events) and `apply` (event -> state).

Both are pure and synchronous: no clock, no I/O. `decide` never changes the state it
is given; `apply` folds one event into a state (in place, for speed) and returns it.
"""

from collections.abc import Callable, Iterable
from typing import Any

from . import (agenda, checkin, discussion, duty, evaluation, follow_up, goals, library, lifecycle, matching, notes,
               queue, roster, strategies, undo)
from . import commands as c
from . import events as ev
from .errors import Refused
from .phases import Phase
from .roles import Actor, Role
from .state import SessionState

Decider = Callable[[SessionState, Any, Actor, float], list[ev.Event]]
Applier = Callable[[SessionState, Any], None]

DECIDERS: dict[type[c.Command], Decider] = {
    c.Join: checkin.join,
    c.RenameParticipant: roster.rename_participant,
    c.MarkParticipant: roster.mark_participant,
    c.RecordNumbers: checkin.record_numbers,
    c.RequestVisit: checkin.request_visit,
    c.OpenPhase: lifecycle.open_phase,
    c.CloseSession: lifecycle.close_session,
    c.SetVoteBudget: agenda.set_vote_budget,
    c.ProposeTopic: agenda.propose_topic,
    c.EditTopic: agenda.edit_topic,
    c.HideTopic: agenda.hide_topic,
    c.MergeTopics: agenda.merge_topics,
    c.CastVote: agenda.cast_vote,
    c.RetractVote: agenda.retract_vote,
    c.NextTopic: discussion.next_topic,
    c.ExtendTopic: discussion.extend_topic,
    c.RoomVote: discussion.room_vote,
    c.CaptureStrategy: strategies.capture_strategy,
    c.EditStrategy: strategies.edit_strategy,
    c.HideStrategy: strategies.hide_strategy,
    c.MarkHelpful: strategies.mark_helpful,
    c.CallParticipant: queue.call_participant,
    c.StartEncounter: queue.start_encounter,
    c.CompleteEncounter: queue.complete_encounter,
    c.NotHere: queue.not_here,
    c.SkipEncounter: queue.skip_encounter,
    c.UndoEncounter: undo.undo_encounter,
    c.WithdrawRequest: checkin.withdraw_request,
    c.SetGoal: goals.set_goal,
    c.ShareGoal: goals.share_goal,
    c.GiveEvaluation: evaluation.give_evaluation,
    c.MatchParticipant: matching.match_participant,
    c.GiveFollowUp: follow_up.give_follow_up,
    c.MarkTried: library.mark_tried,
    c.BringStrategy: library.bring_strategy,
    c.Reschedule: lifecycle.reschedule,
    c.CancelSession: lifecycle.cancel_session,
    c.GoOnDuty: duty.go_on_duty,
    c.GoOffDuty: duty.go_off_duty,
    c.SetEstimate: duty.set_estimate,
    c.MoveUp: duty.move_up,
    c.CosignChartNote: notes.cosign_chart_note,
    c.WithdrawCosign: notes.withdraw_cosign,
}

APPLIERS: dict[type[ev.Event], Applier] = {
    ev.SessionScheduled: lifecycle.apply_scheduled,
    ev.PhaseOpened: lifecycle.apply_phase_opened,
    ev.SessionClosed: lifecycle.apply_closed,
    ev.ParticipantJoined: checkin.apply_joined,
    ev.ParticipantRenamed: roster.apply_renamed,
    ev.ParticipantMarked: roster.apply_marked,
    ev.EncounterWithdrawn: roster.apply_withdrawn,
    ev.NumbersRecorded: checkin.apply_numbers,
    ev.VisitRequested: checkin.apply_visit_requested,
    ev.VoteBudgetSet: agenda.apply_budget,
    ev.TopicProposed: agenda.apply_proposed,
    ev.TopicEdited: agenda.apply_edited,
    ev.TopicHidden: agenda.apply_hidden,
    ev.TopicsMerged: agenda.apply_merged,
    ev.VoteCast: agenda.apply_vote_cast,
    ev.VoteRetracted: agenda.apply_vote_retracted,
    ev.AgendaFixed: agenda.apply_agenda_fixed,
    ev.TopicStarted: discussion.apply_started,
    ev.TopicExtended: discussion.apply_extended,
    ev.TopicEnded: discussion.apply_ended,
    ev.RoomVoted: discussion.apply_room_voted,
    ev.StrategyCaptured: strategies.apply_captured,
    ev.StrategyEdited: strategies.apply_edited,
    ev.StrategyHidden: strategies.apply_hidden,
    ev.StrategyMarkedHelpful: strategies.apply_marked_helpful,
    ev.ParticipantCalled: queue.apply_called,
    ev.EncounterStarted: queue.apply_started,
    ev.EncounterCompleted: queue.apply_completed,
    ev.ReturnedToQueue: queue.apply_returned,
    ev.EncounterUndone: undo.apply_undone,
    ev.GoalSet: goals.apply_goal_set,
    ev.GoalShared: goals.apply_goal_shared,
    ev.EvaluationGiven: evaluation.apply_evaluation,
    ev.SessionRescheduled: lifecycle.apply_rescheduled,
    ev.SessionCancelled: lifecycle.apply_cancelled,
    ev.ParticipantMatched: matching.apply_matched,
    ev.FollowUpGiven: follow_up.apply_follow_up,
    ev.StrategyTried: library.apply_tried,
    ev.ClinicianOnDuty: duty.apply_on_duty,
    ev.ClinicianOffDuty: duty.apply_off_duty,
    ev.EstimateSet: duty.apply_estimate,
    ev.MovedUp: duty.apply_moved_up,
    ev.ChartNoteCosigned: notes.apply_cosigned,
    ev.CosignWithdrawn: notes.apply_withdrawn,
}


def wrong_phase(command: c.Command, phase: Phase) -> Refused:
    if isinstance(command, (c.CastVote, c.RetractVote)):
        reason = "voting has not opened yet" if phase.rank < Phase.AGENDA.rank else "voting is closed"
    elif isinstance(command, c.ProposeTopic):
        reason = "the agenda is set: new topics can no longer be proposed"
    else:
        allowed = " or ".join(p.label for p in sorted(command.phases, key=lambda p: p.rank))
        reason = f"{command.name.replace('_', ' ')} is for {allowed}, and the session is in {phase.label}"
    return Refused(reason, "wrong_phase")


def role_refusal(command: c.Command, role: Role) -> Refused | None:
    """Why `role` may never send `command`, whatever the session's state; None when it may.

    Needs nothing but the two, so the edge can refuse before any lock or database read."""
    if role in command.roles:
        return None
    return Refused(f"a {role.value} cannot {command.name.replace('_', ' ')}", "forbidden")


def decide(state: SessionState, command: c.Command, actor: Actor, now: float) -> list[ev.Event]:
    """The events `command` from `actor` causes at time `now`, or `Refused` naming why not."""
    refusal = role_refusal(command, actor.role)
    if refusal is not None:
        raise refusal
    if state.cancelled_at is not None:
        raise Refused("this session was cancelled", "cancelled")
    if state.phase is Phase.CLOSED and Phase.CLOSED not in command.phases:  # the record is signed after
        raise Refused("the session has ended", "session_closed")
    if state.phase not in command.phases:
        raise wrong_phase(command, state.phase)
    return DECIDERS[type(command)](state, command, actor, now)


def apply(state: SessionState, event: ev.Event, seq: int | None = None) -> SessionState:
    """Fold `event` (numbered `seq` in the log) into `state`."""
    APPLIERS[type(event)](state, event)
    state.seq = state.seq + 1 if seq is None else seq
    return state


def replay(events: Iterable[ev.Event]) -> SessionState:
    state = SessionState()
    for event in events:
        apply(state, event)
    return state
