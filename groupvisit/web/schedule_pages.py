"""A cohort's schedule: a series from a pattern, one session more, and rescheduling or cancelling one.

Dates and times are typed in the clinic's zone and stored in UTC. A session that exists is changed through its
live session (the `reschedule` and `cancel_session` commands), so its own log stays the record of it.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import StaffMember
from ..domain import Actor, Role
from ..domain.commands import CancelSession, Command, Reschedule
from ..domain.errors import Refused
from ..program import clinic_time, schedule
from ..program.schedule import ScheduleError, Slot
from ..store import ProgramError
from ..store.tables import CohortRow, SessionRow
from . import csrf
from .access import device_of
from .cohort_pages import MANAGERS, cohort_or_404, cohort_page, program_audit_row, typed, zone_of
from .pages import render, session_or_404, sessions_of
from .sign_in_pages import staff_member

SERIES_FIELDS = ("first", "nth", "weekday", "start", "end", "count")
ONE_FIELDS = ("day", "start", "end")
RESCHEDULE_FIELDS = ("day", "start", "end")
REASON_LIMIT = 200


def whole_number(values: dict[str, str], name: str) -> int:
    try:
        return int(values[name].strip())
    except ValueError:
        raise ScheduleError(f"Enter a whole number, not {values[name]!r}.", name) from None


def series_slots(values: dict[str, str], zone: str) -> list[Slot]:
    """The series the form describes; `ScheduleError` naming the form's field otherwise."""
    first = clinic_time.parse_date(values["first"], "first")
    weekday, count = whole_number(values, "weekday"), whole_number(values, "count")
    start, end = clinic_time.parse_time(values["start"], "start"), clinic_time.parse_time(values["end"], "end")
    if values["nth"] == "weekly":
        return schedule.weekly(first, weekday, count, 1, start, end, zone)
    return schedule.monthly(first, weekday, whole_number(values, "nth"), count, start, end, zone)


def one_slot(values: dict[str, str], zone: str) -> Slot:
    day = clinic_time.parse_date(values["day"], "day")
    start, end = clinic_time.parse_time(values["start"], "start"), clinic_time.parse_time(values["end"], "end")
    return schedule.one(day, start, end, zone)


async def series_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    values = typed(await csrf.checked_form(request), SERIES_FIELDS)
    try:
        slots = series_slots(values, zone_of(request))
        await sessions_of(request).store.schedule_sessions(cohort.id, slots, program_audit_row(
            request, member, cohort.id, "changed", f"scheduled a series of {len(slots)} sessions"))
    except (ScheduleError, ProgramError) as error:
        return await cohort_page(request, series=values, errors={f"series-{error.field}": error.message})
    return RedirectResponse(f"/cohorts/{cohort.id}?done=series#schedule", status_code=303)


async def one_session_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    values = typed(await csrf.checked_form(request), ONE_FIELDS)
    try:
        slot = one_slot(values, zone_of(request))
        await sessions_of(request).store.schedule_sessions(cohort.id, [slot], program_audit_row(
            request, member, cohort.id, "changed", "added a session"))
    except (ScheduleError, ProgramError) as error:
        return await cohort_page(request, one=values, errors={f"one-{error.field}": error.message})
    return RedirectResponse(f"/cohorts/{cohort.id}?done=session#schedule", status_code=303)


# ---- one session: reschedule or cancel -----------------------------------------------------------------------

async def cohort_of(request: Request, session: SessionRow) -> CohortRow | None:
    return await sessions_of(request).store.cohort(session.cohort_id) if session.cohort_id else None


def session_values(request: Request, session: SessionRow) -> dict[str, str]:
    starts, ends = (clinic_time.local(at, zone_of(request)) for at in (session.starts_at, session.ends_at))
    return {"day": starts.date().isoformat(), "start": starts.strftime("%H:%M"), "end": ends.strftime("%H:%M"),
            "reason": ""}


async def session_page(request: Request, member: StaffMember, session: SessionRow, values: dict[str, str],
                       errors: dict[str, str] | None = None, status: int = 200) -> Response:
    cohort = await cohort_of(request, session)
    context = {"member": member, "title": f"Reschedule or cancel: {session.title}", "session": session,
               "cohort": cohort, "values": values, "errors": errors or {},
               "starts": clinic_time.show(session.starts_at, zone_of(request)),
               "ends": clinic_time.local(session.ends_at, zone_of(request)).strftime("%H:%M"),
               "back": f"/cohorts/{cohort.id}" if cohort else "/staff"}
    return render(request, "staff/schedule_session.html", context, status)


async def reschedule_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    session = await session_or_404(request)
    return await session_page(request, member, session, session_values(request, session))


async def change_session(request: Request, member: StaffMember, session: SessionRow, command: Command,
                         values: dict[str, str], field: str, done: str) -> Response:
    """Send `command` to the live session as this staff member; the form again, saying why, when refused."""
    cohort = await cohort_of(request, session)
    if cohort is not None and cohort.archived_at is not None:
        return await session_page(request, member, session, values,
                                  {field: "This cohort is archived: its schedule is kept as it was."}, 409)
    actor = Actor(Role.FACILITATOR, member.id, member.name)  # an admin changes the schedule as its organiser
    try:
        await sessions_of(request).execute(session.id, command, actor, device=device_of(request))
    except Refused as refused:
        return await session_page(request, member, session, values,
                                  {field: refused.reason[:1].upper() + refused.reason[1:] + "."}, 409)
    back = f"/cohorts/{cohort.id}?done={done}#schedule" if cohort else "/staff"
    return RedirectResponse(back, status_code=303)


async def reschedule_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    session = await session_or_404(request)
    values = {**typed(await csrf.checked_form(request), RESCHEDULE_FIELDS), "reason": ""}
    try:
        slot = one_slot(values, zone_of(request))
    except ScheduleError as error:
        return await session_page(request, member, session, values, {error.field: error.message}, 400)
    return await change_session(request, member, session, Reschedule(slot.starts_at, slot.ends_at), values,
                                "reschedule", "rescheduled")


async def cancel_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    session = await session_or_404(request)
    reason = " ".join(str((await csrf.checked_form(request)).get("reason", "")).split())
    values = {**session_values(request, session), "reason": reason}
    if len(reason) > REASON_LIMIT:
        return await session_page(request, member, session, values,
                                  {"reason": f"Write at most {REASON_LIMIT} characters."}, 400)
    return await change_session(request, member, session, CancelSession(reason), values, "reason", "cancelled")
