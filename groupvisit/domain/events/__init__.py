"""Every event a session's log can hold: one module per part of the visit, all listed here.

An event is a fact that happened; the session's state is the fold of its events
(`rules.apply`). Each class names its wire `type`; its docstring names its fields.
`audience` says who may read it: "everyone" (the projector included), or
"private": the staff and the participant it concerns (its `participant_id`).
`personal` lists fields only that participant and the staff may see (who voted for
what); anonymous topics and strategies hide their author from everyone else.
"""

from dataclasses import fields
from typing import Any

from ..text import readable
from .base import Audience, Event
from .lifecycle import SessionScheduled, PhaseOpened, SessionClosed, SessionRescheduled, SessionCancelled
from .checkin import (ParticipantJoined, ParticipantRenamed, ParticipantMarked, NumbersRecorded, VisitRequested,
                      ParticipantMatched)
from .agenda import (AgendaFixed, TopicEdited, TopicHidden, TopicProposed, TopicsMerged, VoteBudgetSet, VoteCast,
                     VoteRetracted)
from .discussion import TopicStarted, TopicExtended, TopicEnded, RoomVoted
from .strategies import StrategyCaptured, StrategyEdited, StrategyHidden, StrategyMarkedHelpful, StrategyTried
from .queue import (ParticipantCalled, EncounterStarted, EncounterCompleted, ReturnedToQueue, EncounterWithdrawn,
                    EncounterUndone, ClinicianOnDuty, ClinicianOffDuty, EstimateSet, MovedUp)
from .goals import GoalSet, GoalShared, EvaluationGiven, FollowUpGiven
from .notes import ChartNoteCosigned, CosignWithdrawn

EVENT_TYPES: dict[str, type[Event]] = {cls.type: cls for cls in (
    SessionScheduled, PhaseOpened, SessionClosed, ParticipantJoined, ParticipantRenamed, ParticipantMarked,
    NumbersRecorded, VisitRequested, VoteBudgetSet, TopicProposed, TopicEdited, TopicHidden, TopicsMerged,
    VoteCast, VoteRetracted, AgendaFixed, TopicStarted, TopicExtended, TopicEnded, RoomVoted, StrategyCaptured,
    StrategyEdited, StrategyHidden, StrategyMarkedHelpful, ParticipantCalled, EncounterStarted,
    EncounterCompleted, ReturnedToQueue, EncounterWithdrawn, GoalSet, GoalShared, EvaluationGiven,
    SessionRescheduled, SessionCancelled, ParticipantMatched, FollowUpGiven, StrategyTried, EncounterUndone,
    ClinicianOnDuty, ClinicianOffDuty, EstimateSet, MovedUp, ChartNoteCosigned,
    CosignWithdrawn,
)}

__all__ = [
    "Audience", "EVENT_TYPES", "Event", "event_from_dict", "stored_value", "AgendaFixed", "EncounterCompleted",
    "EncounterStarted", "EncounterWithdrawn", "EvaluationGiven", "GoalSet", "GoalShared", "NumbersRecorded",
    "ParticipantCalled", "ParticipantJoined", "ParticipantMarked", "ParticipantRenamed", "PhaseOpened",
    "ReturnedToQueue", "RoomVoted", "SessionClosed", "SessionScheduled", "StrategyCaptured", "StrategyEdited",
    "StrategyHidden", "StrategyMarkedHelpful", "TopicEdited", "TopicEnded", "TopicExtended", "TopicHidden",
    "TopicProposed", "TopicStarted", "TopicsMerged", "VisitRequested", "VoteBudgetSet", "VoteCast",
    "VoteRetracted", "SessionRescheduled", "SessionCancelled", "ParticipantMatched", "FollowUpGiven",
    "StrategyTried", "EncounterUndone", "ClinicianOnDuty", "ClinicianOffDuty", "EstimateSet", "MovedUp",
    "ChartNoteCosigned", "CosignWithdrawn",
]


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event stored with `Event.to_dict` (JSON turns tuples into lists). A field added since the
    event was stored takes its default: an older log reads on."""
    cls = EVENT_TYPES[data["type"]]
    return cls(**{f.name: stored_value(data[f.name]) for f in fields(cls) if f.name in data})


def stored_value(value: Any) -> Any:
    """A field as the store holds it, made whole: lists become tuples again, and a lone surrogate in text
    an older version accepted reads as U+FFFD (the record stays readable and exportable)."""
    if isinstance(value, list):
        return tuple(stored_value(item) for item in value)
    return readable(value) if isinstance(value, str) else value
