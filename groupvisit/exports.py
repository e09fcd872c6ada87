"""A session's or a cohort's exports read from the store, with an audit row for every patient whose data each one
holds: what the staff routes and `groupvisit export` both serve. The outputs themselves are read models
(`groupvisit.outputs`); this is where they meet the store."""

from zoneinfo import ZoneInfo

from .continuity import held_session, held_sessions
from .domain.history import RosterEntry
from .domain.summary import COLUMNS as SUMMARY_COLUMNS, chart_summary
from .outputs.attendance import COLUMNS as ATTENDANCE_COLUMNS, attendance
from .outputs.enrolment import CohortRoster, Enrolment
from .outputs.spreadsheet import csv_text
from .store import Store
from .store.program import audited
from .store.tables import AuditRow, CohortRow, SessionRow


async def cohort_roster(store: Store, cohort: CohortRow, audit: AuditRow) -> CohortRoster:
    """Everyone ever on the cohort's roster, with their chart numbers: an `audit` row (in the cohort's log) for each,
    as every read of the roster has."""
    rows = await store.roster(cohort.id, audit)
    return CohortRoster(cohort.id, cohort.name, tuple(
        Enrolment(RosterEntry(row.id, row.display_name, row.clinic_name, row.language,
                              row.agreement_signed_on is not None), row.mrn, row.enrolled_at, row.left_at)
        for row in rows))


async def fhir_json(store: Store, session: SessionRow, zone: ZoneInfo, audit: AuditRow) -> str:
    """The session as a FHIR R4B Bundle in JSON. Audited with `audit` (a row for each patient of the cohort's roster,
    who are the Group's members, and for each participant in the bundle)."""
    # Imported here: fhir.resources' models take half a second to load, which no other command or page should wait for.
    from .outputs.fhir import session_bundle

    held = await held_session(store, session)
    cohort = await store.cohort(session.cohort_id) if session.cohort_id is not None else None
    roster = await cohort_roster(store, cohort, audit) if cohort is not None else None
    people = sorted(held.state.took_part(), key=lambda p: p.joined_at)  # those checked in by mistake are left out
    await store.audit(*[audited(audit, session_id=session.id, subject=p.id) for p in people]
                      or ([] if roster and roster.patients else [audited(audit, session_id=session.id)]))
    return session_bundle(held, roster, zone).model_dump_json(indent=2)


async def chart_summary_csv(store: Store, session: SessionRow, zone: ZoneInfo, audit: AuditRow) -> str:
    """The chart summary: one row per participant; an `audit` row for every participant of the session."""
    state = (await held_session(store, session)).state
    people = sorted(state.participants.values(), key=lambda p: p.joined_at)
    await store.audit(*(audited(audit, session_id=session.id, subject=p.id) for p in people))
    return csv_text(SUMMARY_COLUMNS, chart_summary(state, zone))


async def attendance_csv(store: Store, cohort: CohortRow, zone: ZoneInfo, now: float, audit: AuditRow) -> str:
    """Attendance and evaluations across the cohort's sessions, as of `now`. Audited with `audit`: a row in the
    cohort's log for each patient of its roster, and in each session's log for each participant who took part."""
    roster = await cohort_roster(store, cohort, audit)
    sessions = await held_sessions(store, cohort.id)
    rows = [audited(audit, session_id=s.session_id, cohort_id=None, subject=p.id)
            for s in sessions for p in sorted(s.state.took_part(), key=lambda p: p.joined_at)]
    await store.audit(*rows or ([] if roster.patients else [audited(audit, cohort_id=cohort.id, session_id=None)]))
    return csv_text(ATTENDANCE_COLUMNS, attendance(roster, sessions, now, zone))
