"""Letting a participant back in on another device, as the same participant (queue place, numbers, goal and
votes kept), when theirs was lost or a shared tablet forgot them.

The facilitator asks for a one-time code for that participant, shown only on their own screen; the patient
types it on `/join/back`. No list of names is ever shown on a patient's device: the code says who they are.
Codes are short to type, stored only as a hash, work once and expire; wrong ones count against the same
limit as wrong join codes.
"""

import math

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole
from ..domain import Phase
from ..store import HeldBack, NewDevice
from ..store.keys import new_key, normalise_join_code
from ..store.tables import AuditRow, ReturnCodeRow
from . import csrf, i18n
from .access import device_of, participant_cookie_path
from .pages import (TOO_MANY_CODES, claim_code_guess, remember_language, render, session_or_404, sessions_of,
                    set_device_cookie)
from .sign_in_pages import staff_audit_row, staff_member

CODE_MINUTES = 10


async def issue(request: Request) -> Response:
    """The facilitator's console asks for a code for one participant; only this answer ever shows it."""
    member = await staff_member(request, AccountRole.FACILITATOR)
    session = await session_or_404(request)
    form = await csrf.checked_form(request)
    sessions = sessions_of(request)
    state = (await sessions.get(session.id)).state
    person = state.participants.get(str(form.get("participant_id", "")))
    if person is None:
        raise HTTPException(400, "Choose a participant of this session to let back in.")
    if state.phase is Phase.CLOSED:
        raise HTTPException(410, "This session has ended.")
    if not person.took_part:
        raise HTTPException(400, f"{person.name} was checked in by mistake: mark them present first.")
    now = sessions.clock.now()
    code = await sessions.store.let_back_in_code(
        session.id, person.id, member.id, now, now + CODE_MINUTES * 60,
        staff_audit_row(request, member, session.id, "changed", "issued a let-back-in code", person.id))
    return render(request, "staff/back_in.html", {
        "member": member, "session": session, "title": "Let back in", "name": person.name, "code": code,
        "minutes": CODE_MINUTES, "back_url": f"{request.state.settings.base_url}/join/back"})


async def form_page(request: Request) -> Response:
    return render(request, "participant/join_back.html", {
        "code": "", "error": None, "shared_device": request.query_params.get("tablet") == "1"})


async def submit(request: Request) -> Response:
    """The patient typed their code: this device becomes them, and their older devices forget them."""
    form = await csrf.checked_form(request)
    code = normalise_join_code(str(form.get("code", "")))
    shared = form.get("shared_device") == "yes"
    language = i18n.pick(str(form.get("language", ""))) or i18n.language_of(request)

    def again(error: str, status: int = 400) -> Response:
        context = {"code": code, "error": error, "shared_device": shared}
        return remember_language(render(request, "participant/join_back.html", context, status), request, language)

    def _(message: str, **values: object) -> str:  # the name gettext's tools look for
        return i18n.gettext(language, message, **values)

    if not code:
        return again(_("Enter the code the facilitator gave you."))
    try:
        claim = await claim_code_guess(request)
    except HeldBack as held:
        return again(_(TOO_MANY_CODES, minutes=math.ceil(held.wait / 60)), 429)
    sessions = sessions_of(request)
    found = await sessions.store.return_code(code)
    state = (await sessions.get(found.session_id)).state if found is not None else None
    if state is not None and state.phase is Phase.CLOSED:
        return again(_("This session has ended."), 410)

    def used(row: ReturnCodeRow) -> AuditRow:
        person = state.participants.get(row.participant_id) if state is not None else None
        return AuditRow(session_id=row.session_id, at=sessions.clock.now(), role="participant",
                        actor_id=row.participant_id, actor_name=person.name if person else "",
                        device=device_of(request), action="changed", what="let back in with a code on a new device",
                        subject=row.participant_id)

    token = new_key()
    used_row = await sessions.store.let_back_in(code, NewDevice(token, shared, sessions.clock.now()), used)
    if used_row is None:
        return again(_("This code does not work: it may have been used already or be over %(minutes)s minutes "
                       "old. Ask the facilitator for a new one.", minutes=CODE_MINUTES), 404)
    await request.state.guard.release(claim)  # a right code is no guess
    response = RedirectResponse(participant_cookie_path(used_row.session_id), status_code=303)
    set_device_cookie(response, request, used_row.session_id, token)
    return remember_language(response, request, language)
