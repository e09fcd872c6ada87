"""Join codes are short so people can type them: a device that keeps guessing is held back."""

from collections import deque

from ..clock import Clock

WINDOW_SECONDS = 10 * 60
MAX_FAILURES = 10


class JoinGuard:
    """At most `MAX_FAILURES` wrong codes per client address in `WINDOW_SECONDS`; then every try waits."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.failures: dict[str, deque[float]] = {}

    def recent(self, client: str) -> deque[float]:
        times = self.failures.setdefault(client, deque())
        while times and times[0] <= self.clock.now() - WINDOW_SECONDS:
            times.popleft()
        if not times:
            del self.failures[client]  # forget quiet clients: the table stays small
            return deque()
        return times

    def blocked_for(self, client: str) -> float:
        """Seconds until `client` may try again (0 when it may now)."""
        times = self.recent(client)
        if len(times) < MAX_FAILURES:
            return 0.0
        return times[0] + WINDOW_SECONDS - self.clock.now()

    def failed(self, client: str) -> None:
        self.failures.setdefault(client, deque()).append(self.clock.now())
