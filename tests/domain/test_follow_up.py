"""Follow-up: a returning patient says how last session's goal went; only a matched one with a goal can."""

import pytest

from groupvisit.domain import Phase, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import FollowUpGiven
from groupvisit.domain.state import FollowUp
from sessionkit import FACILITATOR, Session, cohort_session


def first_month() -> Session:
    """Session 1 of the cohort: Ann and Bob set goals, Cy sets none."""
    s = cohort_session()
    ann, bob, cy = s.join_all("Ann", "Bob", "Cy")
    for who, patient_id in ((ann, "pat1"), (bob, "pat2"), (cy, "pat3")):
        s.match(who, patient_id)
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk after dinner")
    s.set_goal(bob, what="swap soda for water")
    s.run(c.CloseSession())
    return s


@pytest.fixture
def second() -> Session:
    return cohort_session([first_month()])


def test_a_returning_patient_follows_up_their_last_goal(second: Session) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat1")
    events = second.run(c.GiveFollowUp("partly", " the rain "), ann)
    assert events == [FollowUpGiven(ann.id, "s1", "partly", "the rain", second.now)]
    assert second.state.follow_ups == {ann.id: FollowUp("s1", "partly", "the rain", second.now)}
    assert replay(second.log) == second.state


def test_a_follow_up_may_be_changed(second: Session) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat1")
    second.run(c.GiveFollowUp("not_yet"), ann)
    second.tick()
    second.run(c.GiveFollowUp("done"), ann)
    assert second.state.follow_ups[ann.id] == FollowUp("s1", "done", "", second.now)


def test_the_facilitator_gives_one_on_behalf_of_someone(second: Session) -> None:
    bob = second.join("Bob")
    second.match(bob, "pat2")
    second.run(c.GiveFollowUp("done", participant_id=bob.id), FACILITATOR)
    assert second.state.follow_ups[bob.id].outcome == "done"


def test_a_participant_gives_only_their_own(second: Session) -> None:
    ann, bob = second.join_all("Ann", "Bob")
    second.match(bob, "pat2")
    second.refuse(c.GiveFollowUp("done", participant_id=bob.id), ann, code="forbidden")


def test_not_matched_yet_is_refused(second: Session) -> None:
    ann = second.join("Ann")
    second.refuse(c.GiveFollowUp("done"), ann, code="not_matched")


def test_a_guest_has_nothing_to_follow_up(second: Session) -> None:
    eve = second.join("Eve")
    second.match(eve, "")
    second.refuse(c.GiveFollowUp("done"), eve, code="not_matched")


def test_a_patient_without_a_last_goal_is_refused(second: Session) -> None:
    cy, dee = second.join_all("Cy", "Dee")
    second.match(cy, "pat3")  # came, set no goal
    second.match(dee, "pat4")  # did not come last time
    for who in (cy, dee):
        refused = second.refuse(c.GiveFollowUp("done"), who, code="no_last_goal")
        assert refused.reason == f"{who.name} has no goal from an earlier session to follow up"


def test_outside_a_cohort_there_is_nothing_to_follow_up() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.GiveFollowUp("done"), ann, code="not_in_cohort")


@pytest.mark.parametrize("outcome", ["", "Done", "maybe"])
def test_an_unknown_outcome_is_refused(second: Session, outcome: str) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat1")
    second.refuse(c.GiveFollowUp(outcome), ann, code="invalid")


def test_an_obstacle_too_long_is_refused(second: Session) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat1")
    second.refuse(c.GiveFollowUp("partly", "x" * 501), ann, code="too_long")


def test_rematching_drops_a_follow_up_about_someone_elses_goal(second: Session) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat2")  # matched to Bob's patient by mistake
    second.run(c.GiveFollowUp("done"), ann)
    second.match(ann, "pat1")
    assert second.state.follow_ups == {}
    assert replay(second.log) == second.state


def test_a_check_in_by_mistake_loses_its_follow_up(second: Session) -> None:
    ann = second.join("Ann")
    second.match(ann, "pat1")
    second.run(c.GiveFollowUp("done"), ann)
    second.run(c.MarkParticipant("mistake", ann.id))
    assert second.state.follow_ups == {}
