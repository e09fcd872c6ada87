"""A clinic's program: cohorts, their schedules of sessions and their rosters, as plain tables.

Every change is written with its audit row in one transaction, and every read of a roster is audited:
the roster is health data. The checks a person's input gets live in `program_forms.py`, shared by the staff
pages and the command line; the checks that need the other rows (the same patient twice, an archived
cohort) are made here, in the transaction that writes.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain.events import SessionScheduled
from ..domain.history import RosterEntry
from ..domain.names import comparable
from ..domain.settings import PlannerSettings
from ..program.schedule import Slot
from .engine import Database
from .keys import key_hash, new_id, new_join_code, new_key
from .program_forms import CohortFields, PatientFields, ProgramError
from .tables import AuditRow, CohortRow, EventRow, PatientRow, SessionRow

T = TypeVar("T")

JOIN_CODE_DRAWS = 20
WRITE_RETRIES = 5  # another process took a join code between the check and the commit: draw again
def audited(audit: AuditRow, **about: object) -> AuditRow:
    """A copy of the caller's audit row saying what it was about (the cohort, the session, the patient)."""
    return AuditRow(**{**audit.model_dump(exclude={"id"}), **about})


def writable(db: Session, cohort_id: str) -> CohortRow:
    """The cohort, for a change; `LookupError` if there is none, `ProgramError` if it is archived."""
    row = db.get(CohortRow, cohort_id)
    if row is None:
        raise LookupError(f"no cohort {cohort_id!r}")
    if row.archived_at is not None:
        raise ProgramError("cohort", f"The cohort {row.name} is archived: it is kept as it was and cannot change.")
    return row


def same_person(fields: PatientFields, other: PatientRow) -> str | None:
    """Why `other` is the patient `fields` describe, or None: the same chart number, or the same clinic name
    with the same birth date (or neither has one) and no two chart numbers telling them apart."""
    if fields.mrn is not None and fields.mrn == other.mrn:
        return f"A patient with chart number {fields.mrn} is already on this roster."
    if comparable(fields.clinic_name) != comparable(other.clinic_name) or fields.birth_date != other.birth_date:
        return None
    if fields.mrn is not None and other.mrn is not None:
        return None  # two people of one name and birthday, with their own charts
    born = f", born {other.birth_date}," if other.birth_date else ""
    telling = "a date of birth" if fields.mrn is not None else "a chart number or date of birth"
    return (f"{other.clinic_name}{born} is already on this roster: change their entry, or give {telling} "
            "if this is someone else.")


def check_not_enrolled(db: Session, cohort_id: str, fields: PatientFields, except_id: str = "") -> None:
    others = db.exec(select(PatientRow).where(PatientRow.cohort_id == cohort_id, PatientRow.id != except_id))
    for other in others:
        why = same_person(fields, other)
        if why is not None:
            raise ProgramError("mrn" if fields.mrn is not None and fields.mrn == other.mrn else "clinic_name", why)


def add_session(db: Session, *, title: str, cohort: str, cohort_id: str | None, starts_at: float, ends_at: float,
                vote_budget: int, timebox_minutes: int, projector_key: str,
                planner: PlannerSettings = PlannerSettings()) -> SessionRow:
    """A new session row with an unused join code, and its first event (not yet committed)."""
    for _ in range(JOIN_CODE_DRAWS):
        code = new_join_code()
        if db.exec(select(SessionRow.id).where(SessionRow.join_code == code)).first() is None:
            break
    else:
        raise RuntimeError("could not draw an unused join code")
    row = SessionRow(id=new_id(), cohort=cohort, cohort_id=cohort_id, title=title, join_code=code,
                     starts_at=starts_at, ends_at=ends_at, projector_key_hash=key_hash(projector_key), last_seq=1)
    first = SessionScheduled(row.id, title, cohort, starts_at, ends_at, code, vote_budget=vote_budget,
                             timebox_minutes=timebox_minutes, **planner.to_dict())
    db.add(row)
    db.flush()  # the session row before its first event (foreign key)
    db.add(EventRow(session_id=row.id, seq=1, type=first.type, data=first.to_dict(), recorded_at=time.time()))
    return row


def committed(db: Session, work: Callable[[], T], clash: Callable[[], ProgramError] | None = None) -> T:
    """Run `work` and commit, again if another process took a join code first; an `IntegrityError`
    that is not a join code is `clash()` when given (the unique chart number)."""
    for _ in range(WRITE_RETRIES):
        try:
            result = work()  # flushes: the clash can come here as well as at the commit
            db.commit()
        except IntegrityError as error:
            db.rollback()
            if "join_code" in str(error):
                continue
            if clash is None:
                raise
            raise clash() from None
        return result
    raise RuntimeError("could not draw an unused join code")


def sorted_by_name(rows: Sequence[CohortRow]) -> list[CohortRow]:
    return sorted(rows, key=lambda row: (comparable(row.name), row.id))


class Program(Database):
    """Cohorts, their schedules and rosters. A cohort or patient id that names none is a `LookupError`
    (a page's 404); input the program cannot take is a `ProgramError`, and nothing is written."""

    # Cohorts

    async def create_cohort(self, fields: CohortFields, at: float, audit: AuditRow) -> CohortRow:
        row = CohortRow(id=new_id(), created_at=at, **asdict(fields))

        def work(db: Session) -> CohortRow:
            db.add(row)
            db.flush()  # the cohort before the audit row naming it
            db.add(audited(audit, cohort_id=row.id, session_id=None))
            db.commit()
            return row

        return await self.run(work)

    async def update_cohort(self, cohort_id: str, fields: CohortFields, audit: AuditRow) -> CohortRow:
        def work(db: Session) -> CohortRow:
            row = writable(db, cohort_id)
            for name, value in asdict(fields).items():
                setattr(row, name, value)
            db.add(row)
            db.add(audited(audit, cohort_id=cohort_id, session_id=None))
            db.commit()
            return row

        return await self.run(work)

    async def archive_cohort(self, cohort_id: str, at: float, audit: AuditRow) -> CohortRow:
        """Keep the cohort as it is, read-only; archiving it again changes nothing."""

        def work(db: Session) -> CohortRow:
            row = db.get(CohortRow, cohort_id)
            if row is None:
                raise LookupError(f"no cohort {cohort_id!r}")
            if row.archived_at is None:
                row.archived_at = at
                db.add(row)
                db.add(audited(audit, cohort_id=cohort_id, session_id=None))
                db.commit()
            return row

        return await self.run(work)

    async def cohorts(self, include_archived: bool = False) -> list[CohortRow]:
        def work(db: Session) -> list[CohortRow]:
            query = select(CohortRow)
            if not include_archived:
                query = query.where(col(CohortRow.archived_at).is_(None))
            return sorted_by_name(list(db.exec(query)))

        return await self.run(work)

    async def cohort(self, cohort_id: str) -> CohortRow | None:
        return await self.run(lambda db: db.get(CohortRow, cohort_id))

    async def cohort_sessions(self, cohort_id: str) -> list[SessionRow]:
        """The cohort's sessions by when they start, cancelled ones too."""
        return await self.run(lambda db: list(db.exec(
            select(SessionRow).where(SessionRow.cohort_id == cohort_id)
            .order_by(col(SessionRow.starts_at), col(SessionRow.id)))))

    # The schedule

    async def schedule_sessions(self, cohort_id: str, slots: list[Slot], audit: AuditRow) -> list[SessionRow]:
        """A session for each slot, made with the cohort's settings, all or none; an audit row for each.
        Each has its own join code; its display link is issued later, from its page."""
        if not slots:
            raise ProgramError("slots", "There are no sessions to add.")
        wrong = next((slot for slot in slots if slot.ends_at <= slot.starts_at), None)
        if wrong is not None:
            raise ProgramError("end", "A session's end must be after its start.")

        def work(db: Session) -> list[SessionRow]:
            cohort = writable(db, cohort_id)

            def add_all() -> list[SessionRow]:
                made = [add_session(db, title=cohort.name, cohort=cohort.name, cohort_id=cohort_id,
                                    starts_at=slot.starts_at, ends_at=slot.ends_at, vote_budget=cohort.vote_budget,
                                    timebox_minutes=cohort.timebox_minutes, projector_key=new_key(),
                                    planner=PlannerSettings.of(cohort))
                        for slot in slots]
                db.add_all([audited(audit, cohort_id=cohort_id, session_id=row.id) for row in made])
                return made

            return committed(db, add_all)

        return await self.run(work)

    # The roster

    async def enrol(self, cohort_id: str, fields: PatientFields, at: float, audit: AuditRow) -> PatientRow:
        """Put a patient on the cohort's roster; `ProgramError` if they are on it already."""

        def work(db: Session) -> PatientRow:
            writable(db, cohort_id)
            check_not_enrolled(db, cohort_id, fields)
            row = PatientRow(id=new_id(), cohort_id=cohort_id, clinic_name=fields.clinic_name,
                             display_name=fields.display_name, enrolled_at=at)
            entered(row, fields, at)

            def add() -> PatientRow:
                db.add(row)
                db.add(audited(audit, cohort_id=cohort_id, session_id=None, subject=row.id))
                return row

            return committed(db, add, lambda: duplicate_mrn(fields))

        return await self.run(work)

    async def update_patient(self, patient_id: str, fields: PatientFields, audit: AuditRow) -> PatientRow:
        """Change a patient's entry (`left` takes them off the roster, or back on)."""

        def work(db: Session) -> PatientRow:
            row = db.get(PatientRow, patient_id)
            if row is None:
                raise LookupError(f"no patient {patient_id!r}")
            writable(db, row.cohort_id)
            check_not_enrolled(db, row.cohort_id, fields, except_id=patient_id)
            entered(row, fields, audit.at)

            def change() -> PatientRow:
                db.add(row)
                db.add(audited(audit, cohort_id=row.cohort_id, session_id=None, subject=patient_id))
                return row

            return committed(db, change, lambda: duplicate_mrn(fields))

        return await self.run(work)

    async def roster(self, cohort_id: str, audit: AuditRow) -> list[PatientRow]:
        """The cohort's patients, those enrolled first, by name; a "viewed" row for each one shown."""

        def work(db: Session) -> list[PatientRow]:
            rows = sorted(db.exec(select(PatientRow).where(PatientRow.cohort_id == cohort_id)),
                          key=lambda row: (row.left_at is not None, comparable(row.clinic_name), row.id))
            db.add_all([audited(audit, cohort_id=cohort_id, session_id=None, subject=row.id) for row in rows])
            db.commit()
            return rows

        return await self.run(work)

    async def patient(self, patient_id: str, audit: AuditRow) -> PatientRow | None:
        """One patient's entry, with a "viewed" row when there is one."""

        def work(db: Session) -> PatientRow | None:
            row = db.get(PatientRow, patient_id)
            if row is not None:
                db.add(audited(audit, cohort_id=row.cohort_id, session_id=None, subject=patient_id))
                db.commit()
            return row

        return await self.run(work)

    async def roster_entries(self, cohort_id: str, include_left: bool = False) -> list[RosterEntry]:
        """What a live session needs of the roster (no chart numbers, no birth dates); not audited here:
        the live channel audits what its screens show. Those who left only with `include_left` (the record)."""

        def work(db: Session) -> list[RosterEntry]:
            query = select(PatientRow).where(PatientRow.cohort_id == cohort_id)
            if not include_left:
                query = query.where(col(PatientRow.left_at).is_(None))
            rows = sorted(db.exec(query), key=lambda row: (comparable(row.clinic_name), row.id))
            return [RosterEntry(patient_id=row.id, display_name=row.display_name, clinic_name=row.clinic_name,
                                language=row.language, agreement_signed=row.agreement_signed_on is not None)
                    for row in rows]

        return await self.run(work)

    async def cohort_version(self, cohort_id: str, session_id: str) -> tuple[int, int, int]:
        """What changes whenever what the cohort carries into `session_id` may have: an event in another of
        its sessions (held, rescheduled, cancelled), a session added, or a roster or schedule change (each is
        audited). Two small counts, so a live session can tell cheaply whether to read its continuity again."""

        def work(db: Session) -> tuple[int, int, int]:
            others = db.exec(select(func.count(), func.coalesce(func.sum(SessionRow.last_seq), 0)).where(
                SessionRow.cohort_id == cohort_id, col(SessionRow.id) != session_id)).one()
            changes = db.exec(select(func.count()).select_from(AuditRow).where(
                AuditRow.cohort_id == cohort_id, AuditRow.action == "changed")).one()
            return int(others[0]), int(others[1]), int(changes)

        return await self.run(work)

    async def cohort_audit_log(self, cohort_id: str) -> list[AuditRow]:
        """The cohort's audit rows (its roster and schedule; its sessions' own rows are theirs), oldest first."""
        return await self.run(lambda db: list(db.exec(
            select(AuditRow).where(AuditRow.cohort_id == cohort_id).order_by(col(AuditRow.id)))))


def entered(row: PatientRow, fields: PatientFields, at: float) -> None:
    """`row` as `fields` say; leaving (or coming back) at `at`."""
    for name, value in asdict(fields).items():
        if name != "left":
            setattr(row, name, value)
    if fields.left != (row.left_at is not None):
        row.left_at = at if fields.left else None


def duplicate_mrn(fields: PatientFields) -> ProgramError:
    return ProgramError("mrn", f"A patient with chart number {fields.mrn} is already on this roster.")
