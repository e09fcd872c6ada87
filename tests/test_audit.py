"""The audit log: who, from which device, when, viewed or changed whose data; `groupvisit audit` lists it."""

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import Clinic
from support.clients import ScreenClient, join, send_form

VIEWED = "numbers, visit request, goal and evaluation"


@pytest.mark.asyncio
async def test_someone_checking_in_while_a_staff_screen_is_open_is_audited_as_seen_by_it(clinic: Clinic) -> None:
    console = await ScreenClient(clinic.link("console")).connect()
    assert await clinic.store.audit_log(clinic.session_id) == [], "an empty room shows nobody's data"
    await join(clinic.server.http, clinic.join_code, "Maria")
    await console.wait_for(lambda view: len(view["people"]) == 1)
    await console.send("propose_topic", title="Sleep")  # a later change is no new sight of Maria
    await console.close()
    rows = [(r.role, r.actor_name, r.action, r.what, r.subject) for r in await clinic.store.audit_log(clinic.session_id)]
    assert rows == [("participant", "Maria", "changed", "join", "p1"),
                    ("facilitator", "Nurse Alex Rivera", "viewed", VIEWED, "p1"),
                    ("facilitator", "Nurse Alex Rivera", "changed", "propose_topic", "")]


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
        ("participant", "Maria", "changed", "join", "p1"),  # the name they checked in with
        ("participant", "Maria", "changed", "record_numbers", "p1"),
        ("participant", "Maria", "changed", "request_visit", "p1"),
        ("clinician", "Dr. Sam Okafor", "viewed", VIEWED, "p1"),
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


def audit_listing(clinic: Clinic) -> list[str]:
    """`groupvisit audit --session ID --db FILE`, line by line after its heading."""
    listed = subprocess.run([sys.executable, "-m", "groupvisit", "audit", "--session", clinic.session_id,
                             "--db", str(clinic.server.db_path)], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.splitlines()[1:]


@pytest.mark.asyncio
async def test_each_kind_of_access_has_its_row_and_rows_once_written_never_change(clinic: Clinic) -> None:
    sid, http = clinic.session_id, clinic.server.http
    for name in ("Maria", "John"):  # a participant joining
        await join(http, clinic.join_code, name)
        clinic.clock.advance(60)
    # A staff screen opening (it receives everyone's clinical data) and a command about one participant.
    console = await ScreenClient(clinic.link("console")).connect()
    clinic.clock.advance(60)
    await console.send("record_numbers", participant_id="p2", glucose=131)
    await console.close()
    before = [row.model_dump() for row in await clinic.store.audit_log(sid)]

    clinic.clock.advance(60)  # the chart summary export, from a clinician's laptop
    async with httpx.AsyncClient(base_url=http, headers={"User-Agent": "priya-laptop"}) as laptop:
        export = await laptop.get(f"/sessions/{sid}/summary.csv", headers={"Cookie": clinic.cookie("priya")})
    assert export.status_code == 200
    for action in ("new", "revoke"):  # a new display link, then none
        clinic.clock.advance(60)
        async with httpx.AsyncClient(base_url=http, headers={"User-Agent": "alex-laptop"}) as laptop:
            answer = await send_form(laptop, f"/sessions/{sid}/display-link", {"action": action}, page="/staff",
                                     cookie=clinic.cookie("alex"))
        assert answer.status_code == 200, answer.text

    rows = await clinic.store.audit_log(sid)
    assert [row.model_dump() for row in rows[:len(before)]] == before, "rows already written never change"
    ids = [row.id for row in rows if row.id is not None]
    assert len(ids) == len(rows) and ids == sorted(set(ids)), "each new row comes after the last"
    nurse, priya = "Nurse Alex Rivera", "Dr. Priya Natarajan"
    assert [(r.role, r.actor_name, r.action, r.what, r.subject) for r in rows] == [
        ("participant", "Maria", "changed", "join", "p1"),
        ("participant", "John", "changed", "join", "p2"),
        ("facilitator", nurse, "viewed", VIEWED, "p1"),
        ("facilitator", nurse, "viewed", VIEWED, "p2"),
        ("facilitator", nurse, "changed", "record_numbers", "p2"),
        ("clinician", priya, "exported", "chart summary", "p1"),
        ("clinician", priya, "exported", "chart summary", "p2"),
        ("facilitator", nurse, "changed", "issued a new display link", ""),
        ("facilitator", nurse, "changed", "revoked the display link", ""),
    ]
    assert [r.device for r in rows[5:]] == ["127.0.0.1 · priya-laptop"] * 2 + ["127.0.0.1 · alex-laptop"] * 2
    assert all(r.device.startswith("127.0.0.1 · ") for r in rows)
    assert [r.at for r in rows] == sorted(r.at for r in rows) and rows[-1].at > rows[0].at

    # The listing says who, from which device and when, for every row.
    lines = audit_listing(clinic)
    assert len(lines) == len(rows)
    about = {"p1": "about Maria", "p2": "about John"}
    for row, line in zip(rows, lines, strict=True):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row.at))
        who = f"{row.role} {row.actor_name}"
        assert line.startswith(f"{when}  {who}"), line
        assert f" {row.action} " in line and row.what in line and f"[{row.device}]" in line, line
        assert (about[row.subject] in line) if row.subject else ("— about" not in line), line


def test_audit_of_an_unknown_session_says_so(tmp_path: Path) -> None:
    listed = subprocess.run([sys.executable, "-m", "groupvisit", "audit", "--session", "nope",
                             "--db", str(tmp_path / "empty.db")], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 1
    assert "there is no session 'nope'" in listed.stderr


@pytest.mark.asyncio
async def test_an_administrators_export_is_audited_per_participant_and_opens_no_live_screen(clinic: Clinic) -> None:
    for name in ("Maria", "John"):
        await join(clinic.server.http, clinic.join_code, name)
    before = len(await clinic.store.audit_log(clinic.session_id))
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        export = await http.get(f"/sessions/{clinic.session_id}/summary.csv",
                                headers={"Cookie": clinic.cookie("admin")})
        assert export.status_code == 200 and "Maria" in export.text and "John" in export.text
        for screen in ("console", "queue"):
            page = await http.get(f"/{screen}/{clinic.session_id}", headers={"Cookie": clinic.cookie("admin")})
            assert page.status_code == 403, f"an administrator opened the {screen}"
    rows = (await clinic.store.audit_log(clinic.session_id))[before:]
    assert [(r.role, r.action, r.what, r.subject) for r in rows] == [
        ("admin", "exported", "chart summary", "p1"), ("admin", "exported", "chart summary", "p2")]
