"""The demo clinic: a diabetes cohort, today's session, and staff accounts to run it with."""

import secrets
import time
from dataclasses import dataclass

import anyio.to_thread

from .accounts import AccountRole, hash_password
from .domain import Phase, replay
from .store import Store

COHORT = "Diabetes group (Tuesday)"
TITLE = "Diabetes group visit"
STAFF = (("admin", "Clinic administrator", AccountRole.ADMIN),
         ("alex", "Nurse Alex Rivera", AccountRole.FACILITATOR),
         ("sam", "Dr. Sam Okafor (resident)", AccountRole.CLINICIAN),
         ("priya", "Dr. Priya Natarajan (resident)", AccountRole.CLINICIAN))
SESSION_MINUTES = 120


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: AccountRole
    password: str  # "" when the account already existed: its password was shown when it was made


@dataclass(frozen=True)
class DemoClinic:
    session_id: str
    join_code: str
    projector_key: str
    accounts: list[DemoAccount]


PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes such as l/1 and o/0


def new_password() -> str:
    """Four groups of four: easy to read off a terminal, about 79 bits."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


async def closed(store: Store, session_id: str) -> bool:
    """Whether the session has ended: a rerun of the demo after closing today's session gets a new one."""
    return replay(event for _, event in await store.events(session_id)).phase is Phase.CLOSED


async def seed(store: Store, now: float | None = None) -> DemoClinic:
    """Create the demo clinic once (and a new session when today's has been closed); each run issues a fresh projector link (keys are stored only as hashes)."""
    now = time.time() if now is None else now
    today = time.strftime("%Y-%m-%d", time.localtime(now))
    existing = [s for s in await store.sessions()
                if s.cohort == COHORT and time.strftime("%Y-%m-%d", time.localtime(s.starts_at)) == today
                and s.ends_at > now and not await closed(store, s.id)]
    if existing:
        session = existing[-1]
        projector_key = await store.rotate_projector_key(session.id)
    else:
        start = now - now % 300  # on the five minutes, like a clinic schedule
        session, projector_key = await store.create_session(title=TITLE, cohort=COHORT, starts_at=start,
                                                            ends_at=start + SESSION_MINUTES * 60)
    accounts = []
    for username, name, role in STAFF:
        password = ""
        if await store.user_by_username(username) is None:
            password = new_password()
            await store.add_user(username=username, name=name, role=role.value, at=now,
                                 password_hash=await anyio.to_thread.run_sync(hash_password, password))
        accounts.append(DemoAccount(username, name, role, password))
    return DemoClinic(session.id, session.join_code, projector_key, accounts)
