"""The queue's say in the plan, in Debian's Chromium against a real server: the "On duty" card (join the plan,
leave at a time, leave now) and each waiting patient's "Move up" and minutes; a live update keeps what is typed."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from conftest import SESSION_START, Clinic
from support.browser import Screen, add_cookie, chromium, open_screen
from support.clients import ScreenClient, join

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
MINUTE = 60.0


@dataclass
class Queue:
    clinic: Clinic
    browser: Browser
    screen: Screen
    console: ScreenClient  # what the server holds, as the facilitator's screen is shown it

    @property
    def page(self) -> Page:
        return self.screen.page

    def sam(self) -> dict[str, Any] | None:
        """Sam's lane in the plan, or None when he is not in it."""
        sam = self.clinic.team["sam"].actor
        assert sam is not None
        sam_id = sam.id
        return next((c for c in self.console.view["queue"]["plan"]["clinicians"] if c["clinician_id"] == sam_id), None)


@pytest_asyncio.fixture
async def queue(clinic: Clinic) -> AsyncIterator[Queue]:
    async with chromium() as browser:
        screen = await open_screen(browser, "queue", 1280, 800, timezone_id="UTC")
        await add_cookie(screen.context, clinic.server.http, clinic.cookie("sam"))
        console = await ScreenClient(clinic.link("console")).connect()
        await screen.page.goto(f"{clinic.server.http}/queue/{clinic.session_id}")
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        yield Queue(clinic, browser, screen, console)
        await console.close()
        assert not screen.problems, screen.problems


def hhmm(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%H:%M")


def at_minute_of(hour_minute: str) -> float:
    """The server seconds of `hour_minute` (UTC) on the session's day, as the card reads what is typed."""
    day = datetime.fromtimestamp(SESSION_START, UTC)
    hour, minute = map(int, hour_minute.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()


async def waiting(clinic: Clinic, name: str) -> ScreenClient:
    _, cookie = await join(clinic.server.http, clinic.join_code, name)
    person = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await person.send("request_visit", text=f"A question from {name}")
    return person


async def test_the_clinician_joins_the_plan_sets_when_they_leave_and_leaves_from_the_on_duty_card(
        queue: Queue) -> None:
    page, card = queue.page, queue.page.locator("#duty-panel")
    await expect(card.locator("#duty-state")).to_have_text("You are not in the plan: join it to be given patients.")
    await expect(card.locator("#duty-leave-now")).to_be_hidden()
    await card.get_by_role("button", name="Join the plan").click()
    await expect(card.locator("#duty-state")).to_contain_text("You are in the plan to the end", timeout=LIVE)
    await queue.console.wait_for(lambda v: queue.sam() is not None)
    sam = queue.sam()
    assert sam is not None and (sam["until"], sam["on_duty_since"]) == (None, SESSION_START)

    # Leave at a time typed in the card: the plan's lane ends then.
    leave_at = hhmm(SESSION_START + 60 * MINUTE)
    await card.get_by_label("Leave at").fill(leave_at)
    await card.get_by_role("button", name="Leave at this time").click()
    await queue.console.wait_for(lambda v: (queue.sam() or {}).get("until") == at_minute_of(leave_at))
    await expect(card.locator("#duty-state")).to_contain_text("You are in the plan until", timeout=LIVE)
    await expect(card.get_by_label("Leave at")).to_have_value(leave_at)
    await expect(card.get_by_role("button", name="Stay to the end")).to_be_visible()

    # A time already past is refused in the server's own words.
    earlier = hhmm(SESSION_START - 30 * MINUTE)
    await card.get_by_label("Leave at").fill(earlier)
    await card.get_by_role("button", name="Leave at this time").click()
    minutes_ago = round((SESSION_START - at_minute_of(earlier)) / MINUTE)
    await expect(card.get_by_role("alert")).to_have_text(
        f"The time to leave must be later than now, not {minutes_ago} minutes ago.", timeout=LIVE)
    assert queue.sam()["until"] == at_minute_of(leave_at)  # type: ignore[index]

    await card.get_by_role("button", name="Leave now").click()
    await expect(card.locator("#duty-state")).to_have_text("You are not in the plan: join it to be given patients.",
                                                           timeout=LIVE)
    await queue.console.wait_for(lambda v: queue.sam() is None)
    await expect(card.locator("#duty-leave-now")).to_be_hidden()


async def test_move_up_and_minutes_on_each_waiting_patient_and_a_live_update_keeps_what_is_typed(
        queue: Queue) -> None:
    clinic, page = queue.clinic, queue.page
    people = [await waiting(clinic, name) for name in ("Maria", "Rosa", "Walter")]
    rows = page.locator("#waiting-list > li")
    await expect(rows.locator(".who")).to_have_text(["Maria", "Rosa", "Walter"], timeout=LIVE)
    walter = rows.filter(has_text="Walter")
    await walter.get_by_role("button", name="Move Walter up").click()
    await expect(rows.locator(".who")).to_have_text(["Walter", "Maria", "Rosa"], timeout=LIVE)
    await expect(walter.locator(".moved-note")).to_have_text("Moved up by a clinician")
    await expect(walter.get_by_role("button", name="Move Walter up")).to_be_disabled()
    await queue.console.wait_for(lambda v: [e["moved_up"] for e in v["queue"]["waiting"]] == [True, False, False])

    # Maria's own minutes: out of range is refused, naming what was wrong; 15 moves everyone after her.
    maria = rows.filter(has_text="Maria")
    minutes = maria.get_by_label("Minutes", exact=True)
    await minutes.fill("0")
    await maria.get_by_role("button", name="Set the minutes for Maria").click()
    await expect(maria.get_by_role("alert")).to_have_text("Minutes must be between 1 and 60, not 0.", timeout=LIVE)
    await minutes.fill("15")
    await maria.get_by_role("button", name="Set the minutes for Maria").click()
    await queue.console.wait_for(lambda v: [e["estimate_minutes"] for e in v["queue"]["waiting"]] == [None, 15, None])
    slots = {s["name"]: s for s in queue.console.view["queue"]["plan"]["slots"]}
    assert slots["Maria"]["minutes"] == 15
    assert slots["Rosa"]["expected_at"] == slots["Maria"]["expected_at"] + 15 * MINUTE
    await expect(maria.locator(".duty-row .error")).to_be_empty()  # the refusal went with the new value
    await expect(minutes).to_have_value("15")

    # Not a number: said on the spot, and nothing is sent (the field would read as empty: "back to the usual").
    await walter.get_by_label("Minutes", exact=True).click()
    await page.keyboard.type("e")
    await walter.get_by_role("button", name="Set the minutes for Walter").click()
    await expect(walter.locator(".duty-row .error")).to_have_text("Type the minutes as a number, for example 10.")

    # Typing in Rosa's minutes and the leaving time while the queue changes: nothing typed is lost.
    rosa_minutes = rows.filter(has_text="Rosa").get_by_label("Minutes", exact=True)
    await page.get_by_label("Leave at").fill("15:45")
    await rosa_minutes.click()
    await page.keyboard.type("4")
    people.append(await waiting(clinic, "Ana"))
    await expect(rows).to_have_count(4, timeout=LIVE)
    await expect(rosa_minutes).to_be_focused()
    await expect(rosa_minutes).to_have_value("4")
    await expect(page.get_by_label("Leave at")).to_have_value("15:45")
    await expect(maria.get_by_label("Minutes", exact=True)).to_have_value("15")
    assert [e["estimate_minutes"] for e in queue.console.view["queue"]["waiting"]][:3] == [None, 15, None]
    for person in people:
        await person.close()
