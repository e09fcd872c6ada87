"""The clinician's queue in Debian's Chromium at 1280×800: the room asked once and remembered, the header on
one row, and people who left the queue unseen shown as such."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from conftest import Clinic
from support.browser import Screen, add_cookie, chromium, open_screen
from support.clients import ScreenClient, join

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms


@dataclass
class Queue:
    clinic: Clinic
    browser: Browser
    screen: Screen

    @property
    def page(self) -> Page:
        return self.screen.page

    async def open(self) -> None:
        await self.page.goto(f"{self.clinic.server.http}/queue/{self.clinic.session_id}")
        await expect(self.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)


@pytest_asyncio.fixture
async def queue(clinic: Clinic) -> AsyncIterator[Queue]:
    async with chromium() as browser:
        screen = await open_screen(browser, "queue", 1280, 800)
        await add_cookie(screen.context, clinic.server.http, clinic.cookie("sam"))
        opened = Queue(clinic, browser, screen)
        await opened.open()
        yield opened
        assert not screen.problems, screen.problems


async def waiting(clinic: Clinic, name: str) -> ScreenClient:
    _, cookie = await join(clinic.server.http, clinic.join_code, name)
    person = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await person.send("request_visit", text=f"A question from {name}")
    return person


async def test_the_room_is_asked_at_the_first_call_and_remembered(queue: Queue) -> None:
    people = [await waiting(queue.clinic, name) for name in ("Maria", "Rosa")]
    page = queue.page
    await expect(page.locator("#room-shown")).to_have_text("Your room: not set yet set")
    maria = page.locator("#waiting-list li").filter(has_text="Maria")
    await maria.get_by_test_id("call").click()
    # Nothing is sent without a room: the card asks for it, with the focus in its field.
    await expect(maria.locator(".room-ask-input")).to_be_focused()
    await expect(maria.get_by_role("alert")).to_contain_text("Which room")
    await expect(page.locator("#mine-empty")).to_be_visible()
    await page.keyboard.type("Exam 2")
    await maria.get_by_test_id("call").click()
    await expect(page.locator("#mine-list li")).to_contain_text("Called to Exam 2", timeout=LIVE)
    await expect(page.locator("#room-shown")).to_have_text("Your room: Exam 2 change")

    # Remembered on this device: after a reload the next call goes straight out, to the same room.
    await queue.open()
    await expect(page.locator("#room-name")).to_have_text("Exam 2")
    await page.get_by_test_id("not-here").click()
    rosa = page.locator("#waiting-list li").filter(has_text="Rosa")
    await rosa.get_by_test_id("call").click()
    await expect(page.locator("#mine-list li")).to_contain_text("Rosa", timeout=LIVE)
    await expect(page.locator("#mine-list li")).to_contain_text("Called to Exam 2")

    # And changed from the header.
    await page.locator("#room-change").click()
    await expect(page.locator("#room")).to_be_focused()
    await page.locator("#room").fill("Exam 5")
    await page.locator("#room").press("Enter")
    await expect(page.locator("#room-shown")).to_have_text("Your room: Exam 5 change")
    await one_header_row(page)
    for person in people:
        await person.close()


@pytest.mark.parametrize("status", ["live", "reconnecting"])
async def test_the_header_is_one_row_at_1280_pixels(queue: Queue, status: str) -> None:
    page = queue.page
    if status == "reconnecting":  # the longest words the status line has
        await page.locator("#connection-status").evaluate(
            "(node) => { node.textContent = 'Connection lost: reconnecting…'; }")
    await one_header_row(page)


async def one_header_row(page: Page) -> None:
    """The sign-out button sits in the row the title starts: nothing wrapped to a second row."""
    title = await page.locator(".top h1").bounding_box()
    sign_out = await page.locator("#sign-out").bounding_box()
    header = await page.locator("header.top").bounding_box()
    assert title and sign_out and header
    assert sign_out["y"] < title["y"] + title["height"], (title, sign_out)
    assert header["height"] < 2 * sign_out["height"] + 30, header


async def test_someone_who_left_shows_as_withdrawn_not_as_waiting(queue: Queue) -> None:
    clinic = queue.clinic
    person = await waiting(clinic, "Maria")
    page = queue.page
    await expect(page.locator("#waiting-list li")).to_have_count(1, timeout=LIVE)
    console = await ScreenClient(clinic.link("console")).connect()
    participant = next(p["id"] for p in console.view["participants"] if p["name"] == "Maria")
    await console.send("mark_participant", participant_id=participant, status="left")
    await expect(page.locator("#waiting-list li")).to_have_count(0, timeout=LIVE)
    await expect(page.locator("#withdrawn-list li .why")).to_have_text("Maria — withdrawn: left the session")
    await expect(page.locator("#withdrawn-heading")).to_have_text("Not seen: 1")
    await console.close()
    await person.close()
