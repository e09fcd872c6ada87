"""Every screen in Chromium against axe-core, and the fit of each screen to its device.

The participant's phone goes through a whole session in each language, chosen with the switch on the join
page: at every step axe must find nothing serious or critical, every control must be at least 44×44 CSS
pixels, and the page must not scroll sideways at 390 pixels nor at 200 % zoom (a 195-pixel-wide viewport).
What a screen-reader user must hear when it happens (being called, time up) must reach a live region.
The staff screens are English-only and run once; the wall must hold twelve topics without scrolling.
"""

import asyncio
import re

import pytest
from playwright.async_api import Page, ViewportSize, async_playwright, expect

from conftest import Clinic
from support.browser import (Screen, axe_problems, chromium, launch_chromium, open_screen, open_signed_in, overflow,
                             screenshot_dirs, small_targets)
from support.clients import ScreenClient, join

LIVE = 10_000  # ms
PHONE: ViewportSize = {"width": 390, "height": 844}
PHONE_AT_200_PERCENT: ViewportSize = {"width": 195, "height": 422}
ROOM = {"en": "Exam room 2", "es": "Sala 2"}
TOPICS = {
    "en": ["Eating out with friends", "Feeling tired after lunch", "Checking my feet"],
    "es": ["Comer fuera con amigos", "Cansancio después de comer", "Revisarme los pies"],
}
WALL_STRATEGIES = [
    "A short walk right after dinner", "Order first at restaurants", "Glucose tablets in every bag",
    "Cocino el domingo para la semana", "Water before every meal", "A pill box with the days on it",
    "Stairs instead of the lift", "Fruit on the table, sweets in the cupboard",
]
WALL_TOPICS = [
    "Eating out with friends and family", "Low blood sugar at night", "Feeling judged about my weight",
    "Sleep and feeling tired", "Cooking on a budget", "Reading food labels", "Stress at work",
    "Walking when it rains", "Insulin and travel", "Holiday meals", "Talking to family about diabetes",
    "Foot care in winter",
]
# Words of English that Spanish never uses: on a Spanish screen they mean a text nobody translated.
# ("vote" and "has" are not among them: "vote por…", "has votado" are Spanish too.)
ENGLISH_WORDS = {"the", "you", "your", "and", "to", "of", "is", "for", "with", "this", "what", "here", "have",
                 "are", "it", "on", "in", "my", "will", "can", "left", "topic", "topics", "goal", "share", "sure",
                 "save", "back", "next", "done", "keep", "going", "move", "time", "up", "people", "person"}


async def english_left(page: Page) -> list[str]:
    """English words the Spanish screen shows, leaving out what people typed and the clinic's own names."""
    text: str = await page.evaluate("""() => {
      const copy = document.body.cloneNode(true);
      for (const data of copy.querySelectorAll(".topbar-title, .topic-title, .current-title, .agenda-item-title,"
                                               + " .strategy-text, #called-who, #welcome")) data.remove();
      return copy.innerText;
    }""")
    visible: str = await page.evaluate("() => document.body.innerText")
    words = set(re.findall(r"[a-z']+", text.lower()))
    return sorted(word for word in words & ENGLISH_WORDS if re.search(rf"\b{word}\b", visible.lower()))


async def check_participant_screen(screen: Screen, language: str, step: str) -> None:
    """axe, touch targets and fit at phone width and at 200 % zoom, with every panel unfolded."""
    page = screen.page
    folded = page.locator(".panel-toggle[aria-expanded='false']").filter(visible=True)
    while await folded.count():
        await folded.first.click()
    await expect(page.locator("html")).to_have_attribute("lang", language)
    assert await axe_problems(page) == [], f"{language} {step}: axe"
    assert await small_targets(page) == [], f"{language} {step}: controls smaller than 44×44"
    fit = await overflow(page)
    assert fit["width"] <= 0, f"{language} {step}: scrolls sideways at 390 px: {fit['wide']}"
    await page.set_viewport_size(PHONE_AT_200_PERCENT)
    try:
        fit = await overflow(page)
        assert fit["width"] <= 0, f"{language} {step}: scrolls sideways at 200 % zoom: {fit['wide']}"
        assert await small_targets(page) == [], f"{language} {step}: controls too small at 200 % zoom"
    finally:
        await page.set_viewport_size(PHONE)
    if language == "es":
        assert await english_left(page) == [], f"{step}: English left on the Spanish screen"


async def advance_time(clinic: Clinic, screen: Screen, seconds: float) -> None:
    clinic.clock.advance(seconds)
    await screen.context.clock.fast_forward(int(seconds * 1000))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.asyncio
async def test_a_phone_passes_axe_and_fits_at_every_step_of_a_session(clinic: Clinic, language: str) -> None:
    base, sid = clinic.server.http, clinic.session_id
    facilitator = await ScreenClient(clinic.link("console")).connect()
    clinician = await ScreenClient(clinic.link("queue")).connect()
    _, other_cookie = await join(base, clinic.join_code, "Rosa")
    rosa = await ScreenClient(f"{clinic.server.ws}/p/{sid}/ws", other_cookie).connect()
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            phone = await open_screen(browser, f"phone-{language}", **PHONE, has_touch=True, is_mobile=True)
            page = phone.page

            # The join page, in the language picked at its top; then a refusal, said in that language.
            await page.goto(f"{base}/join")
            if language != "en":
                await page.get_by_test_id(f"language-{language}").click()
            await check_participant_screen(phone, language, "join")
            await page.locator("#join-code").fill("ZZZZZZ")
            await page.locator("#display-name").fill("Maria")
            await page.locator("#join-submit").click()
            await expect(page.get_by_test_id("join-error")).to_be_visible()
            await check_participant_screen(phone, language, "join refused")
            assert [problem for problem in phone.problems if "404" in problem]  # the refusal's status, expected
            phone.problems.clear()
            await page.locator("#join-code").fill(clinic.join_code)
            await page.locator("#join-submit").click()
            await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)

            # Check-in: a request to see the doctor and the day's numbers.
            request = {"en": "My feet tingle at night", "es": "Me hormiguean los pies"}[language]
            await page.locator("#visit-text").fill(request)
            await page.locator("#visit-submit").click()
            await expect(page.locator("#visit-saved")).to_be_visible(timeout=LIVE)
            # Every number's mistake at once, each message beside its field (the narrowest a message gets).
            await page.locator("#bp-systolic").fill("7.2")
            await page.locator("#bp-diastolic").fill("300")
            await page.locator("#glucose").fill("999")
            await page.locator("#weight").fill("130/85")
            await page.locator("#numbers-submit").click()
            await expect(page.locator("[aria-invalid=true]")).to_have_count(4)
            await check_participant_screen(phone, language, "number errors")
            for field in ("#bp-systolic", "#bp-diastolic", "#glucose"):
                await page.locator(field).fill("")
            await page.locator("#weight").fill("82.5")
            await page.locator("#numbers-submit").click()
            await expect(page.locator("#numbers-saved")).to_contain_text("82,5 lb" if language == "es" else "82.5 lb",
                                                                         timeout=LIVE)
            await check_participant_screen(phone, language, "check-in")

            # Agenda: someone else's topics, and a vote from this phone.
            await facilitator.send("open_phase", phase="agenda")
            for title in TOPICS[language]:
                await rosa.send("propose_topic", title=title)
            await expect(page.get_by_test_id("topic")).to_have_count(3, timeout=LIVE)
            await page.get_by_test_id("vote-plus").first.click()
            await expect(page.get_by_test_id("topic").first).to_have_attribute("data-my-votes", "1", timeout=LIVE)
            await check_participant_screen(phone, language, "agenda")

            # Discussion, past the timebox: the time-up news reaches a live region, the room vote appears.
            await facilitator.send("open_phase", phase="discussion")
            tip = {"en": "Walk after dinner", "es": "Caminar después de cenar"}[language]
            await rosa.send("capture_strategy", text=tip)
            await expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"), timeout=LIVE)
            planned = await page.locator("#agenda-list").inner_text()
            # Times in the participant's locale: 2:21 PM in English, 14:21 in Spanish.
            twelve_hour = re.search(r"\b[AP]M\b|a\.\s?m\.|p\.\s?m\.", planned)
            assert bool(twelve_hour) == (language == "en"), planned
            await advance_time(clinic, phone, 9 * 60)
            await expect(page.get_by_test_id("room-vote-keep")).to_be_enabled(timeout=LIVE)
            time_up = {"en": "Time's up for this topic", "es": "Se acabó el tiempo de este tema"}[language]
            await expect(page.locator("#timer-announce")).to_contain_text(time_up)
            await check_participant_screen(phone, language, "time up")

            # Called by the clinician: the banner, and the same news in the alert region, read out at once.
            encounter = clinician.view["queue"]["waiting"][0]["encounter_id"]
            await clinician.send("call_participant", encounter_id=encounter, room=ROOM[language])
            await expect(page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            announced = {"en": "Dr. Sam Okafor is ready for you", "es": "Dr. Sam Okafor está listo/a para atenderle"}
            await expect(page.locator("#announce-alert")).to_contain_text(announced[language])
            await expect(page.locator("#announce-alert")).to_contain_text(ROOM[language])
            await check_participant_screen(phone, language, "called")
            await clinician.send("start_encounter", encounter_id=encounter)
            await clinician.send("complete_encounter", encounter_id=encounter)
            await expect(page.locator("#called-banner")).to_be_hidden(timeout=LIVE)
            await expect(page.locator("#announce-alert")).to_have_text("")

            # Goals: a plan with low confidence, chosen by its words and face; the nudge to make it easier.
            await facilitator.send("open_phase", phase="goals", confirm=True)
            await rosa.send("set_goal", what="Caminar" if language == "es" else "Walk", how_much="20 min",
                            when="7 pm", how_often="3x", confidence=8, shared=True)
            await page.locator("#goal-what").fill("Caminar" if language == "es" else "Walk")
            await page.locator("#goal-how-much").fill("20 min")
            await page.locator("#goal-when").fill("7 pm")
            await page.locator("#goal-how-often").fill("4x")
            unsure = {"en": "4 A little unsure", "es": "4 Un poco inseguro/a"}[language]
            choice = page.get_by_role("radio", name=unsure, exact=True)  # named by number and words
            await page.locator("label[for='confidence-4']").click()  # a finger taps the drawn option
            await expect(choice).to_be_checked()
            await page.locator("#goal-submit").click()
            await expect(page.get_by_test_id("confidence-nudge")).to_be_visible(timeout=LIVE)
            await expect(page.locator("#goal-saved-confidence")).to_have_text(
                {"en": "4 out of 10 — A little unsure", "es": "4 de 10 — Un poco inseguro/a"}[language])
            await expect(page.locator("#goal-saved-face svg")).to_have_count(1)
            await check_participant_screen(phone, language, "goals")
            if language == "es":  # README shows the confidence scale in Spanish: numbers, words and faces
                await page.evaluate("""() => window.scrollBy(0,
                    document.querySelector('.confidence-scale').getBoundingClientRect().top - 8)""")
                for folder in screenshot_dirs():
                    await phone.screenshot(folder / "participant-phone-goal-es.png")

            await facilitator.send("open_phase", phase="wrap_up")
            await expect(page.locator("#evaluation-form")).to_be_visible(timeout=LIVE)
            await check_participant_screen(phone, language, "wrap-up")

            await facilitator.send("close_session", confirm=True)
            await expect(page.locator("#ended-banner")).to_be_visible(timeout=LIVE)
            await check_participant_screen(phone, language, "ended")

            assert not phone.problems and not phone.dialogs, phone.problems + phone.dialogs
        finally:
            await browser.close()
    for client in (facilitator, clinician, rosa):
        await client.close()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.asyncio
async def test_the_back_in_page_passes_axe_and_fits_on_a_phone(clinic: Clinic, language: str) -> None:
    """Where a patient types the facilitator's code to get back in: reached from the join page's link."""
    async with chromium() as browser:
        phone = await open_screen(browser, f"phone-{language}", **PHONE, has_touch=True, is_mobile=True)
        page = phone.page
        await page.goto(f"{clinic.server.http}/join?lang={language}")
        await page.locator("#back-link").click()
        await expect(page).to_have_url(f"{clinic.server.http}/join/back")
        await check_participant_screen(phone, language, "back in")
        await page.locator("#back-code").fill("WRONG123")
        await page.locator("#back-submit").click()
        await expect(page.get_by_test_id("back-error")).to_be_visible()
        await check_participant_screen(phone, language, "back in refused")
        assert [problem for problem in phone.problems if "404" in problem]  # the refusal's status, expected
        phone.problems.clear()
        await page.get_by_role("link", name={"en": "Join with the code on the big screen instead",
                                             "es": "Unirse con el código de la pantalla grande"}[language]).click()
        await expect(page.locator("#join-form")).to_be_visible()
        assert not phone.problems and not phone.dialogs, phone.problems + phone.dialogs


@pytest.mark.asyncio
async def test_the_participant_can_change_language_from_their_screen(clinic: Clinic) -> None:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            phone = await open_screen(browser, "phone", **PHONE, has_touch=True, is_mobile=True)
            page = phone.page
            await page.goto(f"{clinic.server.http}/join/{clinic.join_code}")
            await page.locator("#display-name").fill("Maria")
            await page.locator("#join-submit").click()
            await expect(page.locator("#connection-status")).to_have_text("Connected", timeout=LIVE)
            await page.locator("#visit-text").fill("a draft")
            await page.get_by_test_id("language-es").click()
            await expect(page.locator("html")).to_have_attribute("lang", "es")
            await expect(page).to_have_url(f"{clinic.server.http}/p/{clinic.session_id}")
            await expect(page.locator("#connection-status")).to_have_text("Conectado", timeout=LIVE)
            await expect(page.locator("#welcome")).to_have_text("Bienvenido/a, Maria")
            await expect(page.get_by_test_id("language-es")).to_have_attribute("aria-current", "true")
            await page.get_by_test_id("language-en").click()
            await expect(page.locator("#connection-status")).to_have_text("Connected", timeout=LIVE)
            assert not phone.problems, phone.problems
        finally:
            await browser.close()


async def wall_fits(projector: Page, rows: str) -> None:
    """No scrolling on the wall, and every row of `rows` whole and inside the 1920×1080 screen."""
    fit = await overflow(projector)
    assert (fit["width"], fit["height"], fit["wide"]) == (0, 0, []), fit
    boxes = [await row.bounding_box() for row in await projector.locator(rows).all()]
    assert boxes and all(box and box["y"] >= 0 and box["y"] + box["height"] <= 1080 for box in boxes), boxes
    # Nothing cut off inside a panel either (a few pixels for the giant countdown's glyph box).
    clipped = await projector.evaluate("""() => [...document.querySelectorAll('.wall .panel:not([hidden])')]
        .filter((panel) => panel.scrollHeight > panel.clientHeight + 8).map((panel) => panel.id)""")
    assert clipped == [], f"cut off at the bottom: {clipped}"


async def more_than_four_strategies(wall: Page) -> None:
    """At 1920×1080 the board shows at least six strategy cards whole, the newest first."""
    visible = wall.locator("#strategy-board li:visible")
    assert await visible.count() >= 6, await visible.count()
    await expect(visible.first.locator(".strategy-text")).to_have_text(WALL_STRATEGIES[-1])
    await expect(wall.locator("#strategy-board-more")).to_have_text(
        re.compile(r"^(\+ \d+ more strateg(y|ies) on your devices)?$"))


async def join_code_in_view(wall: Page, code: str) -> None:
    """The join code is on the wall, inside the screen (the big one at check-in, the corner later)."""
    shown = wall.get_by_text(code, exact=True).filter(visible=True)
    await expect(shown.first).to_be_visible(timeout=LIVE)
    box = await shown.first.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 1920 and box["y"] + box["height"] <= 1080


async def join_in_browser(screen: Screen, base: str, code: str, name: str, language: str) -> None:
    page = screen.page
    await page.goto(f"{base}/join/{code}?lang={language}")
    await page.locator("#display-name").fill(name)
    await page.locator("#join-submit").click()
    await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)


@pytest.mark.asyncio
async def test_a_full_room_passes_axe_and_the_wall_holds_twelve_topics(clinic: Clinic) -> None:
    """Twelve people, the staff screens in English, a tablet in English and a phone in Spanish.

    Mid-session (time up on the first topic, the tablet's owner called to the exam room) every screen is
    photographed: README shows these (refreshed with GROUPVISIT_UPDATE_SCREENSHOTS=1).
    """
    base, sid = clinic.server.http, clinic.session_id
    facilitator = await ScreenClient(clinic.link("console")).connect()
    people = []
    for name in ["John", "Aisha", "Wei", "Tom", "Fatima", "Luis", "Grace", "Omar", "Helen", "Kofi"]:
        _, cookie = await join(base, clinic.join_code, name)
        people.append(await ScreenClient(f"{clinic.server.ws}/p/{sid}/ws", cookie).connect())
    for n, person in enumerate(people[:3]):
        await person.send("request_visit", text=f"Question {n + 1} for the doctor about my medicines")
        await person.send("record_numbers", bp_systolic=130 + n, bp_diastolic=85, glucose=140 + 5 * n)
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            projector, console, queue, tablet, phone = await asyncio.gather(
                open_screen(browser, "projector", 1920, 1080),
                open_screen(browser, "console", 1366, 768),
                open_screen(browser, "queue", 1280, 800),
                open_screen(browser, "participant-tablet", 768, 1024, has_touch=True),
                open_screen(browser, "participant-phone", **PHONE, has_touch=True, is_mobile=True))
            room = (projector, console, queue, tablet, phone)
            await asyncio.gather(projector.page.goto(f"{base}/projector/{sid}?key={clinic.projector_key}"),
                                 open_signed_in(console.page, f"{base}/console/{sid}", "alex"),
                                 open_signed_in(queue.page, f"{base}/queue/{sid}", "sam"))
            await join_in_browser(tablet, base, clinic.join_code, "Maria", "en")
            await join_in_browser(phone, base, clinic.join_code, "Rosa", "es")
            await tablet.page.locator("#visit-text").fill("My feet tingle at night and I am worried about it")
            await tablet.page.locator("#visit-submit").click()
            await expect(tablet.page.locator("#visit-saved")).to_be_visible(timeout=LIVE)

            wall = projector.page
            await expect(wall.locator("#checked-in li")).to_have_count(12, timeout=LIVE)
            # The join instructions in both languages, each marked as such, all on the wall.
            await expect(wall.locator("#checkin-panel [lang='en'] h2")).to_have_text(
                "Join on your phone or a clinic tablet")
            await expect(wall.locator("#checkin-panel [lang='es'] h2")).to_have_text(
                "Únase desde su teléfono o una tableta de la clínica")
            await wall_fits(wall, "#checkin-panel .join-language, #checked-in li, #join-qr")
            await join_code_in_view(wall, clinic.join_code)
            assert await axe_problems(wall) == [], "the projector at check-in"

            await facilitator.send("open_phase", phase="agenda")
            for n, title in enumerate(WALL_TOPICS):
                await people[n % len(people)].send("propose_topic", title=title, anonymous=n == 2)
            for n, person in enumerate(people):
                await person.send("cast_vote", topic_id=f"t{n % 5 + 1}")
                await person.send("cast_vote", topic_id=f"t{n % 3 + 1}")
            await expect(wall.locator("#topic-board li")).to_have_count(12, timeout=LIVE)
            await expect(wall.locator("#join-corner [lang='es']")).to_have_text("Únase con el código")
            await wall_fits(wall, "#topic-board li, #join-corner")
            await join_code_in_view(wall, clinic.join_code)
            assert await axe_problems(wall) == [], "the projector in agenda setting"

            await facilitator.send("open_phase", phase="discussion")
            for n, text in enumerate(WALL_STRATEGIES):
                await people[n].send("capture_strategy", text=text)
            await expect(wall.locator("#strategy-board li")).to_have_count(len(WALL_STRATEGIES), timeout=LIVE)
            await more_than_four_strategies(wall)
            await expect(wall.locator("#countdown-label")).to_contain_text("time left")
            await join_code_in_view(wall, clinic.join_code)
            await wall_fits(wall, "#agenda-list li, #strategy-board li:visible, #countdown")
            clinic.clock.advance(9 * 60)
            for screen in room:
                await screen.context.clock.fast_forward(9 * 60 * 1000)
            await expect(wall.locator("#time-up")).to_be_visible(timeout=LIVE)
            await wall_fits(wall, "#agenda-list li, #strategy-board li:visible, #countdown, #time-up, #predicted-end")
            for n, person in enumerate(people[:7]):
                await person.send("room_vote", choice="keep_going" if n < 5 else "move_on")
            await phone.page.get_by_test_id("room-vote-keep").click()
            await expect(phone.page.get_by_test_id("room-vote-keep")).to_have_attribute("aria-pressed", "true",
                                                                                         timeout=LIVE)
            maria = queue.page.locator("#waiting-list li").filter(has_text="My feet tingle")
            await maria.get_by_test_id("call").click()  # the first call asks for the room
            await maria.locator(".room-ask-input").fill("Exam room 2")
            await maria.get_by_test_id("call").click()
            await expect(tablet.page.locator("#called-banner")).to_be_visible(timeout=LIVE)
            found = await asyncio.gather(*(axe_problems(screen.page) for screen in room))
            assert {screen.name: problems for screen, problems in zip(room, found) if problems} == {}, "axe"
            assert {screen.name: screen.problems for screen in room if screen.problems} == {}
            await phone.page.locator("#panel-discussion").scroll_into_view_if_needed()
            await queue.page.evaluate("window.scrollTo(0, 0)")  # the call scrolled to Maria's card: show the top
            for folder in screenshot_dirs():
                for screen in room:
                    await screen.screenshot(folder / f"{screen.name}.png")

            # Goals and wrap-up: the instructions in both languages, the board and the code for latecomers.
            for phase, english, spanish_words in (
                    ("goals", "On your device: what, how much", "En su dispositivo: qué, cuánto"),
                    ("wrap_up", "what helped today", "¿qué le ayudó hoy")):
                await facilitator.send("open_phase", phase=phase, confirm=True)
                await expect(wall.locator("#wall")).to_have_attribute("data-phase", phase, timeout=LIVE)
                await expect(wall.locator(".wall-hints:visible [lang='en']")).to_contain_text(english)
                await expect(wall.locator(".wall-hints:visible [lang='es']")).to_contain_text(spanish_words)
                await more_than_four_strategies(wall)
                await join_code_in_view(wall, clinic.join_code)
                await wall_fits(wall, "#strategy-board li:visible, .wall-hints:visible, #join-corner")
                assert await axe_problems(wall) == [], f"the projector in {phase}"
        finally:
            await browser.close()
    for client in (facilitator, *people):
        await client.close()


@pytest.mark.asyncio
async def test_the_sign_in_sessions_and_projector_link_pages_pass_axe_and_fit(clinic: Clinic) -> None:
    """The pages around the live screens, as staff meet them: on a laptop and on a phone at the door."""
    base = clinic.server.http
    async with chromium() as browser:
        laptop = await open_screen(browser, "staff-laptop", 1366, 768)
        phone = await open_screen(browser, "staff-phone", **PHONE, has_touch=True, is_mobile=True)
        for screen in (laptop, phone):
            page = screen.page
            await page.goto(f"{base}/login")
            await page.locator("#username").fill("alex")
            await page.locator("#password").fill("not the password")
            await page.locator("#sign-in").click()
            await expect(page.locator("#sign-in-error")).to_have_text("The username or password is not right.")
            await check_staff_page(screen, "a refused sign-in")
            await open_signed_in(page, f"{base}/staff", "alex")
            await check_staff_page(screen, "the sessions page")
            await page.get_by_role("button", name="New projector link").click()
            await expect(page.locator("#display-link")).to_be_visible()
            await check_staff_page(screen, "a new projector link")
            await page.goto(f"{base}/sessions/nosuchsession/summary.csv")
            # A staff page's error leads to the staff's sessions page, not to the patients' join page.
            await expect(page.locator("#staff-home")).to_have_attribute("href", "/staff")
            assert await page.locator("a[href='/join']").count() == 0
            await check_staff_page(screen, "an error page")
            await page.goto(f"{base}/staff")
            await page.locator("#sign-out").click()
            await expect(page.locator("#sign-in-notice")).to_have_text("You have signed out.")
            await check_staff_page(screen, "signed out")


async def check_staff_page(screen: Screen, step: str) -> None:
    assert await axe_problems(screen.page) == [], f"{screen.name}, {step}: axe"
    if screen.name == "staff-phone":
        assert await small_targets(screen.page) == [], f"{screen.name}, {step}: controls smaller than 44×44"
    fit = await overflow(screen.page)
    assert fit["width"] == 0, f"{screen.name}, {step}: scrolls sideways {fit}"
    # (No script runs on these pages; the console only notes the refusals' own 401, 403 and 404.)
    assert not screen.dialogs, f"{screen.name}, {step}: {screen.dialogs}"


@pytest.mark.asyncio
async def test_the_consoles_room_controls_pass_axe_when_opened(clinic: Clinic) -> None:
    """The console with everything a nurse opens: a person's corrections with a refused name, a device
    connected and one not, a walk-in's numbers with every field's problem, the goal and evaluation forms,
    a strategy hidden and another being reworded, and the question before closing."""
    base, sid = clinic.server.http, clinic.session_id
    facilitator = await ScreenClient(clinic.link("console")).connect()
    _, cookie = await join(base, clinic.join_code, "Maria")
    maria = await ScreenClient(f"{clinic.server.ws}/p/{sid}/ws", cookie).connect()
    await facilitator.send("join", display_name="Ana")
    await facilitator.send("join", display_name="Jon")
    await facilitator.send("mark_participant", participant_id="p3", status="left")
    for phase in ("agenda", "discussion"):
        await facilitator.send("open_phase", phase=phase)
    for text in ("Walk after dinner", "Glucose tablets in every bag"):
        await facilitator.send("capture_strategy", text=text, anonymous=True)
    await facilitator.send("hide_strategy", strategy_id="s1", hidden=True)
    for phase in ("goals", "wrap_up"):
        await facilitator.send("open_phase", phase=phase)
    async with chromium() as browser:
        console = await open_screen(browser, "console", 1366, 768)
        page = console.page
        await open_signed_in(page, f"{base}/console/{sid}", "alex")
        await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
        maria_row = page.locator("#people-rows tr.person").filter(has=page.get_by_role("rowheader", name="Maria"))
        await expect(maria_row).to_have_attribute("data-device", "connected", timeout=LIVE)

        ana = page.locator("#people-rows tr.person").filter(has=page.get_by_role("rowheader", name="Ana"))
        await ana.locator(".change-button").click()
        await page.locator(".rename-input").fill("Maria")
        await page.locator(".rename-input").press("Enter")
        await expect(page.locator(".rename-form .error")).to_contain_text("already checked in", timeout=LIVE)

        await page.locator("#on-behalf summary").click()
        await page.locator("#bp-systolic").fill("130/85")
        await page.locator("#glucose").fill("7.2")
        await page.locator("#numbers-submit").click()
        await expect(page.locator("#glucose-error")).not_to_have_text("")
        await expect(page.locator("#behalf-evaluation-form")).to_be_visible()

        await expect(page.locator("#strategy-list li[data-hidden=true] .strategy-hidden")).to_have_text(
            "Hidden from the wall")
        await page.locator("#strategy-list li[data-hidden=false] .edit-button").click()
        await page.locator("#next-phase").click()
        await expect(page.locator("#phase-confirm")).to_be_visible()

        assert await axe_problems(page) == [], "the console with its room controls opened"
        fit = await overflow(page)
        assert fit["width"] <= 0, f"the console scrolls sideways: {fit['wide']}"
        assert not console.problems and not console.dialogs, console.problems + console.dialogs
    for client in (facilitator, maria):
        await client.close()
