"""The strategy board: capture what peers shared, tagged by topic, and mark what could help."""

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, PROJECTOR, Session, clinician


def test_a_strategy_is_tagged_to_the_topic_under_discussion() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.AGENDA)
    sleep, food = s.propose("Sleep"), s.propose("Food")
    s.open(Phase.DISCUSSION)
    first = s.capture("No screens after 9", by=ann)
    s.run(c.NextTopic())
    second = s.capture("Smaller plates", by=ann)
    assert s.state.strategies[first].topic_id == sleep
    assert s.state.strategies[second].topic_id == food


def test_a_strategy_outside_discussion_has_no_topic() -> None:
    s = Session()
    ann = s.join("Ann")
    assert s.state.strategies[s.capture("Walk with a friend", by=ann)].topic_id == ""


def test_a_participant_strategy_is_attributed_to_them() -> None:
    s = Session()
    ann = s.join("Ann")
    strategy = s.state.strategies[s.capture("Walk with a friend", by=ann)]
    assert (strategy.author_id, strategy.anonymous, strategy.captured_by) == (ann.id, False, ann.id)


def test_a_participant_may_share_a_strategy_anonymously() -> None:
    s = Session()
    ann = s.join("Ann")
    strategy = s.state.strategies[s.capture("Tell my boss", by=ann, anonymous=True)]
    assert (strategy.author_id, strategy.anonymous) == (ann.id, True)


def test_the_facilitator_attributes_a_strategy_to_a_participant() -> None:
    s = Session()
    ann = s.join("Ann")
    strategy = s.state.strategies[s.capture("Walk with a friend", participant_id=ann.id)]
    assert (strategy.author_id, strategy.anonymous, strategy.captured_by) == (ann.id, False, FACILITATOR.id)


def test_a_strategy_captured_by_staff_for_nobody_is_anonymous() -> None:
    s = Session()
    strategy = s.state.strategies[s.capture("Keep fruit in view")]
    assert (strategy.author_id, strategy.anonymous) == ("", True)


def test_a_participant_cannot_attribute_a_strategy_to_someone_else() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    s.refuse(c.CaptureStrategy("Walk", participant_id=bob.id), ann, code="forbidden")


def test_strategy_text_is_limited_to_280_characters() -> None:
    s = Session()
    ann = s.join("Ann")
    s.capture("x" * 280, by=ann)
    s.refuse(c.CaptureStrategy("x" * 281), ann, code="too_long")
    s.refuse(c.CaptureStrategy("  "), ann, code="invalid")


def test_mark_helpful_counts_each_participant_once() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    strategy_id = s.capture("Walk with a friend")
    s.run(c.MarkHelpful(strategy_id), ann)
    s.run(c.MarkHelpful(strategy_id), bob)
    refused = s.refuse(c.MarkHelpful(strategy_id), ann, code="conflict")
    assert "already marked" in refused.reason
    assert s.state.strategies[strategy_id].helpful == {ann.id, bob.id}


def test_mark_helpful_needs_an_existing_strategy() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.MarkHelpful("s9"), ann, code="not_found")


def test_the_facilitator_edits_a_strategy_within_the_same_limits() -> None:
    s = Session()
    ann = s.join("Ann")
    walk = s.capture("Walk with a frend", by=ann)
    s.run(c.EditStrategy(walk, "Walk with a friend"))
    assert s.state.strategies[walk].text == "Walk with a friend"
    s.refuse(c.EditStrategy(walk, "x" * 281), code="too_long")
    s.refuse(c.EditStrategy(walk, "  "), code="invalid")
    s.refuse(c.EditStrategy(walk, "Walk with a friend"), code="conflict")
    s.refuse(c.EditStrategy("s9", "Anything"), code="not_found")


def test_a_hidden_strategy_leaves_the_wall_and_the_console_can_show_it_again() -> None:
    s = Session()
    ann = s.join("Ann")
    walk = s.capture("Walk with a friend", by=ann)
    s.run(c.HideStrategy(walk))
    assert view_for(s.state, PROJECTOR)["strategies"] == [] and view_for(s.state, ann)["strategies"] == []
    assert view_for(s.state, clinician())["strategies"] == []
    assert [(r["id"], r["hidden"]) for r in view_for(s.state, FACILITATOR)["strategies"]] == [(walk, True)]
    s.refuse(c.MarkHelpful(walk), ann, code="not_found")
    s.refuse(c.HideStrategy(walk), code="conflict")
    s.run(c.HideStrategy(walk, hidden=False))
    assert [r["id"] for r in view_for(s.state, PROJECTOR)["strategies"]] == [walk]
