"""Goals: one action plan each, with a confidence of 0-10, private unless shared."""

import pytest

from groupvisit.domain import Actor, Phase
from groupvisit.domain import commands as c
from sessionkit import Session


def goal_setting() -> tuple[Session, Actor]:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.GOALS)
    return s, ann


def plan(confidence: int = 8, what: str = "walk", shared: bool = False) -> c.SetGoal:
    return c.SetGoal(what, "20 minutes", "after dinner", "5 days a week", confidence, shared)


def test_set_goal_records_the_action_plan_privately() -> None:
    s, ann = goal_setting()
    s.run(plan(confidence=8), ann)
    goal = s.state.goals[ann.id]
    assert (goal.what, goal.how_much, goal.when, goal.how_often, goal.confidence, goal.shared) == (
        "walk", "20 minutes", "after dinner", "5 days a week", 8, False)


@pytest.mark.parametrize("confidence", [0, 10])
def test_confidence_from_0_to_10_is_accepted(confidence: int) -> None:
    s, ann = goal_setting()
    s.run(plan(confidence), ann)
    assert s.state.goals[ann.id].confidence == confidence


@pytest.mark.parametrize("confidence", [-1, 11])
def test_confidence_outside_0_to_10_is_refused(confidence: int) -> None:
    s, ann = goal_setting()
    refused = s.refuse(plan(confidence), ann, code="invalid")
    assert "confidence" in refused.reason


def test_every_part_of_the_plan_is_required() -> None:
    s, ann = goal_setting()
    s.refuse(c.SetGoal("walk", "", "after dinner", "daily", 8), ann, code="invalid")


def test_setting_a_goal_again_replaces_it() -> None:
    s, ann = goal_setting()
    s.run(plan(what="walk"), ann)
    s.run(plan(what="swim"), ann)
    assert s.state.goals[ann.id].what == "swim"


def test_a_goal_may_be_shared_and_unshared() -> None:
    s, ann = goal_setting()
    s.run(plan(), ann)
    s.run(c.ShareGoal(True), ann)
    assert s.state.goals[ann.id].shared is True
    s.run(c.ShareGoal(False), ann)
    assert s.state.goals[ann.id].shared is False


def test_sharing_needs_a_goal_first() -> None:
    s, ann = goal_setting()
    s.refuse(c.ShareGoal(True), ann, code="no_goal")


def test_goals_can_still_be_set_during_wrap_up() -> None:
    s, ann = goal_setting()
    s.open(Phase.WRAP_UP)
    s.run(plan(), ann)
    assert ann.id in s.state.goals


def test_goals_cannot_be_set_before_the_goals_phase() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.DISCUSSION)
    s.refuse(plan(), ann, code="wrong_phase")


def test_the_facilitator_records_the_goal_of_a_walk_in_without_a_device() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.GOALS)
    s.run(c.SetGoal("walk", "20 minutes", "after dinner", "5 days a week", 8, participant_id=ann.id))
    assert s.state.goals[ann.id].what == "walk"
    s.refuse(c.SetGoal("walk", "a", "b", "c", 8), code="invalid")  # staff must say for whom
    s.refuse(c.SetGoal("walk", "a", "b", "c", 8, participant_id="p9"), code="not_found")
