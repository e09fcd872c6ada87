"""The chart notes of a session, for its clinicians and facilitators: every patient's note on one page (with a
button to copy its plain text, and for an attending one to co-sign it), and each as a plain-text download.

Each look adds an audit row for every patient whose note it shows; a co-signature goes through the session's log
(`cosign_chart_note`), audited like every command.
"""

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole, StaffMember
from ..continuity import held_session, held_sessions
from ..domain.commands import Command, CosignChartNote, WithdrawCosign
from ..domain.errors import Refused
from ..outputs.chart_note import ChartNote, chart_notes, note_text
from ..store import Store
from ..store.tables import SessionRow
from . import csrf
from .access import device_of
from .export import download
from .pages import render, session_or_404, sessions_of
from .sign_in_pages import staff_audit_row, staff_member

READERS = (AccountRole.FACILITATOR, AccountRole.CLINICIAN)
WHAT = "chart note"
# Why a co-signature was not taken, as the page says it (the rules' reason names the patient, not for an address).
COSIGN_REFUSALS = {
    "not_attending": "Only an attending clinician can co-sign a chart note.",
    "too_early": "This note can be co-signed once the patient's one-on-one is completed or the session has closed.",
    "conflict": "This note is already co-signed, or it is of a patient you saw yourself.",
    "cancelled": "This session was cancelled: it has no notes to co-sign.",
    "not_yours": "Only the attending who co-signed a note can withdraw the co-signature.",
    "not_found": "This note is not co-signed: there is no co-signature to withdraw.",
    "refused": "This note could not be co-signed.",
}


async def facilitators(store: Store, session_id: str) -> list[str]:
    """Who ran the session: every facilitator who changed it, in the order they first did."""
    rows = await store.audit_log(session_id)
    return list(dict.fromkeys(r.actor_name for r in rows if r.role == "facilitator" and r.action == "changed"))


async def notes_of(request: Request, session: SessionRow) -> list[ChartNote]:
    sessions = sessions_of(request)
    store = sessions.store
    log = [event for _, event in await store.events(session.id)]
    this = await held_session(store, session)
    roster = await store.roster_entries(session.cohort_id) if session.cohort_id else []
    cohort = await held_sessions(store, session.cohort_id) if session.cohort_id else []
    return chart_notes(this, log, roster, cohort, await facilitators(store, session.id),
                       request.state.settings.time_zone, sessions.clock.now())


async def audit_views(request: Request, member: StaffMember, session_id: str, action: str,
                      notes: list[ChartNote]) -> None:
    rows = [staff_audit_row(request, member, session_id, action, WHAT, note.participant_id) for note in notes]
    await sessions_of(request).store.audit(*rows or [staff_audit_row(request, member, session_id, action, WHAT)])


async def notes_page(request: Request) -> Response:
    member = await staff_member(request, *READERS)
    session = await session_or_404(request)
    notes = await notes_of(request, session)
    await audit_views(request, member, session.id, "viewed", notes)
    refused = COSIGN_REFUSALS.get(request.query_params.get("refused", ""), "")
    context = {"member": member, "session": session, "notes": notes, "title": f"Chart notes: {session.title}",
               "texts": {note.participant_id: note_text(note) for note in notes},
               "refused": refused, "refused_note": request.query_params.get("note", "") if refused else "",
               "attending": member.attending}
    return render(request, "staff/notes.html", context)


async def note_download(request: Request) -> Response:
    member = await staff_member(request, *READERS)
    session = await session_or_404(request)
    participant_id = request.path_params["participant_id"]
    note = next((n for n in await notes_of(request, session) if n.participant_id == participant_id), None)
    if note is None:
        raise HTTPException(404, "This session has no chart note for that participant.")
    await audit_views(request, member, session.id, "exported", [note])
    return download(note_text(note), "text/plain; charset=utf-8",
                    f"groupvisit-{session.id}-chart-note-{participant_id}.txt")


async def cosign(request: Request) -> Response:
    """An attending co-signs a note, through the session's log; back to the notes, saying why when refused."""
    return await on_note(request, CosignChartNote(request.path_params["participant_id"]))


async def withdraw_cosign(request: Request) -> Response:
    """The attending who co-signed a note takes it back, through the session's log."""
    return await on_note(request, WithdrawCosign(request.path_params["participant_id"]))


async def on_note(request: Request, command: Command) -> Response:
    """`command` about one patient's note, sent as the signed-in clinician: back to the notes page (at that note),
    saying why when the rules refused it."""
    member = await staff_member(request, AccountRole.CLINICIAN)
    session = await session_or_404(request)
    await csrf.checked_form(request)
    participant_id = request.path_params["participant_id"]
    actor = member.actor()
    assert actor is not None  # a clinician acts in a session
    back = f"/sessions/{session.id}/notes"
    try:
        await sessions_of(request).execute(session.id, command, actor, device=device_of(request))
    except Refused as refused:
        if refused.code == "not_found" and isinstance(command, CosignChartNote):
            raise HTTPException(404, "This session has no chart note for that participant.") from None
        query = urlencode({"refused": refused.code if refused.code in COSIGN_REFUSALS else "refused",
                           "note": participant_id})
        return RedirectResponse(f"{back}?{query}#note-{participant_id}", status_code=303)
    return RedirectResponse(f"{back}#note-{participant_id}", status_code=303)
