"""Wrap-up evaluation: a rating and two short answers that shape the next session."""

from .commands import GiveEvaluation
from .errors import require
from .events import EvaluationGiven, Event
from .identity import subject_of
from .roles import Actor
from .state import Evaluation, SessionState
from .text import clean_text, in_range

ANSWER_LIMIT = 500


def give_evaluation(state: SessionState, cmd: GiveEvaluation, actor: Actor, now: float) -> list[Event]:
    pid = subject_of(state, actor, cmd.participant_id)  # the facilitator's, for a walk-in without a device
    in_range(cmd.rating, "the rating", 1, 5)
    helped = clean_text(cmd.helped, "what helped", ANSWER_LIMIT, required=False, multiline=True)
    change = clean_text(cmd.change, "what should change", ANSWER_LIMIT, required=False, multiline=True)
    return [EvaluationGiven(pid, cmd.rating, helped, change, now)]


def apply_evaluation(state: SessionState, e: EvaluationGiven) -> None:
    state.evaluations[e.participant_id] = Evaluation(e.rating, e.helped, e.change, e.at)
