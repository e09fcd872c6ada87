"""Exports for the record, for staff: a session's chart summary (CSV) and FHIR bundle, a cohort's attendance and
evaluations (CSV). Every patient whose data is in one gets an audit row (`groupvisit.exports`)."""

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from .. import exports
from ..accounts import AccountRole
from ..program.schedule import zone_info
from ..store import Store
from ..store.tables import AuditRow, SessionRow
from .cohort_pages import cohort_or_404, program_audit_row
from .pages import session_or_404, sessions_of
from .sign_in_pages import staff_audit_row, staff_member

EXPORTERS = (AccountRole.ADMIN, AccountRole.FACILITATOR, AccountRole.CLINICIAN)
SessionExport = Callable[[Store, SessionRow, ZoneInfo, AuditRow], Awaitable[str]]


def download(text: str, media_type: str, filename: str) -> Response:
    return Response(text, media_type=media_type, headers={
        "content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"})


async def session_export(request: Request, what: str, export: SessionExport) -> str:
    member = await staff_member(request, *EXPORTERS)
    session = await session_or_404(request)
    zone = zone_info(request.state.settings.time_zone)
    return await export(sessions_of(request).store, session, zone,
                        staff_audit_row(request, member, session.id, "exported", what))


async def chart_summary_csv(request: Request) -> Response:
    text = await session_export(request, "chart summary", exports.chart_summary_csv)
    session_id = request.path_params["session_id"]
    return download(text, "text/csv; charset=utf-8", f"groupvisit-{session_id}-chart-summary.csv")


async def fhir_bundle(request: Request) -> Response:
    text = await session_export(request, "FHIR bundle", exports.fhir_json)
    session_id = request.path_params["session_id"]
    return download(text, "application/fhir+json; charset=utf-8", f"groupvisit-{session_id}-fhir.json")


async def cohort_attendance_csv(request: Request) -> Response:
    member = await staff_member(request, *EXPORTERS)
    cohort = await cohort_or_404(request)
    sessions = sessions_of(request)
    text = await exports.attendance_csv(sessions.store, cohort, zone_info(request.state.settings.time_zone),
                                        sessions.clock.now(),
                                        program_audit_row(request, member, cohort.id, "exported", "cohort attendance"))
    return download(text, "text/csv; charset=utf-8", f"groupvisit-{cohort.id}-attendance.csv")
