"""The broadcast hub's whole backend surface: publish a wake-up, subscribe to a session.

Messages are only `{session, seq}` wake-ups: a subscriber reads what it missed from the
log, so a backend may drop, merge or repeat them. Every subscriber's queue is bounded;
one that falls behind is told so (`Overflowed`) and resyncs from the log.
"""

from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    session_id: str
    seq: int


class Overflowed(Exception):
    """The subscriber did not keep up: its queue filled, so it must resync from the log."""


class Subscription(ABC):
    @abstractmethod
    async def get(self) -> Notice:
        """The next notice; raises `Overflowed` once if notices were lost."""


class Hub(ABC):
    @abstractmethod
    async def connect(self) -> None: ...

    @abstractmethod
    async def disconnect(self) -> None: ...

    @abstractmethod
    async def publish(self, notice: Notice) -> None: ...

    @abstractmethod
    def subscribe(self, session_id: str) -> AbstractAsyncContextManager[Subscription]:
        """`async with hub.subscribe(id) as sub:` receives every notice published after it is entered."""


def hub_for(url: str) -> Hub:
    """The backend named by `url`'s scheme; optional backends import lazily."""
    scheme = url.split("://", 1)[0]
    if scheme == "memory":
        from .memory import MemoryHub

        return MemoryHub()
    raise ValueError(f"unknown hub backend {scheme!r} in {url!r}: use memory://")
