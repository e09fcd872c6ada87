"""Discussion: the current topic, its timebox, extensions and the room's keep-going vote."""

from .commands import ExtendTopic, NextTopic, RoomVote
from .errors import Refused, require
from .events import Event, RoomVoted, TopicEnded, TopicExtended, TopicStarted
from .identity import require_checked_in
from .roles import Actor
from .state import AgendaItem, SessionState

CHOICES = ("keep_going", "move_on")


def extension_minutes(extensions_so_far: int) -> int:
    """Each extension is shorter than the one before: 4, 2, then 1 minute."""
    return max(1, 4 >> extensions_so_far)


def current(state: SessionState) -> AgendaItem:
    item = state.current_item()
    if item is None:
        raise Refused("no topic is being discussed right now", "no_current_topic")
    return item


def end_current(state: SessionState, now: float) -> list[Event]:
    item = state.current_item()
    return [] if item is None else [TopicEnded(item.topic_id, now)]


def next_topic(state: SessionState, cmd: NextTopic, actor: Actor, now: float) -> list[Event]:
    upcoming = next((item for item in state.agenda if item.status == "pending"), None)
    events = end_current(state, now)
    if upcoming is None and not events:
        raise Refused("there are no more topics on the agenda: open the goals phase", "agenda_done")
    if upcoming is not None:
        events.append(TopicStarted(upcoming.topic_id, upcoming.minutes, now))
    return events


def extend_topic(state: SessionState, cmd: ExtendTopic, actor: Actor, now: float) -> list[Event]:
    item = current(state)
    return [TopicExtended(item.topic_id, extension_minutes(item.extensions), now)]


def room_vote(state: SessionState, cmd: RoomVote, actor: Actor, now: float) -> list[Event]:
    require(cmd.choice in CHOICES, f"choice must be one of {', '.join(CHOICES)}", "invalid")
    require_checked_in(state, actor)
    item = current(state)
    assert item.ends_at is not None
    require(now >= item.ends_at, "the time for this topic has not run out yet", "too_early")
    return [RoomVoted(item.topic_id, item.extensions, actor.id, cmd.choice)]


def item_for(state: SessionState, topic_id: str) -> AgendaItem:
    return next(item for item in state.agenda if item.topic_id == topic_id)


def apply_started(state: SessionState, e: TopicStarted) -> None:
    item = item_for(state, e.topic_id)
    item.status, item.started_at, item.ends_at = "current", e.at, e.at + e.minutes * 60


def apply_extended(state: SessionState, e: TopicExtended) -> None:
    item = item_for(state, e.topic_id)
    assert item.ends_at is not None
    item.ends_at = max(item.ends_at, e.at) + e.minutes * 60
    item.extensions += 1
    item.room_votes.clear()


def apply_ended(state: SessionState, e: TopicEnded) -> None:
    item = item_for(state, e.topic_id)
    item.status, item.ended_at = "done", e.at


def apply_room_voted(state: SessionState, e: RoomVoted) -> None:
    item_for(state, e.topic_id).room_votes[e.participant_id] = e.choice
