"""The participant's screen in Debian's Chromium, over a real server: the numbers form, being called, the
topics the care team added, and what a roster correction does to a patient's screen.

Being called rings the device: a short chime made with the Web Audio API and a vibration. Headless Chromium
has neither a speaker nor a motor, so what a test can honestly observe is the page's attempt: an init script
wraps the real `AudioContext` (counting the oscillators the page starts) and the real `navigator.vibrate`
(recording each pattern), and passes every call through to the browser unchanged. Nothing is stubbed out:
the page runs its own code against Chromium's own audio and vibration APIs, and the test reads the record.
"""

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from conftest import Clinic
from support.browser import DeviceLink, Screen, chromium, open_screen
from support.clients import ScreenClient

LIVE = 10_000  # ms
RECONNECT = 30_000  # ms: a screen that failed to reconnect while offline waits longer between tries
REPLAYED = 128  # events a reconnecting screen is sent one by one; beyond that it gets a snapshot
PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True}
ROOM = "Exam room 2"
REQUEST = "My feet tingle at night"

# What the page asks of the browser's sound and vibration, recorded and passed through.
RECORD_RINGING = """(() => {
  const record = { tones: 0, vibrations: [] };
  window.ringing = record;
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    createOscillator() {
      const oscillator = super.createOscillator();
      const start = oscillator.start.bind(oscillator);
      oscillator.start = (...args) => { record.tones += 1; return start(...args); };
      return oscillator;
    }
  };
  const vibrate = navigator.vibrate.bind(navigator);
  navigator.vibrate = (pattern) => { record.vibrations.push(pattern); return vibrate(pattern); };
})()"""

TEXT = {
    "en": {
        "weight": "Please write your weight as a number, like 180.",
        "glucose": "Please write your blood sugar as a whole number, like 130.",
        "summary": "Please fix the 2 numbers marked above.",
        "saved": "weight 82.5 lb",
        "staff topic": "From the care team",
        "anonymous": "Suggested anonymously",
    },
    "es": {
        "weight": "Escriba su peso como un número, por ejemplo 180.",
        "glucose": "Escriba su azúcar en la sangre como un número entero, por ejemplo 130.",
        "summary": "Corrija los 2 números marcados arriba.",
        "saved": "peso 82,5 lb",
        "staff topic": "Del equipo de atención",
        "anonymous": "Propuesto de forma anónima",
    },
}


# ---- Helpers --------------------------------------------------------------------------------------


async def join_by_form(screen: Screen, base: str, code: str, name: str = "Maria", language: str = "en") -> None:
    """Join through the join form, as a patient does (typing and tapping: the page has been touched)."""
    page = screen.page
    await page.goto(f"{base}/join/{code}?lang={language}")
    await page.locator("#display-name").fill(name)
    await page.locator("#join-submit").click()
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)


def commands_sent(page: Page) -> list[str]:
    """The names of the commands the page sends over the websockets it opens from now on."""
    sent: list[str] = []

    def watch(socket: Any) -> None:
        socket.on("framesent", lambda payload: sent.extend(re.findall(r'"name":\s*"(\w+)"', str(payload))))

    page.on("websocket", watch)
    return sent


async def ask_for_the_doctor(page: Page) -> None:
    await page.locator("#visit-text").fill(REQUEST)
    await page.locator("#visit-submit").click()
    await expect(page.locator("#visit-saved")).to_be_visible(timeout=LIVE)


async def ringing(page: Page) -> dict[str, Any]:
    record: dict[str, Any] = await page.evaluate("() => window.ringing")
    return record


async def call_the_waiting(clinician: ScreenClient) -> str:
    await clinician.wait_for(lambda view: len(view["queue"]["waiting"]) == 1)
    encounter: str = clinician.view["queue"]["waiting"][0]["encounter_id"]
    await clinician.send("call_participant", encounter_id=encounter, room=ROOM)
    return encounter


async def no_problems(screen: Screen) -> None:
    assert not screen.problems and not screen.dialogs, screen.problems + screen.dialogs


# ---- 4. Numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.asyncio
async def test_every_number_error_shows_at_once_beside_its_own_field(clinic: Clinic, language: str) -> None:
    text = TEXT[language]
    async with chromium() as browser:
        phone = await open_screen(browser, "phone", **PHONE)
        page = phone.page
        sent = commands_sent(page)
        await join_by_form(phone, clinic.server.http, clinic.join_code, language=language)
        weight, glucose = page.locator("#weight"), page.locator("#glucose")

        # Two mistakes at once: blood pressure written in the weight box, a decimal where a whole number goes.
        await weight.fill("130/85")
        await glucose.fill("7.2")
        await page.locator("#numbers-submit").click()
        await expect(page.get_by_test_id("weight-error")).to_have_text(text["weight"])
        await expect(page.get_by_test_id("glucose-error")).to_have_text(text["glucose"])
        for field in (weight, glucose):
            await expect(field).to_have_attribute("aria-invalid", "true")
        # Each message is its own field's description (what a screen reader reads with it), before the hint.
        await expect(weight).to_have_accessible_description(re.compile("^(⚠ )?" + re.escape(text["weight"])))
        await expect(glucose).to_have_accessible_description(re.compile("^(⚠ )?" + re.escape(text["glucose"])))
        for other in ("bp-systolic", "bp-diastolic"):
            await expect(page.get_by_test_id(f"{other}-error")).to_be_empty()
            await expect(page.locator(f"#{other}")).not_to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#numbers-error")).to_have_text(text["summary"])  # an alert: read out at once
        await expect(weight).to_be_focused()  # the first field in error
        assert "record_numbers" not in sent

        # A field put right loses its own message, and only its own.
        await glucose.fill("130")
        await expect(page.get_by_test_id("glucose-error")).to_be_empty()
        await expect(glucose).not_to_have_attribute("aria-invalid", "true")
        await expect(page.get_by_test_id("weight-error")).to_have_text(text["weight"])
        await weight.fill("82,5")  # a decimal comma, as many write it
        await expect(page.get_by_test_id("weight-error")).to_be_empty()
        await expect(page.locator("#numbers-error")).to_be_empty()
        await page.locator("#numbers-submit").click()
        await expect(page.locator("#numbers-saved")).to_contain_text(text["saved"], timeout=LIVE)
        assert sent.count("record_numbers") == 1
        await no_problems(phone)


@pytest.mark.asyncio
async def test_numbers_out_of_range_are_refused_before_anything_is_sent(clinic: Clinic) -> None:
    async with chromium() as browser:
        phone = await open_screen(browser, "phone", **PHONE)
        page = phone.page
        sent = commands_sent(page)
        await join_by_form(phone, clinic.server.http, clinic.join_code)
        top, bottom, weight = page.locator("#bp-systolic"), page.locator("#bp-diastolic"), page.locator("#weight")
        top_error, bottom_error = page.get_by_test_id("bp-systolic-error"), page.get_by_test_id("bp-diastolic-error")
        save = page.locator("#numbers-submit")

        await top.fill("300")
        await bottom.fill("20")
        await page.locator("label[for=weight-unit-kg]").click()  # the cohort's unit is lb: this person weighs in kg
        await weight.fill("500")
        await save.click()
        await expect(top_error).to_have_text("The top blood pressure number must be between 60 and 260.")
        await expect(bottom_error).to_have_text("The bottom blood pressure number must be between 30 and 160.")
        await expect(page.get_by_test_id("weight-error")).to_have_text("Your weight in kg must be between 20 and 400.")
        await expect(top).to_be_focused()

        # 500 is a weight in pounds: choosing the unit puts the weight right.
        await page.locator("label[for=weight-unit-lb]").click()
        await expect(page.get_by_test_id("weight-error")).to_be_empty()
        await expect(weight).not_to_have_attribute("aria-invalid", "true")

        # The pair's own rules: the top number is the larger; both numbers or neither.
        await top.fill("80")
        await bottom.fill("90")
        await save.click()
        await expect(top_error).to_have_text("The top blood pressure number must be the larger one.")
        await expect(bottom_error).to_be_empty()
        await top.fill("")
        await save.click()
        await expect(top_error).to_have_text(
            "Please write the top number too (for example 128 over 82), or leave both empty.")
        await expect(page.locator("#numbers-error")).to_have_text("Please fix the number marked above.")
        await bottom.fill("")  # no blood pressure at all is fine too: the pair is right again
        await expect(top_error).to_be_empty()
        assert "record_numbers" not in sent, "a number out of range reached the server"
        await no_problems(phone)


# ---- 16. Being called -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_call_chimes_and_vibrates_once_and_not_again_on_live_updates(clinic: Clinic) -> None:
    link = await DeviceLink(clinic.server.port).start()  # the phone reaches the server through it
    clinician = await ScreenClient(clinic.link("queue")).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    try:
        async with chromium() as browser:
            phone = await open_screen(browser, "phone", **PHONE)
            await phone.context.add_init_script(RECORD_RINGING)
            page = phone.page
            await join_by_form(phone, link.http, clinic.join_code)
            await ask_for_the_doctor(page)
            await expect(page.get_by_test_id("call-sound")).to_be_visible()
            assert await ringing(page) == {"tones": 0, "vibrations": []}

            encounter = await call_the_waiting(clinician)
            await expect(page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            await expect(page.locator("#announce-alert")).to_contain_text(ROOM)
            assert await ringing(page) == {"tones": 1, "vibrations": [[200, 100, 200]]}

            # Live updates while called: the banner stays up, silent.
            await facilitator.send("join", display_name="Walk-in")
            await facilitator.send("propose_topic", title="Sleep")
            await expect(page.locator("#people-count")).to_contain_text("2 people here", timeout=LIVE)
            await expect(page.get_by_test_id("topic")).to_have_count(1, timeout=LIVE)
            assert await ringing(page) == {"tones": 1, "vibrations": [[200, 100, 200]]}

            # The network drops while more happens than the server replays (its numbers, recorded for it, over
            # and over): back online, the phone gets a whole snapshot of its still-called state. Still silent.
            with phone.expecting_offline_errors():
                await phone.context.set_offline(True)
                link.cut()
                for n in range(REPLAYED + 1):
                    await facilitator.send("record_numbers", participant_id="p1", glucose=100 + n)
                await facilitator.send("propose_topic", title="Eating out")
                await phone.context.set_offline(False)
                await expect(page.get_by_test_id("topic")).to_have_count(2, timeout=RECONNECT)
            assert sum('"type":"snapshot"' in frame.replace(" ", "") for frame in phone.frames) == 2
            await expect(page.locator("#called-banner")).to_be_visible()
            assert await ringing(page) == {"tones": 1, "vibrations": [[200, 100, 200]]}

            # Sent back to the queue and called again: a new call, so it rings again, once.
            await clinician.send("not_here", encounter_id=encounter)
            await expect(page.locator("#called-banner")).to_be_hidden(timeout=LIVE)
            await call_the_waiting(clinician)
            await expect(page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            assert await ringing(page) == {"tones": 2, "vibrations": [[200, 100, 200]] * 2}

            # A reload while called shows the banner again; the page has not been touched since it loaded, so
            # the browser allows no sound, and a later tap and live update bring none: the call was heard.
            await page.reload()
            await expect(page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            await page.locator("#welcome").click()
            await facilitator.send("propose_topic", title="Stress")
            await expect(page.get_by_test_id("topic")).to_have_count(3, timeout=LIVE)
            assert await ringing(page) == {"tones": 0, "vibrations": []}
            await no_problems(phone)
    finally:
        for client in (clinician, facilitator):
            await client.close()
        await link.close()


@pytest.mark.asyncio
async def test_the_sound_switch_silences_the_call_and_is_remembered_after_a_reload(clinic: Clinic) -> None:
    clinician = await ScreenClient(clinic.link("queue")).connect()
    try:
        async with chromium() as browser:
            phone = await open_screen(browser, "phone", **PHONE)
            await phone.context.add_init_script(RECORD_RINGING)
            page = phone.page
            await join_by_form(phone, clinic.server.http, clinic.join_code)
            await ask_for_the_doctor(page)
            switch = page.get_by_role("switch", name="Play a sound when the doctor is ready for me")
            await expect(switch).to_be_checked()  # on unless turned off
            await page.locator("label[for=call-sound-on]").click()
            await expect(switch).not_to_be_checked()

            await page.reload()
            await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
            await expect(switch).not_to_be_checked()
            await page.locator("#welcome").click()  # touched again since the reload: sound would be allowed
            await call_the_waiting(clinician)
            await expect(page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            assert await ringing(page) == {"tones": 0, "vibrations": [[200, 100, 200]]}  # silent, still felt
            await no_problems(phone)
    finally:
        await clinician.close()


# ---- 19. Topics from the care team ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.asyncio
async def test_a_topic_the_care_team_added_says_so(clinic: Clinic, language: str) -> None:
    facilitator = await ScreenClient(clinic.link("console")).connect()
    try:
        async with chromium() as browser:
            phone = await open_screen(browser, "phone", **PHONE)
            page = phone.page
            await join_by_form(phone, clinic.server.http, clinic.join_code, language=language)
            rosa = await open_screen(browser, "rosa", **PHONE)
            await join_by_form(rosa, clinic.server.http, clinic.join_code, name="Rosa")
            await rosa.page.locator("#topic-title").fill("Feeling judged")
            await rosa.page.locator("label[for=topic-anonymous]").click()
            await rosa.page.locator("#topic-submit").click()
            await facilitator.send("propose_topic", title="Foot care")
            topics = page.get_by_test_id("topic")
            await expect(topics).to_have_count(2, timeout=LIVE)
            await expect(topics.filter(has_text="Foot care").locator(".topic-meta")).to_have_text(
                TEXT[language]["staff topic"])
            await expect(topics.filter(has_text="Feeling judged").locator(".topic-meta")).to_have_text(
                TEXT[language]["anonymous"])
            await no_problems(phone)
    finally:
        await facilitator.close()


# ---- 12 / 11. Roster corrections on the patient's screen ---------------------------------------


@pytest.mark.asyncio
async def test_a_request_withdrawn_when_marked_as_left_no_longer_says_in_line(clinic: Clinic) -> None:
    facilitator = await ScreenClient(clinic.link("console")).connect()
    try:
        async with chromium() as browser:
            phone = await open_screen(browser, "phone", **PHONE)
            page = phone.page
            await join_by_form(phone, clinic.server.http, clinic.join_code)
            await ask_for_the_doctor(page)
            card = page.get_by_test_id("visit-status")
            await expect(card).to_contain_text("You're in line", timeout=LIVE)

            await facilitator.send("mark_participant", participant_id="p1", status="left")
            await expect(page.locator("#visit-status-title")).to_have_text(
                "You're no longer in line for a one-on-one", timeout=LIVE)
            await expect(page.locator("#visit-status-detail")).to_have_text(
                "The care team marked you as having left. If you're still here, tell a team member.")
            await expect(page.locator("#visit-saved")).to_be_hidden()
            assert "in line." not in await page.locator("main").inner_text()
            await expect(page.locator("#visit-submit")).to_be_disabled()  # asking again is the care team's
            await expect(page.locator("#visit-text")).to_have_value(REQUEST)  # what was asked, still shown
            await expect(page.get_by_test_id("call-sound")).to_be_hidden()

            await facilitator.send("mark_participant", participant_id="p1", status="present")
            await expect(card).to_contain_text("You're in line", timeout=LIVE)
            await expect(page.locator("#visit-submit")).to_be_enabled()
            await no_problems(phone)
    finally:
        await facilitator.close()


@pytest.mark.asyncio
async def test_one_checked_in_by_mistake_is_taken_back_to_the_join_page(clinic: Clinic) -> None:
    facilitator = await ScreenClient(clinic.link("console")).connect()
    try:
        async with chromium() as browser:
            phone = await open_screen(browser, "phone", **PHONE)
            page = phone.page
            await join_by_form(phone, clinic.server.http, clinic.join_code)
            await ask_for_the_doctor(page)

            await facilitator.send("mark_participant", participant_id="p1", status="mistake")
            await expect(page).to_have_url(f"{clinic.server.http}/join", timeout=LIVE)
            await expect(page.locator("#join-form")).to_be_visible()
            shown = await page.locator("body").inner_text()
            assert "Maria" not in shown and REQUEST not in shown, shown
            assert [c for c in await phone.context.cookies() if c["name"] == "gv_participant"] == []
            await page.go_back()  # the patient's page is not kept to come back to
            await expect(page.locator("#join-form")).to_be_visible(timeout=LIVE)
            await no_problems(phone)
    finally:
        await facilitator.close()


@pytest.mark.asyncio
async def test_a_refused_change_to_the_request_does_not_also_say_it_was_sent(clinic: Clinic) -> None:
    """Seen by hand: 10,000 characters forced past the field's limit were refused, and "Sent to your care
    team" still stood under the refusal. It speaks of the request on file, not of the one on the screen."""
    async with chromium() as browser:
        phone = await open_screen(browser, "phone", **PHONE)
        page = phone.page
        await join_by_form(phone, clinic.server.http, clinic.join_code)
        await ask_for_the_doctor(page)
        await page.evaluate("document.getElementById('visit-text').removeAttribute('maxlength')")
        await page.locator("#visit-text").fill("x" * 10_000)
        await page.locator("#visit-submit").click()
        await expect(page.locator("#visit-error")).to_contain_text("at most", timeout=LIVE)
        await expect(page.locator("#visit-saved")).to_be_hidden()
        await no_problems(phone)
