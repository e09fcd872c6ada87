"""A cohort's roster: who is enrolled, enrolling a patient, and correcting one. Staff who run the program only;
every look at it and every change is audited (the store writes the rows these pages pass it)."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..accounts import StaffMember
from ..store import ProgramError
from ..store import PatientFields
from ..store.tables import CohortRow, PatientRow
from . import csrf
from .cohort_pages import LANGUAGES, MANAGERS, cohort_or_404, program_audit_row, typed
from .pages import render, sessions_of
from .sign_in_pages import staff_member

PATIENT_FIELDS = ("clinic_name", "display_name", "language", "mrn", "birth_date", "agreement_signed_on", "left")
DONE = {"enrolled": "The patient is enrolled.", "saved": "The patient's details are saved."}


async def roster_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    patients = await sessions_of(request).store.roster(
        cohort.id, program_audit_row(request, member, cohort.id, "viewed", "the roster"))
    context = {"member": member, "title": f"{cohort.name}: roster", "cohort": cohort, "patients": patients,
               "languages": LANGUAGES, "notice": DONE.get(request.query_params.get("done", ""), "")}
    return render(request, "staff/roster.html", context)


def patient_values(patient: PatientRow | None) -> dict[str, str]:
    if patient is None:
        return {name: "en" if name == "language" else "" for name in PATIENT_FIELDS}
    return {**{name: getattr(patient, name) or "" for name in PATIENT_FIELDS if name != "left"},
            "left": "yes" if patient.left_at is not None else ""}


def patient_form(request: Request, member: StaffMember, cohort: CohortRow, patient: PatientRow | None,
                 values: dict[str, str], error: ProgramError | None = None) -> Response:
    context = {"member": member, "cohort": cohort, "patient": patient, "values": values,
               "title": f"{cohort.name}: {'a patient' if patient else 'enrol a patient'}",
               "errors": {error.field: error.message} if error else {}, "languages": LANGUAGES,
               "read_only": cohort.archived_at is not None}
    return render(request, "staff/roster_patient.html", context, 400 if error else 200)


async def new_patient_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    return patient_form(request, member, cohort, None, patient_values(None))


async def new_patient_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    values = typed(await csrf.checked_form(request), PATIENT_FIELDS)
    sessions = sessions_of(request)
    try:
        fields = PatientFields.from_form(values)
        await sessions.store.enrol(cohort.id, fields, sessions.clock.now(),
                                   program_audit_row(request, member, cohort.id, "changed", "enrolled a patient"))
    except ProgramError as error:
        return patient_form(request, member, cohort, None, values, error)
    return RedirectResponse(f"/cohorts/{cohort.id}/roster?done=enrolled", status_code=303)


async def patient_or_404(request: Request, member: StaffMember, cohort: CohortRow) -> PatientRow:
    patient_id = request.path_params["patient_id"]
    patient = await sessions_of(request).store.patient(patient_id, program_audit_row(
        request, member, cohort.id, "viewed", "a patient's roster entry", subject=patient_id))
    if patient is None or patient.cohort_id != cohort.id:
        raise HTTPException(404, "There is no such patient on this cohort's roster.")
    return patient


async def patient_page(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    patient = await patient_or_404(request, member, cohort)
    return patient_form(request, member, cohort, patient, patient_values(patient))


async def patient_submit(request: Request) -> Response:
    member = await staff_member(request, *MANAGERS)
    cohort = await cohort_or_404(request)
    values = typed(await csrf.checked_form(request), PATIENT_FIELDS)
    patient = await patient_or_404(request, member, cohort)
    try:
        fields = PatientFields.from_form(values)
        await sessions_of(request).store.update_patient(patient.id, fields, program_audit_row(
            request, member, cohort.id, "changed", "changed a patient's roster entry", subject=patient.id))
    except ProgramError as error:
        return patient_form(request, member, cohort, patient, values, error)
    return RedirectResponse(f"/cohorts/{cohort.id}/roster?done=saved", status_code=303)
