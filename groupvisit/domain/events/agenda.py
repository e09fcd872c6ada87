"""Agenda setting: the vote budget, topics, votes and the agenda they make."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class VoteBudgetSet(Event):
    """Each participant now has `budget` votes."""

    type = "vote_budget_set"
    budget: int

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
