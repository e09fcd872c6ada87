"""Wrap-up evaluation: a rating from 1 to 5 and two short answers."""

import pytest

from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from sessionkit import Session


def wrapping_up() -> tuple[Session, Actor]:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.WRAP_UP)
    return s, ann


def test_an_evaluation_is_recorded_with_its_answers() -> None:
    s, ann = wrapping_up()
    s.run(c.GiveEvaluation(4, " hearing from Bob ", "more time for food"), ann)
    evaluation = s.state.evaluations[ann.id]
    assert (evaluation.rating, evaluation.helped, evaluation.change, evaluation.at) == (
        4, "hearing from Bob", "more time for food", s.now)


@pytest.mark.parametrize("rating", [1, 5])
def test_ratings_1_to_5_are_accepted(rating: int) -> None:
    s, ann = wrapping_up()
    s.run(c.GiveEvaluation(rating), ann)
    assert s.state.evaluations[ann.id].rating == rating


@pytest.mark.parametrize("rating", [0, 6])
def test_ratings_outside_1_to_5_are_refused(rating: int) -> None:
    s, ann = wrapping_up()
    s.refuse(c.GiveEvaluation(rating), ann, code="invalid")


def test_answers_are_limited_to_500_characters() -> None:
    s, ann = wrapping_up()
    s.refuse(c.GiveEvaluation(5, helped="x" * 501), ann, code="too_long")


def test_evaluation_is_only_for_wrap_up() -> None:
    s = Session()
    ann = s.join("Ann")
    s.open(Phase.GOALS)
    refused = s.refuse(c.GiveEvaluation(5), ann, code="wrong_phase")
    assert "wrap-up" in refused.reason


def test_a_participant_must_check_in_to_evaluate() -> None:
    s, _ = wrapping_up()
    s.refuse(c.GiveEvaluation(5), Actor(Role.PARTICIPANT, "p9"), code="not_checked_in")


def test_the_facilitator_records_the_evaluation_of_a_walk_in_without_a_device() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(4, "the stories", participant_id=ann.id))
    assert s.state.evaluations[ann.id].rating == 4
    s.refuse(c.GiveEvaluation(4, participant_id=ann.id), bob, code="forbidden")  # a participant speaks for themselves
