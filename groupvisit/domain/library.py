"""The cohort's strategy library: what earlier sessions found, brought back onto today's board.

A brought strategy is a new capture on today's board whose `origin` is its library id; what the
room says of it today ("this could help me", "I tried it and it helped") adds to the library's
counts, so the counts follow the strategy across sessions. Also here: "I tried it and it helped".
"""

from .commands import BringStrategy, MarkTried
from .errors import Refused, require
from .events import Event, StrategyCaptured, StrategyTried
from .history import LibraryStrategy
from .identity import require_checked_in
from .matching import cohort_of
from .roles import Actor
from .state import SessionState, Strategy
from .strategies import MAX_STRATEGIES, strategy_of


def library_entry(state: SessionState, library_id: str) -> LibraryStrategy | None:
    cohort = state.continuity
    return None if cohort is None else next((s for s in cohort.library if s.id == library_id), None)


def on_board(state: SessionState, library_id: str) -> Strategy | None:
    """Today's copy of library strategy `library_id`, if it was brought (hidden or not)."""
    return next((s for s in state.strategies.values() if s.origin == library_id), None)


def bring_strategy(state: SessionState, cmd: BringStrategy, actor: Actor, now: float) -> list[Event]:
    cohort_of(state)
    entry = library_entry(state, cmd.library_id)
    if entry is None:
        raise Refused(f"there is no strategy {cmd.library_id!r} in the cohort's library", "not_found")
    copy = on_board(state, entry.id)
    if copy is not None:
        raise Refused("that strategy is already on today's board" + (": show it again" if copy.hidden else ""),
                      "conflict")
    require(len(state.strategies) < MAX_STRATEGIES, f"the board is full ({MAX_STRATEGIES} strategies)", "limit")
    item = state.current_item()
    return [StrategyCaptured(f"s{len(state.strategies) + 1}", entry.text, item.topic_id if item else "", "", True,
                             actor.id, now, entry.id)]


def mark_tried(state: SessionState, cmd: MarkTried, actor: Actor, now: float) -> list[Event]:
    require_checked_in(state, actor)
    strategy = strategy_of(state, cmd.strategy_id)
    require(not strategy.hidden, f"there is no strategy {cmd.strategy_id!r}", "not_found")  # hidden is gone for them
    already = actor.id in strategy.tried
    require(cmd.helped != already, "you have already said it helped you" if already
            else "you had not said it helped you", "conflict")
    return [StrategyTried(strategy.id, actor.id, cmd.helped)]


def apply_tried(state: SessionState, e: StrategyTried) -> None:
    tried = state.strategies[e.strategy_id].tried
    if e.helped:
        tried.add(e.participant_id)
    else:
        tried.discard(e.participant_id)


def counts(state: SessionState, strategy: Strategy) -> tuple[int, int]:
    """How many marked `strategy` helpful and tried, across the cohort's sessions for a brought one."""
    helpful, tried = len(strategy.helpful), len(strategy.tried)
    entry = library_entry(state, strategy.origin) if strategy.origin else None
    if entry is not None:
        helpful, tried = helpful + entry.helpful, tried + entry.tried
    return helpful, tried
