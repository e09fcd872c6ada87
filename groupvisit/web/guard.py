"""Short codes and passwords can be guessed: a client that keeps failing is held back.

Attempts are counted in the database, so an account held back stays held across a restart and in
every server process on that database. Each attempt is claimed before the work that checks it
(argon2, the join code's lookup), so guesses sent all at once cannot slip under a limit together;
one that succeeds is released, so successes never count.
"""

from ..clock import Clock
from ..store import Limit, Store


class Guard:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store, self.clock = store, clock

    async def claim(self, *keys: tuple[Limit, str]) -> str:
        """One attempt against each (limit, key), all or none; the claim, or `HeldBack` with the wait."""
        return await self.store.claim_attempt(keys, self.clock.now())

    async def release(self, claim: str) -> None:
        await self.store.release_attempt(claim)
