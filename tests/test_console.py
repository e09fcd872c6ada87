"""The facilitator's console in Debian's Chromium, over a real server: what a nurse running the room does.

Moving on asks first and names what it skips (Cancel sends nothing, a double click sends one command);
the roster is corrected (rename, a look-alike refused next to the field, left, checked in by mistake, back)
with the counts following; each person's device shows as connected or not as their screen opens and
closes, and "Let back in" gives a code that brings them back; strategies are reworded and hidden, and the
wall follows; a walk-in's numbers (every field's problem at once), goal and evaluation are recorded, each
save confirmed; the 1:1 column never says "None"; a walk-in's refused name does not outstay its welcome.
"""

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, WebSocket, expect

from conftest import Clinic
from support.browser import Screen, add_cookie, chromium, open_screen
from support.clients import ScreenClient, join

LIVE = 10_000  # ms
LAPTOP = {"width": 1366, "height": 900}


@dataclass
class Room:
    clinic: Clinic
    browser: Browser
    console: Screen
    facilitator: ScreenClient  # the same facilitator's other screen: it sets the scene
    sent: list[dict[str, Any]]  # every command the console's page sent, in order

    @property
    def page(self) -> Page:
        return self.console.page

    def commands(self, name: str) -> list[dict[str, Any]]:
        return [c for c in self.sent if c["name"] == name]

    async def participant_screen(self, name: str) -> Screen:
        """A participant's own phone, joined as `name`, their screen open and live."""
        base = self.clinic.server.http
        _, cookie = await join(base, self.clinic.join_code, name)
        screen = await open_screen(self.browser, f"phone-{name}", 390, 844)
        await add_cookie(screen.context, base, cookie)
        await screen.page.goto(f"{base}/p/{self.clinic.session_id}")
        await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        return screen


@pytest_asyncio.fixture
async def room(clinic: Clinic) -> AsyncIterator[Room]:
    facilitator = await ScreenClient(clinic.link("console")).connect()
    async with chromium() as browser:
        console = await open_screen(browser, "console", **LAPTOP)
        sent: list[dict[str, Any]] = []

        def watch(socket: WebSocket) -> None:
            def frame(payload: str | bytes) -> None:
                message = json.loads(payload)
                if message.get("type") == "command":
                    sent.append(message)
            socket.on("framesent", frame)

        console.page.on("websocket", watch)
        await add_cookie(console.context, clinic.server.http, clinic.cookie("alex"))
        await console.page.goto(f"{clinic.server.http}/console/{clinic.session_id}")
        await expect(console.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        yield Room(clinic, browser, console, facilitator, sent)
        assert not console.problems, console.problems
        assert not console.dialogs, console.dialogs
    await facilitator.close()


def person_row(page: Page, name: str) -> Locator:
    return page.locator("#people-rows tr.person").filter(has=page.get_by_role("rowheader", name=re.compile(
        "^" + re.escape(name))))


async def open_corrections(page: Page, name: str) -> Locator:
    await person_row(page, name).locator(".change-button").click()
    editor = page.locator("#people-rows tr.corrections-row")
    await expect(editor).to_be_visible()
    return editor


async def walk_in(page: Page, name: str) -> None:
    await page.locator("#walkin-name").fill(name)
    await page.locator("#walkin-submit").click()
    await expect(person_row(page, name)).to_be_visible(timeout=LIVE)


# ---- Moving on is not silent -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_moving_on_names_what_it_skips_and_cancel_sends_nothing(room: Room) -> None:
    page, facilitator = room.page, room.facilitator
    for title in ("Eating out", "Sleep"):
        await facilitator.send("propose_topic", title=title)
    await facilitator.send("open_phase", phase="agenda")
    await facilitator.send("open_phase", phase="discussion")
    button, question = page.locator("#next-phase"), page.locator("#phase-confirm")
    await expect(button).to_have_text("Open goals", timeout=LIVE)

    await button.dblclick()  # a double click asks once
    await expect(question).to_be_visible(timeout=LIVE)
    await expect(page.locator("#phase-confirm-text")).to_have_text(
        "1 topic has not been discussed: “Sleep”. Opening goals skips it. Go ahead anyway?")
    await expect(page.locator("#phase-confirm-yes")).to_have_text("Yes, open goals")
    await expect(page.locator("#phase-confirm-yes")).to_be_focused()  # a keyboard user is at the answer
    assert [c["args"] for c in room.commands("open_phase")] == [{"phase": "goals"}]

    await page.keyboard.press("Tab")
    await expect(page.locator("#phase-confirm-cancel")).to_be_focused()
    await page.keyboard.press("Enter")  # Cancel
    await expect(question).to_be_hidden()
    await expect(button).to_be_focused()
    await expect(page.locator("#phase-steps li[aria-current=step]")).to_contain_text("Discussion")
    assert len(room.commands("open_phase")) == 1, "Cancel sent nothing"

    await button.click()
    await expect(question).to_be_visible(timeout=LIVE)
    await page.locator("#phase-confirm-yes").dblclick()
    await expect(page.locator("#phase-steps li[aria-current=step]")).to_contain_text("Goals", timeout=LIVE)
    await expect(question).to_be_hidden()
    confirmed = [c["args"] for c in room.commands("open_phase") if c["args"].get("confirm")]
    assert confirmed == [{"phase": "goals", "confirm": True}], "the double click sent one command"
    await expect(page.locator("#phase-error")).to_have_text("")


@pytest.mark.asyncio
async def test_closing_with_people_waiting_names_them_before_it_closes(room: Room) -> None:
    page, facilitator = room.page, room.facilitator
    await facilitator.send("join", display_name="Ana")
    await facilitator.send("request_visit", participant_id="p1", text="My feet")
    for phase in ("agenda", "discussion", "goals", "wrap_up"):
        await facilitator.send("open_phase", phase=phase)
    await expect(page.locator("#next-phase")).to_have_text("Close session", timeout=LIVE)
    await page.locator("#next-phase").click()
    await expect(page.locator("#phase-confirm-text")).to_contain_text("Close the session for everyone?")
    assert room.commands("close_session") == [], "closing asks before it sends anything"
    await page.locator("#phase-confirm-yes").click()
    await expect(page.locator("#phase-confirm-text")).to_have_text(
        "1 still waits for a one-on-one: Ana. Closing records them as not seen. Go ahead anyway?", timeout=LIVE)
    await expect(page.locator("#phase-confirm-yes")).to_be_focused()
    await page.locator("#phase-confirm-yes").click()
    await expect(page.locator("#phase-steps li[aria-current=step]")).to_contain_text("Closed", timeout=LIVE)
    assert [c["args"] for c in room.commands("close_session")] == [{}, {"confirm": True}]


# ---- The roster ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_roster_is_corrected_and_the_counts_follow(room: Room) -> None:
    page = room.page
    for name in ("Maria", "Jon", "Ana"):
        await walk_in(page, name)
    count = page.locator("#people-count")
    await expect(count).to_have_text("3")

    editor = await open_corrections(page, "Jon")
    await expect(person_row(page, "Jon").locator(".change-button")).to_have_attribute("aria-expanded", "true")
    await expect(editor.get_by_label("New name for Jon")).to_have_value("Jon")
    field = editor.locator(".rename-input")
    await field.fill("John")
    await editor.get_by_role("button", name="Rename").click()
    await expect(person_row(page, "John")).to_be_visible(timeout=LIVE)

    await field.fill("Mаria")  # a Cyrillic "а": looks like Maria
    await field.press("Enter")
    error = editor.locator(".rename-form .error")
    await expect(error).to_contain_text("as Maria (or a name that looks the same)", timeout=LIVE)
    await expect(field).to_have_attribute("aria-invalid", "true")
    assert await field.get_attribute("aria-describedby") == await error.get_attribute("id")
    await field.fill("John")  # typing again: the refusal is about what was typed before
    await expect(error).to_have_text("")
    await editor.get_by_role("button", name="Done").click()
    await expect(editor).to_be_hidden()

    editor = await open_corrections(page, "Ana")
    await editor.get_by_role("button", name="Left early: Ana").click()
    await expect(count).to_have_text("2", timeout=LIVE)
    await expect(page.locator("#people-gone")).to_have_text("1 person left early (3 took part)")
    await expect(person_row(page, "Ana")).to_have_attribute("data-status", "left")
    await expect(person_row(page, "Ana").locator("th")).to_have_text("Ana (left early)")
    await editor.get_by_role("button", name="Back (here again): Ana").click()
    await expect(count).to_have_text("3", timeout=LIVE)
    await expect(page.locator("#people-gone")).to_have_text("")

    editor = await open_corrections(page, "John")
    await editor.get_by_role("button", name="Checked in by mistake: John").click()
    await expect(count).to_have_text("2", timeout=LIVE)
    await expect(person_row(page, "John")).to_have_count(0)  # folded away, counted nowhere
    await expect(page.locator("#show-mistakes")).to_be_focused()
    await page.locator("#show-mistakes").check()
    await expect(person_row(page, "John").locator("th")).to_have_text("John (checked in by mistake)")
    await expect(count).to_have_text("2")
    await person_row(page, "John").locator(".change-button").click()
    await page.get_by_role("button", name="Back (here again): John").click()
    await expect(count).to_have_text("3", timeout=LIVE)


@pytest.mark.asyncio
async def test_presence_shows_and_let_back_in_gives_a_code_that_brings_them_back(room: Room) -> None:
    page = room.page
    phone = await room.participant_screen("Maria")
    row = person_row(page, "Maria")
    await expect(row).to_have_attribute("data-device", "connected", timeout=LIVE)
    await expect(row.locator(".device-text")).to_have_text("Online")
    await phone.context.close()  # the tablet's screen goes away
    await expect(row).to_have_attribute("data-device", "none", timeout=LIVE)
    await expect(row.locator(".device-text")).to_have_text("Offline")

    editor = await open_corrections(page, "Maria")
    async with room.console.context.expect_page() as opened:
        await editor.get_by_role("button", name=re.compile("^Let back in on a device")).click()
    code_page = await opened.value
    code = (await code_page.locator("#back-in-code").inner_text()).strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")  # the console ran on

    tablet = await open_screen(room.browser, "new-tablet", 768, 1024)
    await tablet.page.goto(f"{room.clinic.server.http}/join/back")
    await tablet.page.locator("#back-code").fill(code)
    await tablet.page.locator("#back-submit").click()
    await expect(tablet.page.locator("#welcome")).to_have_text("Welcome, Maria", timeout=LIVE)
    await expect(row).to_have_attribute("data-device", "connected", timeout=LIVE)
    await tablet.context.close()


# ---- Strategies ------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_strategy_is_reworded_hidden_and_shown_again_on_the_wall(room: Room) -> None:
    page, clinic = room.page, room.clinic
    await room.facilitator.send("open_phase", phase="agenda")
    await room.facilitator.send("open_phase", phase="discussion")
    await room.facilitator.send("capture_strategy", text="Walk after diner", anonymous=True)
    wall = await open_screen(room.browser, "projector", 1920, 1080)
    await wall.page.goto(f"{clinic.server.http}/projector/{clinic.session_id}?key={clinic.projector_key}")
    board = wall.page.locator("#strategy-board")
    await expect(board).to_contain_text("Walk after diner", timeout=LIVE)

    card = page.locator("#strategy-list li").first
    await card.get_by_role("button", name="Edit “Walk after diner”").click()
    field = card.get_by_label("New wording for “Walk after diner”")
    await expect(field).to_be_focused()
    await field.fill("Walk after dinner")
    await card.get_by_role("button", name="Save").click()
    await expect(board).to_contain_text("Walk after dinner", timeout=LIVE)
    await expect(card.locator(".strategy-text")).to_have_text("Walk after dinner")

    await card.get_by_role("button", name="Hide: “Walk after dinner”").click()
    await expect(card.locator(".strategy-hidden")).to_have_text("Hidden from the wall", timeout=LIVE)
    await expect(board).not_to_contain_text("Walk after dinner", timeout=LIVE)
    await card.get_by_role("button", name="Show again: “Walk after dinner”").click()
    await expect(board).to_contain_text("Walk after dinner", timeout=LIVE)
    await expect(card.locator(".strategy-hidden")).to_have_text("")
    assert not wall.problems, wall.problems


# ---- Recording for a walk-in -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_every_number_problem_shows_at_once_next_to_its_field(room: Room) -> None:
    page = room.page
    await walk_in(page, "Ana")
    await page.locator("#on-behalf summary").click()
    await page.locator("#bp-systolic").fill("130/85")
    await page.locator("#glucose").fill("7.2")
    await page.locator("#numbers-submit").click()
    problems = {"bp-systolic": "BP top must be a number, like 128: one number here, the other in its own box.",
                "bp-diastolic": "BP bottom is needed with BP top.",
                "glucose": "Glucose must be a whole number, like 130."}
    for field, message in problems.items():
        await expect(page.locator(f"#{field}-error")).to_have_text(message)
        await expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator(f"#{field}")).to_have_attribute("aria-describedby", f"{field}-error")
    await expect(page.locator("#weight")).not_to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#numbers-error")).to_have_text("3 numbers need fixing: see below each.")
    await expect(page.locator("#bp-systolic")).to_be_focused()
    assert room.commands("record_numbers") == [], "nothing is sent while a number is wrong"

    await page.locator("#bp-systolic").fill("130")
    await expect(page.locator("#bp-systolic-error")).to_have_text("")  # its own message goes as it is fixed
    await expect(page.locator("#glucose-error")).to_have_text(problems["glucose"])
    await page.locator("#bp-diastolic").fill("85")
    await page.locator("#glucose").fill("140")
    await page.locator("#numbers-submit").click()
    await expect(page.locator("#behalf-saved")).to_have_text(re.compile(r"^Saved numbers for Ana at \d"),
                                                              timeout=LIVE)
    await expect(page.locator("#behalf-saved")).to_have_attribute("role", "status")
    await expect(person_row(page, "Ana").locator("td.numbers")).to_have_text("Yes")
    assert [c["args"] for c in room.commands("record_numbers")] == [
        {"bp_systolic": 130, "bp_diastolic": 85, "glucose": 140, "weight_unit": "lb", "participant_id": "p1"}]  # the cohort's unit


@pytest.mark.asyncio
async def test_a_walk_ins_request_goal_and_evaluation_are_recorded_and_confirmed(room: Room) -> None:
    page, clinic = room.page, room.clinic
    await walk_in(page, "Ana")
    visit = person_row(page, "Ana").locator("td.visit")
    await expect(visit).not_to_contain_text("None")
    await expect(visit.locator(".visually-hidden")).to_have_text("No one-on-one")  # what a screen reader says
    await expect(visit.locator("[aria-hidden=true]")).to_have_text("—")
    await page.locator("#on-behalf summary").click()
    await expect(page.locator("#behalf-goal-form")).to_be_hidden()  # not before goals
    await page.locator("#request-text").fill("Ask about my feet")
    await page.locator("#request-submit").click()
    await expect(page.locator("#behalf-saved")).to_have_text(re.compile(r"^Saved a 1:1 request for Ana at \d"),
                                                              timeout=LIVE)
    await expect(visit).to_have_text("Waiting")

    await room.facilitator.send("open_phase", phase="goals")
    await expect(page.locator("#behalf-goal-form")).to_be_visible(timeout=LIVE)
    await expect(page.locator("#behalf-evaluation-form")).to_be_hidden()
    await page.get_by_label("What", exact=True).fill("Walk")
    await page.get_by_label("How much").fill("20 minutes")
    await page.get_by_label("When", exact=True).fill("after dinner")
    await page.get_by_label("How often").fill("4 days a week")
    await page.get_by_label("How sure (0–10)").select_option("8")
    await page.get_by_label("Share it with the group (on the wall)").check()
    await page.locator("#behalf-goal-submit").click()
    await expect(page.locator("#behalf-saved")).to_have_text(re.compile(r"^Saved a goal for Ana at \d"), timeout=LIVE)
    await expect(person_row(page, "Ana").locator("td.goal")).to_have_text("Set, shared")
    await expect(page.locator("#behalf-goal-what")).to_have_value("")
    goals = await ScreenClient(clinic.link("projector")).connect()
    assert goals.view["shared_goals"][0]["what"] == "Walk"
    await goals.close()

    await room.facilitator.send("open_phase", phase="wrap_up")
    await expect(page.locator("#behalf-evaluation-form")).to_be_visible(timeout=LIVE)
    await page.get_by_label("Rating").select_option("4")
    await page.get_by_label("What helped").fill("Hearing the others")
    await page.get_by_label("What to change").fill("More time")
    await page.locator("#behalf-evaluation-submit").click()
    await expect(page.locator("#behalf-saved")).to_have_text(re.compile(r"^Saved an evaluation for Ana at \d"),
                                                              timeout=LIVE)
    await expect(person_row(page, "Ana").locator("td.rated")).to_have_text("4 of 5")
    assert [c["args"]["participant_id"] for c in room.sent if c["name"] in ("set_goal", "give_evaluation")] == [
        "p1", "p1"]


@pytest.mark.asyncio
async def test_a_refused_walk_in_name_goes_when_it_no_longer_applies(room: Room) -> None:
    page = room.page
    await walk_in(page, "Ana")
    name, error = page.locator("#walkin-name"), page.locator("#walkin-error")
    await name.fill("ana")
    await page.locator("#walkin-submit").click()
    await expect(error).to_contain_text("Someone has already checked in as Ana", timeout=LIVE)
    await expect(name).to_have_attribute("aria-invalid", "true")
    await name.press("Escape")  # the nurse drops that name
    await expect(name).to_have_value("")
    await expect(error).to_have_text("")
    await expect(name).not_to_have_attribute("aria-invalid", "true")

    await name.fill("ana")
    await page.locator("#walkin-submit").click()
    await expect(error).to_contain_text("Someone has already checked in as Ana", timeout=LIVE)
    # The first Ana is told apart by her initial: the name typed is free now, the refusal goes.
    await room.facilitator.send("rename_participant", participant_id="p1", display_name="Ana M.")
    await expect(person_row(page, "Ana M.")).to_be_visible(timeout=LIVE)
    await expect(error).to_have_text("")
    await expect(name).to_have_value("ana")  # still there to check in
    await page.locator("#walkin-submit").click()
    await expect(person_row(page, "ana")).to_be_visible(timeout=LIVE)
