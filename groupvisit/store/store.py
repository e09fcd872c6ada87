"""The event log and the tables around it, on SQLAlchemy through SQLModel.

A sync engine runs in worker threads, so no database call blocks the event loop.
`append` is the one write that matters: a session's next events get the next
sequence numbers in one transaction, or none do.
"""

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import delete, func, insert, literal, or_, text, union_all, update
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, create_engine, select

from ..domain.events import (Event, ParticipantJoined, ParticipantMarked, SessionClosed, SessionScheduled,
                              event_from_dict)
from . import schema
from .keys import JOIN_CODE_ALPHABET, key_hash, new_id, new_join_code, new_key
from .tables import (AttemptRow, AuditRow, CommandRow, CredentialRow, EventRow, ReturnCodeRow, SessionRow,
                     SignInRow, UserRow)

T = TypeVar("T")
Stored = tuple[int, Event]
RETURN_CODE_LENGTH = 8  # typed on a tablet; 22**8 codes, ten tries per address in ten minutes, each lives minutes


@dataclass(frozen=True)
class NewDevice:
    """A participant device joining: the token its cookie will hold, and whether it is a shared tablet."""

    token: str
    shared: bool
    at: float


@dataclass(frozen=True)
class CommandKey:
    """A command's id as its sender scoped it: ids are unique per credential (`Granted.sender`), not per
    session, so one screen's id never stands for another screen's command."""

    sender: str
    command_id: str


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


class UsernameTaken(Exception):
    """Another account already has this username."""


class SeqConflict(Exception):
    """Another writer appended to the session first: reload and decide again."""


class DuplicateCommand(Exception):
    """The command was already run (same sender, same id); `seq` is where its events ended."""

    def __init__(self, seq: int) -> None:
        super().__init__(seq)
        self.seq = seq


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # writers queue instead of failing "database is locked"
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged command survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def earlier_command(db: Session, session_id: str, key: CommandKey) -> CommandRow | None:
    """The command `key` names, if it already ran. A row stored before ids were per sender (sender "")
    answers every sender: a command in flight across that upgrade must not run twice."""
    return db.exec(select(CommandRow).where(
        CommandRow.session_id == session_id, CommandRow.command_id == key.command_id,
        or_(col(CommandRow.sender) == key.sender, col(CommandRow.sender) == ""))).first()


def limit_key(limit: Limit, key: str) -> str:
    """Only a digest is stored: a username field can hold a mistyped password."""
    return key_hash(f"{limit.name}\n{key}")


def held_for(db: Session, limit: Limit, digest: str, now: float) -> float:
    """Seconds until `digest` is under `limit` again (0 if it is now): when its `most`-th newest attempt expires."""
    expires = db.exec(select(AttemptRow.expires_at).where(AttemptRow.limit_key == digest,
                                                          col(AttemptRow.expires_at) > now)
                      .order_by(col(AttemptRow.expires_at).desc()).offset(limit.most - 1).limit(1)).first()
    return 0.0 if expires is None else expires - now


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        sa_event.listen(engine, "connect", sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def forget_devices_after(db: Session, session_id: str, event: Event) -> None:
    """Devices that stop being anyone with `event`: a participant's checked in by mistake (their screen
    closes), and every shared tablet's when the session closes (back to the join page for the next group)."""
    if isinstance(event, ParticipantMarked) and event.status == "mistake":
        db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == session_id,
                                            col(CredentialRow.participant_id) == event.participant_id))
    elif isinstance(event, SessionClosed):
        db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == session_id,
                                            col(CredentialRow.shared).is_(True)))


class Store:
    def __init__(self, url: str) -> None:
        """Opens a database at the current schema; an empty one gets it. `schema.SchemaError` otherwise."""
        self.engine = make_engine(url)
        try:
            schema.prepare(self.engine, url)
        except Exception:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_thread() -> T:
            with Session(self.engine, expire_on_commit=False) as db:
                return work(db)

        return await anyio.to_thread.run_sync(in_thread)

    # Sessions

    async def create_session(self, *, title: str, cohort: str, starts_at: float, ends_at: float,
                             vote_budget: int = 3, timebox_minutes: int = 8) -> tuple[SessionRow, str]:
        """A new session with its first event; returns it and the projector's key (shown once)."""
        projector_key = new_id() + new_id()

        def work(db: Session) -> SessionRow:
            for _ in range(20):
                row = SessionRow(id=new_id(), cohort=cohort, title=title, join_code=new_join_code(),
                                 starts_at=starts_at, ends_at=ends_at, projector_key_hash=key_hash(projector_key),
                                 last_seq=1)
                first = SessionScheduled(row.id, title, cohort, starts_at, ends_at, row.join_code,
                                         vote_budget=vote_budget, timebox_minutes=timebox_minutes)
                db.add(row)
                try:
                    db.flush()  # the session row before its first event (foreign key)
                except IntegrityError:  # a join code already in use: draw another
                    db.rollback()
                    continue
                db.add(EventRow(session_id=row.id, seq=1, type=first.type, data=first.to_dict(),
                                recorded_at=time.time()))
                db.commit()
                return row
            raise RuntimeError("could not draw an unused join code")

        return await self.run(work), projector_key

    async def session(self, session_id: str) -> SessionRow | None:
        return await self.run(lambda db: db.get(SessionRow, session_id))

    async def session_by_join_code(self, code: str) -> SessionRow | None:
        return await self.run(lambda db: db.exec(select(SessionRow).where(SessionRow.join_code == code)).first())

    async def sessions(self) -> list[SessionRow]:
        return await self.run(lambda db: list(db.exec(select(SessionRow).order_by(col(SessionRow.starts_at)))))

    async def rotate_projector_key(self, session_id: str) -> str:
        """A new projector link key; the old link stops working."""
        key = new_id() + new_id()

        def work(db: Session) -> None:
            row = db.get(SessionRow, session_id)
            if row is None:
                raise LookupError(f"no session {session_id!r}")
            row.projector_key_hash = key_hash(key)
            db.add(row)
            db.commit()

        await self.run(work)
        return key

    # The event log

    async def append(self, session_id: str, after_seq: int, events: Sequence[Event],
                     device: NewDevice | None = None, command: CommandKey | None = None,
                     audit: AuditRow | None = None) -> list[Stored]:
        """Store `events` as `after_seq + 1, ...` in one transaction; `SeqConflict` if the log moved on.

        With `command`, the command is remembered with its result in the same transaction
        (`DuplicateCommand` if it already ran). With `device`, the device that joined
        is bound to its new participant in the same transaction; `audit` records who changed it.
        """

        def work(db: Session) -> list[Stored]:
            last = after_seq + len(events)
            if command is not None:
                earlier = earlier_command(db, session_id, command)
                if earlier is not None:
                    raise DuplicateCommand(earlier.seq)
                db.add(CommandRow(session_id=session_id, sender=command.sender, command_id=command.command_id,
                                  seq=last))
            moved = db.exec(update(SessionRow).where(col(SessionRow.id) == session_id, col(SessionRow.last_seq) == after_seq)
                            .values(last_seq=last))
            if moved.rowcount != 1:
                db.rollback()
                raise SeqConflict(session_id)
            now = time.time()
            if audit is not None:
                db.add(audit)
            stored = list(enumerate(events, start=after_seq + 1))
            for seq, ev in stored:
                db.add(EventRow(session_id=session_id, seq=seq, type=ev.type, data=ev.to_dict(), recorded_at=now))
                if device is not None and isinstance(ev, ParticipantJoined):
                    db.add(CredentialRow(token_hash=key_hash(device.token), session_id=session_id,
                                         participant_id=ev.participant_id, shared=device.shared,
                                         active_at=device.at))
                forget_devices_after(db, session_id, ev)
            try:
                db.commit()
            except IntegrityError:  # another process wrote the same seq or command id first
                db.rollback()
                raise SeqConflict(session_id) from None
            return stored

        return await self.run(work)

    async def command_seq(self, session_id: str, command: CommandKey) -> int | None:
        """Where the events of an already-run command ended, or None if it never ran."""

        def work(db: Session) -> int | None:
            row = earlier_command(db, session_id, command)
            return None if row is None else row.seq

        return await self.run(work)

    async def events(self, session_id: str, after: int = 0) -> list[Stored]:
        def work(db: Session) -> list[Stored]:
            rows = db.exec(select(EventRow).where(EventRow.session_id == session_id, col(EventRow.seq) > after)
                           .order_by(col(EventRow.seq)))
            return [(row.seq, event_from_dict(row.data)) for row in rows]

        return await self.run(work)

    # The audit log

    async def audit(self, *rows: AuditRow) -> None:
        def work(db: Session) -> None:
            db.add_all(rows)
            db.commit()

        await self.run(work)

    async def audit_log(self, session_id: str) -> list[AuditRow]:
        return await self.run(lambda db: list(db.exec(
            select(AuditRow).where(AuditRow.session_id == session_id).order_by(col(AuditRow.id)))))

    # Participant devices

    async def device(self, session_id: str, token: str) -> CredentialRow | None:
        """The credential a participant device's cookie holds, if it is one of this session's."""

        def work(db: Session) -> CredentialRow | None:
            row = db.get(CredentialRow, key_hash(token))
            return row if row is not None and row.session_id == session_id else None

        return await self.run(work)

    async def device_active(self, token: str, at: float) -> None:
        def work(db: Session) -> None:
            db.exec(update(CredentialRow).where(col(CredentialRow.token_hash) == key_hash(token))
                    .values(active_at=at))
            db.commit()

        await self.run(work)

    async def forget_device(self, token: str) -> None:
        def work(db: Session) -> None:
            row = db.get(CredentialRow, key_hash(token))
            if row is not None:
                db.delete(row)
                db.commit()

        await self.run(work)

    # Attempts at guessing (passwords, join codes)

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

    async def let_back_in_code(self, session_id: str, participant_id: str, issued_by: str, at: float,
                               expires_at: float, audit: AuditRow) -> str:
        """A new one-time code that lets `participant_id` back in on another device; any earlier unused code
        for them stops working. Only its hash is stored, with the audit row of who asked for it."""

        def work(db: Session) -> str:
            db.exec(delete(ReturnCodeRow).where(col(ReturnCodeRow.session_id) == session_id,
                                                col(ReturnCodeRow.participant_id) == participant_id,
                                                col(ReturnCodeRow.used_at).is_(None)))
            for _ in range(20):
                code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(RETURN_CODE_LENGTH))
                if db.get(ReturnCodeRow, key_hash(code)) is None:
                    break
            else:
                raise RuntimeError("could not draw an unused let-back-in code")
            db.add(ReturnCodeRow(code_hash=key_hash(code), session_id=session_id, participant_id=participant_id,
                                 issued_by=issued_by, issued_at=at, expires_at=expires_at))
            db.add(audit)
            db.commit()
            return code

        return await self.run(work)

    async def return_code(self, code: str) -> ReturnCodeRow | None:
        return await self.run(lambda db: db.get(ReturnCodeRow, key_hash(code)))

    async def let_back_in(self, code: str, device: NewDevice, audit: Callable[[ReturnCodeRow], AuditRow]
                          ) -> ReturnCodeRow | None:
        """Use a let-back-in code, once: the new device becomes its participant, and every older device
        credential of theirs is forgotten (a lost tablet must not stay them). None when the code is unknown,
        used or expired. `audit` makes the row recording the use."""

        def work(db: Session) -> ReturnCodeRow | None:
            row = db.get(ReturnCodeRow, key_hash(code))
            if row is None or row.used_at is not None or row.expires_at <= device.at:
                return None
            used = db.exec(update(ReturnCodeRow).where(col(ReturnCodeRow.code_hash) == row.code_hash,
                                                       col(ReturnCodeRow.used_at).is_(None)).values(used_at=device.at))
            if used.rowcount != 1:  # the same code, used by another device at this very moment
                db.rollback()
                return None
            db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == row.session_id,
                                                col(CredentialRow.participant_id) == row.participant_id))
            db.add(CredentialRow(token_hash=key_hash(device.token), session_id=row.session_id,
                                 participant_id=row.participant_id, shared=device.shared, active_at=device.at))
            db.add(audit(row))
            db.commit()
            row.used_at = device.at
            return row

        return await self.run(work)

    # Staff accounts

    async def add_user(self, *, username: str, name: str, role: str, password_hash: str, at: float) -> UserRow:
        """A new account; `UsernameTaken` if the username is in use."""
        row = UserRow(id=new_id(), username=username, name=name, role=role, password_hash=password_hash,
                      created_at=at)

        def work(db: Session) -> UserRow:
            db.add(row)
            try:
                db.commit()
            except IntegrityError:
                db.rollback()
                raise UsernameTaken(username) from None
            return row

        return await self.run(work)

    async def users(self) -> list[UserRow]:
        return await self.run(lambda db: list(db.exec(select(UserRow).order_by(col(UserRow.username)))))

    async def user(self, user_id: str) -> UserRow | None:
        return await self.run(lambda db: db.get(UserRow, user_id))

    async def user_by_username(self, username: str) -> UserRow | None:
        return await self.run(lambda db: db.exec(select(UserRow).where(UserRow.username == username)).first())

    async def update_user(self, username: str, at: float, why: str | None, **values: object) -> UserRow:
        """Change an account (`password_hash`, `disabled`); with a `why`, its sign-ins end for that reason."""

        def work(db: Session) -> UserRow:
            row = db.exec(select(UserRow).where(UserRow.username == username)).first()
            if row is None:
                raise LookupError(username)
            for name, value in values.items():
                setattr(row, name, value)
            db.add(row)
            if why is not None:
                db.exec(update(SignInRow).where(col(SignInRow.user_id) == row.id, col(SignInRow.ended_at).is_(None))
                        .values(ended_at=at, ended_why=why))
            db.commit()
            return row

        return await self.run(work)

    # Staff sign-ins

    async def start_sign_in(self, user_id: str, device: str, at: float) -> str:
        """A new sign-in for `user_id`; returns the token for its cookie (only its hash is kept)."""
        token = new_key()

        def work(db: Session) -> None:
            db.add(SignInRow(token_hash=key_hash(token), user_id=user_id, device=device, started_at=at, active_at=at))
            db.commit()

        await self.run(work)
        return token

    async def sign_in(self, token: str) -> tuple[SignInRow, UserRow] | None:
        def work(db: Session) -> tuple[SignInRow, UserRow] | None:
            row = db.get(SignInRow, key_hash(token))
            if row is None:
                return None
            user = db.get(UserRow, row.user_id)
            return None if user is None else (row, user)

        return await self.run(work)

    async def sign_in_active(self, token: str, at: float) -> None:
        def work(db: Session) -> None:
            db.exec(update(SignInRow).where(col(SignInRow.token_hash) == key_hash(token),
                                            col(SignInRow.ended_at).is_(None)).values(active_at=at))
            db.commit()

        await self.run(work)

    async def end_sign_in(self, token: str, at: float, why: str) -> None:
        def work(db: Session) -> None:
            db.exec(update(SignInRow).where(col(SignInRow.token_hash) == key_hash(token),
                                            col(SignInRow.ended_at).is_(None)).values(ended_at=at, ended_why=why))
            db.commit()

        await self.run(work)

    async def last_sign_ins(self) -> dict[str, float]:
        """When each account last signed in, by user id."""

        def work(db: Session) -> dict[str, float]:
            last: dict[str, float] = {}
            for row in db.exec(select(SignInRow)):
                last[row.user_id] = max(last.get(row.user_id, 0.0), row.started_at)
            return last

        return await self.run(work)
