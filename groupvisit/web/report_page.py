"""The session report page, for the staff who may export the chart summary: it names the patients and what
they did, so each look adds a `viewed` audit row for every person it names."""

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from ..accounts import AccountRole
from ..continuity import held_sessions
from ..domain import replay
from ..domain.history import HeldSession
from ..outputs.report import REWORK_BELOW, session_report
from ..program import clinic_time
from .cohort_pages import program_audit_row
from .pages import render, session_or_404, sessions_of
from .sign_in_pages import staff_audit_row, staff_member

WHAT = "session report"
OUTCOMES = {"done": "Done", "partly": "Partly", "not_yet": "Not yet"}
ROUND_OUTCOMES = {"extended": "extended", "moved_on": "moved on", "undecided": "still open"}


async def report_page(request: Request) -> Response:
    member = await staff_member(request, AccountRole.ADMIN, AccountRole.FACILITATOR, AccountRole.CLINICIAN)
    session = await session_or_404(request)
    sessions = sessions_of(request)
    store, now = sessions.store, sessions.clock.now()
    log = [event for _, event in await store.events(session.id)]
    this = HeldSession(session.id, session.starts_at, session.ends_at, session.cancelled_at is not None, replay(log))
    cohort_id = session.cohort_id
    roster = await store.roster_entries(cohort_id) if cohort_id else []
    cohort = await held_sessions(store, cohort_id) if cohort_id else []
    report = session_report(this, log, roster, cohort, now)
    zone: str = request.state.settings.time_zone
    # matplotlib takes a second to import: only the report pays for it, not every start of the server or CLI.
    from ..outputs.plots import report_plots

    plots = await anyio.to_thread.run_sync(report_plots, report, zone)  # drawing takes a while: off the event loop
    rows = [staff_audit_row(request, member, session.id, "viewed", WHAT, person_id)
            for person_id in this.state.participants]
    if cohort_id:
        rows += [program_audit_row(request, member, cohort_id, "viewed", WHAT, entry.patient_id, session.id)
                 for entry in report.attendance.absent]
    await store.audit(*rows or [staff_audit_row(request, member, session.id, "viewed", WHAT)])

    def at(when: float | None) -> str:
        return "" if when is None else f"{clinic_time.local(when, zone):%H:%M}"

    context = {
        "member": member, "title": f"Report: {report.title}", "session": session, "report": report,
        "plots": {plot.name: plot for plot in plots}, "at": at, "when": clinic_time.show(report.starts_at, zone),
        "day": lambda when: f"{clinic_time.local(when, zone):%a %d %b %Y}", "outcomes": OUTCOMES,
        "round_outcomes": ROUND_OUTCOMES, "rework_below": REWORK_BELOW,
    }
    return render(request, "staff/report.html", context)
