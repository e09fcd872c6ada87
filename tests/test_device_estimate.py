"""Each patient's device says where they stand in the plan, in Debian's Chromium over a real server.

Three patients ask for a one-on-one; the clinician (a websocket client, as the queue screen is) calls and
starts the first. The second patient's phone says "You're next, in about 7 minutes", the third's "About 15
minutes"; the counts follow the server's clock as the phone knows it (frames carry `now`) and re-form with
the plan when the first encounter runs long. Then called, with, done; near the session's end, the kind
news that the doctor may not get to someone today, and at close that they could not. In both languages,
axe clean at each step.

The manual clock moves the server; a phone's own clock (Playwright's, installed by `open_screen`) is moved
only where a test says so.
"""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from conftest import Clinic
from support.browser import Screen, add_cookie, axe_problems, chromium, open_screen, screenshot_dirs, small_targets
from support.clients import ScreenClient, join

pytestmark = pytest.mark.asyncio

LIVE = 10_000  # ms
MINUTE = 60.0
PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True}
CLINICIAN = "Dr. Sam Okafor"

TEXT = {
    "en": {
        "room": "Exam room 2",
        "in line": "You're in line for your one-on-one",
        "next 7": "You're next, in about 7 minutes",
        "next 4": "You're next, in about 4 minutes",
        "next 1": "You're next, in about 1 minute",
        "about 15": "About 15 minutes",
        "about 8": "About 8 minutes",
        "second": "You're number 2 in line.",
        "soon": "The one-on-ones start soon",
        "called": f"{CLINICIAN} is ready for you in Exam room 2",
        "with": f"You're with {CLINICIAN}",
        "done": "Your one-on-one is done",
        "back": "Back to the group — thank you.",
        "not today": "The doctor may not get to you today",
        "follow-up": "the care team will talk with you about a follow-up",
        "not seen": "The doctor could not see you today",
        "after": "The care team will talk with you about a follow-up.",
        "request": "My feet tingle at night",
        "changed": "My feet tingle at night, and I need a new meter",
    },
    "es": {
        "room": "Sala 2",
        "in line": "Está en la fila para su consulta individual",
        "next 7": "Usted sigue, en unos 7 minutos",
        "next 4": "Usted sigue, en unos 4 minutos",
        "next 1": "Usted sigue, en más o menos 1 minuto",
        "about 15": "Unos 15 minutos",
        "about 8": "Unos 8 minutos",
        "second": "Usted es el número 2 en la fila.",
        "soon": "Las consultas individuales empiezan pronto",
        "called": f"{CLINICIAN} está listo/a para atenderle en Sala 2",
        "with": f"Está con {CLINICIAN}",
        "done": "Su consulta individual terminó",
        "back": "Ya puede volver al grupo. ¡Gracias!",
        "not today": "Puede que el médico no alcance a atenderle hoy",
        "follow-up": "el equipo de atención hablará con usted sobre un seguimiento",
        "not seen": "El médico no pudo atenderle hoy",
        "after": "El equipo de atención hablará con usted sobre un seguimiento.",
        "request": "Me hormiguean los pies de noche",
        "changed": "Me hormiguean los pies de noche y necesito un medidor nuevo",
    },
}


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as opened:
        yield opened


async def patient_phone(clinic: Clinic, browser: Browser, name: str, language: str) -> Screen:
    """A patient's phone, checked in as `name`, showing their screen in `language`."""
    _, cookie = await join(clinic.server.http, clinic.join_code, name)
    screen = await open_screen(browser, f"{name}-{language}", **PHONE, locale="es-ES" if language == "es" else "en-US")
    await add_cookie(screen.context, clinic.server.http, cookie)
    await screen.page.goto(f"{clinic.server.http}/p/{clinic.session_id}?lang={language}")
    await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
    return screen


async def ask_for_the_doctor(page: Page, text: str) -> None:
    await page.locator("#visit-text").fill(text)
    await page.locator("#visit-submit").click()
    await expect(page.locator("#visit-saved")).to_be_visible(timeout=LIVE)


async def clean(screen: Screen, step: str) -> None:
    """axe finds nothing serious, every control is big enough for a finger, nothing went wrong on the page."""
    assert await axe_problems(screen.page) == [], f"{screen.name} {step}: axe"
    assert await small_targets(screen.page) == [], f"{screen.name} {step}: controls smaller than 44×44"
    assert not screen.problems and not screen.dialogs, screen.problems + screen.dialogs


async def waiting_ids(clinician: ScreenClient, count: int) -> list[str]:
    await clinician.wait_for(lambda view: len(view["queue"]["waiting"]) == count)
    return [e["encounter_id"] for e in clinician.view["queue"]["waiting"]]


@pytest.mark.parametrize("language", ["en", "es"])
async def test_each_patients_device_shows_its_estimate_and_it_changes_when_an_earlier_encounter_runs_long(
        clinic: Clinic, browser: Browser, language: str) -> None:
    text = TEXT[language]
    sam = await ScreenClient(clinic.link("queue", "sam")).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    maria = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await maria.send("request_visit", text="My knee")
    rosa_phone = await patient_phone(clinic, browser, "Rosa", language)
    walter_phone = await patient_phone(clinic, browser, "Walter", language)
    rosa, walter = rosa_phone.page, walter_phone.page
    await ask_for_the_doctor(rosa, text["request"])
    await ask_for_the_doctor(walter, text["request"])
    first, second, third = await waiting_ids(sam, 3)
    # No clinician has called anyone or gone on duty yet: a place in line, never minutes nobody stands behind.
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["soon"], timeout=LIVE)
    await expect(rosa.locator("#visit-status-detail")).to_have_text(text["second"])

    # Sam sees Maria now: 7 minutes each, so Rosa in about 7 minutes and Walter in about 14, said as 15.
    await sam.send("call_participant", encounter_id=first, room=text["room"])
    await sam.send("start_encounter", encounter_id=first)
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["next 7"], timeout=LIVE)
    await expect(rosa.locator("#visit-status-kicker")).to_have_text(text["in line"])
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["about 15"], timeout=LIVE)
    await expect(walter.locator("#visit-status-detail")).to_have_text(text["second"])
    # Read out politely as it changed, with what it is about.
    await expect(rosa.get_by_test_id("visit-announce")).to_have_text(f"{text['in line']}. {text['next 7']}.")
    await expect(walter.get_by_test_id("visit-announce")).to_contain_text(text["about 15"])
    await clean(rosa_phone, "next")
    await clean(walter_phone, "later")
    for folder in screenshot_dirs():
        await rosa_phone.screenshot(folder / ("participant-phone-estimate.png" if language == "en"
                                              else "participant-phone-estimate-es.png"))

    # Walter changes what he wants to talk about: the clinician's queue has the new text, his place is kept.
    await walter.locator("#visit-text").fill(text["changed"])
    await walter.locator("#visit-submit").click()
    await sam.wait_for(lambda view: [e["request"] for e in view["queue"]["waiting"]] == [text["request"],
                                                                                        text["changed"]])
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["about 15"], timeout=LIVE)

    # Maria's one-on-one runs 20 minutes; the next event re-forms the plan from then. Sam should be free in
    # about a minute, so Rosa is next in about 1 and Walter now about 8 minutes away (no longer 15 nor 1).
    clinic.clock.advance(20 * MINUTE)
    await facilitator.send("open_phase", phase="agenda")
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["next 1"], timeout=LIVE)
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["about 8"], timeout=LIVE)
    await expect(walter.get_by_test_id("visit-announce")).to_contain_text(text["about 8"])

    # Maria done; Rosa called to the room, with the clinician's name; then with him; then back to the group.
    await sam.send("complete_encounter", encounter_id=first)
    await sam.send("call_participant", encounter_id=second, room=text["room"])
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["called"], timeout=LIVE)
    await expect(rosa.locator("#called-banner")).to_be_visible()
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["next 7"], timeout=LIVE)
    await clean(rosa_phone, "called")
    await sam.send("start_encounter", encounter_id=second)
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["with"], timeout=LIVE)
    await sam.send("complete_encounter", encounter_id=second)
    await expect(rosa.get_by_test_id("visit-estimate")).to_have_text(text["done"], timeout=LIVE)
    await expect(rosa.locator("#visit-status-detail")).to_have_text(text["back"])
    await expect(rosa.get_by_test_id("visit-announce")).to_have_text(f"{text['done']}. {text['back']}")
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["next 1"], timeout=LIVE)
    await clean(rosa_phone, "done")

    # Near the end Sam is still with someone else: Walter's 7 minutes no longer fit before the session ends.
    clinic.clock.advance(90 * MINUTE)
    _, cookie = await join(clinic.server.http, clinic.join_code, "Ann")
    ann = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await ann.send("request_visit", text="My eyes")
    ann_visit = (await waiting_ids(sam, 2))[1]
    await sam.send("call_participant", encounter_id=ann_visit, room=text["room"])
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["not today"], timeout=LIVE)
    await expect(walter.locator("#visit-status-hint")).to_contain_text(text["follow-up"])
    await clean(walter_phone, "may not fit")
    assert third in [e["encounter_id"] for e in sam.view["queue"]["waiting"]]

    # The session closes with Walter still in line: no estimate any more, and what happens next.
    await sam.send("start_encounter", encounter_id=ann_visit)
    await sam.send("complete_encounter", encounter_id=ann_visit)
    await facilitator.send("close_session", confirm=True)
    await expect(walter.locator("#ended-banner")).to_be_visible(timeout=LIVE)
    await expect(walter.get_by_test_id("visit-estimate")).to_have_text(text["not seen"])
    await expect(walter.locator("#visit-status-detail")).to_have_text(text["after"])
    await expect(walter.locator("#visit-status-hint")).to_be_hidden()
    await clean(walter_phone, "closed")
    for client in (sam, facilitator, maria, ann):
        await client.close()


async def test_the_minutes_follow_the_clock_every_half_minute_but_are_read_out_only_when_a_live_update_changes_them(
        clinic: Clinic, browser: Browser) -> None:
    sam = await ScreenClient(clinic.link("queue", "sam")).connect()
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    maria = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie).connect()
    await maria.send("request_visit", text="My knee")
    phone = await patient_phone(clinic, browser, "Rosa", "en")
    page = phone.page
    await ask_for_the_doctor(page, "My feet")
    first, _ = await waiting_ids(sam, 2)
    await sam.send("call_participant", encounter_id=first, room="Exam room 2")
    await sam.send("start_encounter", encounter_id=first)
    estimate, announce = page.get_by_test_id("visit-estimate"), page.get_by_test_id("visit-announce")
    said = "You're in line for your one-on-one. You're next, in about 7 minutes."
    await expect(estimate).to_have_text("You're next, in about 7 minutes", timeout=LIVE)
    await expect(announce).to_have_text(said)

    # Three minutes pass with no event: the half-minute recount shows 4, and says nothing.
    clinic.clock.advance(3 * MINUTE)
    await phone.context.clock.fast_forward(int(3 * MINUTE * 1000))
    await expect(estimate).to_have_text("You're next, in about 4 minutes", timeout=LIVE)
    await expect(announce).to_have_text(said)

    # An event that re-forms the plan to the same estimate (Maria suggests a topic) says nothing either.
    await maria.send("propose_topic", title="Sleep")
    await expect(page.get_by_test_id("topic")).to_have_count(1, timeout=LIVE)  # rendered with the card
    await expect(estimate).to_have_text("You're next, in about 4 minutes")
    await expect(announce).to_have_text(said)

    # A live update that changes it is read out: Maria's visit ends, Rosa is next in about a minute.
    await sam.send("complete_encounter", encounter_id=first)
    await expect(estimate).to_have_text("You're next, in about 1 minute", timeout=LIVE)
    await expect(announce).to_have_text("You're in line for your one-on-one. You're next, in about 1 minute.")
    assert not phone.problems, phone.problems
    for client in (sam, maria):
        await client.close()
