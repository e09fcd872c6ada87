"""The application, built by one constructor from settings and (for tests) ready-made parts."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

import facilitator_ui
import participant_ui

from .actions import Sessions
from .clock import Clock, SystemClock
from .hub import Hub, hub_for
from .settings import Settings
from .store import Limit, Store
from .accounts import SignIns
from .web import (back_in, cohort_pages, enrol_page, export, notes_page, pages, report_page, roster_pages,
                  schedule_pages, sign_in_pages, take_home_page)
from .web.sign_in_pages import SignInLimits
from .web.guard import Guard
from .web.headers import SecurityHeaders
from .web.access import CONSOLE, PARTICIPANT, PROJECTOR, QUEUE, Gate
from .web.sockets import live_socket
from .web.templating import make_templates

JOIN_CODES = Limit("join code by address", 10, 10 * 60)  # wrong join codes from one address, then it waits
SIGN_IN_ACCOUNT = Limit("sign-in by account", 5, 15 * 60)  # failed sign-ins to one account, then it waits
SIGN_IN_ADDRESS = Limit("sign-in by address", 20, 15 * 60)  # a clinic's staff may share an address (its router)
COMMON_STATIC = __file__.rsplit("/", 1)[0] + "/web/static"


def routes() -> list[Route | WebSocketRoute | Mount]:
    return [
        Route("/", pages.home),
        Route("/healthz", pages.health),
        Route("/favicon.ico", pages.no_icon),
        Route("/join", pages.join_page, methods=["GET"]),
        Route("/join", pages.join_submit, methods=["POST"]),
        Route("/join/back", back_in.form_page, methods=["GET"]),  # before /join/{code}: "back" is no code
        Route("/join/back", back_in.submit, methods=["POST"]),
        Route("/join/{code}", pages.join_page, methods=["GET"]),
        Route("/login", sign_in_pages.login_page, methods=["GET"]),
        Route("/login", sign_in_pages.login_submit, methods=["POST"]),
        Route("/logout", sign_in_pages.logout, methods=["POST"]),
        Route("/staff", sign_in_pages.staff_home, methods=["GET"]),
        Route("/sessions/{session_id}/display-link", sign_in_pages.display_link, methods=["POST"]),
        Route("/cohorts", cohort_pages.cohorts_page, methods=["GET"]),
        Route("/cohorts/new", cohort_pages.new_cohort_page, methods=["GET"]),  # before /cohorts/{cohort_id}
        Route("/cohorts/new", cohort_pages.new_cohort_submit, methods=["POST"]),
        Route("/cohorts/{cohort_id}", cohort_pages.cohort_view, methods=["GET"]),
        Route("/cohorts/{cohort_id}/edit", cohort_pages.edit_cohort_page, methods=["GET"]),
        Route("/cohorts/{cohort_id}/edit", cohort_pages.edit_cohort_submit, methods=["POST"]),
        Route("/cohorts/{cohort_id}/archive", cohort_pages.archive_cohort, methods=["POST"]),
        Route("/cohorts/{cohort_id}/series", schedule_pages.series_submit, methods=["POST"]),
        Route("/cohorts/{cohort_id}/sessions", schedule_pages.one_session_submit, methods=["POST"]),
        Route("/cohorts/{cohort_id}/over-time", cohort_pages.over_time_page, methods=["GET"]),
        Route("/cohorts/{cohort_id}/attendance.csv", export.cohort_attendance_csv, methods=["GET"]),
        Route("/cohorts/{cohort_id}/roster", roster_pages.roster_page, methods=["GET"]),
        Route("/cohorts/{cohort_id}/roster/new", roster_pages.new_patient_page, methods=["GET"]),  # before {patient_id}
        Route("/cohorts/{cohort_id}/roster/new", roster_pages.new_patient_submit, methods=["POST"]),
        Route("/cohorts/{cohort_id}/roster/{patient_id}", roster_pages.patient_page, methods=["GET"]),
        Route("/cohorts/{cohort_id}/roster/{patient_id}", roster_pages.patient_submit, methods=["POST"]),
        Route("/sessions/{session_id}/reschedule", schedule_pages.reschedule_page, methods=["GET"]),
        Route("/sessions/{session_id}/reschedule", schedule_pages.reschedule_submit, methods=["POST"]),
        Route("/sessions/{session_id}/cancel", schedule_pages.cancel_submit, methods=["POST"]),
        Route("/sessions/{session_id}/back-in", back_in.issue, methods=["POST"]),
        Route("/sessions/{session_id}/summary.csv", export.chart_summary_csv, methods=["GET"]),
        Route("/sessions/{session_id}/report", report_page.report_page, methods=["GET"]),
        Route("/sessions/{session_id}/fhir.json", export.fhir_bundle, methods=["GET"]),
        Route("/sessions/{session_id}/summaries", take_home_page.all_summaries, methods=["GET"]),
        Route("/sessions/{session_id}/notes", notes_page.notes_page, methods=["GET"]),
        Route("/sessions/{session_id}/notes/{participant_id}.txt", notes_page.note_download, methods=["GET"]),
        Route("/sessions/{session_id}/notes/{participant_id}/cosign", notes_page.cosign, methods=["POST"]),
        Route("/sessions/{session_id}/notes/{participant_id}/withdraw-cosign", notes_page.withdraw_cosign,
              methods=["POST"]),
        Route("/sessions/{session_id}/enrol/{participant_id}", enrol_page.enrol_form, methods=["GET"]),
        Route("/sessions/{session_id}/enrol/{participant_id}", enrol_page.enrol_submit, methods=["POST"]),
        Route("/sessions/{session_id}/join-qr.svg", pages.join_qr),
        Route("/p/{session_id}", pages.screen_page(PARTICIPANT)),
        Route("/p/{session_id}/done", pages.participant_done, methods=["POST"]),
        Route("/p/{session_id}/summary", take_home_page.own_summary, methods=["GET"]),
        *(Route(f"/{screen.path}/{{session_id}}", pages.screen_page(screen)) for screen in (PROJECTOR, CONSOLE, QUEUE)),
        *(WebSocketRoute(f"/{screen.path}/{{session_id}}/ws", live_socket(screen))
          for screen in (PARTICIPANT, PROJECTOR, CONSOLE, QUEUE)),
        Mount("/static/common", StaticFiles(directory=COMMON_STATIC), name="common"),
        Mount("/static/staff", StaticFiles(directory=facilitator_ui.ROOT / "static"), name="staff"),
        Mount("/static/participant", StaticFiles(directory=participant_ui.ROOT / "static"), name="participant"),
    ]


STAFF_PATHS = ("/staff", "/cohorts", "/login", "/logout", "/sessions/", "/console/", "/queue/", "/projector/")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if 300 <= exc.status_code < 400 and exc.headers:  # sent to sign in first
        return RedirectResponse(exc.headers["location"], status_code=exc.status_code)
    # A staff page's error leads back to the staff's way in; any other (a patient's, a mistyped address) to joining.
    staff = request.url.path.startswith(STAFF_PATHS)
    return pages.render(request, "staff/error.html" if staff else "participant/error.html",
                        {"status": exc.status_code, "message": exc.detail, "title": "groupvisit"}, exc.status_code)


def create_app(settings: Settings, *, store: Store | None = None, hub: Hub | None = None,
               clock: Clock | None = None) -> Starlette:
    """Everything the server needs; pass `store`, `hub` or `clock` to share or control them."""
    templates = make_templates()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        own_store = store is None
        the_store = store or Store(settings.database_url)
        the_hub = hub or hub_for(settings.hub_url)
        await the_hub.connect()
        the_clock = clock or SystemClock()
        sessions = Sessions(the_store, the_hub, the_clock)
        sign_ins = SignIns(the_store, the_clock, settings.staff_idle_minutes, settings.staff_limit_hours)
        try:
            yield {"sessions": sessions, "settings": settings, "templates": templates, "sign_ins": sign_ins,
                   "gate": Gate(the_store, sign_ins, the_clock, settings.tablet_idle_minutes),
                   "guard": Guard(the_store, the_clock), "join_limit": JOIN_CODES,
                   "sign_in_limits": SignInLimits(SIGN_IN_ACCOUNT, SIGN_IN_ADDRESS)}
        finally:
            await the_hub.disconnect()
            if own_store:
                the_store.close()

    return Starlette(routes=routes(), lifespan=lifespan, exception_handlers={HTTPException: http_error},
                     middleware=[Middleware(SecurityHeaders)])
