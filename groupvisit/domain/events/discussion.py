"""Discussion: topics started, extended and ended, and the room's keep-going vote."""

from dataclasses import dataclass

from .base import Event


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
