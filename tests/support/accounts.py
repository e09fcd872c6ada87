"""Staff accounts for tests: made straight in the store, with one password hashed once per test run."""

import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from groupvisit.accounts import AccountRole, hash_password
from groupvisit.domain import Actor
from groupvisit.store import Store

PASSWORD = "correct horse battery staple"
TEAM = (("alex", "Nurse Alex Rivera", AccountRole.FACILITATOR),
        ("sam", "Dr. Sam Okafor", AccountRole.CLINICIAN),
        ("priya", "Dr. Priya Natarajan", AccountRole.CLINICIAN),
        ("admin", "Clinic administrator", AccountRole.ADMIN))


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: once is enough


@dataclass(frozen=True)
class Staff:
    """A staff member signed in on one browser: the cookie it sends, and who they are in the session."""

    username: str
    cookie: str
    actor: Actor | None  # None for an admin, who takes no part in a session


async def signed_in_team(store: Store, now: float) -> dict[str, Staff]:
    """The care team's accounts (made on first use), each signed in anew at `now`, by username."""
    users = {user.username: user for user in await store.users()}
    team = {}
    for username, name, role in TEAM:
        user = users.get(username) or await store.add_user(username=username, name=name, role=role.value,
                                                           password_hash=password_hash(), at=now)
        token = await store.start_sign_in(user.id, "test browser", now)
        role_in_session = role.session_role
        actor = None if role_in_session is None else Actor(role_in_session, user.id, name)
        team[username] = Staff(username, f"gv_signin={token}", actor)
    return team


def groupvisit_user(db: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """`groupvisit user ARGS --db DB`, the password (if any) piped to standard input, never a terminal."""
    return subprocess.run([sys.executable, "-m", "groupvisit", "user", *args, "--db", str(db)],
                          input="" if password is None else password + "\n", capture_output=True, text=True,
                          timeout=60)
