"""All text people type is shown as text, on every screen, and exported as text.

Markup (`<img src=x onerror=...>`) and template syntax (`{{7*7}}`, `${7*7}`, `%(name)s`) typed as a
name, topic, strategy, goal, visit request, encounter note, room or staff account name must appear as
those very characters: no element made from it, no script run, nothing evaluated to 49.
"""

import asyncio
import csv
import io
import itertools
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect

from conftest import SESSION_START, Clinic
from groupvisit.accounts import AccountRole
from support.accounts import password_hash
from support.browser import Screen, launch_chromium, open_screen, open_signed_in
from support.clients import ScreenClient, join

LIVE = 10_000  # ms
NAME_A = "<img src=x onerror=alert(1)>"
NAME_B = "{{7*7}} ${7*7} %(name)s"
STAFF_NAME = "Dr. <img src=x onerror=alert(2)> {{7*7}}"
STAFF_USERNAME = "drhostile"
TOPIC_A = "<img src=x onerror=alert(3)> eating out"
TOPIC_B = "{{7*7}} ${7*7} sleep"
STRATEGY = "<img src=x onerror=alert(4)> walk {{7*7}} ${7*7}"
GOAL = {"what": "<img src=x onerror=alert(5)> {{7*7}}", "how_much": "${7*7} minutes", "when": "after {{7*7}}",
        "how_often": "<b>daily</b> %(topic)s"}
REQUEST_A = "<img src=x onerror=alert(6)> my feet {{7*7}} ${7*7}"
REQUEST_B = "{{7*7}} ${7*7} my eyes <img src=x onerror=alert(7)>"
NOTE = "<img src=x onerror=alert(8)> seen {{7*7}} ${7*7}"
ROOM = "<img src=x onerror=alert(9)>"
SESSION_TITLE = "<img src=x onerror=alert(10)> {{7*7}} group"
USERNAME = "<img src=x onerror=alert(11)>{{7*7}}"
HOSTILE = (NAME_A, NAME_B, STAFF_NAME, TOPIC_A, TOPIC_B, STRATEGY, *GOAL.values(), REQUEST_A, REQUEST_B, NOTE, ROOM,
           SESSION_TITLE, USERNAME)
TEMPLATES = ("{{7*7}}", "${7*7}")


def evaluated(text: str) -> list[str]:
    """`text` as a template engine would have shown it, for every mix of its templates evaluated.
    (Each text has words around its templates: a bare "49" could be part of a join code.)"""
    found = [t for t in TEMPLATES if t in text]
    variants = []
    for count in range(1, len(found) + 1):
        for chosen in itertools.combinations(found, count):
            variant = text
            for template in chosen:
                variant = variant.replace(template, "49")
            variants.append(variant)
    return variants


async def shows_literally(screen: Screen, *texts: str) -> None:
    """Each text is on the screen as its own characters (rendered text, not the page's data)."""
    for text in texts:
        await expect(screen.page.locator("body")).to_contain_text(text, use_inner_text=True, timeout=LIVE)
    await assert_harmless(screen)


async def has_value(screen: Screen, selector: str, text: str) -> None:
    await expect(screen.page.locator(selector)).to_have_value(text, timeout=LIVE)
    await assert_harmless(screen)


async def assert_harmless(screen: Screen) -> None:
    """No element was made from typed markup, no script ran, no template was evaluated."""
    page = screen.page
    assert await page.locator("img[src='x']").count() == 0, f"{screen.name} made an element from typed markup"
    assert not screen.dialogs, f"{screen.name} ran typed script: {screen.dialogs}"
    shown = await page.locator("body").inner_text()
    values: list[str] = await page.eval_on_selector_all("input, textarea", "nodes => nodes.map((n) => n.value)")
    for text in HOSTILE:
        for variant in evaluated(text):
            assert variant not in shown and variant not in values, f"{screen.name} evaluated {text!r}"


async def join_through_the_form(page: Page, base: str, code: str, name: str) -> None:
    await page.goto(f"{base}/join")
    await page.locator("#join-code").fill(code)
    await page.locator("#display-name").fill(name)
    await page.locator("#join-submit").click()


async def participant_client(screen: Screen, ws: str, session_id: str) -> ScreenClient:
    """The participant's device's own credential, on a websocket of the test's to act for them."""
    await expect(screen.page).to_have_url(f"{ws.replace('ws://', 'http://')}/p/{session_id}", timeout=LIVE)
    token = next(c["value"] for c in await screen.context.cookies() if c["name"] == "gv_participant")
    return await ScreenClient(f"{ws}/p/{session_id}/ws", f"gv_participant={token}").connect()


@pytest.mark.asyncio
async def test_typed_markup_and_templates_show_as_text_on_every_screen(clinic: Clinic) -> None:
    base, sid = clinic.server.http, clinic.session_id
    staff = await clinic.store.add_user(username=STAFF_USERNAME, name=STAFF_NAME, role=AccountRole.CLINICIAN.value,
                                        password_hash=password_hash(), at=clinic.clock.now())
    await clinic.store.create_session(title=SESSION_TITLE, cohort="{{7*7}} ${7*7} cohort",
                                      starts_at=SESSION_START + 86400, ends_at=SESSION_START + 86400 + 7200)
    token = await clinic.store.start_sign_in(staff.id, "test browser", clinic.clock.now())
    clinician = await ScreenClient(f"{clinic.server.ws}/queue/{sid}/ws", f"gv_signin={token}").connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()

    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            projector, console, queue, tablet, phone, visitor = await asyncio.gather(
                open_screen(browser, "projector", 1920, 1080),
                open_screen(browser, "console", 1366, 768),
                open_screen(browser, "queue", 1280, 800),
                open_screen(browser, "participant-tablet", 768, 1024, has_touch=True),
                open_screen(browser, "participant-phone", 390, 844, has_touch=True, is_mobile=True),
                open_screen(browser, "visitor", 1280, 800))
            everyone = (projector, console, queue, tablet, phone)
            await asyncio.gather(projector.page.goto(f"{base}/projector/{sid}?key={clinic.projector_key}"),
                                 open_signed_in(console.page, f"{base}/console/{sid}", "alex"),
                                 open_signed_in(queue.page, f"{base}/queue/{sid}", STAFF_USERNAME))

            # Check-in: hostile display names typed into the join form, and hostile visit requests.
            await join_through_the_form(tablet.page, base, clinic.join_code, NAME_A)
            a = await participant_client(tablet, clinic.server.ws, sid)
            await join_through_the_form(phone.page, base, clinic.join_code, NAME_B)
            b = await participant_client(phone, clinic.server.ws, sid)
            await a.send("request_visit", text=REQUEST_A)
            await b.send("request_visit", text=REQUEST_B)
            for screen in (projector, console):
                await shows_literally(screen, NAME_A, NAME_B)
            await shows_literally(queue, STAFF_NAME, NAME_A, NAME_B, REQUEST_A, REQUEST_B)
            await shows_literally(tablet, f"Welcome, {NAME_A}")
            await shows_literally(phone, f"Welcome, {NAME_B}")
            await has_value(tablet, "#visit-text", REQUEST_A)
            await has_value(phone, "#visit-text", REQUEST_B)

            # Agenda: hostile topic titles.
            await facilitator.send("open_phase", phase="agenda")
            await a.send("propose_topic", title=TOPIC_A)
            await b.send("propose_topic", title=TOPIC_B)
            await b.send("cast_vote", topic_id="t2")
            for screen in everyone:
                if screen is not queue:
                    await shows_literally(screen, TOPIC_A, TOPIC_B)

            # Discussion: a hostile strategy; the hostile clinician calls A to a hostile room, then notes.
            await facilitator.send("open_phase", phase="discussion")
            await a.send("capture_strategy", text=STRATEGY)
            for screen in (projector, console):
                await shows_literally(screen, STRATEGY, f"by {NAME_A}")
            await shows_literally(tablet, STRATEGY)
            await shows_literally(phone, STRATEGY, f"Shared by {NAME_A} · Topic: {TOPIC_B}")
            await clinician.wait_for(lambda v: any(e["name"] == NAME_A for e in v["queue"]["waiting"]))
            encounter = next(e["encounter_id"] for e in clinician.view["queue"]["waiting"] if e["name"] == NAME_A)
            await clinician.send("call_participant", encounter_id=encounter, room=ROOM)
            await shows_literally(tablet, f"{STAFF_NAME} is ready for you", f"Please go to: {ROOM}")
            await shows_literally(console, f"{NAME_A} — with {STAFF_NAME}, {ROOM}")
            await shows_literally(queue, f"Called to {ROOM}")
            await clinician.send("start_encounter", encounter_id=encounter)
            await shows_literally(tablet, f"You're with {STAFF_NAME}")
            await clinician.send("complete_encounter", encounter_id=encounter, note=NOTE)
            await shows_literally(queue, f"Note: {NOTE}")
            await shows_literally(console, f"{NAME_A} — {STAFF_NAME}, ")

            # The console's question before goals names the hostile topic it would skip; its corrections
            # of a person show the hostile name, in their title and in the field to rename.
            await console.page.locator("#next-phase").click()
            await shows_literally(console, f"1 topic has not been discussed: “{TOPIC_A}”")
            await console.page.locator("#phase-confirm-cancel").click()
            row = console.page.locator("#people-rows tr.person").filter(has_text=NAME_A)
            await row.locator(".change-button").click()
            await shows_literally(console, f"Correct {NAME_A}")
            await has_value(console, "#people-rows .rename-input", NAME_A)

            # Goals: A shares a hostile plan with the group.
            await facilitator.send("open_phase", phase="goals", confirm=True)
            await a.send("set_goal", **GOAL, confidence=8, shared=True)
            await shows_literally(projector, *GOAL.values())
            await shows_literally(tablet, *GOAL.values())
            plan = f"{GOAL['what']}: {GOAL['how_much']}, {GOAL['when']}, {GOAL['how_often']}."
            await shows_literally(phone, NAME_A, plan)

            # Every screen, at the end: nothing made, run or evaluated; the wall kept the private text off.
            for screen in everyone:
                await assert_harmless(screen)
                assert not screen.problems, f"{screen.name}: {screen.problems}"
            wall = await projector.page.locator("body").inner_text()
            assert not [text for text in (REQUEST_A, REQUEST_B, NOTE, ROOM) if text in wall]

            # The staff sessions page: the account's name and a session's title.
            await queue.page.goto(f"{base}/staff")
            await shows_literally(queue, f"Signed in as {STAFF_NAME}", SESSION_TITLE, "{{7*7}} ${7*7} cohort")

            # The sign-in page after a failed sign-in with a hostile username (and a hostile `next`).
            page = visitor.page
            await page.goto(f"{base}/login?next=/staff%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(12)%3E")
            await page.locator("#username").fill(USERNAME)
            await page.locator("#password").fill("wrong password")
            await page.locator("#sign-in").click()
            await shows_literally(visitor, "The username or password is not right.")
            await has_value(visitor, "#username", USERNAME)

            # The join page after a refused hostile name (already taken), in both kinds.
            for name in (NAME_A, NAME_B):
                await join_through_the_form(page, base, clinic.join_code, name)
                await shows_literally(visitor, f"Someone has already checked in as {name}")
                await has_value(visitor, "#display-name", name)

            # The error page, reached through a hostile address.
            response = await page.goto(f"{base}/projector/%3Cimg%20src%3Dx%20onerror%3Dalert(13)%3E%7B%7B7*7%7D%7D")
            assert response is not None and response.status == 404
            await shows_literally(visitor, "There is no such session.")
            assert "49" not in await page.locator("body").inner_text()
        finally:
            await browser.close()
    for client in (a, b, clinician, facilitator):
        await client.close()


# ---- The chart summary export --------------------------------------------------------------------------

FORMULAS = {"name": '=HYPERLINK("http://x.test","open")', "name2": "@SUM(1+1)", "request": "+1+1 cmd|' /C calc'!A0",
            "note": "-2+3", "clinician": "-Dr. Minus", "goal": "=2+5"}
HTML_NAME = "<img src=x onerror=alert(1)>"
HTML_REQUEST = '<script>alert("x")</script> {{7*7}}, "quoted"\nsecond line'


@pytest.mark.asyncio
async def test_the_chart_summary_writes_typed_text_as_text_and_never_as_a_formula(clinic: Clinic) -> None:
    minus = await clinic.store.add_user(username="minus", name=FORMULAS["clinician"], role=AccountRole.CLINICIAN.value,
                                        password_hash=password_hash(), at=clinic.clock.now())
    minus_cookie = "gv_signin=" + await clinic.store.start_sign_in(minus.id, "test browser", clinic.clock.now())
    ws = f"{clinic.server.ws}/p/{clinic.session_id}/ws"
    people = {}
    for name in (FORMULAS["name"], HTML_NAME, FORMULAS["name2"]):
        _, cookie = await join(clinic.server.http, clinic.join_code, name)
        people[name] = await ScreenClient(ws, cookie).connect()
    await people[FORMULAS["name"]].send("request_visit", text=FORMULAS["request"])
    await people[HTML_NAME].send("request_visit", text=HTML_REQUEST)
    doctor = await ScreenClient(f"{clinic.server.ws}/queue/{clinic.session_id}/ws", minus_cookie).connect()
    first = next(e["encounter_id"] for e in doctor.view["queue"]["waiting"] if e["name"] == FORMULAS["name"])
    await doctor.send("call_participant", encounter_id=first, room="Room 1")
    await doctor.send("start_encounter", encounter_id=first)
    await doctor.send("complete_encounter", encounter_id=first, note=FORMULAS["note"])
    facilitator = await ScreenClient(clinic.link("console")).connect()
    await facilitator.send("open_phase", phase="goals")
    await people[FORMULAS["name"]].send("set_goal", what=FORMULAS["goal"], how_much="10 minutes", when="{{7*7}}",
                                        how_often="<b>daily</b>", confidence=7)

    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        response = await http.get(f"/sessions/{clinic.session_id}/summary.csv",
                                  headers={"Cookie": clinic.cookie("sam")})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    rows = {row["participant"]: row for row in csv.DictReader(io.StringIO(response.text))}

    assert set(rows) == {"'" + FORMULAS["name"], HTML_NAME, "'" + FORMULAS["name2"]}
    formula = rows["'" + FORMULAS["name"]]
    assert formula["visit_request"] == "'" + FORMULAS["request"]
    assert formula["encounter_note"] == "'" + FORMULAS["note"]
    assert formula["clinician"] == "'" + FORMULAS["clinician"]
    assert formula["goal"] == "'" + FORMULAS["goal"] + ", 10 minutes, {{7*7}}, <b>daily</b>"
    assert rows[HTML_NAME]["visit_request"] == HTML_REQUEST, "typed markup comes out as the characters typed"
    # No cell of the file starts like a formula.
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]

    for client in (*people.values(), doctor, facilitator):
        await client.close()
