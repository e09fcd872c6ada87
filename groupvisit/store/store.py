"""Sessions, their event logs and the audit log, on SQLAlchemy through SQLModel; `Store` gathers them
with the devices, guessing attempts and staff accounts kept in their own modules.

`append` is the one write that matters: a session's next events get the next
sequence numbers in one transaction, or none do.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain.events import (Event, ParticipantJoined, ParticipantMarked, SessionCancelled, SessionClosed,
                              SessionRescheduled, event_from_dict)
from ..domain.settings import PlannerSettings
from .attempts import Attempts
from .devices import Devices, NewDevice
from .keys import key_hash, new_id
from .program import Program, add_session, committed, writable
from .staff import Staff
from .tables import AuditRow, CommandRow, CredentialRow, EventRow, SessionRow

Stored = tuple[int, Event]


@dataclass(frozen=True)
class CommandKey:
    """A command's id as its sender scoped it: ids are unique per credential (`Granted.sender`), not per
    session, so one screen's id never stands for another screen's command."""

    sender: str
    command_id: str


class SeqConflict(Exception):
    """Another writer appended to the session first: reload and decide again."""


class DuplicateCommand(Exception):
    """The command was already run (same sender, same id); `seq` is where its events ended."""

    def __init__(self, seq: int) -> None:
        super().__init__(seq)
        self.seq = seq


def earlier_command(db: Session, session_id: str, key: CommandKey) -> CommandRow | None:
    """The command `key` names, if it already ran. A row stored before ids were per sender (sender "")
    answers every sender: a command in flight across that upgrade must not run twice."""
    return db.exec(select(CommandRow).where(
        CommandRow.session_id == session_id, CommandRow.command_id == key.command_id,
        or_(col(CommandRow.sender) == key.sender, col(CommandRow.sender) == ""))).first()


def forget_devices_after(db: Session, session_id: str, event: Event) -> None:
    """Devices that stop being anyone with `event`: a participant's checked in by mistake (their screen
    closes), and every shared tablet's when the session closes (back to the join page for the next group)."""
    if isinstance(event, ParticipantMarked) and event.status == "mistake":
        db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == session_id,
                                            col(CredentialRow.participant_id) == event.participant_id))
    elif isinstance(event, SessionClosed):
        db.exec(delete(CredentialRow).where(col(CredentialRow.session_id) == session_id,
                                            col(CredentialRow.shared).is_(True)))


def mirror(db: Session, session_id: str, event: Event) -> None:
    """Keep the session row's copy of its times and cancellation the same as its log says."""
    if isinstance(event, SessionRescheduled):
        db.exec(update(SessionRow).where(col(SessionRow.id) == session_id)
                .values(starts_at=event.starts_at, ends_at=event.ends_at))
    elif isinstance(event, SessionCancelled):
        db.exec(update(SessionRow).where(col(SessionRow.id) == session_id).values(cancelled_at=event.at))


class Store(Devices, Attempts, Staff, Program):
    """Every table: sessions, their event logs and audit log here; devices, attempts, staff and the
    program (cohorts, schedules, rosters) in their own modules."""

    # Sessions

    async def create_session(self, *, title: str, cohort: str = "", starts_at: float, ends_at: float,
                             vote_budget: int = 3, timebox_minutes: int = 8,
                             cohort_id: str | None = None) -> tuple[SessionRow, str]:
        """A new session with its first event; returns it and the projector's key (shown once).
        With `cohort_id` it belongs to that cohort (named after it when `cohort` is "") and has its planner's
        settings."""
        projector_key = new_id() + new_id()

        def work(db: Session) -> SessionRow:
            name, planner = cohort, PlannerSettings()
            if cohort_id is not None:
                in_cohort = writable(db, cohort_id)  # an archived cohort takes no new session, however named
                name, planner = cohort or in_cohort.name, PlannerSettings.of(in_cohort)
            return committed(db, lambda: add_session(
                db, title=title, cohort=name, cohort_id=cohort_id, starts_at=starts_at, ends_at=ends_at,
                vote_budget=vote_budget, timebox_minutes=timebox_minutes, projector_key=projector_key,
                planner=planner))

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
                mirror(db, session_id, ev)
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
