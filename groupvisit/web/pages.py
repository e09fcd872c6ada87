"""The server-rendered pages: join, the participant screen and the three staff screens."""

import math
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..actions import Sessions
from ..domain import Actor, Phase, Role
from ..domain.checkin import NAME_LIMIT
from ..domain.commands import Join
from ..domain.errors import Refused
from ..store import HeldBack, Limit, NewDevice
from ..store.keys import new_key, normalise_join_code
from ..store.tables import SessionRow
from . import csrf, i18n
from .access import (PARTICIPANT, PARTICIPANT_COOKIE, PROJECTOR, AccessDenied, Credential, Gate, Granted, Screen,
                     SignInNeeded, device_of, participant_cookie_path)
from .guard import Guard
from .origin import over_https
from .qr import qr_svg

PARTICIPANT_COOKIE_SECONDS = 12 * 3600


def sessions_of(request: Request) -> Sessions:
    sessions: Sessions = request.state.sessions
    return sessions


def join_url(request: Request, code: str) -> str:
    return f"{request.state.settings.base_url}/join/{code}"


async def session_or_404(request: Request) -> SessionRow:
    session = await sessions_of(request).store.session(request.path_params["session_id"])
    if session is None:
        raise HTTPException(404, "There is no such session.")
    return session


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page; its forms carry this browser's CSRF token."""
    context = {"csrf": csrf.token_for(request), **context}
    response = request.state.templates.TemplateResponse(request, name, context, status_code=status)
    assert isinstance(response, Response)
    return csrf.remember(request, response)


def sign_in_url(request: Request, why: str = "") -> str:
    """The sign-in page, coming back to this page afterwards (a form's target cannot be come back to:
    the sessions page instead)."""
    back = request.url.path if request.method in ("GET", "HEAD") else "/staff"
    query = urlencode({"next": back, **({"ended": why} if why else {})})
    return f"/login?{query}"


async def home(request: Request) -> Response:
    return RedirectResponse("/join", status_code=303)


def remember_language(response: Response, request: Request, language: str) -> Response:
    """The device keeps its language for every participant page (it is no secret: the script may read it)."""
    response.set_cookie(i18n.LANGUAGE_COOKIE, language, max_age=i18n.LANGUAGE_COOKIE_SECONDS, path="/",
                        samesite="strict", secure=over_https(request))
    return response


async def join_page(request: Request) -> Response:
    code = normalise_join_code(request.path_params.get("code", ""))
    language = i18n.language_of(request)
    response = render(request, "participant/join.html",
                      join_context(request, code=code, display_name="", error=None, language=language,
                                   shared_device=request.query_params.get("tablet") == "1"))
    if i18n.pick(request.query_params.get("lang")):  # chosen with the switch at the top of the page
        remember_language(response, request, language)
    return response


def join_context(request: Request, **values: Any) -> dict[str, Any]:
    return {"tablet_idle_minutes": f"{request.state.settings.tablet_idle_minutes:g}", **values}


# The join form's refusals by their code, for a participant reading another language than English.
JOIN_REFUSALS = {
    "conflict": i18n.N_("Someone has already checked in as %(name)s: add an initial to tell you apart."),
    "invalid": i18n.N_("Your name cannot be empty."),
    "too_long": i18n.N_("Your name is at most %(limit)s characters."),
}


TOO_MANY_CODES = i18n.N_("Too many wrong codes from this device. Wait %(minutes)s minutes, then try again.")


async def claim_code_guess(request: Request) -> str:
    """One guess at a code typed on the join pages (a join code, a let-back-in code), claimed against this
    address's limit before the code is looked up, so guesses sent all at once are counted all the same;
    `HeldBack` when the address has guessed too often. Release the claim when the code was right."""
    guard: Guard = request.state.guard
    join_limit: Limit = request.state.join_limit
    return await guard.claim((join_limit, request.client.host if request.client else "unknown"))


async def join_submit(request: Request) -> Response:
    form = await csrf.checked_form(request)
    code = normalise_join_code(str(form.get("code", "")))
    name = str(form.get("display_name", ""))
    shared = form.get("shared_device") == "yes"
    language = i18n.pick(str(form.get("language", ""))) or i18n.language_of(request)

    def again(error: str, status: int = 400) -> Response:
        context = join_context(request, code=code, display_name=name, error=error, language=language,
                               shared_device=shared)
        return remember_language(render(request, "participant/join.html", context, status), request, language)

    def _(message: str, **values: object) -> str:  # the name gettext's tools look for
        return i18n.gettext(language, message, **values)

    if not code:
        return again(_("Enter the join code shown on the screen."))
    try:
        claim = await claim_code_guess(request)
    except HeldBack as held:
        return again(_(TOO_MANY_CODES, minutes=math.ceil(held.wait / 60)), 429)
    sessions = sessions_of(request)
    session = await sessions.store.session_by_join_code(code)
    if session is None:
        return again(_("No session has the code %(code)s. Check the code on the screen and try again.", code=code),
                     404)
    await request.state.guard.release(claim)  # a right code is no guess
    live = await sessions.get(session.id)
    if live.state.cancelled_at is not None:
        return again(_("This session was cancelled. Your care team will tell you the next date."), 410)
    if live.state.phase is Phase.CLOSED:
        return again(_("This session has ended."), 410)
    token = new_key()
    try:
        await sessions.execute(session.id, Join(name), Actor(Role.PARTICIPANT),
                               new_device=NewDevice(token, shared, sessions.clock.now()), device=device_of(request))
    except Refused as refused:
        if language != i18n.DEFAULT_LANGUAGE and refused.code in JOIN_REFUSALS:
            return again(_(JOIN_REFUSALS[refused.code], name=" ".join(name.split()), limit=NAME_LIMIT))
        return again(refused.reason[:1].upper() + refused.reason[1:] + ".")
    response = RedirectResponse(participant_cookie_path(session.id), status_code=303)
    set_device_cookie(response, request, session.id, token)
    return remember_language(response, request, language)


def set_device_cookie(response: Response, request: Request, session_id: str, token: str) -> None:
    """The cookie that makes this device a participant of `session_id` (joined, or let back in)."""
    response.set_cookie(PARTICIPANT_COOKIE, token, max_age=PARTICIPANT_COOKIE_SECONDS,
                        path=participant_cookie_path(session_id), httponly=True, samesite="strict",
                        secure=over_https(request))


async def participant_done(request: Request) -> Response:
    """"Done" on a shared tablet: the device forgets who it was."""
    session = await session_or_404(request)
    form = await csrf.checked_form(request)
    token = request.cookies.get(PARTICIPANT_COOKIE)
    if token:
        await sessions_of(request).store.forget_device(token)
    # A clinic tablet stays one for the next patient: its join form comes with the box ticked.
    response = RedirectResponse("/join?tablet=1" if form.get("shared_device") == "yes" else "/join", status_code=303)
    response.delete_cookie(PARTICIPANT_COOKIE, path=participant_cookie_path(session.id))
    return response


async def admit_or_403(request: Request, screen: Screen, session: SessionRow) -> Granted:
    """The screen's actor; 403 saying why when refused (a staff screen without a sign-in goes to sign in)."""
    sessions = sessions_of(request)
    live = await sessions.get(session.id)
    names = {p.id: p.name for p in live.state.participants.values()}
    gate: Gate = request.state.gate
    try:
        return await gate.admit(screen, session, request, names)
    except SignInNeeded:
        raise
    except AccessDenied as denied:
        raise HTTPException(403, denied.reason[:1].upper() + denied.reason[1:] + ".") from None


def screen_page(screen: Screen):  # type: ignore[no-untyped-def]
    async def page(request: Request) -> Response:
        session = await session_or_404(request)
        if screen is PARTICIPANT and not request.cookies.get(PARTICIPANT_COOKIE):
            return RedirectResponse(f"/join/{session.join_code}", status_code=303)
        if screen is PARTICIPANT and (chosen := i18n.pick(request.query_params.get("lang"))):
            # The language switch on the screen: remember the choice, then show the plain address again.
            redirect = RedirectResponse(participant_cookie_path(session.id), status_code=303)
            return remember_language(redirect, request, chosen)
        try:
            granted = await admit_or_403(request, screen, session)
        except SignInNeeded as needed:
            return RedirectResponse(sign_in_url(request, needed.why), status_code=303)
        key = request.query_params.get("key")
        ws = f"/{screen.path}/{session.id}/ws" + (f"?key={key}" if screen is PROJECTOR and key else "")
        settings, actor = request.state.settings, granted.actor
        config = {
            "ws": ws, "session_id": session.id, "role": actor.role.value,
            "viewer": {"role": actor.role.value, "id": actor.id, "name": actor.name},
            "join_url": join_url(request, session.join_code), "join_code": session.join_code,
            "qr_url": f"/sessions/{session.id}/join-qr.svg",
            "done_url": f"{participant_cookie_path(session.id)}/done",
            "sign_in_url": sign_in_url(request, "idle"),
            "idle_seconds": settings.staff_idle_minutes * 60 if actor.role.is_staff else 0,
            # When the sign-in reaches its absolute limit (server clock): the page leaves by itself then.
            "signed_in_until": (await request.state.sign_ins.limit_at(granted.secret)
                                if granted.credential is Credential.SIGN_IN else None),
        }
        context = {"config": config, "title": session.title, "session": session, "member": granted.member}
        if screen is PARTICIPANT:
            language = i18n.language_of(request)
            context.update(language=language, messages=i18n.script_catalogue(language))
            device = await sessions_of(request).store.device(session.id, request.cookies[PARTICIPANT_COOKIE])
            if device and device.shared:  # a shared clinic tablet forgets its participant when left idle
                config["idle_seconds"] = settings.tablet_idle_minutes * 60
                context["shared_device"] = True
        return render(request, screen.template, context)

    return page


async def join_qr(request: Request) -> Response:
    session = await session_or_404(request)
    return Response(qr_svg(join_url(request, session.join_code)), media_type="image/svg+xml")


async def no_icon(request: Request) -> Response:
    """Browsers ask for /favicon.ico on every page; answer without an error."""
    return Response(status_code=204)


async def health(request: Request) -> Response:
    return Response("ok\n", media_type="text/plain")
