"""Agenda setting: propose, vote within a budget, hide, merge, then rank and timebox."""

import pytest

from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.domain.events import AgendaFixed
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, Session


def voting_session(*names: str) -> tuple[Session, list[Actor]]:
    s = Session()
    people = s.join_all(*names)
    s.open(Phase.AGENDA)
    return s, people


def agenda_fixed(s: Session) -> AgendaFixed:
    return next(e for e in s.log if isinstance(e, AgendaFixed))


# --- propose ------------------------------------------------------------------------

def test_propose_adds_an_open_topic_by_its_proposer() -> None:
    s, (ann,) = voting_session("Ann")
    topic_id = s.propose("  Eating   out ", by=ann)
    topic = s.state.topics[topic_id]
    assert (topic.title, topic.proposer_id, topic.anonymous, topic.status) == ("Eating out", ann.id, False, "open")


def test_topics_can_be_proposed_during_check_in() -> None:
    s = Session()
    ann = s.join("Ann")
    assert s.propose("Sleep", by=ann) in s.state.topics


def test_topic_title_is_limited_to_120_characters() -> None:
    s, (ann,) = voting_session("Ann")
    s.propose("x" * 120, by=ann)
    refused = s.refuse(c.ProposeTopic("y" * 121), ann, code="too_long")
    assert "120" in refused.reason


def test_a_duplicate_title_is_refused_ignoring_case_and_spaces() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    s.propose("Eating out", by=ann)
    refused = s.refuse(c.ProposeTopic("eating  OUT"), bob, code="conflict")
    assert "vote for it instead" in refused.reason


def test_a_hidden_topic_title_may_be_proposed_again() -> None:
    s, (ann,) = voting_session("Ann")
    topic_id = s.propose("Eating out", by=ann)
    s.run(c.HideTopic(topic_id))
    assert s.propose("Eating out", by=ann) != topic_id


def test_a_participant_may_propose_anonymously() -> None:
    s, (ann,) = voting_session("Ann")
    topic = s.state.topics[s.propose("Feeling ashamed", by=ann, anonymous=True)]
    assert topic.anonymous is True
    assert topic.proposer_id == ann.id  # kept for the author's own view; hidden from others by the views


def test_staff_topics_are_never_anonymous_and_have_no_proposer() -> None:
    s, _ = voting_session("Ann")
    topic = s.state.topics[s.propose("Foot care", by=FACILITATOR, anonymous=True)]
    assert (topic.anonymous, topic.proposer_id) == (False, "")


def test_a_participant_must_check_in_before_proposing() -> None:
    s, _ = voting_session("Ann")
    s.refuse(c.ProposeTopic("Sleep"), Actor(Role.PARTICIPANT, "p9"), code="not_checked_in")


def test_the_facilitator_edits_a_topic_title() -> None:
    s, (ann,) = voting_session("Ann")
    topic_id = s.propose("eatng out", by=ann)
    s.run(c.EditTopic(topic_id, "Eating out"))
    assert s.state.topics[topic_id].title == "Eating out"
    s.refuse(c.EditTopic("t9", "Nothing"), code="not_found")


# --- vote and retract ---------------------------------------------------------------

def test_cast_vote_adds_one_vote_for_the_voter() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    topic_id = s.propose("Sleep")
    s.vote(ann, topic_id, times=2)
    s.vote(bob, topic_id)
    topic = s.state.topics[topic_id]
    assert topic.votes == {ann.id: 2, bob.id: 1}
    assert topic.total == 3
    assert s.state.votes_used(ann.id) == 2


def test_voting_past_the_budget_says_no_votes_left() -> None:
    s, (ann,) = voting_session("Ann")
    sleep, food = s.propose("Sleep"), s.propose("Food")
    s.vote(ann, sleep, times=2)
    s.vote(ann, food)
    refused = s.refuse(c.CastVote(food), ann, code="no_votes_left")
    assert "no votes left" in refused.reason


def test_retracting_a_vote_gives_it_back() -> None:
    s, (ann,) = voting_session("Ann")
    sleep = s.propose("Sleep")
    s.vote(ann, sleep, times=3)
    s.run(c.RetractVote(sleep), ann)
    assert s.state.topics[sleep].votes == {ann.id: 2}
    s.vote(ann, sleep)  # the vote can be cast again
    assert s.state.votes_used(ann.id) == 3


def test_retracting_the_last_vote_removes_the_voter() -> None:
    s, (ann,) = voting_session("Ann")
    sleep = s.propose("Sleep")
    s.vote(ann, sleep)
    s.run(c.RetractVote(sleep), ann)
    assert s.state.topics[sleep].votes == {}


def test_retracting_without_a_vote_is_refused() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    sleep = s.propose("Sleep")
    s.vote(bob, sleep)
    s.refuse(c.RetractVote(sleep), ann, code="invalid")


def test_voting_on_an_unknown_topic_is_refused() -> None:
    s, (ann,) = voting_session("Ann")
    s.refuse(c.CastVote("t9"), ann, code="not_found")


def test_a_participant_must_check_in_before_voting() -> None:
    s, _ = voting_session("Ann")
    sleep = s.propose("Sleep")
    s.refuse(c.CastVote(sleep), Actor(Role.PARTICIPANT, "p9"), code="not_checked_in")


# --- hide and merge -----------------------------------------------------------------

def test_hiding_a_topic_releases_its_votes() -> None:
    s, (ann,) = voting_session("Ann")
    sleep, food = s.propose("Sleep"), s.propose("Food")
    s.vote(ann, sleep, times=3)
    s.refuse(c.CastVote(food), ann, code="no_votes_left")
    s.run(c.HideTopic(sleep))
    assert s.state.topics[sleep].status == "hidden"
    assert s.state.topics[sleep].votes == {}
    assert s.state.votes_used(ann.id) == 0
    s.vote(ann, food, times=3)


def test_a_hidden_topic_takes_no_votes() -> None:
    s, (ann,) = voting_session("Ann")
    sleep = s.propose("Sleep")
    s.run(c.HideTopic(sleep))
    refused = s.refuse(c.CastVote(sleep), ann, code="not_found")
    assert "hidden" in refused.reason


def test_merging_moves_the_votes_into_the_other_topic() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    snacks, food = s.propose("Snacks"), s.propose("Food")
    s.vote(ann, snacks, times=2)
    s.vote(bob, snacks)
    s.vote(ann, food)
    s.run(c.MergeTopics(snacks, food))
    source, target = s.state.topics[snacks], s.state.topics[food]
    assert (source.status, source.merged_into, source.votes) == ("merged", food, {})
    assert target.votes == {ann.id: 3, bob.id: 1}
    assert s.state.votes_used(ann.id) == 3 and s.state.votes_used(bob.id) == 1


def test_a_merged_topic_takes_no_votes_and_cannot_be_merged_again() -> None:
    s, (ann,) = voting_session("Ann")
    snacks, food, sleep = s.propose("Snacks"), s.propose("Food"), s.propose("Sleep")
    s.run(c.MergeTopics(snacks, food))
    assert "merged" in s.refuse(c.CastVote(snacks), ann, code="not_found").reason
    s.refuse(c.MergeTopics(snacks, sleep), code="not_found")
    s.refuse(c.MergeTopics(sleep, snacks), code="not_found")


def test_a_topic_cannot_be_merged_into_itself() -> None:
    s, _ = voting_session("Ann")
    food = s.propose("Food")
    s.refuse(c.MergeTopics(food, food), code="invalid")


# --- vote budget --------------------------------------------------------------------

def test_set_vote_budget_changes_everyones_budget() -> None:
    s, (ann,) = voting_session("Ann")
    s.run(c.SetVoteBudget(5))
    sleep = s.propose("Sleep")
    s.vote(ann, sleep, times=5)
    s.refuse(c.CastVote(sleep), ann, code="no_votes_left")


def test_the_budget_cannot_go_below_votes_already_used() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    sleep = s.propose("Sleep")
    s.vote(ann, sleep, times=3)
    s.vote(bob, sleep)
    refused = s.refuse(c.SetVoteBudget(2), code="conflict")
    assert "already used 3" in refused.reason
    s.run(c.SetVoteBudget(3))
    assert s.state.vote_budget == 3


@pytest.mark.parametrize("budget", [0, 11])
def test_the_budget_is_between_1_and_10(budget: int) -> None:
    s, _ = voting_session("Ann")
    s.refuse(c.SetVoteBudget(budget), code="invalid")


# --- fixing the agenda --------------------------------------------------------------

def test_goals_at_leaves_time_for_goals_and_wrap_up() -> None:
    s = Session(minutes=120, goals_minutes=12, wrapup_minutes=6)
    assert s.state.goals_at == s.state.ends_at - (12 + 6) * 60


def test_the_agenda_is_ranked_by_votes_with_ties_in_proposal_order() -> None:
    s, (ann, bob) = voting_session("Ann", "Bob")
    first, second, third, fourth = (s.propose(title) for title in ("Sleep", "Food", "Stress", "Feet"))
    s.vote(ann, third, times=2)
    s.vote(bob, fourth)
    s.vote(bob, second)
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).topic_ids == (third, second, fourth, first)
    assert [item.topic_id for item in s.state.agenda] == [third, second, fourth, first]


def test_hidden_and_merged_topics_are_left_off_the_agenda() -> None:
    s, _ = voting_session("Ann")
    sleep, food, snacks = s.propose("Sleep"), s.propose("Food"), s.propose("Snacks")
    s.run(c.HideTopic(sleep))
    s.run(c.MergeTopics(snacks, food))
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).topic_ids == (food,)


def test_each_topic_gets_the_default_timebox_when_time_allows() -> None:
    s, _ = voting_session("Ann")
    for title in ("Sleep", "Food", "Stress"):
        s.propose(title)
    s.tick(20)  # 80 minutes before goals
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).minutes == (8, 8, 8)


def test_the_timebox_is_the_session_setting() -> None:
    s = Session(timebox_minutes=12)
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).minutes == (12,)


def test_the_topic_that_fits_partly_gets_the_minutes_left_before_goals() -> None:
    s, _ = voting_session("Ann")
    for title in ("Sleep", "Food", "Stress", "Feet"):
        s.propose(title)
    goals_at = s.state.ends_at - (s.state.goals_minutes + s.state.wrapup_minutes) * 60
    s.now = goals_at - 20.5 * 60  # 20.5 minutes: 8 + 8 + 4 (whole minutes), then no time left
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).minutes == (8, 8, 4, 8)


def test_a_sliver_under_3_minutes_is_not_worth_a_shortened_timebox() -> None:
    s, _ = voting_session("Ann")
    s.propose("Sleep")
    s.propose("Food")
    s.now = s.state.goals_at - 10 * 60  # 8 minutes, then 2 left
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s).minutes == (8, 8)


def test_an_empty_board_gives_an_empty_agenda_and_no_current_topic() -> None:
    s, _ = voting_session("Ann")
    s.open(Phase.DISCUSSION)
    assert agenda_fixed(s) == AgendaFixed((), ())
    assert s.state.current_item() is None


def test_editing_a_title_into_another_topics_title_is_refused() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.run(c.ProposeTopic("Sleep"), FACILITATOR)
    s.run(c.ProposeTopic("Food"), FACILITATOR)
    refused = s.refuse(c.EditTopic("t2", "sleep"), FACILITATOR, code="conflict")
    assert "Sleep" in refused.reason
    s.run(c.EditTopic("t2", "Food and eating out"), FACILITATOR)


def test_a_topic_the_care_team_added_is_from_staff_not_anonymous() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    s.propose("Stigma", by=ann, anonymous=True)
    rows = {r["title"]: r for r in view_for(s.state, ann)["topics"]}
    assert (rows["Sleep"]["from_staff"], rows["Sleep"]["anonymous"]) == (True, False)
    assert (rows["Stigma"]["from_staff"], rows["Stigma"]["anonymous"]) == (False, True)
