"""The take-home summaries over HTTP from a real server: each participant gets their own on their own credential,
in their language, with nothing of anyone else's; the facilitator prints everyone's, audited per patient."""

import html
import re
from dataclasses import dataclass

import httpx
import pytest
from markupsafe import escape
from playwright.async_api import expect

from conftest import SESSION_START, Clinic
from groupvisit.domain.state import Goal
from groupvisit.outputs.take_home import NextSession, TakeHome, TakeHomeStrategy
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, PatientFields
from groupvisit.store.tables import AuditRow
from groupvisit.web.templating import make_templates
from support.browser import add_cookie, axe_problems, chromium, open_screen, screenshot_dirs
from support.clients import Link, ScreenClient, join

MINUTE, MONTH = 60, 28 * 86400
WHAT = "take-home summaries"


@dataclass(frozen=True)
class Room:
    session_id: str
    join_code: str
    cookies: dict[str, str]  # each participant's device cookie, by name
    ids: dict[str, str]  # participant ids, by name


def setup_audit(cohort_id: str, what: str) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, at=0.0, role="admin", actor_id="setup", actor_name="Setup", device="",
                    action="changed", what=what)


async def two_sessions(clinic: Clinic) -> Room:
    """A cohort (room "Room 4", English and Spanish) meeting monthly. Last month Maria (Spanish on the roster)
    recorded 150/95. Today Maria and James (English) are seen, each told something to remember; Maria marks a
    strategy James shared and sets a private goal; Nadia is a walk-in guest. The session is in wrap-up."""
    store, now = clinic.store, clinic.clock.now()
    cohort = await store.create_cohort(CohortFields.from_form(
        {"name": "Diabetes (Tuesday)", "room": "Room 4", "languages": "en,es"}), now, setup_audit("", "created"))
    patients = {}
    for clinic_name, display_name, language in (("Maria Lopez", "Maria", "es"), ("James Carter", "James", "en")):
        row = await store.enrol(cohort.id, PatientFields.from_form(
            {"clinic_name": clinic_name, "display_name": display_name, "language": language}), now,
            setup_audit(cohort.id, "enrolled"))
        patients[display_name] = row.id
    last, today, _next = await store.schedule_sessions(cohort.id, [
        Slot(SESSION_START + k * MONTH, SESSION_START + k * MONTH + 120 * MINUTE) for k in (-1, 0, 1)],
        setup_audit(cohort.id, "scheduled"))
    ws = clinic.server.ws
    console = await ScreenClient(Link(f"{ws}/console/{last.id}/ws", clinic.cookie("alex"))).connect()
    _, cookie = await join(clinic.server.http, last.join_code, "Maria")
    maria = await ScreenClient(f"{ws}/p/{last.id}/ws", cookie, "Maria").connect()
    try:
        await console.wait_for(lambda v: len(v["people"]) == 1)
        await console.send("match_participant", participant_id=console.view["people"][0]["id"],
                           patient_id=patients["Maria"])
        await maria.send("record_numbers", bp_systolic=150, bp_diastolic=95)
        await console.send("close_session", confirm=True)
    finally:
        await maria.close()
        await console.close()

    console = await ScreenClient(Link(f"{ws}/console/{today.id}/ws", clinic.cookie("alex"))).connect()
    doctor = await ScreenClient(Link(f"{ws}/queue/{today.id}/ws", clinic.cookie("sam"))).connect()
    cookies, screens = {}, {}
    for name in ("Maria", "James", "Nadia"):
        _, cookies[name] = await join(clinic.server.http, today.join_code, name)
        screens[name] = await ScreenClient(f"{ws}/p/{today.id}/ws", cookies[name], name).connect()
    try:
        await console.wait_for(lambda v: len(v["people"]) == 3)
        ids = {p["name"]: p["id"] for p in console.view["people"]}
        await console.send("match_participant", participant_id=ids["Maria"], patient_id=patients["Maria"])
        await console.send("match_participant", participant_id=ids["James"], patient_id=patients["James"])
        await console.send("match_participant", participant_id=ids["Nadia"], patient_id="")
        await screens["Maria"].send("record_numbers", bp_systolic=138, bp_diastolic=86)
        await screens["James"].send("record_numbers", bp_systolic=121, bp_diastolic=79, weight=201.5, weight_unit="lb")
        await screens["James"].send("capture_strategy", text="Walk the dog after dinner")
        await screens["James"].send("capture_strategy", text="James's own trick")
        await screens["Maria"].wait_for(lambda v: len(v["strategies"]) == 2)
        mine, his = (s["id"] for s in screens["Maria"].view["strategies"])
        await screens["Maria"].send("mark_helpful", strategy_id=mine)
        await screens["James"].send("mark_helpful", strategy_id=his)
        for name, instruction in (("Maria", "Revise sus pies cada noche"), ("James", "Book the eye exam")):
            await screens[name].send("request_visit", text=f"{name}'s question")
            await doctor.wait_for(lambda v: len(v["queue"]["waiting"]) == 1)
            visit = doctor.view["queue"]["waiting"][0]["encounter_id"]
            await doctor.send("call_participant", encounter_id=visit, room="Exam 1")
            await doctor.send("start_encounter", encounter_id=visit)
            clinic.clock.advance(5 * MINUTE)
            await doctor.send("complete_encounter", encounter_id=visit, note=f"{name}'s clinical note",
                              instruction=instruction)
        for phase in ("agenda", "discussion", "goals"):
            await console.send("open_phase", phase=phase, confirm=True)
        await screens["Maria"].send("set_goal", what="caminar", how_much="20 minutos", when="después de cenar",
                                    how_often="5 días por semana", confidence=8, shared=False)
        await screens["James"].send("set_goal", what="swim laps", how_much="1 hour", when="Saturday",
                                    how_often="weekly", confidence=6, shared=True)
        await console.send("open_phase", phase="wrap_up", confirm=True)
    finally:
        for screen in (console, doctor, *screens.values()):
            await screen.close()
    return Room(today.id, today.join_code, cookies, ids)


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


JAMES = ("James's clinical note", "Book the eye exam", "swim laps", "James's own trick", "121/79", "201.5", "201,5")
MARIA = ("Maria's clinical note", "Revise sus pies cada noche", "caminar", "138/86", "150/95")


@pytest.mark.asyncio
async def test_each_participant_gets_only_their_own_summary_in_their_language(clinic: Clinic) -> None:
    room = await two_sessions(clinic)
    path = f"/p/{room.session_id}/summary"
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        maria = await http.get(path + "?lang=es", headers={"Cookie": room.cookies["Maria"]})
        james = await http.get(path + "?lang=en", headers={"Cookie": room.cookies["James"]})
        nadia = await http.get(path, headers={"Cookie": room.cookies["Nadia"]})
    for answer in (maria, james, nadia):
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
    page = text_of(maria.text)
    assert '<html lang="es">' in maria.text and "Resumen para llevar a casa" in page
    for hers in ("Revise sus pies cada noche", "caminar", "8 de 10", "138/86", "150/95", "Walk the dog after dinner",
                 "compartida por James", "Sala: Room 4"):
        assert hers in page
    assert "Maria's clinical note" not in page  # the clinical note is for the record, never the patient
    assert [t for t in JAMES if t in page] == []
    assert "Nadia" not in page

    page = text_of(james.text)
    assert "Book the eye exam" in page and "swim laps" in page and "121/79" in page and "201.5 lb" in page
    assert "James's own trick" in page and "my own idea" in page
    assert [t for t in MARIA if t in page] == [] and "Nadia" not in page and "James's clinical note" not in page

    page = text_of(nadia.text)  # a walk-in guest: no goal, no one-on-one, no numbers, and the next session
    assert "No goal was set today." in page and "No numbers were written down today." in page
    assert "Room: Room 4" in page
    assert [t for t in MARIA + JAMES if t in page] == []


@pytest.mark.asyncio
async def test_a_summary_needs_this_sessions_participant_credential(clinic: Clinic) -> None:
    room = await two_sessions(clinic)
    _, elsewhere = await join(clinic.server.http, clinic.join_code, "Maria")  # the fixture's other session
    path = f"/p/{room.session_id}/summary"
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        other_session = await http.get(path, headers={"Cookie": elsewhere})
        nobody = await http.get(path)
        staff = await http.get(path, headers={"Cookie": clinic.cookie("alex")})
    assert other_session.status_code == 403
    assert [t for t in MARIA + JAMES if t in other_session.text] == []
    assert (nobody.status_code, nobody.headers["location"]) == (303, f"/join/{room.join_code}")
    assert (staff.status_code, staff.headers["location"]) == (303, f"/join/{room.join_code}")


@pytest.mark.asyncio
async def test_the_facilitator_prints_everyones_summary_in_their_language_audited_per_patient(clinic: Clinic) -> None:
    room = await two_sessions(clinic)
    path = f"/sessions/{room.session_id}/summaries"
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        before = len(await clinic.store.audit_log(room.session_id))
        printed = await http.get(path, headers={"Cookie": clinic.cookie("alex")})
        refused = [await http.get(path, headers={"Cookie": clinic.cookie(who)}) for who in ("sam", "admin")]
        after_refusals = len(await clinic.store.audit_log(room.session_id))
        signed_out = await http.get(path)
    assert printed.status_code == 200, printed.text
    assert printed.headers["cache-control"] == "no-store"
    sheets = re.findall(r'<article class="take-home" lang="(\w+)"(.*?)</article>', printed.text, flags=re.S)
    # Maria and James in their roster languages; Nadia, a guest, in the room's first.
    assert [language for language, _ in sheets] == ["es", "en", "en"]
    maria, james, nadia = (text_of(body) for _, body in sheets)
    assert "Revise sus pies cada noche" in maria and "Mi meta" in maria and "150/95" in maria
    assert [t for t in JAMES if t in maria] == []
    assert "Book the eye exam" in james and [t for t in MARIA if t in james] == []
    assert [t for t in MARIA + JAMES if t in nadia] == []
    assert "clinical note" not in printed.text
    rows = (await clinic.store.audit_log(room.session_id))[before:]
    assert [(r.role, r.action, r.what, r.subject) for r in rows] == [
        ("facilitator", "viewed", WHAT, room.ids[name]) for name in ("Maria", "James", "Nadia")]
    assert [answer.status_code for answer in refused] == [403, 403]
    assert after_refusals == before + 3  # a refused look reads nothing
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")


HOSTILE = '<img src=x onerror="alert(1)"> \u202eright to left 🙂 {{ 7*7 }}'


@pytest.mark.parametrize("template", ["participant/take_home.html", "staff/take_home_all.html"])
def test_hostile_text_on_a_summary_is_shown_literally(template: str) -> None:
    summary = TakeHome("p1", HOSTILE, "en", HOSTILE, "Monday", Goal(HOSTILE, HOSTILE, HOSTILE, HOSTILE, 8, False, 0.0),
                       (TakeHomeStrategy(HOSTILE, HOSTILE),), (HOSTILE + "\n" + HOSTILE,), None, None, "",
                       NextSession(0.0, "Monday", "10:00", HOSTILE))
    page = make_templates().env.get_template(template).render(
        summary=summary, numbers=[], language="en", title=HOSTILE, back_url="/p/s1", sheets=[(summary, [])],
        session={"id": "s1", "title": HOSTILE})
    assert "<img" not in page and "49" not in page
    assert str(escape(HOSTILE)) in page  # as typed, only escaped


# ---- In Chromium: the panel, the printed pages, axe --------------------------------------------------------------

def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has: its page objects (`/Type /Page`, not the `/Type /Pages` tree above them)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.asyncio
async def test_the_print_all_prints_one_page_per_patient_and_the_own_summary_one_page(clinic: Clinic) -> None:
    room = await two_sessions(clinic)
    base = clinic.server.http
    async with chromium() as browser:
        staff = await open_screen(browser, "facilitator", 1280, 900)
        await add_cookie(staff.context, base, clinic.cookie("alex"))
        await staff.page.goto(f"{base}/sessions/{room.session_id}/summaries")
        assert await staff.page.locator("[data-testid=take-home]").count() == 3
        assert pdf_pages(await staff.page.pdf(format="Letter")) == 3
        assert pdf_pages(await staff.page.pdf(format="A4")) == 3
        assert await axe_problems(staff.page) == [], "the print-all page"
        phone = await open_screen(browser, "Maria's phone", 390, 844)
        await add_cookie(phone.context, base, room.cookies["Maria"])
        await phone.page.goto(f"{base}/p/{room.session_id}/summary")
        assert pdf_pages(await phone.page.pdf(format="Letter")) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_wrap_up_panel_opens_the_summary_which_passes_axe(clinic: Clinic, language: str) -> None:
    room = await two_sessions(clinic)
    base = clinic.server.http
    async with chromium() as browser:
        phone = await open_screen(browser, "Maria's phone", 390, 844)
        await add_cookie(phone.context, base, room.cookies["Maria"])
        page = phone.page
        await page.goto(f"{base}/p/{room.session_id}?lang={language}")
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")
        link = page.get_by_test_id("take-home-print")
        await expect(link).to_be_visible()  # wrap-up: the panel is there and open
        assert await axe_problems(page) == [], f"{language}: the participant screen at wrap-up"
        await link.click()
        await page.wait_for_url(f"{base}/p/{room.session_id}/summary")
        await expect(page.locator("html")).to_have_attribute("lang", language)
        await expect(page.get_by_test_id("take-home")).to_contain_text("Revise sus pies cada noche")
        assert await axe_problems(page) == [], f"{language}: the take-home summary"
        if language == "es":
            for folder in screenshot_dirs():
                await page.screenshot(path=folder / "take-home-summary-es.png", full_page=True)
        assert phone.problems == []


@pytest.mark.asyncio
async def test_the_console_links_to_the_summaries_from_wrap_up_on(clinic: Clinic) -> None:
    room = await two_sessions(clinic)
    base = clinic.server.http
    async with chromium() as browser:
        console = await open_screen(browser, "facilitator", 1280, 900)
        await add_cookie(console.context, base, clinic.cookie("alex"))
        page = console.page
        await page.goto(f"{base}/console/{clinic.session_id}")  # the fixture's session, still at check-in
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")
        await expect(page.get_by_test_id("take-home-summaries")).to_be_hidden()
        await page.goto(f"{base}/console/{room.session_id}")  # in wrap-up
        link = page.get_by_test_id("take-home-summaries")
        await expect(link).to_be_visible()
        await link.click()
        await page.wait_for_url(f"{base}/sessions/{room.session_id}/summaries")
        await expect(page.get_by_test_id("take-home")).to_have_count(3)
        assert console.problems == []
