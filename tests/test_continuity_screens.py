"""Continuity on the live screens, in Debian's Chromium over a real server: a cohort's second session.

Last session (four weeks ago) Maria was matched to the roster, recorded her numbers and set a goal, and a
strategy went on the board. Today the facilitator's console matches each check-in to the roster (a
suggestion confirmed in one click, a pick from the menu, a guest) and adds a walk-in to the roster; it
counts the room's follow-ups and brings a library strategy onto the board. Maria's phone, once she is
matched, asks how her goal went (in English and Spanish, axe clean on a phone) and keeps what she is typing
through live updates; "I tried it and it helped" counts; the clinician's queue shows her last goal, her
follow-up and her numbers over the sessions beside today's.
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, ViewportSize, expect

from conftest import SESSION_START, STAFF_IDLE_MINUTES
from groupvisit.clock import ManualClock
from groupvisit.store import CohortFields, PatientFields, Store
from groupvisit.store.tables import AuditRow, PatientRow, SessionRow
from support.accounts import Staff, signed_in_team
from support.browser import Screen, add_cookie, axe_problems, chromium, open_screen, screenshot_dirs, small_targets
from support.clients import Link, ScreenClient, join
from support.server import LiveServer

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 900}
LAST_TIME = SESSION_START - 28 * 24 * 3600  # Monday 24 August 2026, 14:13 UTC
GOAL = {"what": "Caminar", "how_much": "20 minutos", "when": "después de cenar", "how_often": "4 días por semana"}
GOAL_LINE = "Caminar: 20 minutos, después de cenar, 4 días por semana."
LAST_DAY = {"en": "From the session on Monday, August 24", "es": "De la sesión del lunes, 24 de agosto"}
TIP = "A short walk right after dinner"


@dataclass
class Series:
    server: LiveServer
    clock: ManualClock
    store: Store
    team: dict[str, Staff]
    today: SessionRow
    patients: dict[str, PatientRow]  # by display name
    browser: Browser
    console: ScreenClient  # the facilitator's other screen, setting the scene

    def ws(self, screen: str) -> str:
        return f"{self.server.ws}/{screen}/{self.today.id}/ws"

    def participant_id(self, name: str) -> str:
        return str(next(p["id"] for p in self.console.view["participants"] if p["name"] == name))

    async def phone(self, name: str, language: str = "en") -> Screen:
        """`name`'s own phone, joined today, their screen open and live."""
        base = self.server.http
        _, cookie = await join(base, self.today.join_code, name)
        screen = await open_screen(self.browser, f"phone-{name}-{language}", **PHONE, has_touch=True, is_mobile=True,
                                   locale="es-ES" if language == "es" else "en-US", timezone_id="UTC")
        await add_cookie(screen.context, base, cookie)
        await screen.page.goto(f"{base}/p/{self.today.id}?lang={language}")
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        await self.console.wait_for(lambda view: any(p["name"] == name for p in view["participants"]))
        return screen

    async def staff_screen(self, kind: str, username: str) -> Screen:
        screen = await open_screen(self.browser, kind, **LAPTOP)
        await add_cookie(screen.context, self.server.http, self.team[username].cookie)
        await screen.page.goto(f"{self.server.http}/{kind}/{self.today.id}")
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        return screen

    async def match(self, name: str) -> None:
        await self.console.send("match_participant", participant_id=self.participant_id(name),
                                patient_id=self.patients[name].id)


def audit(cohort_id: str, at: float) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, session_id=None, at=at, role="admin", actor_id="test", actor_name="Test",
                    device="", action="changed", what="set up the series")


async def hold_last_session(server: LiveServer, session_id: str, cookie: str, maria: PatientRow) -> None:
    """Last session as the facilitator ran it: Maria matched, her numbers, a strategy, her goal; then closed."""
    console = await ScreenClient(Link(f"{server.ws}/console/{session_id}/ws", cookie)).connect()
    await console.send("join", display_name="Maria")
    await console.wait_for(lambda view: bool(view["participants"]))
    maria_id = console.view["participants"][0]["id"]
    await console.send("match_participant", participant_id=maria_id, patient_id=maria.id)
    await console.send("record_numbers", participant_id=maria_id, bp_systolic=150, bp_diastolic=95, weight=90,
                       weight_unit="kg", glucose=180)
    await console.send("propose_topic", title="Eating out")
    for phase in ("agenda", "discussion"):
        await console.send("open_phase", phase=phase)
    await console.send("capture_strategy", text=TIP, anonymous=True)
    await console.send("open_phase", phase="goals", confirm=True)
    await console.send("set_goal", participant_id=maria_id, confidence=8, shared=False, **GOAL)
    await console.send("open_phase", phase="wrap_up")
    await console.send("close_session", confirm=True)
    await console.close()


@pytest_asyncio.fixture
async def series(tmp_path: Path) -> AsyncIterator[Series]:
    clock = ManualClock(LAST_TIME)
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    cohort = await store.create_cohort(CohortFields.from_form({
        "name": "Diabetes group (Tuesday)", "condition": "Type 2 diabetes", "languages": "en,es", "kind": "series",
        "planned_sessions": "6", "session_minutes": "120", "vote_budget": "3", "timebox_minutes": "8",
        "room": "Room 4"}), LAST_TIME, audit("", LAST_TIME))
    patients = {}
    for display, clinic_name, mrn, agreement in (("Maria", "María López", "12345", "2026-08-01"),
                                                 ("Jon", "Jonathan Reyes", "", ""),
                                                 ("Rosa", "Rosa Díaz", "", "2026-08-01")):
        patients[display] = await store.enrol(cohort.id, PatientFields.from_form({
            "clinic_name": clinic_name, "display_name": display, "language": "es", "mrn": mrn, "birth_date": "",
            "agreement_signed_on": agreement}), LAST_TIME, audit(cohort.id, LAST_TIME))
    last, _ = await store.create_session(title="Diabetes group visit", cohort=cohort.name, starts_at=LAST_TIME,
                                         ends_at=LAST_TIME + 7200, cohort_id=cohort.id)
    today, _ = await store.create_session(title="Diabetes group visit", cohort=cohort.name, starts_at=SESSION_START,
                                          ends_at=SESSION_START + 7200, cohort_id=cohort.id)
    server = LiveServer(tmp_path / "clinic.db", clock, staff_idle_minutes=STAFF_IDLE_MINUTES)
    await server.astart()
    try:
        team = await signed_in_team(store, clock.now())
        await hold_last_session(server, last.id, team["alex"].cookie, patients["Maria"])
        clock.advance(SESSION_START - LAST_TIME)
        team = await signed_in_team(store, clock.now())  # last month's sign-ins are long over
        console = await ScreenClient(Link(f"{server.ws}/console/{today.id}/ws", team["alex"].cookie)).connect()
        async with chromium() as browser:
            yield Series(server, clock, store, team, today, patients, browser, console)
        await console.close()
    finally:
        await server.astop()
        store.close()


async def shoot(screen: Screen, name: str) -> None:
    for folder in screenshot_dirs():
        await screen.screenshot(folder / name)


def match_row(page: Page, name: str) -> Locator:
    return page.locator("#match-list > li").filter(has=page.locator(".match-name", has_text=re.compile(f"^{name}$")))


# ---- The console -------------------------------------------------------------------------------------


async def test_the_console_matches_check_ins_to_the_roster_and_adds_a_walk_in(series: Series) -> None:
    console = await series.staff_screen("console", "alex")
    page = console.page
    await series.phone("Maria")
    await series.console.send("join", display_name="Jonny")

    maria = match_row(page, "Maria")
    await expect(maria).to_have_attribute("data-match", "unmatched", timeout=LIVE)
    await expect(page.locator("#roster-heading")).to_have_text("Roster match: 2 check-ins to match")
    await shoot(console, "console-roster-suggestion.png")
    await maria.get_by_role("button", name="Confirm Maria is Maria (María López) on the roster").click()
    await expect(maria).to_have_attribute("data-match", "matched", timeout=LIVE)
    await expect(maria.locator(".match-state")).to_have_text("is Maria (María López) on the roster")
    await expect(maria.locator(".agreement-flag")).to_be_hidden()
    await expect(page.locator("#follow-ups-waiting")).to_have_text("1", timeout=LIVE)  # her goal from last time

    jonny = match_row(page, "Jonny")
    await jonny.get_by_label("Match Jonny to someone on the roster").select_option(label="Jon — Jonathan Reyes")
    await jonny.get_by_role("button", name="Match").click()
    await expect(jonny).to_have_attribute("data-match", "matched", timeout=LIVE)
    await expect(jonny.locator(".agreement-flag")).to_have_text("⚠ No confidentiality agreement on file")
    await expect(page.locator("#roster-heading")).to_have_text("Roster match: everyone matched")

    await page.locator("#walkin-name").fill("Lee")
    await page.locator("#walkin-submit").click()
    lee = match_row(page, "Lee")
    await lee.get_by_label("Match Lee to someone on the roster").select_option(label="Not on the roster (a guest)")
    await lee.get_by_role("button", name="Match").click()
    await expect(lee).to_have_attribute("data-match", "guest", timeout=LIVE)
    await expect(lee.locator(".agreement-flag")).to_be_visible()
    assert await axe_problems(page) == []
    await shoot(console, "console-roster-match.png")

    await lee.get_by_role("link", name="Add Lee to the roster").click()
    await expect(page.locator("#enrol-heading")).to_have_text("Add Lee to the roster")
    await expect(page.locator("#display_name")).to_have_value("Lee")
    await page.locator("#clinic_name").fill("Lee Chen")
    await page.locator("#mrn").fill("12345")  # Maria's chart number: refused, naming the field, nothing lost
    await page.locator("#enrol-submit").click()
    await expect(page.locator("#enrol-error")).to_contain_text("12345")
    await expect(page.locator("#mrn")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#clinic_name")).to_have_value("Lee Chen")
    assert await axe_problems(page) == []
    await shoot(console, "enrol-walk-in.png")
    await page.locator("#mrn").fill("777")
    await page.locator("#agreement_signed_on").fill("2026-09-21")
    await page.locator("#enrol-submit").click()
    await page.wait_for_url(f"{series.server.http}/console/{series.today.id}")
    lee = match_row(page, "Lee")
    await expect(lee).to_have_attribute("data-match", "matched", timeout=LIVE)
    await expect(lee.locator(".match-state")).to_have_text("is Lee (Lee Chen) on the roster")
    await expect(lee.locator(".agreement-flag")).to_be_hidden()
    refused = [problem for problem in console.problems if "status of 400" in problem and "/enrol/" in problem]
    assert len(refused) == 1, "the duplicate chart number was answered 400"
    assert [problem for problem in console.problems if problem not in refused] == []


async def test_the_console_searches_the_library_and_brings_a_strategy_to_the_board(series: Series) -> None:
    console = await series.staff_screen("console", "alex")
    page = console.page
    await series.console.send("propose_topic", title="Walking")
    for phase in ("agenda", "discussion"):
        await series.console.send("open_phase", phase=phase)
    entry = page.locator("#library-list li").filter(has_text=TIP)
    await expect(entry).to_be_visible(timeout=LIVE)
    await page.locator("#library-search").fill("insulin")
    await expect(entry).to_be_hidden()
    await expect(page.locator("#library-empty")).to_have_text("No strategy in the library matches that.")
    await page.locator("#library-search").fill("WALK dinner")
    await expect(entry).to_be_visible()
    await entry.get_by_role("button", name=f"Bring to board: “{TIP}”").click()
    await expect(entry.locator(".bring-button")).to_have_text("On today’s board", timeout=LIVE)
    await expect(entry.locator(".bring-button")).to_be_disabled()
    await expect(page.locator("#strategy-list li").filter(has_text=TIP)).to_be_visible()
    await expect(page.locator("#library-search")).to_have_value("WALK dinner")
    assert await axe_problems(page) == []
    await shoot(console, "console-library.png")
    assert not console.problems, console.problems


async def test_the_console_records_a_follow_up_for_someone_without_a_device(series: Series) -> None:
    console = await series.staff_screen("console", "alex")
    page = console.page
    await page.locator("#walkin-name").fill("Maria")
    await page.locator("#walkin-submit").click()
    await match_row(page, "Maria").get_by_role("button", name=re.compile("^Confirm Maria")).click()
    await expect(page.locator("#follow-ups-waiting")).to_have_text("1", timeout=LIVE)
    await page.locator("#on-behalf summary").click()
    await page.locator("#behalf-person").select_option(label="Maria")
    await expect(page.locator("#behalf-follow-up-goal")).to_have_text(
        "Their goal: Caminar, 20 minutos, después de cenar, 4 días por semana.")
    await page.locator("#behalf-outcome").select_option(label="Partly")
    await page.locator("#behalf-obstacle").fill("Her knee")
    await page.locator("#behalf-follow-up-submit").click()
    await expect(page.locator("#behalf-saved")).to_contain_text("Saved a follow-up for Maria", timeout=LIVE)
    await expect(page.locator("#follow-ups-partly")).to_have_text("1")
    await expect(page.locator("#follow-ups-waiting")).to_have_text("0")
    await expect(page.locator("#behalf-follow-up-goal")).to_contain_text("They said: partly.")
    await expect(page.locator("#behalf-obstacle")).to_have_value("")
    assert not console.problems, console.problems


# ---- The participant ---------------------------------------------------------------------------------


async def check_phone(screen: Screen, language: str) -> None:
    page = screen.page
    await expect(page.locator("html")).to_have_attribute("lang", language)
    assert await axe_problems(page) == [], f"{language}: axe"
    assert await small_targets(page) == [], f"{language}: controls smaller than 44×44"


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_follow_up_step_asks_how_last_sessions_goal_went(series: Series, language: str) -> None:
    phone = await series.phone("Maria", language)
    page = phone.page
    form = page.get_by_test_id("follow-up-form")
    await expect(page.locator("#visit-form")).to_be_visible()
    await expect(form).to_be_hidden()  # not matched yet: nothing of last time shows
    await series.match("Maria")
    await expect(form).to_be_visible(timeout=LIVE)
    await expect(page.get_by_test_id("follow-up-goal")).to_have_text(GOAL_LINE)
    await expect(page.locator("#follow-up-date")).to_have_text(LAST_DAY[language])
    await check_phone(phone, language)

    words = {"en": ("Partly", "I did it", "Saved: "), "es": ("En parte", "Lo logré", "Guardado: ")}[language]
    await form.locator("label", has_text=words[0]).click()
    await page.locator("#follow-up-obstacle").fill("Llovió mucho" if language == "es" else "It rained a lot")
    await page.locator("#follow-up-submit").click()
    await expect(page.locator("#follow-up-saved")).to_have_text(f"{words[2]}{words[0]}. " + (
        "Puede cambiarlo." if language == "es" else "You can change it."), timeout=LIVE)
    await series.console.wait_for(lambda view: view["follow_ups"]["partly"] == 1)
    await check_phone(phone, language)
    await page.evaluate("() => document.getElementById('follow-up-form').scrollIntoView({ block: 'start' })")
    await shoot(phone, f"participant-phone-follow-up-{language}.png")

    await form.locator("label", has_text=words[1]).click()  # changed: she did it after all
    await page.locator("#follow-up-submit").click()
    await expect(page.locator("#follow-up-saved")).to_contain_text(words[1], timeout=LIVE)
    await series.console.wait_for(lambda view: view["follow_ups"]["done"] == 1 and view["follow_ups"]["partly"] == 0)
    await expect(page.locator("#follow-up-obstacle")).to_have_value("Llovió mucho" if language == "es"
                                                                    else "It rained a lot")
    assert not phone.problems, phone.problems


async def test_a_live_update_leaves_a_half_typed_obstacle_alone(series: Series) -> None:
    phone = await series.phone("Maria")
    page = phone.page
    await series.match("Maria")
    await page.get_by_test_id("follow-up-form").locator("label", has_text="Not yet").click()
    field = page.locator("#follow-up-obstacle")
    await expect(field).to_be_enabled(timeout=LIVE)
    await field.focus()
    await page.evaluate("() => { window.typingIn = document.activeElement; }")
    await page.keyboard.type("My knee hurt and ")
    for n in (1, 2, 3):  # walk-ins check in and are matched, a strategy goes on the board: each shows here
        await series.console.send("join", display_name=f"Walk-in {n}")
        await series.console.send("match_participant", participant_id=series.participant_id(f"Walk-in {n}"),
                                  patient_id="")
        await series.console.send("capture_strategy", text=f"Tip number {n}", anonymous=True)
        await expect(page.locator("#people-count")).to_contain_text(f"{n + 1} people here", timeout=LIVE)
        await expect(page.locator("#strategy-list li")).to_have_count(n, timeout=LIVE)
    await series.console.send("open_phase", phase="agenda")  # and the room moves on
    await expect(page.locator("#phase-line")).to_contain_text("Step 2", timeout=LIVE)
    await page.keyboard.type("it rained")
    await expect(field).to_have_value("My knee hurt and it rained")
    state = await page.evaluate("""() => {
      const node = document.activeElement;
      return { same: node === window.typingIn, start: node.selectionStart, end: node.selectionEnd };
    }""")
    assert state == {"same": True, "start": 26, "end": 26}, state
    await expect(page.locator("#outcome-not_yet")).to_be_checked()
    assert not phone.problems, phone.problems


async def test_i_tried_it_and_it_helped_counts_and_can_be_taken_back(series: Series) -> None:
    phone = await series.phone("Maria")
    page = phone.page
    _, rosa_cookie = await join(series.server.http, series.today.join_code, "Rosa")
    rosa = await ScreenClient(series.ws("p"), rosa_cookie).connect()
    await series.console.send("open_phase", phase="agenda")
    await series.console.send("open_phase", phase="discussion", confirm=True)
    library_id = series.console.view["library"][0]["id"]
    await series.console.send("bring_strategy", library_id=library_id)
    card = page.get_by_test_id("strategy").filter(has_text=TIP)
    tried = card.get_by_test_id("mark-tried")
    await expect(tried).to_have_attribute("aria-pressed", "false", timeout=LIVE)
    await tried.click()
    await expect(tried).to_have_attribute("aria-pressed", "true", timeout=LIVE)
    await expect(tried).to_have_text("✓ I tried it and it helped")
    await expect(card.locator(".strategy-tried")).to_have_text("1 person tried it and it helped")
    strategy_id = rosa.view["strategies"][0]["id"]
    await rosa.send("mark_tried", strategy_id=strategy_id, helped=True)
    await expect(card.locator(".strategy-tried")).to_have_text("2 people tried it and it helped", timeout=LIVE)
    await shoot(phone, "participant-phone-tried.png")
    await tried.click()  # taken back
    await expect(tried).to_have_attribute("aria-pressed", "false", timeout=LIVE)
    await expect(card.locator(".strategy-tried")).to_have_text("1 person tried it and it helped")
    await rosa.close()
    assert not phone.problems, phone.problems


# ---- The queue ---------------------------------------------------------------------------------------


async def test_the_queue_shows_the_last_goal_its_follow_up_and_the_numbers_trend(series: Series) -> None:
    _, cookie = await join(series.server.http, series.today.join_code, "Maria")
    maria = await ScreenClient(series.ws("p"), cookie).connect()
    await series.console.wait_for(lambda view: bool(view["participants"]))
    await series.match("Maria")
    await maria.wait_for(lambda view: view["me"]["follow_up"] is not None)
    await maria.send("give_follow_up", outcome="partly", obstacle="It rained a lot")
    await maria.send("record_numbers", bp_systolic=138, bp_diastolic=88, weight=87.5, weight_unit="kg")
    await maria.send("request_visit", text="My feet tingle")
    queue = await series.staff_screen("queue", "sam")
    card = queue.page.locator("#waiting-list li").filter(has_text="My feet tingle")
    prior = card.locator(".prior")
    await expect(prior.locator(".prior-goal")).to_contain_text(
        "Last session’s goal (", timeout=LIVE)
    await expect(prior.locator(".prior-goal")).to_contain_text(
        "Caminar, 20 minutos, después de cenar, 4 días por semana (confidence 8/10)")
    await expect(prior.locator(".prior-follow-up")).to_have_text("How it went: Partly. What got in the way: “It rained a lot”")
    table = prior.locator("table")
    await expect(table.locator("thead th").last).to_have_text("Today")
    bp = table.locator("tbody tr").filter(has_text="Blood pressure")
    await expect(bp.locator("td")).to_have_text(["150/95", "138/88"])
    weight = table.locator("tbody tr").filter(has_text="Weight")
    await expect(weight.locator("td")).to_have_text(["90 kg", "87.5 kg"])
    glucose = table.locator("tbody tr").filter(has_text="Glucose")
    await expect(glucose.locator("td")).to_have_text(["180 mg/dL", "none"])
    assert await axe_problems(queue.page) == []
    await shoot(queue, "queue-prior.png")
    await maria.close()
    assert not queue.problems, queue.problems
