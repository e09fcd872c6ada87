"""Staff sign-in and sign-out, the staff home page and the projector's display link."""

import logging
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole, SignInRefused, SignIns, StaffMember
from ..actions import Sessions
from ..program import clinic_time
from ..store import HeldBack, Limit
from ..store.tables import AuditRow
from . import csrf
from .access import SIGN_IN_COOKIE, SignInNeeded, device_of, signed_in
from .guard import Guard
from .origin import over_https
from .pages import render, session_or_404, sessions_of, sign_in_url

log = logging.getLogger("groupvisit.security")


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins are counted per account and per address, both claimed by each attempt."""

    account: Limit
    address: Limit


def sign_ins_of(request: Request) -> SignIns:
    sign_ins: SignIns = request.state.sign_ins
    return sign_ins


def local_path(target: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another site's address."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff"


async def login_page(request: Request) -> Response:
    try:
        await signed_in(request, sign_ins_of(request))
        return RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
    except SignInNeeded:
        pass
    ended = request.query_params.get("ended", "")
    notice = sign_ins_of(request).explain(ended) if ended else ""
    return render(request, "staff/login.html", {"next": local_path(request.query_params.get("next")),
                                                "username": "", "error": "", "notice": notice})


async def login_submit(request: Request) -> Response:
    form = await csrf.checked_form(request)
    username = str(form.get("username", "")).strip().lower()[:64]
    password = str(form.get("password", ""))
    target = local_path(str(form.get("next", "")))

    def again(error: str, status: int) -> Response:
        return render(request, "staff/login.html",
                      {"next": target, "username": username, "error": error, "notice": ""}, status)

    if not username or not password:
        return again("Enter your username and your password.", 400)
    limits: SignInLimits = request.state.sign_in_limits
    guard: Guard = request.state.guard
    address = request.client.host if request.client else "unknown"
    try:  # claimed before the password is checked: a failure counts even while it is being checked
        claim = await guard.claim((limits.account, username), (limits.address, address))
    except HeldBack as held:
        return again(f"Too many failed sign-ins. Wait {math.ceil(held.wait / 60)} minutes, then try again.", 429)
    try:
        member, token = await sign_ins_of(request).sign_in(username, password, device_of(request))
    except SignInRefused as refused:
        log.warning("sign-in refused for %r from %s", username, address)
        return again(refused.reason, 401)
    await guard.release(claim)
    log.info("%s signed in", member.username)
    response = RedirectResponse(target, status_code=303)
    # Lax, not Strict: a link to a staff screen from a chat or an e-mail should open signed in.
    response.set_cookie(SIGN_IN_COOKIE, token, path="/", httponly=True, samesite="lax",
                        secure=over_https(request))
    return response


# A screen whose own clock reached the idle time or the limit signs out saying so (its clock runs ahead
# of the server's, which only hears of activity once a minute).
SCREEN_ENDINGS = ("idle", "time limit")


async def logout(request: Request) -> Response:
    form = await csrf.checked_form(request)
    why = str(form.get("why", ""))
    why = why if why in SCREEN_ENDINGS else "signed out"
    token = request.cookies.get(SIGN_IN_COOKIE)
    if token:
        await sign_ins_of(request).sign_out(token, why)
    back = {"next": local_path(str(form["next"]))} if form.get("next") else {}
    response = RedirectResponse(f"/login?{urlencode({**back, 'ended': why})}", status_code=303)
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    return response


async def staff_member(request: Request, *roles: AccountRole) -> StaffMember:
    """The signed-in staff member (any role, or one of `roles`); sign-in page or 403 otherwise."""
    try:
        member = await signed_in(request, sign_ins_of(request), active=True)
    except SignInNeeded as needed:
        raise HTTPException(303, headers={"location": sign_in_url(request, needed.why)}) from None
    if roles and member.role not in roles:
        allowed = " or ".join(role.value for role in roles)
        raise HTTPException(403, f"Only a {allowed} can do this; you are signed in as {member.role.value}.")
    return member


def staff_audit_row(request: Request, member: StaffMember, session_id: str, action: str, what: str,
                    subject: str = "") -> AuditRow:
    """What a staff member did outside the live channel, for the session's audit log."""
    return AuditRow(session_id=session_id, at=sessions_of(request).clock.now(), role=member.role.value,
                    actor_id=member.id, actor_name=member.name, device=device_of(request), action=action,
                    what=what, subject=subject)


async def staff_home(request: Request) -> Response:
    """Today's and upcoming sessions first (soonest first), then the past ones (latest first), each with its
    cohort and the screens this staff member may open; times in the clinic's zone."""
    member = await staff_member(request)
    sessions = sessions_of(request)
    zone: str = request.state.settings.time_zone
    today = clinic_time.day_of(sessions.clock.now(), zone)
    rows: dict[str, list[dict[str, Any]]] = {"coming": [], "past": []}
    for session in await sessions.store.sessions():
        day = clinic_time.day_of(session.starts_at, zone)
        rows["coming" if day >= today else "past"].append({
            "session": session, "today": day == today, "cancelled": session.cancelled_at is not None,
            "starts": clinic_time.show(session.starts_at, zone),
            "ends": clinic_time.local(session.ends_at, zone).strftime("%H:%M")})
    rows["coming"].sort(key=lambda row: row["session"].starts_at)
    rows["past"].sort(key=lambda row: -row["session"].starts_at)
    return render(request, "staff/home.html", {"member": member, "coming": rows["coming"], "past": rows["past"],
                                               "title": "Sessions"})


async def display_link(request: Request) -> Response:
    """A new display link for the projector (or none): the old link stops working within seconds."""
    member = await staff_member(request, AccountRole.ADMIN, AccountRole.FACILITATOR)
    session = await session_or_404(request)
    form = await csrf.checked_form(request)
    action = form.get("action")
    if action not in ("new", "revoke"):
        raise HTTPException(400, "Choose a new display link or revoke the current one.")
    sessions: Sessions = sessions_of(request)
    key = await sessions.store.rotate_projector_key(session.id)
    what = "issued a new display link" if action == "new" else "revoked the display link"
    await sessions.store.audit(staff_audit_row(request, member, session.id, "changed", what))
    context: dict[str, Any] = {"member": member, "session": session, "title": "Display link",
                               "link": (f"{request.state.settings.base_url}/projector/{session.id}?key={key}"
                                        if action == "new" else "")}
    return render(request, "staff/display_link.html", context)

