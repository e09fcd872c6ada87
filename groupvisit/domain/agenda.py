"""Agenda setting, Lean Coffee style: propose, vote with a budget, merge, hide, rank, timebox."""

from .commands import CastVote, EditTopic, HideTopic, MergeTopics, ProposeTopic, RetractVote, SetVoteBudget
from .errors import Refused, require
from .events import (AgendaFixed, Event, TopicEdited, TopicHidden, TopicProposed, TopicsMerged,
                     VoteBudgetSet, VoteCast, VoteRetracted)
from .identity import require_checked_in
from .roles import Actor, Role
from .state import AgendaItem, SessionState, Topic
from .text import clean_text, in_range

TITLE_LIMIT = 120
MAX_TOPICS = 60
MIN_FITTED_MINUTES = 3


def open_topic(state: SessionState, topic_id: str) -> Topic:
    topic = state.topics.get(topic_id)
    if topic is None:
        raise Refused(f"there is no topic {topic_id!r}", "not_found")
    if topic.status == "merged":
        raise Refused(f"“{topic.title}” was merged into another topic", "not_found")
    require(topic.status == "open", f"“{topic.title}” is hidden", "not_found")
    return topic


def ranked(state: SessionState) -> list[Topic]:
    """Open topics by votes; ties keep the order they were proposed in."""
    order = {tid: n for n, tid in enumerate(state.topics)}
    return sorted(state.open_topics(), key=lambda t: (-t.total, order[t.id]))


def refuse_duplicate(state: SessionState, title: str, except_id: str = "") -> None:
    same = next((t for t in state.open_topics() if t.id != except_id and t.title.casefold() == title.casefold()), None)
    if same is not None:
        raise Refused(f"“{same.title}” is already on the board: vote for it instead", "conflict")


def set_vote_budget(state: SessionState, cmd: SetVoteBudget, actor: Actor, now: float) -> list[Event]:
    in_range(cmd.budget, "the vote budget", 1, 10)
    most = max((state.votes_used(pid) for pid in state.participants), default=0)
    require(cmd.budget >= most, f"someone has already used {most} votes: the budget cannot go below that", "conflict")
    return [VoteBudgetSet(cmd.budget)]


def propose_topic(state: SessionState, cmd: ProposeTopic, actor: Actor, now: float) -> list[Event]:
    title = clean_text(cmd.title, "a topic title", TITLE_LIMIT)
    proposer = actor.id if actor.role is Role.PARTICIPANT else ""
    if actor.role is Role.PARTICIPANT:
        require_checked_in(state, actor)
    require(len(state.topics) < MAX_TOPICS, f"the board is full ({MAX_TOPICS} topics)", "limit")
    refuse_duplicate(state, title)
    return [TopicProposed(f"t{len(state.topics) + 1}", title, proposer, cmd.anonymous and bool(proposer), now)]


def edit_topic(state: SessionState, cmd: EditTopic, actor: Actor, now: float) -> list[Event]:
    open_topic(state, cmd.topic_id)
    title = clean_text(cmd.title, "a topic title", TITLE_LIMIT)
    refuse_duplicate(state, title, cmd.topic_id)
    return [TopicEdited(cmd.topic_id, title)]


def hide_topic(state: SessionState, cmd: HideTopic, actor: Actor, now: float) -> list[Event]:
    open_topic(state, cmd.topic_id)
    return [TopicHidden(cmd.topic_id)]


def merge_topics(state: SessionState, cmd: MergeTopics, actor: Actor, now: float) -> list[Event]:
    require(cmd.topic_id != cmd.into_topic_id, "a topic cannot be merged into itself", "invalid")
    open_topic(state, cmd.topic_id)
    open_topic(state, cmd.into_topic_id)
    return [TopicsMerged(cmd.topic_id, cmd.into_topic_id)]


def cast_vote(state: SessionState, cmd: CastVote, actor: Actor, now: float) -> list[Event]:
    require_checked_in(state, actor)
    open_topic(state, cmd.topic_id)
    require(state.votes_used(actor.id) < state.vote_budget, "no votes left: take one back to vote again", "no_votes_left")
    return [VoteCast(cmd.topic_id, actor.id)]


def retract_vote(state: SessionState, cmd: RetractVote, actor: Actor, now: float) -> list[Event]:
    topic = open_topic(state, cmd.topic_id)
    require(topic.votes.get(actor.id, 0) > 0, "you have no vote on this topic", "invalid")
    return [VoteRetracted(cmd.topic_id, actor.id)]


def fix_agenda(state: SessionState, now: float) -> AgendaFixed:
    """The ranked topics, each with the default timebox while the time before goals allows;
    the last one that fits partly gets what is left, and later ones keep the default (if time allows)."""
    left = (state.goals_at - now) / 60
    topic_ids: list[str] = []
    minutes: list[int] = []
    for topic in ranked(state):
        box = state.timebox_minutes
        if left < box and left >= MIN_FITTED_MINUTES:
            box = int(left)
        left -= box
        topic_ids.append(topic.id)
        minutes.append(box)
    return AgendaFixed(tuple(topic_ids), tuple(minutes))


def apply_budget(state: SessionState, e: VoteBudgetSet) -> None:
    state.vote_budget = e.budget


def apply_proposed(state: SessionState, e: TopicProposed) -> None:
    state.topics[e.topic_id] = Topic(e.topic_id, e.title, e.proposer_id, e.anonymous, e.at)


def apply_edited(state: SessionState, e: TopicEdited) -> None:
    state.topics[e.topic_id].title = e.title


def apply_hidden(state: SessionState, e: TopicHidden) -> None:
    topic = state.topics[e.topic_id]
    topic.status = "hidden"
    topic.votes.clear()


def apply_merged(state: SessionState, e: TopicsMerged) -> None:
    source, target = state.topics[e.topic_id], state.topics[e.into_topic_id]
    for pid, count in source.votes.items():
        target.votes[pid] = target.votes.get(pid, 0) + count
    source.votes.clear()
    source.status = "merged"
    source.merged_into = target.id


def apply_vote_cast(state: SessionState, e: VoteCast) -> None:
    votes = state.topics[e.topic_id].votes
    votes[e.participant_id] = votes.get(e.participant_id, 0) + 1


def apply_vote_retracted(state: SessionState, e: VoteRetracted) -> None:
    votes = state.topics[e.topic_id].votes
    votes[e.participant_id] -= 1
    if not votes[e.participant_id]:
        del votes[e.participant_id]


def apply_agenda_fixed(state: SessionState, e: AgendaFixed) -> None:
    state.agenda = [AgendaItem(tid, m) for tid, m in zip(e.topic_ids, e.minutes, strict=True)]


def timeboxes(state: SessionState) -> tuple[dict[str, tuple[float, float]], float]:
    """Each current and pending agenda topic's window (start, end), and the agenda's predicted end.

    The current topic runs from its start to its `ends_at`; pending ones follow it in order,
    as if it ends on time (before discussion opens they follow the phase's opening).
    """
    clock = state.phase_opened_at
    windows: dict[str, tuple[float, float]] = {}
    for item in state.agenda:
        if item.status == "current":
            assert item.started_at is not None and item.ends_at is not None
            windows[item.topic_id] = (item.started_at, item.ends_at)
            clock = item.ends_at
        elif item.status == "pending":
            windows[item.topic_id] = (clock, clock + item.minutes * 60)
            clock += item.minutes * 60
    return windows, clock
