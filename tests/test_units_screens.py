"""A cohort that records glucose in mmol/L and weight in kg, on the live screens in Debian's Chromium over a
real server: the participant's check-in and the console's on-behalf form ask in the cohort's units (and
check its ranges), and the clinician's queue shows the cohort's thresholds while a low reading is flagged."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, ViewportSize, expect

from conftest import SESSION_START, STAFF_IDLE_MINUTES
from groupvisit.clock import ManualClock
from groupvisit.store import CohortFields, Store
from groupvisit.store.tables import AuditRow, SessionRow
from support.accounts import Staff, signed_in_team
from support.browser import Screen, add_cookie, chromium, open_screen
from support.clients import Link, ScreenClient, join
from support.server import LiveServer

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 900}


@dataclass
class Clinic:
    server: LiveServer
    team: dict[str, Staff]
    session: SessionRow
    browser: Browser

    async def screen(self, kind: str, cookie: str, path: str, size: ViewportSize = LAPTOP) -> Screen:
        screen = await open_screen(self.browser, kind, size["width"], size["height"])
        await add_cookie(screen.context, self.server.http, cookie)
        await screen.page.goto(f"{self.server.http}/{path}/{self.session.id}")
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        return screen


@pytest_asyncio.fixture
async def clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    """A session of a cohort in mmol/L and kg, its care team signed in, on a real server, with Chromium."""
    db = tmp_path / "clinic.db"
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{db}")
    team = await signed_in_team(store, clock.now())
    setup = AuditRow(at=SESSION_START, role="admin", actor_id="test", actor_name="Test", device="", action="changed",
                     what="set up the cohort")
    cohort = await store.create_cohort(CohortFields.from_form(
        {"name": "Grupo de diabetes (Madrid)", "glucose_unit": "mmol/L", "weight_unit": "kg"}), SESSION_START, setup)
    session, _ = await store.create_session(title="Grupo de diabetes", cohort_id=cohort.id, starts_at=SESSION_START,
                                            ends_at=SESSION_START + 120 * 60)
    server = LiveServer(db, clock, staff_idle_minutes=STAFF_IDLE_MINUTES)
    await server.astart()
    try:
        async with chromium() as browser:
            yield Clinic(server, team, session, browser)
    finally:
        await server.astop()
        store.close()


async def test_a_mmol_cohorts_participant_records_5_4_and_a_3_2_is_flagged_on_the_queue_with_its_thresholds(
        clinic: Clinic) -> None:
    # Ana's phone asks in mmol/L, with decimals, and weighs in kg unless she picks lb.
    _, cookie = await join(clinic.server.http, clinic.session.join_code, "Ana")
    phone = await clinic.screen("phone", cookie, "p", PHONE)
    page = phone.page
    await expect(page.locator("#glucose-label")).to_have_text("Blood sugar (glucose), in mmol/L")
    await expect(page.locator("#glucose-hint")).to_have_text("For example 5.4.")
    await expect(page.locator("#glucose")).to_have_attribute("inputmode", "decimal")
    await expect(page.locator("#weight-unit-kg")).to_be_checked()
    await page.locator("#glucose").fill("98")  # a reading in mg/dL: out of the cohort's unit's range
    await page.locator("#numbers-submit").click()
    await expect(page.get_by_test_id("glucose-error")).to_have_text(
        "Blood sugar must be between 1.1 and 33.3 mmol/L.")
    await page.locator("#glucose").fill("5.4")
    await page.locator("#numbers-submit").click()
    await expect(page.locator("#numbers-saved")).to_contain_text("blood sugar 5.4 mmol/L", timeout=LIVE)
    await page.locator("#visit-text").fill("My new tablets")
    await page.locator("#visit-submit").click()
    await expect(page.locator("#visit-saved")).to_be_visible(timeout=LIVE)

    # Bob has no phone with him: the facilitator records his 3.2 on his behalf, in the cohort's units too.
    await join(clinic.server.http, clinic.session.join_code, "Bob")
    console = await clinic.screen("console", clinic.team["alex"].cookie, "console")
    desk = console.page
    await desk.locator("#on-behalf summary").click()
    await desk.locator("#behalf-person").select_option(label="Bob")
    await expect(desk.locator("#glucose-label")).to_have_text("Glucose mmol/L")
    await expect(desk.locator("#weight-unit")).to_have_value("kg")
    await desk.locator("#glucose").fill("3,2.5")
    await desk.locator("#numbers-submit").click()
    await expect(desk.locator("#glucose-error")).to_have_text("Glucose must be a number, like 5.4.")
    await desk.locator("#glucose").fill("3.2")
    await desk.locator("#numbers-submit").click()
    await expect(desk.locator("#behalf-saved")).to_contain_text("Saved numbers for Bob", timeout=LIVE)
    await desk.locator("#request-text").fill("Dizzy in the mornings")
    await desk.locator("#request-submit").click()
    await expect(desk.locator("#behalf-saved")).to_contain_text("Saved a 1:1 request for Bob", timeout=LIVE)

    # The clinician's queue: the cohort's thresholds in one line, each reading in its unit, Bob's flagged.
    sam = clinic.team["sam"].cookie
    queue = await clinic.screen("queue", sam, "queue")
    await expect(queue.page.locator("#thresholds")).to_have_text(
        "Flags: BP ≥ 180/110 · glucose < 3.9 or > 16.7 mmol/L")
    cards = queue.page.locator("#waiting-list li")
    await expect(cards.filter(has_text="Bob").locator(".numbers")).to_contain_text("Glucose 3.2 mmol/L", timeout=LIVE)
    await expect(cards.filter(has_text="Ana").locator(".numbers")).to_contain_text("Glucose 5.4 mmol/L")
    screen = await ScreenClient(Link(f"{clinic.server.ws}/queue/{clinic.session.id}/ws", sam)).connect()
    try:
        flagged = {row["name"]: row["flags"] for row in screen.view["queue"]["waiting"]}
        assert flagged == {"Ana": [], "Bob": ["glucose_low"]}
    finally:
        await screen.close()
    for shown in (phone, console, queue):
        assert not shown.problems, shown.problems
