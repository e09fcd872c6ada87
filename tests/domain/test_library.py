"""The cohort's strategy library on today's board: bringing one back, and "I tried it and it helped"."""

import pytest

from groupvisit.domain import Phase, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import StrategyCaptured, StrategyTried
from sessionkit import FACILITATOR, Session, cohort_session


def first_month() -> Session:
    s = cohort_session()
    ann, bob = s.join_all("Ann", "Bob")
    s.open(Phase.AGENDA)
    s.propose("Eating out")
    s.open(Phase.DISCUSSION)
    salad = s.capture("Order the salad first", by=ann)
    s.run(c.MarkHelpful(salad), bob)
    s.run(c.MarkTried(salad, True), bob)
    s.run(c.CloseSession(), FACILITATOR)
    return s


@pytest.fixture
def second() -> Session:
    return cohort_session([first_month()])


def test_a_library_strategy_is_brought_onto_todays_board_anonymous_with_its_origin(second: Session) -> None:
    second.open(Phase.AGENDA)
    topic = second.propose("Holidays")
    second.open(Phase.DISCUSSION)
    events = second.run(c.BringStrategy("s1:s1"))
    assert events == [StrategyCaptured("s1", "Order the salad first", topic, "", True, FACILITATOR.id, second.now,
                                       "s1:s1")]
    assert second.state.strategies["s1"].origin == "s1:s1"
    assert replay(second.log) == second.state


def test_a_strategy_not_in_the_library_is_refused(second: Session) -> None:
    second.refuse(c.BringStrategy("s1:s9"), code="not_found")


def test_bringing_outside_a_cohort_is_refused() -> None:
    Session().refuse(c.BringStrategy("s1:s1"), code="not_in_cohort")


def test_a_strategy_already_on_the_board_is_not_brought_twice_even_hidden(second: Session) -> None:
    second.run(c.BringStrategy("s1:s1"))
    second.refuse(c.BringStrategy("s1:s1"), code="conflict")
    second.run(c.HideStrategy("s1"))
    refused = second.refuse(c.BringStrategy("s1:s1"), code="conflict")
    assert refused.reason == "that strategy is already on today's board: show it again"


def test_tried_and_helped_is_a_toggle() -> None:
    s = Session()
    ann = s.join("Ann")
    tip = s.capture("Walk after dinner")
    assert s.run(c.MarkTried(tip, True), ann) == [StrategyTried(tip, ann.id, True)]
    assert s.state.strategies[tip].tried == {ann.id}
    s.refuse(c.MarkTried(tip, True), ann, code="conflict")
    s.run(c.MarkTried(tip, False), ann)
    assert s.state.strategies[tip].tried == set()
    s.refuse(c.MarkTried(tip, False), ann, code="conflict")
    assert replay(s.log) == s.state


def test_tried_is_refused_for_an_unknown_or_hidden_strategy_and_before_check_in() -> None:
    s = Session()
    ann = s.join("Ann")
    tip = s.capture("Walk after dinner")
    s.refuse(c.MarkTried("s9", True), ann, code="not_found")
    s.run(c.HideStrategy(tip))
    s.refuse(c.MarkTried(tip, True), ann, code="not_found")
    s.run(c.MarkParticipant("mistake", ann.id))
    s.refuse(c.MarkTried(tip, True), ann, code="not_checked_in")
