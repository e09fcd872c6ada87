"""Every screen of a group visit, in Debian's Chromium, driven by clicking and typing as people would.

One browser, one context per device: the projector on the wall, the facilitator's laptop, a clinician's
laptop, and three participants (a clinic tablet and two phones), from check-in to the session's close.
Each screen must follow the session live, without a reload; the wall must never show private data;
typed markup must stay text.
"""

import asyncio
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from conftest import Clinic
from support.browser import OFFLINE_ERROR, DeviceLink, Screen, launch_chromium, open_screen, open_signed_in

LIVE = 10_000  # ms: a change made on one screen shows on another well within this
RECONNECT = 20_000  # ms: live.js retries with a backoff capped at about 15 s
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"

A_NAME = "Maria"
B_NAME = "<img src=x onerror=alert('name')>"  # a hostile display name: must show as these characters
A_TOPIC = "Eating out <img src=x onerror=alert('topic')>"  # and a hostile topic title
B_TOPIC = "Feeling judged about my weight"  # proposed anonymously
DRAFT = "Cooking at home on Sundays"  # a strategy A is still typing when the network drops
REQUEST = "My feet tingle at night and I am scared about it"  # private: care team only
NUMBERS = "128/82"  # A's blood pressure, as the care team sees it
NOTE = "Checked both feet; see podiatry next month"  # the clinician's note on the encounter
INSTRUCTION = "Look at both feet every evening"  # what the clinician wants the patient to remember
C_NAME = "Rosa"  # on the second phone: she shares her goal with the group
SHARED_GOAL = "Walk with my sister"
PRIVATE_GOAL = "Check my feet every evening"  # A's goal, not shared: never on the wall
CLINICIAN = "Dr. Sam Okafor"  # the first clinician the `clinic` fixture seeds
ROOM = "Exam room 2"


@dataclass
class Room:
    """The five screens of one session."""

    projector: Screen
    console: Screen
    queue: Screen
    tablet: Screen  # participant A
    phone: Screen  # participant B
    phone2: Screen  # participant C

    @property
    def participants(self) -> tuple[Screen, Screen, Screen]:
        return self.tablet, self.phone, self.phone2

    def __iter__(self) -> Iterator[Screen]:
        return iter((self.projector, self.console, self.queue, *self.participants))


# ---- Small helpers --------------------------------------------------------------------------------


async def expect_live(page: Page, timeout: float = LIVE) -> None:
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=timeout)


def topic_row(page: Page, title: str) -> Locator:
    """A participant's row for a topic, found by its exact title."""
    return page.get_by_test_id("topic").filter(has=page.get_by_text(title, exact=True))


def board_row(projector: Page, title: str) -> Locator:
    return projector.locator("#topic-board li").filter(has=projector.get_by_text(title, exact=True))


def person_row(console: Page, name: str) -> Locator:
    return console.locator("#people-rows tr").filter(has=console.get_by_role("rowheader", name=name, exact=True))


async def vote(page: Page, title: str, times: int) -> None:
    """Tap "+ Vote" on a topic `times` times, each vote confirmed on the screen before the next."""
    row = topic_row(page, title)
    before = int(await row.get_attribute("data-my-votes") or "0")
    for n in range(before + 1, before + times + 1):
        await row.get_by_test_id("vote-plus").click()
        await expect(row.locator(".my-votes")).to_have_text(f"Your votes on this: {n}", timeout=LIVE)


async def open_next_phase(console: Page, label: str) -> None:
    button = console.locator("#next-phase")
    await expect(button).to_have_text(label, timeout=LIVE)
    await button.click()
    await expect(button).not_to_have_text(label, timeout=LIVE)


async def expect_literal_text(screen: Screen, text: str) -> None:
    """Typed markup shows as its own characters, and made no element and ran nothing."""
    await expect(screen.page.get_by_text(text, exact=True).filter(visible=True).first).to_be_visible(timeout=LIVE)
    await expect(screen.page.locator("img[src='x']")).to_have_count(0)
    assert not screen.dialogs, f"{screen.name}: {screen.dialogs}"


async def advance_time(clinic: Clinic, room: Room, seconds: float) -> None:
    """Time passes for the whole room: the server's clock and every device's clock, together."""
    clinic.clock.advance(seconds)
    for screen in room:
        await screen.context.clock.fast_forward(int(seconds * 1000))


def seconds_left(countdown: str) -> int:
    minutes, seconds = countdown.split(":")
    return int(minutes) * 60 + int(seconds)


def topics_in_frames(screen: Screen) -> Iterator[dict[str, Any]]:
    for raw in screen.frames:
        frame = json.loads(raw)
        yield from frame.get("view", {}).get("topics", [])


# ---- The steps of the session ---------------------------------------------------------------------


async def open_staff_screens(clinic: Clinic, room: Room) -> None:
    sid = clinic.session_id
    base = clinic.server.http
    await asyncio.gather(room.projector.page.goto(f"{base}/projector/{sid}?key={clinic.projector_key}"),
                         open_signed_in(room.console.page, f"{base}/console/{sid}", "alex"),
                         open_signed_in(room.queue.page, f"{base}/queue/{sid}", "sam"))
    for screen in (room.projector, room.console, room.queue):
        await expect_live(screen.page)


async def join_through_the_form(clinic: Clinic, screen: Screen, base: str, code: str, name: str) -> None:
    page = screen.page
    await page.goto(f"{base}/join")
    await page.locator("#join-code").press_sequentially(code.lower())
    await page.locator("#display-name").fill(name)
    await page.locator("#join-submit").click()
    await expect(page).to_have_url(f"{base}/p/{clinic.session_id}", timeout=LIVE)
    await expect(page.locator("#welcome")).to_have_text(f"Welcome, {name}", timeout=LIVE)
    await expect_live(page)


async def check_in(clinic: Clinic, room: Room, tablet_link: DeviceLink) -> None:
    """1. The code read off the wall, typed in small letters; the console and the wall list both people."""
    wall_code = room.projector.page.locator("#join-code")
    await expect(wall_code).to_have_text(clinic.join_code)
    code = (await wall_code.inner_text()).strip()
    await join_through_the_form(clinic, room.tablet, tablet_link.http, code, A_NAME)
    await join_through_the_form(clinic, room.phone, clinic.server.http, code, B_NAME)
    await join_through_the_form(clinic, room.phone2, clinic.server.http, code, C_NAME)

    console = room.console.page
    await expect(console.locator("#people-count")).to_have_text("3", timeout=LIVE)
    for name in (A_NAME, B_NAME, C_NAME):
        await expect(person_row(console, name)).to_be_visible(timeout=LIVE)
    await expect(room.projector.page.locator("#checked-in li")).to_have_text([A_NAME, B_NAME, C_NAME],
                                                                            timeout=LIVE)
    # 7. A display name made of markup is just a name.
    await expect_literal_text(room.projector, B_NAME)
    await expect_literal_text(room.console, B_NAME)
    await expect(room.projector.page.locator("img")).to_have_count(1)  # the join QR code, nothing else


async def record_numbers_and_request_a_visit(room: Room) -> None:
    """2. A's numbers and 1:1 request reach the clinician's queue live; the wall never gets them."""
    tablet = room.tablet.page
    await tablet.locator("#bp-systolic").fill("128")
    await tablet.locator("#bp-diastolic").fill("82")
    await tablet.locator("#weight").fill("82")
    await tablet.locator("#glucose").fill("130")
    await tablet.locator("#numbers-submit").click()
    await expect(tablet.locator("#numbers-saved")).to_contain_text(
        "blood pressure 128/82, weight 82 lb, blood sugar 130 mg/dL", timeout=LIVE)
    await tablet.locator("#visit-text").fill(REQUEST)
    await tablet.locator("#visit-submit").click()
    await expect(tablet.locator("#visit-saved")).to_have_text(
        "Sent to your care team. You're number 1 in line.", timeout=LIVE)

    card = room.queue.page.locator("#waiting-list li").filter(has_text=REQUEST)
    await expect(card.locator(".who")).to_have_text(A_NAME, timeout=LIVE)
    await expect(card.locator(".numbers")).to_contain_text("BP 128/82 · Weight 82 lb · Glucose 130 mg/dL")
    row = person_row(room.console.page, A_NAME)
    await expect(row.locator("td.numbers, td.visit, td.goal, td.rated")).to_have_text(["Yes", "Waiting", "No", "No"],
                                                                                       timeout=LIVE)
    await expect(row).to_have_attribute("data-device", "connected")  # her tablet's screen is open
    await assert_the_wall_kept_private_data_off(room.projector)


async def set_the_agenda(room: Room) -> None:
    """3. Topics proposed (one anonymously) and voted on from the devices; the wall follows live."""
    await open_next_phase(room.console.page, "Open agenda setting")
    wall = room.projector.page
    await expect(wall.locator("#agenda-panel")).to_be_visible(timeout=LIVE)

    tablet, phone = room.tablet.page, room.phone.page
    await tablet.locator("#topic-title").fill(A_TOPIC)
    await tablet.locator("#topic-submit").click()
    await expect(topic_row(phone, A_TOPIC).locator(".topic-meta")).to_have_text(f"Suggested by {A_NAME}",
                                                                                 timeout=LIVE)
    await phone.locator("#topic-title").fill(B_TOPIC)
    await phone.locator("#topic-anonymous").check()
    await phone.locator("#topic-submit").click()
    await expect(topic_row(phone, B_TOPIC).locator(".topic-meta")).to_have_text(
        "Your topic (posted anonymously)", timeout=LIVE)
    await expect(topic_row(tablet, B_TOPIC).locator(".topic-meta")).to_have_text("Suggested anonymously",
                                                                                 timeout=LIVE)

    votes_left = phone.get_by_test_id("votes-left")
    await expect(votes_left).to_contain_text("You have 3 votes left", timeout=LIVE)
    await vote(phone, A_TOPIC, 2)
    await expect(votes_left).to_contain_text("You have 1 vote left", timeout=LIVE)
    await expect(board_row(wall, A_TOPIC).locator(".topic-votes")).to_have_text("2 votes", timeout=LIVE)
    await vote(phone, B_TOPIC, 1)
    await expect(votes_left).to_contain_text("You have no votes left", timeout=LIVE)
    await vote(tablet, A_TOPIC, 1)
    await vote(tablet, B_TOPIC, 1)

    await expect(wall.locator("#topic-board .topic-title")).to_have_text([A_TOPIC, B_TOPIC], timeout=LIVE)
    await expect(wall.locator("#topic-board .topic-votes")).to_have_text(["3 votes", "2 votes"], timeout=LIVE)
    console_row = room.console.page.locator("#topic-list li").filter(has_text=B_TOPIC)
    await expect(console_row.locator(".topic-by")).to_have_text("anonymous", timeout=LIVE)
    # The wall never names who proposed the anonymous topic: not on screen, not in what it was sent.
    await expect(board_row(wall, B_TOPIC)).not_to_contain_text(B_NAME)
    assert all(t["by"] is None for t in topics_in_frames(room.projector) if t["title"] == B_TOPIC)
    await expect_literal_text(room.projector, A_TOPIC)
    await expect_literal_text(room.console, A_TOPIC)


async def discuss_until_time_is_up(clinic: Clinic, room: Room) -> None:
    """4. The top topic on the wall with its countdown; past the timebox everyone sees 0:00 and the vote."""
    await open_next_phase(room.console.page, "Close voting & start discussion")
    wall = room.projector.page
    await expect(wall.locator("#current-title")).to_have_text(A_TOPIC, timeout=LIVE)
    await expect_literal_text(room.projector, A_TOPIC)
    countdown = wall.locator("#countdown")
    await expect(countdown).to_have_text(re.compile(r"^[78]:\d\d$"), timeout=LIVE)  # the 8-minute timebox

    await advance_time(clinic, room, seconds_left(await countdown.inner_text()) + 5)
    await expect(countdown).to_have_text("0:00", timeout=LIVE)
    await expect(wall.locator("#time-up")).to_be_visible(timeout=LIVE)
    await expect(room.console.page.locator("#countdown")).to_have_text("0:00", timeout=LIVE)
    for participant in (room.tablet.page, room.phone.page):
        await expect(participant.locator("#countdown")).to_have_text("0:00", timeout=LIVE)
        for choice in ("room-vote-keep", "room-vote-move"):
            await expect(participant.get_by_test_id(choice)).to_be_enabled(timeout=LIVE)


async def vote_while_a_is_offline(room: Room, tablet_link: DeviceLink) -> None:
    """6. A's tablet loses the network while B votes; back online, it reconnects and catches up unaided."""
    tablet, phone, wall = room.tablet.page, room.phone.page, room.projector.page
    status = tablet.locator("#connection-status")
    move_on_tally = tablet.get_by_test_id("room-vote-move").locator(".choice-tally")
    await tablet.locator("#strategy-text").fill(DRAFT)  # typed, not yet shared
    with room.tablet.expecting_offline_errors():
        await room.tablet.context.set_offline(True)
        async with tablet.expect_console_message(lambda message: OFFLINE_ERROR in message.text,
                                                 timeout=RECONNECT):
            tablet_link.cut()  # what a lost network does to the open websocket
            await expect(status).to_have_attribute("data-status", "reconnecting", timeout=LIVE)
            await phone.get_by_test_id("room-vote-move").click()
            await expect(phone.get_by_test_id("room-vote-move")).to_have_attribute("aria-pressed", "true",
                                                                                    timeout=LIVE)
            await expect(wall.locator("#room-tally")).to_have_text("Keep going: 0 · Move on: 1", timeout=LIVE)
            await expect(move_on_tally).to_have_text("0 votes")  # the offline tablet has not heard of it
        # ...and it has tried to reconnect, and failed, while offline.
        await expect(status).to_have_attribute("data-status", "reconnecting")

        await room.tablet.context.set_offline(False)
        await expect_live(tablet, timeout=RECONNECT)
        await expect(move_on_tally).to_have_text("1 vote", timeout=LIVE)
    assert "since=" in room.tablet.sockets[-1], "the tablet resumed from where it was, not from scratch"
    await expect(tablet.locator("#strategy-text")).to_have_value(DRAFT)  # no reload: the draft is still there

    await tablet.get_by_test_id("room-vote-keep").click()
    await expect(wall.locator("#room-tally")).to_have_text("Keep going: 1 · Move on: 1", timeout=LIVE)
    await expect(room.console.page.locator("#room-tally")).to_have_text(
        "Room vote — Keep going: 1 · Move on: 1", timeout=LIVE)


async def see_a_for_the_visit(room: Room) -> None:
    """5. The clinician calls A from the queue; A's screen says who and where at once; start, complete."""
    queue, tablet = room.queue.page, room.tablet.page
    card = queue.locator("#waiting-list li").filter(has_text=REQUEST)
    await card.get_by_test_id("call").click()  # the first call asks for the room, right there
    await card.locator(".room-ask-input").fill(ROOM)
    await card.get_by_test_id("call").click()
    await expect(tablet.locator("#called-banner")).to_be_visible(timeout=LIVE)
    await expect(tablet.locator("#called-who")).to_have_text(f"{CLINICIAN} is ready for you")
    await expect(tablet.locator("#called-room")).to_have_text(f"Please go to: {ROOM}")
    await save_screenshots(room)  # 8. mid-session, every screen

    mine = queue.locator("#mine-list li").filter(has_text=REQUEST)
    await mine.get_by_test_id("start-encounter").click()
    await expect(tablet.locator("#visit-status-title")).to_have_text(f"You're with {CLINICIAN}", timeout=LIVE)
    await expect(tablet.locator("#called-banner")).to_be_hidden()
    await mine.get_by_label("Short note (optional)").fill(NOTE)
    await mine.get_by_label("For the patient to remember (they see this)").fill(INSTRUCTION)
    await mine.get_by_test_id("complete-encounter").click()
    await expect(tablet.locator("#visit-status-title")).to_have_text("Your one-on-one is done", timeout=LIVE)
    await expect(tablet.locator("#visit-status-hint")).to_have_text(f"To remember: {INSTRUCTION}")
    assert NOTE not in await tablet.locator("body").inner_text()  # the clinical note is staff's only
    await expect(queue.locator("#completed-list .who")).to_have_text([A_NAME], timeout=LIVE)
    await expect(room.console.page.locator("#queue-completed li")).to_contain_text(
        [f"{A_NAME} — {CLINICIAN}"], timeout=LIVE)


async def write_goal(page: Page, what: str, confidence: int, shared: bool) -> None:
    await page.locator("#goal-what").fill(what)
    await page.locator("#goal-how-much").fill("20 minutes")
    await page.locator("#goal-when").fill("after lunch")
    await page.locator("#goal-how-often").fill("5 days a week")
    await page.locator(f"label[for=confidence-{confidence}]").click()
    if shared:
        await page.locator("label[for=goal-shared]").click()
    await page.locator("#goal-submit").click()
    await expect(page.locator("#goal-saved-what")).to_have_text(what, timeout=LIVE)


async def set_goals(room: Room) -> None:
    """Goals: moving on while a topic is left is not silent (the console names it and asks); then C shares
    her plan and the wall shows it; A's unsure plan brings the invitation to make it easier."""
    console = room.console.page
    await console.locator("#next-phase").click()
    question = console.locator("#phase-confirm")
    await expect(question).to_be_visible(timeout=LIVE)
    await expect(question.locator("#phase-confirm-text")).to_contain_text(f"1 topic has not been discussed: “{B_TOPIC}”")
    await expect(console.locator("#phase-confirm-yes")).to_be_focused()
    await console.locator("#phase-confirm-yes").click()
    await expect(console.locator("#next-phase")).to_have_text("Open wrap-up", timeout=LIVE)
    await expect(question).to_be_hidden()
    await write_goal(room.phone2.page, SHARED_GOAL, 8, shared=True)
    await expect(room.projector.page.locator("#goal-board li")).to_have_count(1, timeout=LIVE)
    await expect(room.projector.page.locator("#goal-board")).to_contain_text(SHARED_GOAL)
    await write_goal(room.tablet.page, PRIVATE_GOAL, 5, shared=False)
    await expect(room.tablet.page.locator("#confidence-nudge")).to_be_visible(timeout=LIVE)
    await expect(room.projector.page.locator("#goal-board li")).to_have_count(1)


async def wrap_up_and_close(room: Room) -> None:
    """Wrap-up: B rates the session; the facilitator closes it and every screen shows that it ended."""
    await open_next_phase(room.console.page, "Open wrap-up")
    phone = room.phone.page
    await phone.locator("label[for=rating-4]").click()
    await phone.locator("#evaluation-helped").fill("Hearing how the others cope")
    await phone.locator("#evaluation-submit").click()
    await expect(phone.locator("#evaluation-thanks")).to_be_visible(timeout=LIVE)
    console = room.console.page
    await console.locator("#next-phase").click()  # "Close session" asks first
    await expect(console.locator("#phase-confirm-text")).to_contain_text("Close the session for everyone?")
    await console.locator("#phase-confirm-yes").click()
    await expect(room.projector.page.locator("#closed-panel")).to_be_visible(timeout=LIVE)
    for screen in room.participants:
        await expect(screen.page.locator("#ended-banner")).to_be_visible(timeout=LIVE)
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "ended",
                                                                                 timeout=LIVE)


async def save_screenshots(room: Room) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for screen in room:
        await screen.screenshot(SCREENSHOTS / f"{screen.name}.png")


async def assert_the_wall_kept_private_data_off(projector: Screen) -> None:
    """Nothing private in the wall's page, nor in anything it was sent."""
    page = await projector.page.content()
    for private in (REQUEST, NUMBERS, NOTE, PRIVATE_GOAL):
        assert private not in page, f"the projector shows {private!r}"
        assert not any(private in frame for frame in projector.frames), f"the projector was sent {private!r}"


def assert_no_surprises(room: Room) -> None:
    """No console error, uncaught error or dialog anywhere, and no page ever reloaded."""
    for screen in room:
        assert not screen.problems, f"{screen.name} logged errors: {screen.problems}"
        assert not screen.dialogs, f"{screen.name} opened dialogs: {screen.dialogs}"
    for screen in (room.projector, room.console, room.queue):
        opened = [url for url in screen.loads if "/login" not in url]  # staff came through the sign-in page
        assert len(opened) == 1, f"{screen.name} loaded {screen.loads}"
    for screen in room.participants:  # the join form, then the participant screen
        assert len(screen.loads) == 2, f"{screen.name} loaded {screen.loads}"


# ---- The test -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_every_screen_updates_live_in_a_real_browser(clinic: Clinic) -> None:
    tablet_link = await DeviceLink(clinic.server.port).start()  # A's tablet reaches the server through it
    try:
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            try:
                room = Room(*await asyncio.gather(
                    open_screen(browser, "projector", 1920, 1080),
                    open_screen(browser, "console", 1366, 768),
                    open_screen(browser, "queue", 1280, 800),
                    open_screen(browser, "participant-tablet", 768, 1024, has_touch=True),
                    open_screen(browser, "participant-phone", 390, 844, has_touch=True, is_mobile=True),
                    open_screen(browser, "participant-phone-2", 390, 844, has_touch=True, is_mobile=True),
                ))
                await open_staff_screens(clinic, room)
                await check_in(clinic, room, tablet_link)
                await record_numbers_and_request_a_visit(room)
                await set_the_agenda(room)
                await discuss_until_time_is_up(clinic, room)
                await vote_while_a_is_offline(room, tablet_link)
                await see_a_for_the_visit(room)
                await set_goals(room)
                await wrap_up_and_close(room)

                await assert_the_wall_kept_private_data_off(room.projector)
                assert_no_surprises(room)
            finally:
                await browser.close()
    finally:
        await tablet_link.close()
