"""Undo on the clinician's queue and "I don't need it today" on a patient's phone, in Debian's Chromium."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect

from conftest import Clinic
from support.browser import Screen, add_cookie, axe_problems, chromium, open_screen, small_targets
from support.clients import ScreenClient, join

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True}
NOTE = "Feet checked"
INSTRUCTION = "Check both feet\nevery evening"
WITHDRAW = {"en": "I don't need it today", "es": "Hoy no lo necesito"}
WITHDRAWN = {"en": "You said you don't need it today", "es": "Dijo que hoy no lo necesita"}


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as opened:
        yield opened


async def queue_screen(clinic: Clinic, browser: Browser) -> Screen:
    screen = await open_screen(browser, "queue", 1280, 800)
    await add_cookie(screen.context, clinic.server.http, clinic.cookie("sam"))
    await screen.page.goto(f"{clinic.server.http}/queue/{clinic.session_id}")
    await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
    return screen


async def test_the_queue_offers_undo_on_the_encounter_just_moved_until_its_time_is_up(
        clinic: Clinic, browser: Browser) -> None:
    _, cookie = await join(clinic.server.http, clinic.join_code, "Ann")
    ann = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await ann.send("request_visit", text="My feet tingle")
    screen = await queue_screen(clinic, browser)
    page = screen.page
    await page.locator("#room-change").click()
    await page.locator("#room").fill("Exam 2")
    await page.locator("#room-save").click()

    waiting = page.locator("#waiting-list li").filter(has_text="Ann")
    await expect(waiting.get_by_test_id("undo")).to_be_hidden()  # nothing done yet, nothing to undo
    await waiting.get_by_test_id("call").click()
    mine = page.locator("#mine-list li")
    await expect(mine.get_by_test_id("undo")).to_have_text("Undo call (2:00)", timeout=LIVE)
    await mine.get_by_test_id("start-encounter").click()
    await expect(mine.get_by_test_id("undo")).to_have_text("Undo start (2:00)", timeout=LIVE)
    await mine.locator("textarea.note").fill(NOTE)
    await mine.get_by_test_id("instruction").fill(INSTRUCTION)
    await mine.get_by_test_id("complete-encounter").click()

    done = page.locator("#completed-list li").filter(has_text="Ann")
    undo = done.get_by_test_id("undo")
    await expect(undo).to_have_text("Undo Complete (2:00)", timeout=LIVE)
    await expect(undo).to_have_attribute("aria-label", "Undo Complete for Ann, 2:00 left")
    assert await axe_problems(page) == []
    await undo.click()

    # Back in progress on this screen, its note and instruction kept in the Complete form, and on the patient's
    # device.
    await expect(mine).to_contain_text("In progress since", timeout=LIVE)
    await expect(mine.locator("textarea.note")).to_have_value(NOTE)
    await expect(mine.get_by_test_id("instruction")).to_have_value(INSTRUCTION)
    await expect(page.locator("#completed-list li")).to_have_count(0)
    await expect(mine.get_by_test_id("undo")).to_be_hidden()  # undone once: nothing more to undo
    await ann.wait_for(lambda view: view["me"]["visit"]["status"] == "in_progress")

    # Complete again: the Undo counts down on the server's clock and goes when its two minutes are up.
    await mine.get_by_test_id("complete-encounter").click()
    await expect(undo).to_be_visible(timeout=LIVE)
    await screen.context.clock.fast_forward(61_000)
    await expect(undo).to_have_text("Undo Complete (0:59)", timeout=LIVE)
    await screen.context.clock.fast_forward(60_000)
    await expect(undo).to_be_hidden(timeout=LIVE)
    assert not screen.problems, screen.problems
    await ann.close()


@pytest.mark.parametrize("language", ["en", "es"])
async def test_a_patient_says_they_dont_need_it_today_from_their_phone(
        clinic: Clinic, browser: Browser, language: str) -> None:
    sam = await ScreenClient(clinic.link("queue", "sam")).connect()
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    screen = await open_screen(browser, f"phone-{language}", 390, 844, has_touch=True, is_mobile=True,
                               locale="es-ES" if language == "es" else "en-US")
    await add_cookie(screen.context, clinic.server.http, cookie)
    page = screen.page
    await page.goto(f"{clinic.server.http}/p/{clinic.session_id}?lang={language}")
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)

    withdraw = page.get_by_test_id("visit-withdraw")
    await expect(withdraw).to_be_hidden()  # nothing to withdraw before asking
    await page.locator("#visit-text").fill("My feet tingle")
    await page.locator("#visit-submit").click()
    await expect(withdraw).to_have_text(WITHDRAW[language], timeout=LIVE)
    assert await axe_problems(page) == []
    assert await small_targets(page) == []

    await withdraw.click()
    await expect(page.get_by_test_id("visit-status")).to_contain_text(WITHDRAWN[language], timeout=LIVE)
    await expect(withdraw).to_be_hidden()
    await expect(page.locator("#visit-text")).to_have_value("")
    await expect(page.locator("#visit-text")).to_be_focused()
    await sam.wait_for(lambda view: [e["withdrawn_reason"] for e in view["queue"]["withdrawn"]] == ["not_needed"])
    assert sam.view["queue"]["waiting"] == []
    assert await axe_problems(page) == []

    # Changed their mind: they can put themselves in line again, from the same form.
    await page.locator("#visit-text").fill("Actually, my feet")
    await page.locator("#visit-submit").click()
    await expect(withdraw).to_be_visible(timeout=LIVE)
    await sam.wait_for(lambda view: [e["request"] for e in view["queue"]["waiting"]] == ["Actually, my feet"])
    assert not screen.problems, screen.problems
    await sam.close()
