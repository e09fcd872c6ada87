"""The cohorts: the list, a new one, its page (the schedule and a roster summary), editing, archiving, and the
cohort over time (the shared assessment, derived from its sessions' logs)."""

from dataclasses import fields
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole, StaffMember
from ..domain.history import HeldSession, cohort_record
from ..domain.phases import Phase
from ..domain.settings import GLUCOSE_THRESHOLDS, GLUCOSE_UNITS, WEIGHT_UNITS, PlannerSettings
from ..program import clinic_time
from ..store import ProgramError
from ..store import CohortFields
from ..store.tables import AuditRow, CohortRow, SessionRow
from . import csrf
from .access import device_of
from .pages import render, sessions_of
from .sign_in_pages import staff_member

MANAGERS = (AccountRole.ADMIN, AccountRole.FACILITATOR)  # who sets up cohorts, their schedule and roster
READERS = (AccountRole.ADMIN, AccountRole.FACILITATOR, AccountRole.CLINICIAN)
COHORT_FIELDS = ("name", "condition", "languages", "kind", "planned_sessions", "session_minutes", "vote_budget",
                 "timebox_minutes", "room", *(f.name for f in fields(PlannerSettings)))
LANGUAGES = {"en": "English", "es": "Spanish"}
KINDS = {"series": "Closed series", "drop_in": "Drop-in group"}


def zone_of(request: Request) -> str:
    zone: str = request.state.settings.time_zone
    return zone


def program_audit_row(request: Request, member: StaffMember, cohort_id: str, action: str, what: str,
                      subject: str = "", session_id: str | None = None) -> AuditRow:
    """What a staff member saw or changed of a cohort, its schedule or its roster."""
    return AuditRow(cohort_id=cohort_id, session_id=session_id, at=sessions_of(request).clock.now(),
                    role=member.role.value, actor_id=member.id, actor_name=member.name, device=device_of(request),
                    action=action, what=what, subject=subject)


async def cohort_or_404(request: Request) -> CohortRow:
    cohort = await sessions_of(request).store.cohort(request.path_params["cohort_id"])
    if cohort is None:
        raise HTTPException(404, "There is no such cohort.")
    return cohort


def typed(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """What the person typed in each field (several ticked boxes of one name joined by commas)."""
    return {name: ",".join(str(value) for value in form.getlist(name)) for name in names}


def can_manage(member: StaffMember) -> bool:
    return member.role in MANAGERS


# ---- the list and a new cohort ----------------------------------------------------------------------------

async def cohorts_page(request: Request) -> Response:
    member = await staff_member(request, *READERS)
    store = sessions_of(request).store
    rows = [{"cohort": cohort, "sessions": len(await store.cohort_sessions(cohort.id))}
            for cohort in await store.cohorts(include_archived=True)]
    return render(request, "staff/cohorts.html", {"member": member, "title": "Cohorts", "rows": rows,
                                                  "kinds": KINDS, "manage": can_manage(member)})


def as_typed(value: object) -> str:
    """A cohort's value as a person would type it: 7 minutes, not 7.0."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def cohort_form_values(cohort: CohortRow | None) -> dict[str, str]:
    """The form as it first shows: the cohort's values, or a new cohort's defaults."""
    if cohort is None:
        cohort = CohortRow(id="", name="", kind="series", planned_sessions=6, created_at=0.0)
    values = {name: as_typed(getattr(cohort, name)) for name in COHORT_FIELDS}
    if (cohort.glucose_low, cohort.glucose_high) == GLUCOSE_THRESHOLDS[cohort.glucose_unit]:
        values["glucose_low"] = values["glucose_high"] = ""  # the unit's own: they follow it when it changes
    return values


def cohort_form(request: Request, member: StaffMember, cohort: CohortRow | None, values: dict[str, str],
                error: ProgramError | None = None) -> Response:
    context = {"member": member, "title": f"Edit {cohort.name}" if cohort else "New cohort", "cohort": cohort,
               "values": values, "errors": {error.field: error.message} if error else {},
               "languages": LANGUAGES, "kinds": KINDS, "read_only": bool(cohort and cohort.archived_at),
               "glucose_units": GLUCOSE_UNITS, "weight_units": WEIGHT_UNITS, "thresholds": GLUCOSE_THRESHOLDS}
    return render(request, "staff/cohort_form.html", context, 400 if error else 200)


async def new_cohort_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    return cohort_form(request, member, None, cohort_form_values(None))


async def new_cohort_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    values = typed(await csrf.checked_form(request), COHORT_FIELDS)
    store = sessions_of(request).store
    try:
        fields = CohortFields.from_form(values)
        cohort = await store.create_cohort(fields, sessions_of(request).clock.now(),
                                           program_audit_row(request, member, "", "changed", "created the cohort"))
    except ProgramError as error:
        return cohort_form(request, member, None, values, error)
    return RedirectResponse(f"/cohorts/{cohort.id}", status_code=303)


async def edit_cohort_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    return cohort_form(request, member, cohort, cohort_form_values(cohort))


async def edit_cohort_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    values = typed(await csrf.checked_form(request), COHORT_FIELDS)
    try:
        fields = CohortFields.from_form(values)
        await sessions_of(request).store.update_cohort(
            cohort.id, fields, program_audit_row(request, member, cohort.id, "changed", "edited the cohort"))
    except ProgramError as error:
        return cohort_form(request, member, cohort, values, error)
    return RedirectResponse(f"/cohorts/{cohort.id}?done=saved", status_code=303)


async def archive_cohort(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    await csrf.checked_form(request)
    if cohort.archived_at is None:  # archiving twice (a second tab) leaves it as it was
        await sessions_of(request).store.archive_cohort(
            cohort.id, sessions_of(request).clock.now(),
            program_audit_row(request, member, cohort.id, "changed", "archived the cohort"))
    return RedirectResponse(f"/cohorts/{cohort.id}?done=archived", status_code=303)


# ---- the cohort's page: its schedule ------------------------------------------------------------------------

async def session_status(request: Request, session: SessionRow) -> str:
    """What the schedule says of a session: cancelled, held (closed), running now, or scheduled."""
    if session.cancelled_at is not None:
        return "Cancelled"
    phase = (await sessions_of(request).get(session.id)).state.phase
    if phase is Phase.CLOSED:
        return "Held"
    return "Scheduled" if phase is Phase.CHECK_IN else "Running now"


async def schedule_rows(request: Request, cohort: CohortRow) -> list[dict[str, Any]]:
    zone = zone_of(request)
    rows = []
    for number, session in enumerate(await sessions_of(request).store.cohort_sessions(cohort.id), start=1):
        status = await session_status(request, session)
        rows.append({"number": number, "session": session, "status": status,
                     "starts": clinic_time.show(session.starts_at, zone),
                     "ends": clinic_time.local(session.ends_at, zone).strftime("%H:%M"),
                     "changeable": status == "Scheduled" and cohort.archived_at is None})
    return rows


def series_defaults(cohort: CohortRow, scheduled: int) -> dict[str, str]:
    """A series form for the sessions the cohort still lacks, at 10:00 for its usual length."""
    end_minutes = 10 * 60 + cohort.session_minutes
    end = f"{min(end_minutes // 60, 23):02d}:{end_minutes % 60:02d}"
    planned = cohort.planned_sessions or 6
    return {"first": "", "nth": "2", "weekday": "1", "start": "10:00", "end": end,
            "count": str(max(planned - scheduled, 1))}


def one_defaults(cohort: CohortRow) -> dict[str, str]:
    series = series_defaults(cohort, 0)
    return {"date": "", "start": series["start"], "end": series["end"]}


async def cohort_page(request: Request, *, series: dict[str, str] | None = None,
                      one: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                      notice: str = "") -> Response:
    """The cohort, its schedule and its roster's size; the schedule's forms keep what was typed on an error."""
    member = await staff_member(request, *READERS)
    cohort = await cohort_or_404(request)
    rows = await schedule_rows(request, cohort)
    roster = await sessions_of(request).store.roster_entries(cohort.id)  # counts only: no one's name shows here
    context = {
        "member": member, "title": cohort.name, "cohort": cohort, "rows": rows, "kinds": KINDS,
        "languages": LANGUAGES, "manage": can_manage(member) and cohort.archived_at is None,
        "roster_link": can_manage(member), "enrolled": len(roster),
        "no_agreement": sum(1 for entry in roster if not entry.agreement_signed),
        "series": series or series_defaults(cohort, len([r for r in rows if r["status"] != "Cancelled"])),
        "one": one or one_defaults(cohort), "errors": errors or {},
        "notice": notice or DONE.get(request.query_params.get("done", ""), ""),
        "weekdays": WEEKDAYS, "weeks": WEEKS, "zone": zone_of(request),
    }
    return render(request, "staff/cohort.html", context, 400 if errors else 200)


async def cohort_view(request: Request) -> Response:
    return await cohort_page(request)


# What a change that went back to the cohort's page did, by the code in its `?done=` (never text from the address).
DONE = {"series": "The series is scheduled.", "session": "The session is added.",
        "rescheduled": "The session is rescheduled.", "cancelled": "The session is cancelled.",
        "archived": "The cohort is archived: it is kept, read-only.", "saved": "The cohort is saved."}
WEEKDAYS = {str(number): name for number, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))}
WEEKS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "5": "5th", "-1": "Last", "weekly": "Every week"}


# ---- the cohort over time ----------------------------------------------------------------------------------

async def over_time_page(request: Request) -> Response:
    """Attendance, evaluations, goals and follow-ups, and topics, session by session (audited: it names
    patients and what they said)."""
    member = await staff_member(request, *READERS)
    cohort = await cohort_or_404(request)
    sessions, store = sessions_of(request), sessions_of(request).store
    zone = zone_of(request)
    held = []
    for session in await store.cohort_sessions(cohort.id):
        state = (await sessions.get(session.id)).state
        held.append(HeldSession(session.id, session.starts_at, session.ends_at, session.cancelled_at is not None,
                                state))
    roster = await store.roster_entries(cohort.id)
    # It names each enrolled patient with their attendance: one "viewed" row for each, as the roster does.
    await store.audit(*[program_audit_row(request, member, cohort.id, "viewed", "the cohort over time",
                                          subject=entry.patient_id) for entry in roster]
                      or [program_audit_row(request, member, cohort.id, "viewed", "the cohort over time")])
    record = cohort_record(roster, held, sessions.clock.now())
    days = {item.session_id: clinic_time.show(item.starts_at, zone).split(",")[0] for item in held}
    context = {"member": member, "title": f"{cohort.name} over time", "cohort": cohort, "record": record,
               "days": days}
    return render(request, "staff/over_time.html", context)
