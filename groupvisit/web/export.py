"""The chart summary as a CSV download, for staff (the clinic admin exports it for the record);
every participant in it gets an audit row."""

import csv
import io

from starlette.requests import Request
from starlette.responses import Response

from ..accounts import AccountRole
from ..domain.summary import COLUMNS, chart_summary
from ..program.schedule import zone_info
from .pages import session_or_404, sessions_of
from .sign_in_pages import staff_audit_row, staff_member

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: typed text starting like a formula is never run."""
    return "'" + text if text.startswith(FORMULA_START) else text


async def chart_summary_csv(request: Request) -> Response:
    member = await staff_member(request, AccountRole.ADMIN, AccountRole.FACILITATOR, AccountRole.CLINICIAN)
    session = await session_or_404(request)
    sessions = sessions_of(request)
    live = await sessions.get(session.id)
    await sessions.catch_up(live)
    rows = chart_summary(live.state, zone_info(request.state.settings.time_zone))
    people = sorted(live.state.participants.values(), key=lambda p: p.joined_at)
    await sessions.store.audit(*(staff_audit_row(request, member, session.id, "exported", "chart summary", p.id)
                                 for p in people))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    filename = f"groupvisit-{session.id}-chart-summary.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})
