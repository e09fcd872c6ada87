"""Every command a screen can send, by what it is about; `COMMAND_TYPES` finds one by its wire name.

A command is a request; `rules.decide` turns it into events or refuses it (see `base.Command`).
"""

from .base import Command
from .people import Join, RenameParticipant, MarkParticipant, MatchParticipant, GiveFollowUp, RecordNumbers
from .schedule import Reschedule, CancelSession, OpenPhase, SetVoteBudget, CloseSession
from .agenda import (CastVote, EditTopic, ExtendTopic, HideTopic, MergeTopics, NextTopic, ProposeTopic, RetractVote,
                     RoomVote)
from .strategies import CaptureStrategy, EditStrategy, HideStrategy, MarkHelpful, MarkTried, BringStrategy
from .queue import (CallParticipant, CompleteEncounter, GoOffDuty, GoOnDuty, MoveUp, NotHere, RequestVisit, SetEstimate,
                    SkipEncounter, StartEncounter, UndoEncounter, WithdrawRequest)
from .goals import SetGoal, ShareGoal, GiveEvaluation
from .notes import CosignChartNote, WithdrawCosign

COMMAND_TYPES: dict[str, type[Command]] = {
    cls.name: cls
    for cls in (
        Join, RenameParticipant, MarkParticipant, OpenPhase, SetVoteBudget, RecordNumbers, RequestVisit, ProposeTopic, EditTopic,
        HideTopic, MergeTopics, CastVote, RetractVote, NextTopic, ExtendTopic, RoomVote,
        CaptureStrategy, EditStrategy, HideStrategy, MarkHelpful, CallParticipant, StartEncounter, CompleteEncounter,
        NotHere, SkipEncounter, SetGoal, ShareGoal, GiveEvaluation, CloseSession, MatchParticipant, GiveFollowUp,
        MarkTried, BringStrategy, Reschedule, CancelSession, UndoEncounter, WithdrawRequest, GoOnDuty, GoOffDuty,
        SetEstimate, MoveUp, CosignChartNote, WithdrawCosign,
    )
}

__all__ = [
    "Command", "Join", "RenameParticipant", "MarkParticipant", "MatchParticipant", "GiveFollowUp",
    "RecordNumbers", "Reschedule", "CancelSession", "OpenPhase", "SetVoteBudget", "CloseSession",
    "ProposeTopic", "EditTopic", "HideTopic", "MergeTopics", "CastVote", "RetractVote", "NextTopic",
    "ExtendTopic", "RoomVote", "CaptureStrategy", "EditStrategy", "HideStrategy", "MarkHelpful", "MarkTried",
    "BringStrategy", "RequestVisit", "WithdrawRequest", "CallParticipant", "StartEncounter",
    "CompleteEncounter", "NotHere", "SkipEncounter", "UndoEncounter", "GoOnDuty", "GoOffDuty", "SetEstimate",
    "MoveUp", "SetGoal", "ShareGoal", "GiveEvaluation", "CosignChartNote", "WithdrawCosign", "COMMAND_TYPES",
]
