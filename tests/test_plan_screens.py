"""The plan for the one-on-ones on the clinician's queue and the facilitator's console, in Debian's Chromium.

A real server on a manual clock; the patients and the clinicians' moves are real websocket clients. Each
test checks what a person reads: every waiting patient's expected call time and clinician, the warning
when an encounter runs long ("will not be seen", with names) on both screens, the reason before calling
someone out of the topic they voted for most, and numbers flagged on the queue only.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, expect

from conftest import SESSION_START, Clinic
from support.browser import Screen, add_cookie, axe_problems, chromium, open_screen, screenshot_dirs
from support.clients import ScreenClient, join

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
MINUTE = 60.0
SAM = "Dr. Sam Okafor"

# Counts what happens to the warning's live region, so a test can tell it is written only when its words change.
WATCH_STATUS_JS = """() => {
  window.statusWrites = 0;
  new MutationObserver((changes) => { window.statusWrites += changes.length; })
    .observe(document.getElementById("plan-status"), { childList: true, characterData: true, subtree: true });
}"""


@dataclass
class Room:
    clinic: Clinic
    browser: Browser
    queue: Screen
    console: Screen
    sam: ScreenClient  # Sam's moves, as his queue screen would send them
    people: dict[str, ScreenClient]

    async def wait(self, name: str, request: str = "") -> ScreenClient:
        """`name` joins and asks for a one-on-one."""
        _, cookie = await join(self.clinic.server.http, self.clinic.join_code, name)
        person = await ScreenClient(f"{self.clinic.server.ws}/p/{self.clinic.session_id}/ws", cookie).connect()
        await person.send("request_visit", text=request or f"A question from {name}")
        self.people[name] = person
        return person

    def encounter(self, name: str) -> str:
        return next(e["encounter_id"] for e in self.sam.view["queue"]["waiting"] if e["name"] == name)

    async def see(self, name: str) -> None:
        """Sam calls `name` and starts their one-on-one."""
        await self.sam.wait_for(lambda view: any(e["name"] == name for e in view["queue"]["waiting"]))
        encounter = self.encounter(name)
        await self.sam.send("call_participant", encounter_id=encounter, room="Exam room 2")
        await self.sam.send("start_encounter", encounter_id=encounter)

    async def advance(self, minutes: float) -> None:
        """Time passes for the server and for every screen's own clock."""
        self.clinic.clock.advance(minutes * MINUTE)
        for screen in (self.queue, self.console):
            await screen.context.clock.fast_forward(int(minutes * MINUTE * 1000))


async def live(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)


@pytest_asyncio.fixture
async def room(clinic: Clinic) -> AsyncIterator[Room]:
    base, sid = clinic.server.http, clinic.session_id
    async with chromium() as browser:
        queue = await open_screen(browser, "queue", 1280, 800)
        console = await open_screen(browser, "console", 1366, 768)
        await add_cookie(queue.context, base, clinic.cookie("sam"))
        await add_cookie(console.context, base, clinic.cookie("alex"))
        await live(queue.page, f"{base}/queue/{sid}")
        await live(console.page, f"{base}/console/{sid}")
        sam = await ScreenClient(clinic.link("queue", "sam")).connect()
        opened = Room(clinic, browser, queue, console, sam, {})
        yield opened
        for client in (sam, *opened.people.values()):
            await client.close()
        assert not queue.problems and not console.problems, queue.problems + console.problems


async def clock_time(page: Page, minutes: float) -> str:
    """How the screen writes the time `minutes` into the session (its own locale and time zone)."""
    result: str = await page.evaluate(
        "(s) => new Date(s * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })",
        SESSION_START + minutes * MINUTE)
    return result


def waiting_card(page: Page, name: str) -> Locator:
    return page.locator("#waiting-list li.encounter").filter(has=page.locator(".who", has_text=name))


async def test_the_queue_shows_when_each_waiting_patient_is_expected_and_with_whom(room: Room) -> None:
    await room.wait("Ann")
    for name in ("Bea", "Cal", "Dee"):
        await room.wait(name)
    await room.see("Ann")  # Sam is with Ann from the session's start: free about 7 minutes in
    page = room.queue.page
    for n, name in enumerate(("Bea", "Cal", "Dee")):
        expected = f"about {await clock_time(page, 7 * (n + 1))} · you"
        await expect(waiting_card(page, name).get_by_test_id("expected")).to_have_text(expected, timeout=LIVE)
    await expect(page.locator(".plan-summary")).to_have_text(
        f"Everyone fits: the last one-on-one ends about {await clock_time(page, 28)}")
    await expect(page.locator("#plan-advice")).to_be_hidden()

    # The lanes: Sam's, with whom he is and whom he calls next, in order.
    lane = page.locator("#plan-lanes li.lane")
    await expect(lane).to_have_count(1)
    await expect(lane.locator("h3")).to_have_text(f"{SAM} · you")
    await expect(lane.locator(".lane-now")).to_have_text(f"With Ann, free about {await clock_time(page, 7)}")
    await expect(lane.locator(".lane-slots li")).to_have_text(
        [f"about {await clock_time(page, 7 * (n + 1))} · {name}" for n, name in enumerate(("Bea", "Cal", "Dee"))])

    # The console: the same times, with the clinician's name.
    rows = room.console.page.locator("#queue-waiting li")
    await expect(rows.get_by_test_id("expected")).to_have_text(
        [f"expected about {await clock_time(page, 7 * (n + 1))} · {SAM}" for n in range(3)], timeout=LIVE)
    assert await axe_problems(page) == []
    for folder in screenshot_dirs():
        await room.queue.screenshot(folder / "queue-plan.png")


async def test_an_encounter_running_long_warns_who_will_not_be_seen_on_the_queue_and_the_console(
        room: Room) -> None:
    for name in ("Ann", "Bea", "Cal", "Dee", "Eve"):
        await room.wait(name)
    await room.advance(80)
    await room.see("Ann")  # 80 minutes in: four to go, 7 minutes each, fits the 40 minutes left
    queue, console = room.queue.page, room.console.page
    fits = f"Everyone fits: the last one-on-one ends about {await clock_time(queue, 115)}"
    await expect(queue.locator(".plan-summary")).to_have_text(fits, timeout=LIVE)
    await expect(console.locator(".plan-summary")).to_have_text(fits, timeout=LIVE)
    await expect(queue.locator("#plan-advice")).to_be_hidden()

    # Ann's one-on-one runs 20 minutes: with the next event the plan re-forms, and both screens say it.
    await room.advance(20)
    await room.people["Eve"].send("record_numbers", bp_systolic=128, bp_diastolic=82)
    news = "At this pace 2 people will not be seen: Dee, Eve"
    for page in (queue, console):
        await expect(page.locator(".plan-summary")).to_have_text(news + " · about 9 minutes short", timeout=LIVE)
        await expect(page.locator("#plan-status")).to_have_text(news)  # what a screen reader hears
        await expect(page.locator("#plan-status")).to_have_attribute("role", "status")
        await expect(page.locator("#plan-advice")).to_contain_text("add a clinician")
    await expect(waiting_card(queue, "Dee").get_by_test_id("expected")).to_have_text("not planned: no time left")
    await expect(console.locator("#queue-waiting li").filter(has_text="Dee").get_by_test_id("expected")).to_have_text(
        "not planned: no time left")

    # Said once: later events leave the live region alone while its news stays the same, even as the
    # shortfall grows a minute (shown, not announced again).
    await queue.evaluate(WATCH_STATUS_JS)
    await room.people["Bea"].send("record_numbers", bp_systolic=126, bp_diastolic=80)
    await room.advance(1)
    await room.people["Cal"].send("record_numbers", bp_systolic=124, bp_diastolic=80)
    await expect(queue.locator(".plan-summary")).to_have_text(news + " · about 10 minutes short", timeout=LIVE)
    await expect(waiting_card(queue, "Cal").locator(".numbers")).to_contain_text("BP 124/80")
    assert await queue.evaluate("window.statusWrites") == 0
    assert await axe_problems(queue) == []
    assert await axe_problems(console) == []
    for folder in screenshot_dirs():
        await queue.screenshot(path=folder / "queue-plan-warning.png", full_page=True)  # the cards too
        await room.console.page.locator("#queue-panel").scroll_into_view_if_needed()
        await room.console.screenshot(folder / "console-plan-warning.png")


async def test_with_no_event_the_plan_slips_on_the_screens_clock_until_it_says_it_runs_behind(room: Room) -> None:
    for name in ("Ann", "Bea", "Cal", "Dee", "Eve"):
        await room.wait(name)
    await room.advance(80)
    await room.see("Ann")  # Bea expected 87 minutes in, Eve last, ending at 115 of 120
    page = room.queue.page
    bea = waiting_card(page, "Bea").get_by_test_id("expected")
    await expect(bea).to_have_text(f"about {await clock_time(page, 87)} · you", timeout=LIVE)
    await expect(page.locator("#plan-status")).to_have_text("Everyone fits")

    # Fifteen minutes with nothing sent: Ann is still in, so each call in Sam's lane slips with the clock.
    await room.advance(15)
    await expect(bea).to_have_text("now · you", timeout=LIVE)
    await expect(waiting_card(page, "Eve").get_by_test_id("expected")).to_have_text(
        f"about {await clock_time(page, 116)} · you")
    await expect(page.locator(".plan-summary")).to_have_text(
        f"Running behind the plan: at this pace the last one-on-one ends about {await clock_time(page, 123)}, "
        f"after the session ends at {await clock_time(page, 120)}")
    await expect(page.locator("#plan-advice")).to_be_visible()


async def test_the_queue_says_why_before_calling_someone_out_of_their_top_topic(room: Room) -> None:
    clinic, console = room.clinic, room.console.page
    facilitator = await ScreenClient(clinic.link("console")).connect()
    maria = await room.wait("Maria", "My feet tingle")
    await facilitator.send("open_phase", phase="agenda")
    await maria.send("propose_topic", title="Sleep")
    await maria.send("cast_vote", topic_id="t1")
    await facilitator.send("open_phase", phase="discussion")  # Sleep is under discussion now
    page = room.queue.page
    card = waiting_card(page, "Maria")
    reason = "Calling Maria now takes them out of “Sleep”, the topic they voted for most."
    await expect(card.get_by_test_id("conflict")).to_have_text("⚠ " + reason, timeout=LIVE)
    # Read with the Call button itself: heard before calling, not only seen.
    await expect(card.get_by_test_id("call")).to_have_accessible_description(reason)
    await expect(console.locator("#queue-waiting li").filter(has_text="Maria")).to_be_visible(timeout=LIVE)
    assert await axe_problems(page) == []
    await facilitator.close()


async def test_out_of_range_numbers_are_flagged_on_the_queue_and_never_on_the_console(room: Room) -> None:
    walter = await room.wait("Walter")
    await walter.send("record_numbers", glucose=54)
    page, console = room.queue.page, room.console.page
    flag = waiting_card(page, "Walter").get_by_test_id("flags")
    await expect(flag).to_have_text("⚑ Numbers out of range: glucose low", timeout=LIVE)
    await expect(waiting_card(page, "Walter").get_by_test_id("call")).to_have_accessible_description(
        "Numbers out of range: glucose low")
    row = console.locator("#queue-waiting li").filter(has_text="Walter")
    await expect(row.get_by_test_id("expected")).to_have_text("expected now · the first clinician free", timeout=LIVE)
    for words in ("out of range", "glucose", "54"):
        await expect(console.locator("#queue-panel")).not_to_contain_text(words)
