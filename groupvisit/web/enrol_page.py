"""Adding a walk-in to the cohort's roster from the facilitator's console, and matching their check-in to it.

A guest (checked in, not on the roster) gets an "add to roster" link on the console; this page enrols them
in the session's cohort with the same checks as the roster pages (`PatientFields.from_form`), then matches
their check-in to the new patient through the live session, and goes back to the console. Facilitators
only: the match is a command of the live session, and an administrator takes no part in one.
"""

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import AccountRole, StaffMember
from ..domain import Actor, Role
from ..domain.commands import MatchParticipant
from ..domain.errors import Refused
from ..domain.state import Participant
from ..store import PatientFields, ProgramError
from ..store.tables import AuditRow, SessionRow
from . import csrf
from .access import device_of
from .pages import render, session_or_404, sessions_of
from .sign_in_pages import staff_member

FIELDS = ("clinic_name", "display_name", "language", "mrn", "birth_date", "agreement_signed_on")


async def walk_in(request: Request) -> tuple[StaffMember, SessionRow, str, Participant]:
    """The facilitator, the session (in a cohort), its cohort and the check-in to enrol; 404 or 409 otherwise."""
    member = await staff_member(request, AccountRole.FACILITATOR)
    session = await session_or_404(request)
    if session.cohort_id is None:
        raise HTTPException(404, "This session is not part of a cohort, so it has no roster to add anyone to.")
    state = (await sessions_of(request).get(session.id)).state
    person = state.participants.get(request.path_params["participant_id"])
    if person is None or not person.took_part:
        raise HTTPException(404, "There is no such check-in in this session.")
    if person.patient_id:
        raise HTTPException(409, f"{person.name} is already matched to a patient on the roster.")
    return member, session, session.cohort_id, person


def page(request: Request, session: SessionRow, member: StaffMember, person: Participant, values: dict[str, str],
         error: ProgramError | None = None, status: int = 200) -> Response:
    context: dict[str, Any] = {"member": member, "session": session, "person": person, "values": values,
                               "error": error, "title": "Add to the roster"}
    return render(request, "staff/enrol.html", context, status)


async def enrol_form(request: Request) -> Response:
    member, session, _, person = await walk_in(request)
    values = dict.fromkeys(FIELDS, "") | {"clinic_name": person.name, "display_name": person.name, "language": "en"}
    return page(request, session, member, person, values)


async def enrol_submit(request: Request) -> Response:
    member, session, cohort_id, person = await walk_in(request)
    form = await csrf.checked_form(request)
    values = {name: str(form.get(name, "")) for name in FIELDS}
    sessions = sessions_of(request)
    now = sessions.clock.now()
    audit = AuditRow(cohort_id=cohort_id, session_id=session.id, at=now, role=member.role.value, actor_id=member.id,
                     actor_name=member.name, device=device_of(request), action="changed",
                     what="enrolled a walk-in from the console", subject=person.id)
    try:
        patient = await sessions.store.enrol(cohort_id, PatientFields.from_form(values), now, audit)
    except ProgramError as problem:
        return page(request, session, member, person, values, problem, 400)
    actor = Actor(Role.FACILITATOR, member.id, member.name)
    try:
        await sessions.execute(session.id, MatchParticipant(participant_id=person.id, patient_id=patient.id), actor,
                               device=device_of(request))
    except Refused as refused:
        # Enrolled all the same: the console's roster menu can match them once what was wrong is put right.
        raise HTTPException(409, f"{patient.display_name} is on the roster now, but the check-in was not matched: "
                                 f"{refused.reason}. Match them from the console.") from None
    return RedirectResponse(f"/console/{session.id}", status_code=303)
