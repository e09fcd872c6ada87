"""The strategy board: what peers shared that worked for them, and who it could help."""

from .commands import CaptureStrategy, EditStrategy, HideStrategy, MarkHelpful
from .errors import Refused, require
from .events import Event, StrategyCaptured, StrategyEdited, StrategyHidden, StrategyMarkedHelpful
from .identity import require_checked_in, subject_of
from .roles import Actor, Role
from .state import SessionState, Strategy
from .text import clean_text

TEXT_LIMIT = 280
MAX_STRATEGIES = 300


def capture_strategy(state: SessionState, cmd: CaptureStrategy, actor: Actor, now: float) -> list[Event]:
    text = clean_text(cmd.text, "a strategy", TEXT_LIMIT)
    require(len(state.strategies) < MAX_STRATEGIES, f"the board is full ({MAX_STRATEGIES} strategies)", "limit")
    author = subject_of(state, actor, cmd.participant_id) if (actor.role is Role.PARTICIPANT or cmd.participant_id) else ""
    item = state.current_item()
    return [StrategyCaptured(f"s{len(state.strategies) + 1}", text, item.topic_id if item else "", author,
                             cmd.anonymous or not author, actor.id, now)]


def strategy_of(state: SessionState, strategy_id: str) -> Strategy:
    strategy = state.strategies.get(strategy_id)
    if strategy is None:
        raise Refused(f"there is no strategy {strategy_id!r}", "not_found")
    return strategy


def edit_strategy(state: SessionState, cmd: EditStrategy, actor: Actor, now: float) -> list[Event]:
    strategy = strategy_of(state, cmd.strategy_id)
    text = clean_text(cmd.text, "a strategy", TEXT_LIMIT)
    require(text != strategy.text, "the strategy already says that", "conflict")
    return [StrategyEdited(strategy.id, text)]


def hide_strategy(state: SessionState, cmd: HideStrategy, actor: Actor, now: float) -> list[Event]:
    strategy = strategy_of(state, cmd.strategy_id)
    require(strategy.hidden != cmd.hidden, f"the strategy is already {'hidden' if cmd.hidden else 'shown'}",
            "conflict")
    return [StrategyHidden(strategy.id, cmd.hidden)]


def mark_helpful(state: SessionState, cmd: MarkHelpful, actor: Actor, now: float) -> list[Event]:
    require_checked_in(state, actor)
    strategy = strategy_of(state, cmd.strategy_id)
    require(not strategy.hidden, f"there is no strategy {cmd.strategy_id!r}", "not_found")  # hidden is gone for them
    require(actor.id not in strategy.helpful, "you have already marked this strategy", "conflict")
    return [StrategyMarkedHelpful(cmd.strategy_id, actor.id)]


def apply_captured(state: SessionState, e: StrategyCaptured) -> None:
    state.strategies[e.strategy_id] = Strategy(e.strategy_id, e.text, e.topic_id, e.author_id, e.anonymous,
                                               e.captured_by, e.at, origin=e.origin)


def apply_marked_helpful(state: SessionState, e: StrategyMarkedHelpful) -> None:
    state.strategies[e.strategy_id].helpful.add(e.participant_id)


def apply_edited(state: SessionState, e: StrategyEdited) -> None:
    state.strategies[e.strategy_id].text = e.text


def apply_hidden(state: SessionState, e: StrategyHidden) -> None:
    state.strategies[e.strategy_id].hidden = e.hidden
