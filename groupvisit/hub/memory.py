"""The hub for one process: bounded in-memory queues, one per subscriber."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .base import Hub, Notice, Overflowed, Subscription

QUEUE_LIMIT = 256


class MemorySubscription(Subscription):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Notice] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False

    def offer(self, notice: Notice) -> None:
        try:
            self.queue.put_nowait(notice)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self) -> Notice:
        if self.overflowed:
            self.overflowed = False
            while not self.queue.empty():
                self.queue.get_nowait()
            raise Overflowed()
        return await self.queue.get()


class MemoryHub(Hub):
    def __init__(self) -> None:
        self.subscribers: dict[str, set[MemorySubscription]] = {}

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        self.subscribers.clear()

    async def publish(self, notice: Notice) -> None:
        for subscription in self.subscribers.get(notice.session_id, ()):
            subscription.offer(notice)

    @asynccontextmanager
    async def subscribe(self, session_id: str) -> AsyncIterator[Subscription]:
        subscription = MemorySubscription()
        self.subscribers.setdefault(session_id, set()).add(subscription)
        try:
            yield subscription
        finally:
            group = self.subscribers.get(session_id)
            if group is not None:
                group.discard(subscription)
                if not group:
                    del self.subscribers[session_id]
