"""The take-home summary pages: a participant's own, on their own credential and in their device's language, and
every patient's at once for the facilitator to print, one page each in that patient's language (audited per
patient: it holds their goal and numbers)."""

from babel.numbers import format_decimal
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole
from ..domain.state import Numbers, SessionState
from ..outputs.take_home import TakeHome, next_session_of, summary_language, take_home
from ..store.tables import CohortRow, SessionRow
from . import i18n
from .access import PARTICIPANT, PARTICIPANT_COOKIE, participant_cookie_path
from .i18n import N_
from .pages import admit_or_403, render, session_or_404, sessions_of
from .sign_in_pages import staff_audit_row, staff_member

WHAT = "take-home summaries"
NOT_TAKEN_PART = N_("There is no take-home summary for you in this session.")


async def schedule_of(request: Request, session: SessionRow) -> tuple[SessionState, CohortRow | None, list[SessionRow]]:
    """The session as it folds now, its cohort and the cohort's schedule (for the next session)."""
    sessions = sessions_of(request)
    state = (await sessions.get(session.id, fresh=True)).state
    cohort = await sessions.store.cohort(session.cohort_id) if session.cohort_id else None
    schedule = await sessions.store.cohort_sessions(session.cohort_id) if session.cohort_id else []
    return state, cohort, schedule


def sheet(request: Request, state: SessionState, participant_id: str, cohort: CohortRow | None,
          schedule: list[SessionRow], language: str) -> TakeHome:
    zone: str = request.state.settings.time_zone
    following = next_session_of([(row.starts_at, row.cancelled_at is not None) for row in schedule],
                                state.starts_at, cohort.room if cohort else "", zone, language)
    return take_home(state, participant_id, state.continuity, following, zone, language)


def number_rows(summary: TakeHome) -> list[tuple[str, str, str]]:
    """(which number, today's, last session's) for each number either session has, written in `summary`'s
    language; which is bp, weight or glucose (the template names it)."""
    def decimal(value: float) -> str:
        return format_decimal(value, locale=summary.language)

    def bp(n: Numbers | None) -> str:
        return f"{n.bp_systolic}/{n.bp_diastolic}" if n and n.bp_systolic is not None and n.bp_diastolic is not None \
            else ""

    def weight(n: Numbers | None) -> str:
        return f"{decimal(n.weight)} {n.weight_unit}" if n and n.weight is not None else ""

    def glucose(n: Numbers | None) -> str:
        return f"{decimal(n.glucose)} {n.glucose_unit}" if n and n.glucose is not None else ""

    rows = [(which, shown(summary.today), shown(summary.last))
            for which, shown in (("bp", bp), ("weight", weight), ("glucose", glucose))]
    return [row for row in rows if row[1] or row[2]]


def no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"  # health data: never kept by a shared browser
    return response


async def own_summary(request: Request) -> Response:
    """`GET /p/{session_id}/summary`: the participant's own summary, printable."""
    session = await session_or_404(request)
    if not request.cookies.get(PARTICIPANT_COOKIE):
        return RedirectResponse(f"/join/{session.join_code}", status_code=303)
    participant_id = (await admit_or_403(request, PARTICIPANT, session)).actor.id
    state, cohort, schedule = await schedule_of(request, session)
    person = state.participants.get(participant_id)
    if person is None or not person.took_part:
        raise HTTPException(404, NOT_TAKEN_PART)
    language = i18n.language_of(request)
    summary = sheet(request, state, participant_id, cohort, schedule, language)
    context = {"title": session.title, "summary": summary, "numbers": number_rows(summary), "language": language,
               "back_url": participant_cookie_path(session.id)}
    return no_store(render(request, "participant/take_home.html", context))


async def all_summaries(request: Request) -> Response:
    """`GET /sessions/{session_id}/summaries`: every patient who took part, in check-in order, one printed page
    each. Each page is in its patient's language (`summary_language`): the roster's preferred language of the
    patient they were matched to; else the session's first language (its cohort's first room language, English
    outside a cohort). The language a patient's device used is not asked: the server never stores it."""
    member = await staff_member(request, AccountRole.FACILITATOR)
    session = await session_or_404(request)
    state, cohort, schedule = await schedule_of(request, session)
    roster = state.continuity.roster if state.continuity else {}
    room = [code.strip() for code in cohort.languages.split(",")] if cohort else []
    people = sorted(state.took_part(), key=lambda p: p.joined_at)
    sheets = []
    for person in people:
        summary = sheet(request, state, person.id, cohort, schedule,
                        summary_language(person, roster, room, list(i18n.LANGUAGES)))
        sheets.append((summary, number_rows(summary)))
    rows = [staff_audit_row(request, member, session.id, "viewed", WHAT, person.id) for person in people]
    await sessions_of(request).store.audit(*rows or [staff_audit_row(request, member, session.id, "viewed", WHAT)])
    context = {"title": session.title, "member": member, "session": session, "sheets": sheets}
    return no_store(render(request, "staff/take_home_all.html", context))
