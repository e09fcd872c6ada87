"""The audit log: who, from which device, when, viewed or changed whose data; `groupvisit audit` lists it."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Clinic
from support.clients import ScreenClient, join


@pytest.mark.asyncio
async def test_every_change_and_every_staff_read_of_clinical_data_is_in_the_audit_log(clinic: Clinic) -> None:
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    maria = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await maria.send("record_numbers", bp_systolic=128, bp_diastolic=82)
    await maria.send("request_visit", text="My feet tingle")
    projector = await ScreenClient(clinic.link("projector")).connect()
    doctor = await ScreenClient(clinic.link("queue")).connect()
    encounter = doctor.view["queue"]["waiting"][0]["encounter_id"]
    await doctor.send("call_participant", encounter_id=encounter, room="Room 2")
    for screen in (maria, projector, doctor):
        await screen.close()

    rows = [(r.role, r.actor_name, r.action, r.what, r.subject) for r in await clinic.store.audit_log(clinic.session_id)]
    assert rows == [
        ("participant", "", "changed", "join", "p1"),
        ("participant", "Maria", "changed", "record_numbers", "p1"),
        ("participant", "Maria", "changed", "request_visit", "p1"),
        ("clinician", "Dr. Sam Okafor", "viewed", "participants' numbers, visit requests, goals and evaluations", ""),
        ("clinician", "Dr. Sam Okafor", "changed", "call_participant", "p1"),
    ], "the projector reads nothing clinical, so it is not in the log"
    assert all(r.device.startswith("127.0.0.1 · ") for r in await clinic.store.audit_log(clinic.session_id))

    listed = subprocess.run([sys.executable, "-m", "groupvisit", "audit", "--session", clinic.session_id,
                             "--db", str(clinic.server.db_path)], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("Audit log of Diabetes group visit")
    assert len(lines) == 1 + len(rows)
    assert "clinician Dr. Sam Okafor" in lines[-1] and "call_participant — about Maria" in lines[-1]
    assert "127.0.0.1" in lines[-1]


def test_audit_of_an_unknown_session_says_so(tmp_path: Path) -> None:
    listed = subprocess.run([sys.executable, "-m", "groupvisit", "audit", "--session", "nope",
                             "--db", str(tmp_path / "empty.db")], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 1
    assert "there is no session 'nope'" in listed.stderr
