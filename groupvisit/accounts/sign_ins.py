"""Staff sign-ins, held on the server so they can end at any moment: sign-out, idle time,
the absolute limit, or an administrator disabling the account or changing its password.

The browser's cookie holds only a random token; the database holds its hash.
"""

from dataclasses import dataclass

import anyio.to_thread

from ..clock import Clock
from ..domain import Actor
from ..store import Store
from .passwords import decoy_hash, hash_password, needs_rehash, verify_password
from .people import AccountRole

ACTIVITY_WRITE_EVERY = 15.0  # seconds: activity is written at most this often per sign-in

# Why a sign-in ended, as the staff member reads it on the sign-in page.
ENDED = {
    "signed out": "You have signed out.",
    "idle": "You were signed out after {idle} without activity. Sign in again to carry on.",
    "time limit": "You were signed out after {limit}. Sign in again to carry on.",
    "disabled": "This account has been disabled. Ask your clinic's administrator.",
    "password changed": "This account's password was changed. Sign in with the new password.",
}


def amount(value: float, unit: str) -> str:
    """How long, as people say it: 1 hour, 12 hours, 0.5 hours."""
    return f"{value:g} {unit}{'' if value == 1 else 's'}"


@dataclass(frozen=True)
class StaffMember:
    id: str
    username: str
    name: str
    role: AccountRole
    attending: bool = False  # a clinician who may co-sign residents' chart notes

    def actor(self) -> Actor | None:
        """Who this person is in a group visit (an admin takes no part in one)."""
        role = self.role.session_role
        return None if role is None else Actor(role, self.id, self.name, self.attending)


class SignInRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignedOut(Exception):
    """The sign-in behind a cookie is over; `why` is a key of `ENDED`."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class SignIns:
    def __init__(self, store: Store, clock: Clock, idle_minutes: float, limit_hours: float) -> None:
        self.store, self.clock = store, clock
        self.idle_seconds, self.limit_seconds = idle_minutes * 60, limit_hours * 3600
        self.idle_minutes, self.limit_hours = idle_minutes, limit_hours

    def explain(self, why: str) -> str:
        return ENDED.get(why, "Your sign-in has ended. Sign in again.").format(
            idle=amount(self.idle_minutes, "minute"), limit=amount(self.limit_hours, "hour"))

    async def sign_in(self, username: str, password: str, device: str) -> tuple[StaffMember, str]:
        """Check the password; a new sign-in and its token, or `SignInRefused` saying why."""
        user = await self.store.user_by_username(username.strip().lower())
        # Hashing runs in a thread: it takes tens of milliseconds of CPU on purpose.
        matches = await anyio.to_thread.run_sync(verify_password, user.password_hash if user else decoy_hash(),
                                                 password)
        if user is None or not matches:
            raise SignInRefused("The username or password is not right.")
        if user.disabled:
            raise SignInRefused(self.explain("disabled"))
        if needs_rehash(user.password_hash):  # parameters have been raised since this hash was made
            rehashed = await anyio.to_thread.run_sync(hash_password, password)
            await self.store.update_user(user.username, self.clock.now(), None, password_hash=rehashed)
        token = await self.store.start_sign_in(user.id, device, self.clock.now())
        return StaffMember(user.id, user.username, user.name, AccountRole(user.role), user.attending), token

    async def current(self, token: str, active: bool = False) -> StaffMember:
        """Who holds `token`, or `SignedOut`. A sign-in found past its idle time or limit is ended here.
        `active` records that the person did something (a page, a command, a touch of the screen)."""
        found = await self.store.sign_in(token)
        if found is None:
            raise SignedOut("unknown")
        row, user = found
        if row.ended_at is not None:
            raise SignedOut(row.ended_why)
        now = self.clock.now()
        why = ("disabled" if user.disabled else "time limit" if now - row.started_at >= self.limit_seconds
               else "idle" if now - row.active_at >= self.idle_seconds else "")
        if why:
            await self.store.end_sign_in(token, now, why)
            raise SignedOut(why)
        if active and now - row.active_at >= ACTIVITY_WRITE_EVERY:
            await self.store.sign_in_active(token, now)
        return StaffMember(user.id, user.username, user.name, AccountRole(user.role), user.attending)

    async def sign_out(self, token: str, why: str = "signed out") -> None:
        """End the sign-in; `why` is "signed out", or the idle time or limit a screen reached by its own clock."""
        await self.store.end_sign_in(token, self.clock.now(), why)

    async def limit_at(self, token: str) -> float | None:
        """When the sign-in behind `token` reaches its absolute limit (None for no such sign-in)."""
        found = await self.store.sign_in(token)
        return None if found is None else found[0].started_at + self.limit_seconds
