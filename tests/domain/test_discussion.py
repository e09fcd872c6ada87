"""Discussion: the current topic, its timebox, extensions and the room's vote."""

import pytest

from groupvisit.domain import Actor, Phase
from groupvisit.domain import commands as c
from groupvisit.domain.events import RoomVoted, TopicEnded, TopicExtended, TopicStarted
from sessionkit import Session, only


def discussing(*titles: str) -> tuple[Session, list[Actor], list[str]]:
    """A session whose discussion has just opened on `titles` (in that order), with Ann and Bob."""
    s = Session()
    people = s.join_all("Ann", "Bob")
    s.open(Phase.AGENDA)
    topic_ids = [s.propose(title) for title in titles]
    s.open(Phase.DISCUSSION)
    return s, people, topic_ids


def test_opening_discussion_starts_the_first_topic_with_its_timebox() -> None:
    s, _, (sleep, food) = discussing("Sleep", "Food")
    assert s.log[-1] == TopicStarted(sleep, 8, s.now)
    item = s.state.agenda[0]
    assert (item.status, item.started_at, item.ends_at) == ("current", s.now, s.now + 8 * 60)
    assert s.state.agenda[1].status == "pending"


def test_next_topic_ends_the_current_one_and_starts_the_next() -> None:
    s, _, (sleep, food) = discussing("Sleep", "Food")
    s.tick(6)
    assert s.run(c.NextTopic()) == [TopicEnded(sleep, s.now), TopicStarted(food, 8, s.now)]
    assert s.state.agenda[0].status == "done" and s.state.agenda[0].ended_at == s.now
    assert s.current_topic() == food


def test_after_the_last_topic_next_topic_ends_it_then_says_the_agenda_is_done() -> None:
    s, _, (sleep,) = discussing("Sleep")
    assert s.run(c.NextTopic()) == [TopicEnded(sleep, s.now)]
    assert s.current_topic() is None
    refused = s.refuse(c.NextTopic(), code="agenda_done")
    assert "goals" in refused.reason


def test_extensions_are_4_then_2_then_1_minute() -> None:
    s, _, _ = discussing("Sleep")
    minutes = [only(s.run(c.ExtendTopic()), TopicExtended).minutes for _ in range(5)]
    assert minutes == [4, 2, 1, 1, 1]
    assert s.state.agenda[0].extensions == 5


def test_an_extension_runs_from_the_end_of_the_timebox_if_time_is_not_up() -> None:
    s, _, _ = discussing("Sleep")
    started = s.now
    s.tick(5)
    s.run(c.ExtendTopic())
    assert s.state.agenda[0].ends_at == started + (8 + 4) * 60


def test_an_extension_runs_from_now_once_time_is_up() -> None:
    s, _, _ = discussing("Sleep")
    s.tick(10)
    s.run(c.ExtendTopic())
    assert s.state.agenda[0].ends_at == s.now + 4 * 60


def test_extend_needs_a_current_topic() -> None:
    s, _, _ = discussing()
    s.refuse(c.ExtendTopic(), code="no_current_topic")


def test_room_vote_is_refused_before_time_is_up() -> None:
    s, (ann, _), _ = discussing("Sleep")
    s.tick(7.9)
    refused = s.refuse(c.RoomVote("move_on"), ann, code="too_early")
    assert "not run out" in refused.reason


def test_room_vote_is_counted_once_time_is_up() -> None:
    s, (ann, bob), (sleep,) = discussing("Sleep")
    s.tick(8)
    assert s.run(c.RoomVote("keep_going"), ann) == [RoomVoted(sleep, 0, ann.id, "keep_going")]
    s.run(c.RoomVote("move_on"), bob)
    s.run(c.RoomVote("move_on"), ann)  # a change of mind replaces the earlier vote
    assert s.state.agenda[0].room_votes == {ann.id: "move_on", bob.id: "move_on"}


def test_an_extension_starts_a_new_round_of_room_votes() -> None:
    s, (ann, _), (sleep,) = discussing("Sleep")
    s.tick(8)
    s.run(c.RoomVote("keep_going"), ann)
    s.run(c.ExtendTopic())
    assert s.state.agenda[0].room_votes == {}
    s.refuse(c.RoomVote("move_on"), ann, code="too_early")
    s.tick(4)
    assert s.run(c.RoomVote("move_on"), ann) == [RoomVoted(sleep, 1, ann.id, "move_on")]


@pytest.mark.parametrize("choice", ["", "stay", "KEEP_GOING"])
def test_room_vote_choice_must_be_keep_going_or_move_on(choice: str) -> None:
    s, (ann, _), _ = discussing("Sleep")
    s.tick(8)
    s.refuse(c.RoomVote(choice), ann, code="invalid")


def test_room_vote_needs_a_current_topic() -> None:
    s, (ann, _), _ = discussing()
    s.refuse(c.RoomVote("move_on"), ann, code="no_current_topic")


def test_opening_goals_ends_the_current_topic() -> None:
    s, _, (sleep, _) = discussing("Sleep", "Food")
    s.tick(3)
    events = s.open(Phase.GOALS)
    assert events[0] == TopicEnded(sleep, s.now)
    assert s.current_topic() is None
    assert [item.status for item in s.state.agenda] == ["done", "pending"]
