"""The end of a staff sign-in in Debian's Chromium: whatever ends it, the console and the queue take every
patient's data off the screen at once and show the sign-in page saying why, before and after close.

The server runs on a manual clock that the tests leave alone unless they say so: when the page's own clock
(Playwright's `clock`) reaches the idle time or the limit, the page must leave without waiting for the server.
Where the server must not be the one to end it, it checks open screens only once a minute.
"""

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from conftest import SESSION_START
from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.accounts import PASSWORD
from support.browser import DeviceLink, Screen, add_cookie, chromium, open_screen
from support.clients import ScreenClient
from support.process import Seeded, seed_session
from support.server import LiveServer

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
IDLE = 15 * 60  # seconds: the staff idle time
SLOW_CHECK = 60.0  # seconds between the server's own checks of an open screen: longer than any test here
PATIENT, REQUEST = "Maria Gonzalez", "My feet tingle at night"
PATIENT_DATA = (PATIENT, REQUEST, "128/82", "Glucose 141")  # what must leave the screen
NOTICES = {
    "idle": "You were signed out after 15 minutes without activity.",
    "time limit": "You were signed out after 1 hour.",
    "signed out": "You have signed out.",
    "disabled": "This account has been disabled.",
    "password changed": "This account's password was changed.",
}


@dataclass
class Clinic:
    server: LiveServer
    clock: ManualClock
    seeded: Seeded
    console: ScreenClient  # the facilitator's console as a websocket client
    browser: Browser

    def url(self, screen: str) -> str:
        return f"{self.server.http}/{screen}/{self.seeded.session_id}"

    async def close_session(self) -> None:
        await self.console.send("close_session", confirm=True)


async def open_clinic(tmp_path: Path, idle_minutes: float = IDLE / 60, **settings: Any) -> AsyncIterator[Clinic]:
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    seeded = await seed_session(store, signed_in_at=clock.now())
    server = LiveServer(tmp_path / "clinic.db", clock, staff_idle_minutes=idle_minutes, staff_limit_hours=1.0,
                        **settings)
    await server.astart()
    seeded.on(server)
    console = await ScreenClient(seeded.console_url).connect()
    try:
        maria = await ScreenClient(seeded.participant_url, await seeded.join(PATIENT)).connect()
        await maria.send("request_visit", text=REQUEST)
        await maria.send("record_numbers", bp_systolic=128, bp_diastolic=82, glucose=141)
        await maria.close()
        async with chromium() as browser:
            yield Clinic(server, clock, seeded, console, browser)
    finally:
        await console.close()
        await server.astop()
        store.close()


@pytest_asyncio.fixture
async def clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    """The server checks open screens every 0.2 s."""
    async for opened in open_clinic(tmp_path, access_check_seconds=0.2):
        yield opened


@pytest_asyncio.fixture
async def slow_clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    """The server checks open screens only once a minute: anything faster is the page's own doing."""
    async for opened in open_clinic(tmp_path, access_check_seconds=SLOW_CHECK):
        yield opened


@pytest_asyncio.fixture
async def long_idle_clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    """Idle time longer than the one-hour limit, so the limit is what ends the sign-in."""
    async for opened in open_clinic(tmp_path, idle_minutes=120.0, access_check_seconds=SLOW_CHECK):
        yield opened


# Where each screen shows the patient (on the queue: waiting, or once the session has closed, not seen today).
SCREENS = {"console": ("alex", "#people-rows"), "queue": ("sam", "main")}


async def open_staff(clinic: Clinic, kind: str, base: str | None = None) -> Screen:
    """`kind`'s screen signed in (by its cookie), live, showing the patient's data."""
    username, holder = SCREENS[kind]
    screen = await open_screen(clinic.browser, kind, 1280, 800)
    http = base or clinic.server.http
    staff = clinic.seeded.facilitator if username == "alex" else clinic.seeded.clinicians[0]
    await add_cookie(screen.context, http, staff.cookie)
    await screen.page.goto(f"{http}/{kind}/{clinic.seeded.session_id}")
    await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", re.compile("live|ended"),
                                                                            timeout=LIVE)
    await expect(screen.page.locator(holder)).to_contain_text(PATIENT, timeout=LIVE)
    if kind == "queue":
        await expect(screen.page.locator(holder)).to_contain_text(REQUEST)
    return screen


REFUSED_HANDSHAKE = "Unexpected response code: 403"  # Chromium's own words for a refused reconnection


async def on_the_sign_in_page(screen: Screen, why: str, refused: bool = False) -> None:
    """The page is the sign-in page saying why, and no patient's name, request or number is left in it
    (`refused`: the page met a refused reconnection on the way, which Chromium logs)."""
    page = screen.page
    await page.wait_for_url(re.compile(r"/login\?"), timeout=LIVE)
    await expect(page.locator("#sign-in-notice")).to_contain_text(NOTICES[why], timeout=LIVE)
    await gone(page)
    problems = [p for p in screen.problems if not (refused and REFUSED_HANDSHAKE in p)]
    assert not problems, problems


async def gone(page: Page) -> None:
    html, text = await page.content(), await page.locator("body").inner_text()
    left = [item for item in PATIENT_DATA if item in html or item in text]
    assert left == [], f"still on the screen: {left}"


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("kind", ["console", "queue"])
async def test_the_page_s_own_idle_clock_clears_the_screen_and_signs_out(slow_clinic: Clinic, kind: str,
                                                                         closed: bool) -> None:
    if closed:
        await slow_clinic.close_session()
    screen = await open_staff(slow_clinic, kind)
    await screen.context.clock.fast_forward((IDLE + 1) * 1000)  # the server's clock stands still
    await on_the_sign_in_page(screen, "idle")
    # The server heard it: the sign-in is over there too, even for a browser that kept the cookie.
    staff = slow_clinic.seeded.facilitator if kind == "console" else slow_clinic.seeded.clinicians[0]
    async with httpx.AsyncClient(base_url=slow_clinic.server.http, headers={"Cookie": staff.cookie}) as browser:
        again = await browser.get(f"/{kind}/{slow_clinic.seeded.session_id}")
    assert again.status_code == 303 and again.headers["location"].endswith("&ended=idle")


@pytest.mark.parametrize("kind", ["console", "queue"])
async def test_the_page_leaves_at_the_time_limit_by_its_own_clock(long_idle_clinic: Clinic, kind: str) -> None:
    screen = await open_staff(long_idle_clinic, kind)
    await screen.context.clock.fast_forward((3600 + 1) * 1000)
    await on_the_sign_in_page(screen, "time limit")


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
async def test_signing_out_in_another_tab_clears_this_one_at_once(slow_clinic: Clinic, closed: bool) -> None:
    if closed:
        await slow_clinic.close_session()
    queue = await open_staff(slow_clinic, "queue")
    other_tab = await queue.context.new_page()
    await other_tab.goto(f"{slow_clinic.server.http}/staff")
    await other_tab.locator("#sign-out").click()
    await expect(other_tab.locator("#sign-in-notice")).to_have_text("You have signed out.")
    await on_the_sign_in_page(queue, "signed out")


@pytest.mark.parametrize("why", ["disabled", "password changed"])
async def test_an_account_ended_on_the_server_clears_a_queue_whose_connection_dropped_after_close(
        slow_clinic: Clinic, why: str) -> None:
    """After close a dropped connection still comes back: the refusal it meets says the sign-in ended."""
    link = await DeviceLink(slow_clinic.server.port).start()
    try:
        await slow_clinic.close_session()
        screen = await open_staff(slow_clinic, "queue", base=link.http)
        store = slow_clinic.seeded.store
        if why == "disabled":
            await store.update_user("sam", slow_clinic.clock.now(), "disabled", disabled=True)
        else:
            await store.update_user("sam", slow_clinic.clock.now(), "password changed", password_hash="$argon2id$x")
        link.cut()
        await on_the_sign_in_page(screen, why, refused=True)
    finally:
        await link.close()


async def test_disabling_an_account_clears_an_open_queue_after_close(clinic: Clinic) -> None:
    await clinic.close_session()
    screen = await open_staff(clinic, "queue")
    await clinic.seeded.store.update_user("sam", clinic.clock.now(), "disabled", disabled=True)
    await on_the_sign_in_page(screen, "disabled")


# ---- the warning before an idle sign-out, and an encounter that outlives it ---------------------------------

@pytest.mark.parametrize("kind", ["console", "queue"])
async def test_one_tap_on_the_warning_keeps_the_sign_in(clinic: Clinic, kind: str) -> None:
    screen = await open_staff(clinic, kind)
    page = screen.page
    warning = page.locator("#idle-warning")
    await expect(warning).to_be_hidden()
    clinic.clock.advance(IDLE - 50)
    await screen.context.clock.fast_forward((IDLE - 50) * 1000)
    await expect(warning).to_be_visible(timeout=LIVE)
    await expect(warning).to_contain_text("you will be signed out in")
    await page.get_by_role("button", name="Stay signed in").click()
    await expect(warning).to_be_hidden()
    # The tap reached the server at once (not a minute later): its idle clock starts again from now.
    staff = clinic.seeded.facilitator if kind == "console" else clinic.seeded.clinicians[0]
    token = staff.cookie.split("=", 1)[1]
    for _ in range(100):
        found = await clinic.seeded.store.sign_in(token)
        if found and found[0].active_at == clinic.clock.now():
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the server never heard of the tap")
    # Past the old idle time, on the server's clock and the page's: still signed in, still live.
    clinic.clock.advance(120)
    await screen.context.clock.fast_forward(120 * 1000)
    await page.wait_for_timeout(1000)  # several of the server's checks (every 0.2 s)
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")
    assert "/login" not in page.url
    await expect(page.locator(SCREENS[kind][1])).to_contain_text(PATIENT)


async def test_an_open_encounter_is_there_again_after_an_idle_sign_out(slow_clinic: Clinic) -> None:
    screen = await open_staff(slow_clinic, "queue")
    page = screen.page
    call = page.get_by_role("button", name=f"Call {PATIENT}")
    await call.click()
    await page.locator(".room-ask-input:visible").fill("Exam room 2")
    await call.click()
    await page.get_by_test_id("start-encounter").click()
    await expect(page.locator("#mine-list .note")).to_be_visible(timeout=LIVE)
    await screen.context.clock.fast_forward((IDLE + 1) * 1000)
    await on_the_sign_in_page(screen, "idle")

    # Signing in again leads back to the queue, with the patient still the clinician's.
    await page.locator("#username").fill("sam")
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#sign-in").click()
    await page.wait_for_url(slow_clinic.url("queue"), timeout=LIVE)
    mine = page.locator("#mine-list li")
    await expect(mine).to_contain_text(PATIENT, timeout=LIVE)
    await expect(mine).to_contain_text(REQUEST)
    await mine.locator(".note").fill("Feet checked; monofilament normal")
    await mine.get_by_test_id("complete-encounter").click()
    await expect(page.locator("#completed-list")).to_contain_text("monofilament normal", timeout=LIVE)
    console = slow_clinic.console
    await console.wait_for(lambda view: bool(view["queue"]["completed"]))
    done = console.view["queue"]["completed"]
    assert [(e["name"], e["note"]) for e in done] == [(PATIENT, "Feet checked; monofilament normal")]
    assert not screen.problems, screen.problems
