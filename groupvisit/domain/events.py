"""Every event a session's log can hold, in one place.

An event is a fact that happened; the session's state is the fold of its events
(`rules.apply`). Each class names its wire `type`; its docstring names its fields.
`audience` says who may read it: "everyone" (the projector included), or
"private": the staff and the participant it concerns (its `participant_id`).
`personal` lists fields only that participant and the staff may see (who voted for
what); anonymous topics and strategies hide their author from everyone else.
"""

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Literal

from .text import readable

Audience = Literal["everyone", "private"]


@dataclass(frozen=True)
class Event:
    type: ClassVar[str]
    audience: ClassVar[Audience] = "everyone"
    personal: ClassVar[tuple[str, ...]] = ()
    staff_only: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class SessionScheduled(Event):
    """A session is planned: who, when, its join code and its settings (minutes, votes)."""

    type = "session_scheduled"
    session_id: str
    title: str
    cohort: str
    starts_at: float
    ends_at: float
    join_code: str
    vote_budget: int = 3
    timebox_minutes: int = 8
    goals_minutes: int = 15
    wrapup_minutes: int = 5


@dataclass(frozen=True)
class PhaseOpened(Event):
    """The facilitator moved the room to `phase` at `at`."""

    type = "phase_opened"
    phase: str
    at: float


@dataclass(frozen=True)
class VoteBudgetSet(Event):
    """Each participant now has `budget` votes."""

    type = "vote_budget_set"
    budget: int


@dataclass(frozen=True)
class ParticipantJoined(Event):
    """`participant_id` checked in as `display_name` at `at`."""

    type = "participant_joined"
    participant_id: str
    display_name: str
    at: float


@dataclass(frozen=True)
class ParticipantRenamed(Event):
    """The facilitator corrected `participant_id`'s display name to `display_name` (a typo, a look-alike)."""

    type = "participant_renamed"
    participant_id: str
    display_name: str


@dataclass(frozen=True)
class ParticipantMarked(Event):
    """The facilitator marked `participant_id` as `status` at `at`: present (here), left (went home early: took
    part, not here now) or mistake (checked in by mistake: counted nowhere, their votes on open topics freed)."""

    type = "participant_marked"
    audience = "private"
    participant_id: str
    status: str
    at: float


@dataclass(frozen=True)
class EncounterWithdrawn(Event):
    """Waiting encounter `encounter_id` of `participant_id` left the queue at `at`, not seen: `reason` is left or
    mistake (how the participant was marked)."""

    type = "encounter_withdrawn"
    audience = "private"
    encounter_id: str
    participant_id: str
    reason: str
    at: float


@dataclass(frozen=True)
class NumbersRecorded(Event):
    """Self-monitoring numbers for `participant_id`, entered by `recorded_by` (an actor id)."""

    type = "numbers_recorded"
    audience = "private"
    participant_id: str
    bp_systolic: int | None
    bp_diastolic: int | None
    weight: float | None
    weight_unit: str
    glucose: int | None
    recorded_by: str
    at: float


@dataclass(frozen=True)
class VisitRequested(Event):
    """`participant_id` asks for a one-on-one about `text`: encounter `encounter_id` joins the queue (or its text changes)."""

    type = "visit_requested"
    audience = "private"
    encounter_id: str
    participant_id: str
    text: str
    at: float


@dataclass(frozen=True)
class TopicProposed(Event):
    """`topic_id` titled `title` was proposed by `proposer_id` (empty for staff), perhaps `anonymous`ly."""

    type = "topic_proposed"
    topic_id: str
    title: str
    proposer_id: str
    anonymous: bool
    at: float


@dataclass(frozen=True)
class TopicEdited(Event):
    """The facilitator retitled `topic_id` to `title`."""

    type = "topic_edited"
    topic_id: str
    title: str


@dataclass(frozen=True)
class TopicHidden(Event):
    """The facilitator hid `topic_id`; the votes on it go back to their owners."""

    type = "topic_hidden"
    topic_id: str


@dataclass(frozen=True)
class TopicsMerged(Event):
    """`topic_id` was merged into `into_topic_id`, its votes with it."""

    type = "topics_merged"
    topic_id: str
    into_topic_id: str


@dataclass(frozen=True)
class VoteCast(Event):
    """`participant_id` put one vote on `topic_id`."""

    type = "vote_cast"
    personal = ("participant_id",)
    topic_id: str
    participant_id: str


@dataclass(frozen=True)
class VoteRetracted(Event):
    """`participant_id` took one vote back from `topic_id`."""

    type = "vote_retracted"
    personal = ("participant_id",)
    topic_id: str
    participant_id: str


@dataclass(frozen=True)
class AgendaFixed(Event):
    """Voting closed: the agenda is `topic_ids` in order, with `minutes` for each."""

    type = "agenda_fixed"
    topic_ids: tuple[str, ...]
    minutes: tuple[int, ...]


@dataclass(frozen=True)
class TopicStarted(Event):
    """Discussion of `topic_id` began at `at` with a timebox of `minutes`."""

    type = "topic_started"
    topic_id: str
    minutes: int
    at: float


@dataclass(frozen=True)
class TopicExtended(Event):
    """The room keeps going on `topic_id` for `minutes` more, from `at`."""

    type = "topic_extended"
    topic_id: str
    minutes: int
    at: float


@dataclass(frozen=True)
class TopicEnded(Event):
    """Discussion of `topic_id` ended at `at`."""

    type = "topic_ended"
    topic_id: str
    at: float


@dataclass(frozen=True)
class RoomVoted(Event):
    """When `topic_id`'s time ran out (`round` counts its extensions), `participant_id` chose `choice`: keep_going or move_on."""

    type = "room_voted"
    personal = ("participant_id",)
    topic_id: str
    round: int
    participant_id: str
    choice: str


@dataclass(frozen=True)
class StrategyCaptured(Event):
    """Strategy `strategy_id`: `text`, tagged to `topic_id` (may be empty), from `author_id` (empty: anonymous or staff), captured by `captured_by`."""

    type = "strategy_captured"
    strategy_id: str
    text: str
    topic_id: str
    author_id: str
    anonymous: bool
    captured_by: str
    at: float


@dataclass(frozen=True)
class StrategyEdited(Event):
    """The facilitator reworded strategy `strategy_id` to `text`. Staff only: the others get the new wording in
    their strategies view section, so that rewording a hidden strategy reaches no one else."""

    type = "strategy_edited"
    audience = "private"
    strategy_id: str
    text: str


@dataclass(frozen=True)
class StrategyHidden(Event):
    """The facilitator hid strategy `strategy_id` from the wall and the participants (`hidden`), or showed it again."""

    type = "strategy_hidden"
    strategy_id: str
    hidden: bool


@dataclass(frozen=True)
class StrategyMarkedHelpful(Event):
    """`participant_id` marked `strategy_id` "this could help me"."""

    type = "strategy_marked_helpful"
    personal = ("participant_id",)
    strategy_id: str
    participant_id: str


@dataclass(frozen=True)
class ParticipantCalled(Event):
    """Clinician `clinician_id` (`clinician_name`) is ready for `participant_id` in `room`: encounter `encounter_id`."""

    type = "participant_called"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    clinician_name: str
    room: str
    at: float


@dataclass(frozen=True)
class EncounterStarted(Event):
    """Encounter `encounter_id` of `participant_id` with `clinician_id` started at `at`."""

    type = "encounter_started"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    at: float


@dataclass(frozen=True)
class EncounterCompleted(Event):
    """Encounter `encounter_id` ended at `at`, with the clinician's short `note`."""

    type = "encounter_completed"
    audience = "private"
    staff_only = ("note",)
    encounter_id: str
    participant_id: str
    clinician_id: str
    note: str
    at: float


@dataclass(frozen=True)
class ReturnedToQueue(Event):
    """Encounter `encounter_id` went back to the end of the queue: `reason` is not_here (was called), skipped (was waiting) or
    present_again (it had been withdrawn and its participant was marked present again)."""

    type = "returned_to_queue"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    reason: str
    at: float


@dataclass(frozen=True)
class GoalSet(Event):
    """`participant_id`'s action plan: what, how much, when, how often, confidence 0-10, and whether the group may see it."""

    type = "goal_set"
    audience = "private"
    participant_id: str
    what: str
    how_much: str
    when: str
    how_often: str
    confidence: int
    shared: bool
    at: float


@dataclass(frozen=True)
class GoalShared(Event):
    """`participant_id` shared their goal with the group (`shared`) or took it back."""

    type = "goal_shared"
    audience = "private"
    participant_id: str
    shared: bool


@dataclass(frozen=True)
class EvaluationGiven(Event):
    """`participant_id` rated the session `rating` (1-5): what `helped`, what to `change`."""

    type = "evaluation_given"
    audience = "private"
    participant_id: str
    rating: int
    helped: str
    change: str
    at: float


@dataclass(frozen=True)
class SessionClosed(Event):
    """The facilitator closed the session at `at`; nothing changes after this."""

    type = "session_closed"
    at: float


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        SessionScheduled, PhaseOpened, VoteBudgetSet, ParticipantJoined, ParticipantRenamed, ParticipantMarked,
        EncounterWithdrawn, NumbersRecorded, StrategyEdited, StrategyHidden,
        VisitRequested, TopicProposed, TopicEdited, TopicHidden, TopicsMerged, VoteCast,
        VoteRetracted, AgendaFixed, TopicStarted, TopicExtended, TopicEnded, RoomVoted,
        StrategyCaptured, StrategyMarkedHelpful, ParticipantCalled, EncounterStarted,
        EncounterCompleted, ReturnedToQueue, GoalSet, GoalShared, EvaluationGiven, SessionClosed,
    )
}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event stored with `Event.to_dict` (JSON turns tuples into lists)."""
    cls = EVENT_TYPES[data["type"]]
    return cls(**{f.name: stored_value(data[f.name]) for f in fields(cls)})


def stored_value(value: Any) -> Any:
    """A field as the store holds it, made whole: lists become tuples again, and a lone surrogate in text
    an older version accepted reads as U+FFFD (the record stays readable and exportable)."""
    if isinstance(value, list):
        return tuple(stored_value(item) for item in value)
    return readable(value) if isinstance(value, str) else value
