"""Attempts at guessing (passwords, join codes): counted in the database, claimed before the work."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, literal, text, union_all
from sqlmodel import Session, col, select

from .engine import Database
from .keys import key_hash, new_id
from .tables import AttemptRow


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts per key in `window` seconds (a failed one counts until it expires)."""

    name: str
    most: int
    window: float


class HeldBack(Exception):
    """Too many recent attempts for a key: `wait` seconds until one more is allowed."""

    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait


def limit_key(limit: Limit, key: str) -> str:
    """Only a digest is stored: a username field can hold a mistyped password."""
    return key_hash(f"{limit.name}\n{key}")


def held_for(db: Session, limit: Limit, digest: str, now: float) -> float:
    """Seconds until `digest` is under `limit` again (0 if it is now): when its `most`-th newest attempt expires."""
    expires = db.exec(select(AttemptRow.expires_at).where(AttemptRow.limit_key == digest,
                                                          col(AttemptRow.expires_at) > now)
                      .order_by(col(AttemptRow.expires_at).desc()).offset(limit.most - 1).limit(1)).first()
    return 0.0 if expires is None else expires - now



class Attempts(Database):
    async def claim_attempt(self, keys: Sequence[tuple[Limit, str]], now: float) -> str:
        """Count one attempt against every (limit, key) at once, if each is under its limit; the claim's
        id, or `HeldBack`. Counting and recording are one statement, under SQLite's write lock or, on
        PostgreSQL, the keys' advisory locks: concurrent attempts cannot all slip under a limit."""
        claim = new_id()
        hashed = [(limit, limit_key(limit, key)) for limit, key in keys]

        def recent(digest: str) -> Any:
            return select(func.count()).select_from(AttemptRow).where(
                AttemptRow.limit_key == digest, col(AttemptRow.expires_at) > now).scalar_subquery()

        def work(db: Session) -> bool:
            if db.get_bind().dialect.name == "postgresql":
                for digest in sorted(digest for _, digest in hashed):  # always in one order: no deadlock
                    db.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(digest[:15], 16)})
            db.exec(delete(AttemptRow).where(col(AttemptRow.expires_at) <= now))  # expired: pruned as we go
            under = [recent(digest) < limit.most for limit, digest in hashed]
            rows = [select(literal(claim), literal(digest), literal(now + limit.window)).where(*under)
                    for limit, digest in hashed]
            db.exec(insert(AttemptRow).from_select(["claim", "limit_key", "expires_at"],
                                                   rows[0] if len(rows) == 1 else union_all(*rows)))
            # Read back rather than trust rowcount: drivers need not report it for INSERT ... SELECT.
            added = db.exec(select(AttemptRow.limit_key).where(AttemptRow.claim == claim)).first() is not None
            db.commit()
            return added

        if await self.run(work):
            return claim
        raise HeldBack(await self.run(lambda db: max(held_for(db, limit, digest, now) for limit, digest in hashed)))

    async def release_attempt(self, claim: str) -> None:
        """The attempt succeeded: it no longer counts."""

        def work(db: Session) -> None:
            db.exec(delete(AttemptRow).where(col(AttemptRow.claim) == claim))
            db.commit()

        await self.run(work)
