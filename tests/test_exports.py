"""A held session's FHIR bundle and its cohort's attendance, downloaded over HTTP from a real server and written by
`groupvisit export`: for staff only, every patient in them audited, the bundle valid and whole."""

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import SESSION_START, Clinic
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, PatientFields
from groupvisit.store.tables import AuditRow
from support.clients import Link, ScreenClient, join
from support.fhir import of_type, read_back

MINUTE = 60
ROSTER = [("Maria Lopez", "Maria", "MRN-1"), ("James Carter", "James", ""), ("Omar Haddad", "Omar", "MRN-3")]
ROLES = {"admin": "admin", "alex": "facilitator", "sam": "clinician"}  # the conftest team's accounts
FORMULA = '=HYPERLINK("http://evil.example","help")'


@dataclass(frozen=True)
class Held:
    cohort_id: str
    session_id: str
    patients: dict[str, str]  # patient id by clinic name
    participants: list[str]  # participant ids, in the order they checked in


def setup_audit(cohort_id: str, what: str) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, at=0.0, role="admin", actor_id="setup", actor_name="Setup", device="",
                    action="changed", what=what)


async def held_session(clinic: Clinic) -> Held:
    """A cohort of three and its session: Maria is seen and evaluates, James records his numbers, Nadia is a guest
    who evaluates, Omar does not come; then the session closes."""
    store, now = clinic.store, clinic.clock.now()
    cohort = await store.create_cohort(CohortFields.from_form({"name": "Diabetes (Tuesday)"}), now,
                                       setup_audit("", "created the cohort"))
    patients = {}
    for clinic_name, display_name, mrn in ROSTER:
        row = await store.enrol(cohort.id, PatientFields.from_form(
            {"clinic_name": clinic_name, "display_name": display_name, "mrn": mrn}), now,
            setup_audit(cohort.id, "enrolled"))
        patients[clinic_name] = row.id
    [session] = await store.schedule_sessions(cohort.id, [Slot(SESSION_START, SESSION_START + 120 * MINUTE)],
                                              setup_audit(cohort.id, "scheduled"))
    ws = clinic.server.ws
    console = await ScreenClient(Link(f"{ws}/console/{session.id}/ws", clinic.cookie("alex"))).connect()
    doctor = await ScreenClient(Link(f"{ws}/queue/{session.id}/ws", clinic.cookie("sam"))).connect()
    screens = {}
    for name in ("Maria", "James", "Nadia"):
        _, cookie = await join(clinic.server.http, session.join_code, name)
        screens[name] = await ScreenClient(f"{ws}/p/{session.id}/ws", cookie, name).connect()
    try:
        await console.wait_for(lambda v: len(v["people"]) == 3)
        ids = {p["name"]: p["id"] for p in console.view["people"]}
        for name, clinic_name in (("Maria", "Maria Lopez"), ("James", "James Carter")):
            await console.send("match_participant", participant_id=ids[name], patient_id=patients[clinic_name])
        await console.send("match_participant", participant_id=ids["Nadia"], patient_id="")
        await screens["Maria"].send("record_numbers", bp_systolic=138, bp_diastolic=86, glucose=162)
        await screens["James"].send("record_numbers", weight=201.5, weight_unit="lb")
        await screens["Maria"].send("request_visit", text="my feet")
        await doctor.wait_for(lambda v: len(v["queue"]["waiting"]) == 1)
        visit = doctor.view["queue"]["waiting"][0]["encounter_id"]
        await doctor.send("call_participant", encounter_id=visit, room="Exam 1")
        clinic.clock.advance(MINUTE)
        await doctor.send("start_encounter", encounter_id=visit)
        clinic.clock.advance(9 * MINUTE)
        await doctor.send("complete_encounter", encounter_id=visit, note="feet fine")
        for phase in ("agenda", "discussion", "goals"):
            await console.send("open_phase", phase=phase, confirm=True)
        await screens["Maria"].send("set_goal", what="walk after dinner", how_much="20 minutes", when="after dinner",
                                    how_often="5 days a week", confidence=8, shared=False)
        await console.send("open_phase", phase="wrap_up", confirm=True)
        await screens["Maria"].send("give_evaluation", rating=4, helped=FORMULA, change="more time")
        await screens["Nadia"].send("give_evaluation", rating=5, helped="everyone was kind", change="")
        await console.send("close_session", confirm=True)
    finally:
        for screen in (console, doctor, *screens.values()):
            await screen.close()
    return Held(cohort.id, session.id, patients, [ids["Maria"], ids["James"], ids["Nadia"]])


def audited(rows: list[AuditRow]) -> list[tuple[str, str, str, str]]:
    return [(row.role, row.action, row.what, row.subject) for row in rows]


async def audit_logs(clinic: Clinic, held: Held) -> tuple[list[AuditRow], list[AuditRow]]:
    """The session's audit log and its cohort's."""
    return await clinic.store.audit_log(held.session_id), await clinic.store.cohort_audit_log(held.cohort_id)


@pytest.mark.asyncio
async def test_staff_download_the_sessions_fhir_bundle_and_each_patient_in_it_is_audited(clinic: Clinic) -> None:
    held = await held_session(clinic)
    store, path = clinic.store, f"/sessions/{held.session_id}/fhir.json"
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for username in ("admin", "alex", "sam"):
            session_before = len(await store.audit_log(held.session_id))
            cohort_before = len(await store.cohort_audit_log(held.cohort_id))
            answer = await http.get(path, headers={"Cookie": clinic.cookie(username)})
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == "application/fhir+json; charset=utf-8"
            assert answer.headers["cache-control"] == "no-store"
            data = read_back(answer.text)
            role = ROLES[username]
            assert audited((await store.audit_log(held.session_id))[session_before:]) == [
                (role, "exported", "FHIR bundle", pid) for pid in held.participants]
            assert audited((await store.cohort_audit_log(held.cohort_id))[cohort_before:]) == [
                (role, "exported", "FHIR bundle", held.patients[name]) for name in sorted(held.patients)]

    chart_numbers = {i["value"] for p in of_type(data, "Patient") for i in p.get("identifier", [])
                     if i.get("type", {}).get("coding", [{}])[0].get("code") == "MR"}
    assert chart_numbers == {"MRN-1", "MRN-3"}
    (group,) = of_type(data, "Group")
    assert group["name"] == "Diabetes (Tuesday)" and len(group["member"]) == 3
    assert sorted(p["name"][0]["text"] for p in of_type(data, "Patient")) == [
        "James Carter", "Maria Lopez", "Nadia", "Omar Haddad"]
    encounters = of_type(data, "Encounter")
    assert len(encounters) == 4 and all(e["status"] == "finished" for e in encounters)
    [seen] = [e for e in encounters if "length" in e]
    assert seen["length"]["value"] == 9 and seen["reasonCode"] == [{"text": "my feet"}]
    assert sorted(o["code"]["coding"][0]["code"] for o in of_type(data, "Observation")) == [
        "2339-0", "29463-7", "85354-9"]
    [weight] = [o for o in of_type(data, "Observation") if o["code"]["coding"][0]["code"] == "29463-7"]
    assert weight["valueQuantity"] == {"value": 201.5, "unit": "lb", "system": "http://unitsofmeasure.org",
                                       "code": "[lb_av]"}
    assert [g["description"]["text"] for g in of_type(data, "Goal")] == [
        "walk after dinner, 20 minutes, after dinner, 5 days a week"]
    assert len(of_type(data, "QuestionnaireResponse")) == 2 and len(of_type(data, "Questionnaire")) == 1
    assert [p["name"] for p in of_type(data, "Practitioner")] == [[{"text": "Dr. Sam Okafor"}]]


@pytest.mark.asyncio
async def test_staff_download_the_cohorts_attendance_with_evaluations_and_formulas_as_text(clinic: Clinic) -> None:
    held = await held_session(clinic)
    store = clinic.store
    session_before = len(await store.audit_log(held.session_id))
    cohort_before = len(await store.cohort_audit_log(held.cohort_id))
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        answer = await http.get(f"/cohorts/{held.cohort_id}/attendance.csv", headers={"Cookie": clinic.cookie("alex")})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"] == f'attachment; filename="groupvisit-{held.cohort_id}-attendance.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["patient"], r["chart_number"], r["attendance"], r["rating"]) for r in rows] == [
        ("James Carter", "", "came", ""), ("Maria Lopez", "MRN-1", "came", "4"),
        ("Omar Haddad", "MRN-3", "no_show", ""), ("Nadia", "", "came", "5")]
    assert rows[1]["helped"] == "'" + FORMULA and rows[3]["helped"] == "everyone was kind"
    assert audited((await store.cohort_audit_log(held.cohort_id))[cohort_before:]) == [
        ("facilitator", "exported", "cohort attendance", held.patients[name]) for name in sorted(held.patients)]
    assert audited((await store.audit_log(held.session_id))[session_before:]) == [
        ("facilitator", "exported", "cohort attendance", pid) for pid in held.participants]


@pytest.mark.asyncio
async def test_the_exports_are_refused_to_a_participant_and_to_anyone_signed_out_and_audit_nothing(
        clinic: Clinic) -> None:
    held = await held_session(clinic)
    _, participant = await join(clinic.server.http, clinic.join_code, "Curious")
    before = await audit_logs(clinic, held)
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for path in (f"/sessions/{held.session_id}/fhir.json", f"/cohorts/{held.cohort_id}/attendance.csv"):
            for cookie in (participant, None):
                answer = await http.get(path, headers={"Cookie": cookie} if cookie else {})
                assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path
                assert "Maria" not in answer.text and "MRN" not in answer.text
                http.cookies.clear()
        for path in ("/sessions/nope/fhir.json", "/cohorts/nope/attendance.csv"):
            assert (await http.get(path, headers={"Cookie": clinic.cookie("sam")})).status_code == 404
    assert await audit_logs(clinic, held) == before


def groupvisit(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "groupvisit", "export", *args, "--db", str(db)], capture_output=True,
                          timeout=60, env={**os.environ, "GROUPVISIT_TIME_ZONE": "America/New_York"})


@pytest.mark.asyncio
async def test_groupvisit_export_writes_the_same_exports_audited_as_the_command_line(clinic: Clinic,
                                                                                     tmp_path: Path) -> None:
    held = await held_session(clinic)
    db = clinic.server.db_path
    bundle = groupvisit(db, "--session", held.session_id, "--format", "fhir")
    assert bundle.returncode == 0, bundle.stderr
    data = read_back(bundle.stdout.decode("utf-8"))
    assert len(of_type(data, "Patient")) == 4
    assert audited((await clinic.store.audit_log(held.session_id))[-3:]) == [
        ("cli", "exported", "FHIR bundle", pid) for pid in held.participants]

    summary = groupvisit(db, "--session", held.session_id, "--format", "csv", "--out", str(tmp_path / "s.csv"))
    assert summary.returncode == 0 and summary.stdout == b"", summary.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"))))
    assert [r["participant"] for r in rows] == ["Maria", "James", "Nadia"] and rows[0]["encounter_minutes"] == "9"
    assert audited((await clinic.store.audit_log(held.session_id))[-3:]) == [
        ("cli", "exported", "chart summary", pid) for pid in held.participants]

    out = tmp_path / "attendance.csv"
    assert groupvisit(db, "--cohort", held.cohort_id, "--format", "csv", "--out", str(out)).returncode == 0
    assert [r["patient"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))] == [
        "James Carter", "Maria Lopez", "Omar Haddad", "Nadia"]
    cohort_rows = (await clinic.store.cohort_audit_log(held.cohort_id))[-3:]
    assert {(r.role, r.action, r.what) for r in cohort_rows} == {("cli", "exported", "cohort attendance")}

    refused = groupvisit(db, "--cohort", held.cohort_id, "--format", "fhir")
    assert refused.returncode == 2 and b"--format" in refused.stderr
    missing = groupvisit(db, "--session", "nope", "--format", "fhir")
    assert missing.returncode == 1 and b"no session 'nope'" in missing.stderr
    assert json.loads(bundle.stdout) == data
