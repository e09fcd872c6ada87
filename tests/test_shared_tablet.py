"""A clinic tablet passed from patient to patient, and a patient's own phone, in Debian's Chromium.

A tablet joined with "This is a clinic tablet…" ticked forgets its patient after `tablet_idle_minutes`
untouched: a minute before, it asks "Are you still here?"; no answer, or "I'm done", wipes the device
(credential and screen) and leaves it on the join page for the next patient. The server lapses the
credential on its own too. A personal phone never asks and keeps its patient, even across a reload.
Each device's clock (`context.clock`) and the server's (`clinic.clock`) are moved separately, so each
test shows which side did what.
"""

import asyncio
import json
import re
from typing import Any

import httpx
import pytest
import websockets
from playwright.async_api import Page, expect

from conftest import Clinic
from support.browser import Screen, axe_problems, chromium, open_screen
from support.clients import join, send_form
from support.process import RecordingSocket

LIVE = 10_000  # ms
IDLE = 30 * 60  # seconds: the default `tablet_idle_minutes`
WARNING = 60  # seconds: the question comes this long before the tablet forgets
ACCESS_CHECK = 2.0  # seconds: the default `access_check_seconds`, how often an open socket is checked
TABLET = {"width": 800, "height": 1280, "has_touch": True}
PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True}
NAME = "Maria"
REQUEST = "My feet tingle at night"  # private: care team only

# Each websocket the page opens keeps its close code in sessionStorage, which outlives the page it
# came from, so a test can read why the socket closed after the page has gone to the join page.
RECORD_CLOSE_CODES = """(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("close", (event) => {
        const codes = JSON.parse(sessionStorage.getItem("close-codes") || "[]");
        sessionStorage.setItem("close-codes", JSON.stringify([...codes, event.code]));
      });
    }
  };
})()"""


# ---- Small helpers --------------------------------------------------------------------------------


async def join_here(clinic: Clinic, screen: Screen, *, tablet: bool) -> str:
    """Join through the form as people do (a kiosk opens `/join?tablet=1`); the device's credential."""
    page = screen.page
    await page.goto(f"{clinic.server.http}/join" + ("?tablet=1" if tablet else ""))
    box = page.locator("#shared-device")
    await (expect(box).to_be_checked() if tablet else expect(box).not_to_be_checked())
    await page.locator("#join-code").fill(clinic.join_code)
    await page.locator("#display-name").fill(NAME)
    await page.locator("#join-submit").click()
    await expect(page.locator("#welcome")).to_have_text(f"Welcome, {NAME}", timeout=LIVE)
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
    return await credential_of(screen)


async def credential_of(screen: Screen) -> str:
    cookies = [c["value"] for c in await screen.context.cookies() if c["name"] == "gv_participant"]
    assert len(cookies) == 1, cookies
    return cookies[0]


async def config_of(page: Page) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(await page.locator("#gv-config").text_content() or "{}")
    return config


async def ask_for_the_doctor(page: Page) -> None:
    """Something private on the screen, which must be gone once the device is wiped."""
    await page.locator("#visit-text").fill(REQUEST)
    await page.locator("#visit-submit").click()
    await expect(page.locator("#visit-saved")).to_be_visible(timeout=LIVE)


async def idle(clinic: Clinic, screen: Screen, seconds: float, *, server: bool = True) -> None:
    """Nobody touches the device for `seconds`: its clock moves, and the server's too unless told not to."""
    if server:
        clinic.clock.advance(seconds)
    await screen.context.clock.fast_forward(int(seconds * 1000))


async def server_counts_active(clinic: Clinic, token: str, at: float) -> None:
    """The server still knows the device, and has heard a touch at `at` (its clock)."""
    async def heard() -> None:
        while True:
            row = await clinic.store.device(clinic.session_id, token)
            assert row is not None, "the server forgot the device"
            if row.active_at == at:
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(heard(), 5)


async def credential_refused(clinic: Clinic, token: str) -> None:
    """The old cookie opens neither the participant page nor its websocket."""
    cookie = f"gv_participant={token}"
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        page = await client.get(f"/p/{clinic.session_id}", headers={"Cookie": cookie})
    assert page.status_code == 403, page.status_code
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(f"{clinic.server.ws}/p/{clinic.session_id}/ws", additional_headers={"Cookie": cookie})
    assert refused.value.response.status_code == 403


async def nothing_of_the_patient(clinic: Clinic, page: Page) -> None:
    """A join page, with no trace of the last patient: not their name, not what they wrote."""
    await expect(page).to_have_url(re.compile("^" + re.escape(f"{clinic.server.http}/join")), timeout=LIVE)
    await expect(page.locator("#join-form")).to_be_visible()
    await expect(page.locator("#display-name")).to_have_value("")
    shown = await page.locator("body").inner_text()
    assert NAME not in shown and REQUEST not in shown, shown


async def wiped(clinic: Clinic, screen: Screen, token: str, landing: str) -> None:
    """The device left for `landing` with nothing of the patient on it, and its old credential is dead."""
    await expect(screen.page).to_have_url(f"{clinic.server.http}{landing}", timeout=LIVE)
    await nothing_of_the_patient(clinic, screen.page)
    assert [c for c in await screen.context.cookies() if c["name"] == "gv_participant"] == []
    await credential_refused(clinic, token)


async def back_shows_nothing(clinic: Clinic, screen: Screen) -> None:
    """The Back button, as far as it goes, never brings the patient's page back (it is never cached)."""
    page = screen.page
    for _ in range(2):
        await page.go_back()
        await nothing_of_the_patient(clinic, page)
    assert not any(url.endswith(f"/p/{clinic.session_id}") for url in screen.loads[-2:]), screen.loads


# ---- The tests ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_idle_tablet_asks_first_and_a_touch_keeps_the_patient(clinic: Clinic) -> None:
    async with chromium() as browser:
        tablet = await open_screen(browser, "tablet", **TABLET)
        page = tablet.page
        token = await join_here(clinic, tablet, tablet=True)
        assert (await config_of(page))["idle_seconds"] == IDLE
        question = page.get_by_role("alertdialog", name="Are you still here?")
        await expect(question).to_be_hidden()

        # A minute before the tablet would forget: the question, a countdown, big buttons, focus on "stay".
        await idle(clinic, tablet, IDLE - WARNING + 1)
        await expect(question).to_be_visible()
        await expect(page.get_by_test_id("idle-countdown")).to_have_text(
            re.compile(r"The screen clears in (5\d) seconds\."))
        await expect(page.get_by_test_id("idle-stay")).to_be_focused()
        for button in ("idle-stay", "idle-leave"):
            box = await page.get_by_test_id(button).bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44, (button, box)
        assert await axe_problems(page) == [], "axe, with the question shown"

        # "I'm still here": the question goes, the patient stays, and the server heard it.
        await page.get_by_test_id("idle-stay").click()
        await expect(question).to_be_hidden()
        await server_counts_active(clinic, token, clinic.clock.now())
        await expect(page.locator("#welcome")).to_have_text(f"Welcome, {NAME}")

        # Idle again (past the first deadline): asked again; a touch anywhere also keeps the patient.
        await idle(clinic, tablet, IDLE - WARNING + 1)
        await expect(question).to_be_visible()
        await page.mouse.click(3, 3)  # the covered screen around the question
        await expect(question).to_be_hidden()
        await server_counts_active(clinic, token, clinic.clock.now())
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")

        # "I'm done" from the question wipes the tablet and readies it for the next patient.
        await idle(clinic, tablet, IDLE - WARNING + 1, server=False)
        await page.get_by_test_id("idle-leave").click()
        await wiped(clinic, tablet, token, "/join?tablet=1")
        await expect(page.locator("#shared-device")).to_be_checked()
        assert tablet.problems == [] and tablet.dialogs == []


@pytest.mark.asyncio
async def test_a_tablet_left_alone_wipes_itself_and_lands_on_the_join_page(clinic: Clinic) -> None:
    async with chromium() as browser:
        tablet = await open_screen(browser, "tablet", **TABLET)
        page = tablet.page
        token = await join_here(clinic, tablet, tablet=True)
        await ask_for_the_doctor(page)

        # Only the tablet's clock moves: what follows is the tablet's own doing.
        await idle(clinic, tablet, IDLE - WARNING + 1, server=False)
        await expect(page.get_by_test_id("idle-dialog")).to_be_visible()
        await idle(clinic, tablet, WARNING, server=False)
        await wiped(clinic, tablet, token, "/join?tablet=1")
        await expect(page.locator("#shared-device")).to_be_checked()
        await back_shows_nothing(clinic, tablet)
        assert tablet.problems == [] and tablet.dialogs == []


@pytest.mark.asyncio
async def test_the_server_alone_lapses_an_idle_tablet_and_its_page_leaves(clinic: Clinic) -> None:
    async with chromium() as browser:
        tablet = await open_screen(browser, "tablet", **TABLET)
        await tablet.context.add_init_script(RECORD_CLOSE_CODES)
        page = tablet.page
        token = await join_here(clinic, tablet, tablet=True)
        await ask_for_the_doctor(page)

        # The tablet's own clock stands still (it never asks); the server's passes the idle limit.
        clinic.clock.advance(IDLE + 1)
        await expect(page).to_have_url(f"{clinic.server.http}/join?tablet=1", timeout=LIVE)
        codes = json.loads(await page.evaluate("() => sessionStorage.getItem('close-codes')") or "[]")
        assert codes == [4401], codes
        await nothing_of_the_patient(clinic, page)
        assert await clinic.store.device(clinic.session_id, token) is None
        await credential_refused(clinic, token)
        assert tablet.problems == [] and tablet.dialogs == []


@pytest.mark.asyncio
async def test_a_personal_phone_never_asks_and_a_reload_rejoins_as_the_same_participant(clinic: Clinic) -> None:
    # A tablet checked in beside the phone, on its own websocket: the same idle time lapses it.
    _, tablet_cookie = await join(clinic.server.http, clinic.join_code, "Rosa", shared_device=True)
    tablet = await RecordingSocket.open(f"{clinic.server.ws}/p/{clinic.session_id}/ws", tablet_cookie)
    async with chromium() as browser:
        phone = await open_screen(browser, "phone", **PHONE)
        page = phone.page
        token = await join_here(clinic, phone, tablet=False)
        config = await config_of(page)
        assert config["idle_seconds"] == 0
        loads = len(phone.loads)

        await idle(clinic, phone, IDLE - WARNING + 1)
        await idle(clinic, phone, 2 * IDLE)
        await tablet.wait_until(lambda socket: socket.closed, timeout=LIVE / 1000)
        assert tablet.close_code == 4401
        await asyncio.sleep(ACCESS_CHECK * 1.5)  # the phone's own socket has been checked since, too
        await expect(page.get_by_test_id("idle-dialog")).to_be_hidden()
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")
        assert len(phone.loads) == loads and page.url.endswith(f"/p/{clinic.session_id}")

        # A reload is the same person again, not a new check-in.
        await page.reload()
        await expect(page.locator("#welcome")).to_have_text(f"Welcome, {NAME}", timeout=LIVE)
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        assert (await config_of(page))["viewer"] == config["viewer"]
        assert await credential_of(phone) == token
        assert phone.problems == [] and phone.dialogs == []


@pytest.mark.asyncio
async def test_done_wipes_the_device(clinic: Clinic) -> None:
    async with chromium() as browser:
        phone = await open_screen(browser, "phone", **PHONE)
        page = phone.page
        token = await join_here(clinic, phone, tablet=False)
        await ask_for_the_doctor(page)
        again = await page.request.get(page.url)  # with this browser's cookies
        assert again.headers["cache-control"] == "no-store", "the Back button could show a stored copy"

        await page.locator("#done-button").click()
        await expect(page.locator("#done-question")).to_be_visible()
        await page.locator("#done-button").click()  # "Yes, I'm done"
        await wiped(clinic, phone, token, "/join")
        await back_shows_nothing(clinic, phone)
        assert phone.problems == [] and phone.dialogs == []


async def let_back_in_code(clinic: Clinic, participant_id: str) -> str:
    """What the facilitator's console asks for: a one-time code to let `participant_id` back in."""
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        response = await send_form(client, f"/sessions/{clinic.session_id}/back-in",
                                   {"participant_id": participant_id}, cookie=clinic.cookie("alex"))
    found = re.search(r'id="back-in-code"[^>]*>([A-Z0-9]+)<', response.text)
    assert response.status_code == 200 and found, response.text
    return found[1]


@pytest.mark.asyncio
async def test_a_patient_the_tablet_forgot_gets_back_in_with_the_facilitators_code(clinic: Clinic) -> None:
    async with chromium() as browser:
        tablet = await open_screen(browser, "tablet", **TABLET)
        page = tablet.page
        token = await join_here(clinic, tablet, tablet=True)
        await ask_for_the_doctor(page)
        await idle(clinic, tablet, IDLE - WARNING + 1)
        await idle(clinic, tablet, WARNING)
        await wiped(clinic, tablet, token, "/join?tablet=1")

        # The join page lists nobody; the facilitator's code, typed in small letters, brings Maria back.
        code = await let_back_in_code(clinic, "p1")
        await page.locator("#back-link").click()
        await expect(page).to_have_url(f"{clinic.server.http}/join/back?tablet=1")
        await page.locator("#back-code").fill(code.lower())
        await page.locator("#back-submit").click()
        await expect(page.locator("#welcome")).to_have_text(f"Welcome, {NAME}", timeout=LIVE)
        await expect(page.locator("#visit-text")).to_have_value(REQUEST)  # her place in the queue, still waiting
        assert (await config_of(page))["idle_seconds"] == IDLE  # still a shared tablet
        assert tablet.problems == [] and tablet.dialogs == []


@pytest.mark.asyncio
async def test_closing_the_session_wipes_a_shared_tablet_back_to_the_join_page(clinic: Clinic) -> None:
    async with chromium() as browser:
        tablet = await open_screen(browser, "tablet", **TABLET)
        token = await join_here(clinic, tablet, tablet=True)
        await ask_for_the_doctor(tablet.page)
        async with websockets.connect(clinic.link("console").url, compression=None,
                                      additional_headers={"Cookie": clinic.cookie("alex")}) as console:
            await console.send(json.dumps({"type": "command", "id": "close", "name": "close_session",
                                           "args": {"confirm": True}}))
            await wiped(clinic, tablet, token, "/join?tablet=1")
        assert tablet.problems == [] and tablet.dialogs == []
