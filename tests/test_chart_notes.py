"""The chart notes over HTTP and in Chromium, for today's session of the demo cohort played through to its close
(as the session report's tests play it): every patient's note for the care team, each as plain text holding no
other patient's name or data, audited per patient; co-signed by an attending with their name and the time, refused
for a resident and for a participant; the page axe clean, its Copy button putting the note on the clipboard."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import expect

from groupvisit.domain.events import ChartNoteCosigned
from support.accounts import password_hash
from support.browser import add_cookie, axe_problems, chromium, open_screen, overflow, screenshot_dirs
from support.clients import form_token
from test_session_report import GUEST, HOSTILE, MARKUP, PLAIN, ZONE, Played, served

REQUESTS = {who: f"about {who}" for who in ("maria", "james", "guest", "roberto")}  # what `play` asks for each
NOTES = {"maria": "Feet checked.", "guest": "First visit.", "roberto": "BP reviewed."}  # and each clinician wrote


async def attending(played: Played) -> str:
    """An attending's account, signed in: their cookie."""
    now = played.server.clock.now()
    user = await played.store.add_user(username="osei", name="Dr. Ama Osei", role="clinician",
                                       password_hash=password_hash(), at=now, attending=True)
    return f"gv_signin={await played.store.start_sign_in(user.id, 'test browser', now)}"


async def cosign(client: httpx.AsyncClient, played: Played, participant_id: str, cookie: str,
                 action: str = "cosign") -> httpx.Response:
    """The Co-sign button (or `action` withdraw-cosign) of `participant_id`'s note pressed, signed in with `cookie`:
    the answer, not followed."""
    client.cookies.clear()  # each request carries exactly the credentials given
    page = await client.get(f"/sessions/{played.session_id}/notes", headers={"cookie": cookie})
    token = form_token(page.text) if page.status_code == 200 else "a token"
    client.cookies.clear()
    return await client.post(f"/sessions/{played.session_id}/notes/{participant_id}/{action}", data={"csrf": token},
                             headers={"cookie": f"{cookie}; gv_csrf={token}", "origin": played.server.http})


def said_by(played: Played) -> dict[str, list[str]]:
    """Who each participant is and what they said or were told, to look for in everyone else's note."""
    own = {who: [REQUESTS[who], *([NOTES[who]] if who in NOTES else [])] for who in played.ids}
    own["maria"] += [PLAIN.name, "María L.", "Caminar"]
    own["james"] += ["James"]
    own["roberto"] += ["Roberto", "Walk the dog"]
    own["guest"] += [GUEST]
    return own


@pytest.mark.asyncio
async def test_each_patients_note_is_theirs_alone_over_http_and_every_look_is_audited(tmp_path: Path) -> None:
    async with served(tmp_path, PLAIN) as played, httpx.AsyncClient(base_url=played.server.http) as http:
        sam = {"cookie": played.team["sam"].cookie}
        page = await http.get(f"/sessions/{played.session_id}/notes", headers=sam)
        assert page.status_code == 200
        assert page.text.count('class="card chart-note"') == 4 and "Other patients present" in page.text
        assert "/cosign" not in page.text, "a resident is offered no Co-sign button"
        texts = {}
        for who, participant_id in played.ids.items():
            got = await http.get(f"/sessions/{played.session_id}/notes/{participant_id}.txt", headers=sam)
            assert got.status_code == 200 and got.headers["content-type"].startswith("text/plain")
            assert "attachment" in got.headers["content-disposition"] and got.headers["cache-control"] == "no-store"
            texts[who] = got.text
        assert "Visit type: Shared medical appointment (group visit)" in texts["maria"]
        assert f"Visit request: {REQUESTS['maria']}" in texts["maria"] and "Clinical note: Feet checked." in texts["maria"]
        assert "Clinician: Dr. Sam Okafor (resident)" in texts["maria"] and "Room: Exam room 1" in texts["maria"]
        assert "Left the session early" in texts["james"] and "Not seen today: left the session" in texts["james"]
        assert "Walk-in: not on the cohort's roster" in texts["guest"]
        assert "Other patients present: not named" in texts["roberto"]
        own = said_by(played)
        for who, text in texts.items():
            leaked = {other: [t for t in said if t in text] for other, said in own.items() if other != who}
            assert not any(leaked.values()), f"{who}'s note holds {leaked}"
        missing = await http.get(f"/sessions/{played.session_id}/notes/nobody.txt", headers=sam)
        assert missing.status_code == 404
        admin = await http.get(f"/sessions/{played.session_id}/notes", headers={"cookie": played.team["admin"].cookie})
        assert admin.status_code == 403

        rows = [r for r in await played.store.audit_log(played.session_id) if r.what == "chart note"]
        viewed = [r.subject for r in rows if r.action == "viewed"]
        exported = [r.subject for r in rows if r.action == "exported"]
        assert sorted(viewed) == sorted(played.ids.values()) and sorted(exported) == sorted(played.ids.values())
        assert {r.actor_name for r in rows} == {"Dr. Sam Okafor (resident)"}


@pytest.mark.asyncio
async def test_an_attending_co_signs_a_note_which_then_shows_who_and_when_and_no_one_else_can(tmp_path: Path) -> None:
    async with served(tmp_path, PLAIN) as played, httpx.AsyncClient(base_url=played.server.http) as http:
        maria = played.ids["maria"]
        before = await played.store.events(played.session_id)
        resident = await cosign(http, played, maria, played.team["sam"].cookie)
        assert resident.status_code == 303
        assert resident.headers["location"].startswith(f"/sessions/{played.session_id}/notes?refused=not_attending")
        told = await http.get(resident.headers["location"], headers={"cookie": played.team["sam"].cookie})
        assert "Only an attending clinician can co-sign a chart note." in told.text
        # A participant's device holds no staff sign-in: sent to sign in, like anyone without one.
        as_participant = await cosign(http, played, maria, "gv_participant=a-device-token")
        assert as_participant.status_code == 303 and as_participant.headers["location"].startswith("/login")
        facilitator = await cosign(http, played, maria, played.team["alex"].cookie)
        assert facilitator.status_code == 403
        assert await played.store.events(played.session_id) == before, "a refused co-signature stores nothing"

        osei = await attending(played)
        page = await http.get(f"/sessions/{played.session_id}/notes", headers={"cookie": osei})
        assert page.text.count(">Co-sign</button>") == 4
        signed = await cosign(http, played, maria, osei)
        assert signed.status_code == 303 and signed.headers["location"] == f"/sessions/{played.session_id}/notes#note-{maria}"
        at = played.server.clock.now()
        text = (await http.get(f"/sessions/{played.session_id}/notes/{maria}.txt", headers={"cookie": osei})).text
        when = datetime.fromtimestamp(at, ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")
        assert "Co-signed by: Dr. Ama Osei (attending)" in text and f"Co-signed at: {when}" in text
        page = await http.get(f"/sessions/{played.session_id}/notes", headers={"cookie": osei})
        assert page.text.count(">Co-sign</button>") == 3, "a co-signed note offers no second co-signature"
        again = await cosign(http, played, maria, osei)
        assert again.headers["location"].startswith(f"/sessions/{played.session_id}/notes?refused=conflict")

        events = [e for _, e in await played.store.events(played.session_id) if isinstance(e, ChartNoteCosigned)]
        assert [(e.participant_id, e.name, e.at) for e in events] == [(maria, "Dr. Ama Osei", at)]
        audit = [r for r in await played.store.audit_log(played.session_id) if r.what == "cosign_chart_note"]
        assert [(r.action, r.subject, r.actor_name, r.role) for r in audit] == [
            ("changed", maria, "Dr. Ama Osei", "clinician")]

        # Withdrawn by the attending who gave it (never by anyone else), the note is no longer co-signed.
        resident = await cosign(http, played, maria, played.team["sam"].cookie, "withdraw-cosign")
        assert resident.headers["location"].startswith(f"/sessions/{played.session_id}/notes?refused=not_yours")
        withdrawn = await cosign(http, played, maria, osei, "withdraw-cosign")
        assert withdrawn.status_code == 303 and "refused" not in withdrawn.headers["location"]
        text = (await http.get(f"/sessions/{played.session_id}/notes/{maria}.txt", headers={"cookie": osei})).text
        assert "Co-signed: not yet" in text and "Dr. Ama Osei" not in text
        kinds = [e.type for _, e in await played.store.events(played.session_id)][-2:]
        assert kinds == ["chart_note_cosigned", "cosign_withdrawn"]


@pytest.mark.asyncio
async def test_typed_text_is_shown_literally_on_the_notes_page_and_kept_as_typed_in_the_text(tmp_path: Path) -> None:
    async with served(tmp_path, HOSTILE) as played, httpx.AsyncClient(base_url=played.server.http) as http:
        sam = {"cookie": played.team["sam"].cookie}
        page = (await http.get(f"/sessions/{played.session_id}/notes", headers=sam)).text
        text = (await http.get(f"/sessions/{played.session_id}/notes/{played.ids['maria']}.txt", headers=sam)).text
    for markup in MARKUP:
        assert markup not in page, f"{markup} made an element"
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Comer fuera 🍽️" in page
    assert f"  - {HOSTILE.topic}: " in text, "the plain text holds the topic as it was typed"


@pytest.mark.asyncio
async def test_the_notes_page_in_chromium_copies_a_note_and_passes_axe(tmp_path: Path) -> None:
    async with served(tmp_path, PLAIN) as played, chromium() as browser:
        osei = await attending(played)
        async with httpx.AsyncClient(base_url=played.server.http) as http:
            assert (await cosign(http, played, played.ids["roberto"], osei)).status_code == 303
        screen = await open_screen(browser, "chart-notes", 1280, 900)
        await screen.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=played.server.http)
        await add_cookie(screen.context, played.server.http, osei)
        page = screen.page
        await page.goto(f"{played.server.http}/staff")
        await page.locator(f"[data-session='{played.session_id}'] a", has_text="Chart notes").click()
        await page.wait_for_url(f"{played.server.http}/sessions/{played.session_id}/notes")
        await expect(page.locator("h1")).to_contain_text("chart notes")
        maria = page.locator(f"#note-{played.ids['maria']}")
        await maria.get_by_role("button", name="Copy the note").click()
        await expect(maria.locator("[role=status]")).to_have_text("Copied: paste it into the patient's record.")
        copied = await page.evaluate("navigator.clipboard.readText()")
        assert copied == await maria.locator("pre").text_content() and copied.startswith("SHARED MEDICAL APPOINTMENT")
        await expect(page.locator(f"#note-{played.ids['roberto']}")).to_contain_text("Co-signed by: Dr. Ama Osei")
        assert await axe_problems(page) == []
        assert (await overflow(page))["width"] <= 0, "the page does not scroll sideways"
        assert not screen.problems and not screen.dialogs, (screen.problems, screen.dialogs)
        await page.evaluate("window.scrollTo(0, 0)")  # the picture: the page's head and the first note
        for folder in screenshot_dirs():
            await page.screenshot(path=folder / "chart-notes.png")
        await screen.context.close()
