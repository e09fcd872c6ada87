"""Short codes and passwords can be guessed: a client that keeps failing is held back."""

from collections import deque

from ..clock import Clock


class FailureLimit:
    """At most `limit` failures per key (an address, a username) in `window` seconds; then every try waits."""

    def __init__(self, clock: Clock, limit: int, window: float) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.failures: dict[str, deque[float]] = {}

    def recent(self, key: str) -> deque[float]:
        times = self.failures.setdefault(key, deque())
        while times and times[0] <= self.clock.now() - self.window:
            times.popleft()
        if not times:
            del self.failures[key]  # forget quiet clients: the table stays small
            return deque()
        return times

    def blocked_for(self, key: str) -> float:
        """Seconds until `key` may try again (0 when it may now)."""
        times = self.recent(key)
        if len(times) < self.limit:
            return 0.0
        return times[0] + self.window - self.clock.now()

    def failed(self, key: str) -> None:
        self.failures.setdefault(key, deque()).append(self.clock.now())
