"""Topics: proposing and moderating them, voting, and the room's discussion of each."""

from dataclasses import dataclass

from ..phases import Phase
from ..roles import FACILITATOR, PARTICIPANT, Role
from .base import Command, EARLY


@dataclass(frozen=True)
class ProposeTopic(Command):
    name = "propose_topic"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = EARLY
    title: str
    anonymous: bool = False


@dataclass(frozen=True)
class EditTopic(Command):
    name = "edit_topic"
    roles = FACILITATOR
    topic_id: str
    title: str


@dataclass(frozen=True)
class HideTopic(Command):
    name = "hide_topic"
    roles = FACILITATOR
    phases = EARLY
    topic_id: str


@dataclass(frozen=True)
class MergeTopics(Command):
    """Merge the duplicate `topic_id` into `into_topic_id`."""

    name = "merge_topics"
    roles = FACILITATOR
    phases = EARLY
    topic_id: str
    into_topic_id: str


@dataclass(frozen=True)
class CastVote(Command):
    name = "cast_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.AGENDA})
    topic_id: str


@dataclass(frozen=True)
class RetractVote(Command):
    name = "retract_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.AGENDA})
    topic_id: str


@dataclass(frozen=True)
class NextTopic(Command):
    """End the current topic and start the next one on the agenda."""

    name = "next_topic"
    roles = FACILITATOR
    phases = frozenset({Phase.DISCUSSION})


@dataclass(frozen=True)
class ExtendTopic(Command):
    """Keep going on the current topic; each extension is shorter than the last."""

    name = "extend_topic"
    roles = FACILITATOR
    phases = frozenset({Phase.DISCUSSION})


@dataclass(frozen=True)
class RoomVote(Command):
    """When the timebox runs out: `choice` is keep_going or move_on."""

    name = "room_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.DISCUSSION})
    choice: str
