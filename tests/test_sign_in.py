"""Staff sign-in, sign-out and the end of a sign-in, as staff meet them: the form, the cookie, open screens.

Every test runs a real server. Those that wait for a screen to close use their own server with the
issue's idle time (15 minutes), a one-hour limit and a credential check every 0.2 s, on a manual clock.
"""

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import async_playwright, expect

from conftest import SESSION_START, Clinic
from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.accounts import PASSWORD, groupvisit_user
from support.browser import launch_chromium, open_screen, open_signed_in
from support.clients import Link, form_token, join, send_form
from support.process import RecordingSocket, Seeded, seed_session
from support.server import LiveServer

IDLE = 15 * 60  # seconds: the default idle time
LIMIT_HOURS = 1.0  # short, so a test can stay active all the way to it
CHECK = 0.2  # seconds between an open screen's credential checks
CLOSED_WITHIN = 5.0  # "within seconds"
NEW_PASSWORD = "a different and longer phrase"
REFUSED = "The username or password is not right."
JUST_BEFORE_RELEASE = 15 * 60 - 1  # seconds after the failures: one short of the 15-minute window


# ---- helpers ----------------------------------------------------------------------------------------------

def shown_error(page: str) -> str:
    found = re.search(r'id="sign-in-error">([^<]*)<', page)
    assert found, "the sign-in page shows no error"
    return found.group(1)


async def sign_in_form(client: httpx.AsyncClient, username: str, password: str,
                       next_path: str | None = None) -> httpx.Response:
    """Open the sign-in page (with `?next=`, as a staff screen sends people there) and submit its form."""
    page = await client.get("/login", params={"next": next_path} if next_path is not None else None)
    target = re.search(r'name="next" value="([^"]*)"', page.text)
    assert target, "the sign-in form carries no next field"
    return await client.post("/login", data={"username": username, "password": password,
                                             "csrf": form_token(page.text), "next": target.group(1)})


async def get(base: str, path: str, cookie: str | None = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, headers={"Cookie": cookie} if cookie else {}) as client:
        return await client.get(path)


async def ended_page(base: str, path: str, cookie: str, why: str) -> str:
    """Open a staff page with a sign-in that has ended: it must send the browser to sign in, saying why."""
    page = await get(base, path, cookie)
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next={quote(path, safe='')}&ended={quote(why).replace('%20', '+')}"
    sign_in = await get(base, page.headers["location"])
    assert sign_in.status_code == 200 and 'id="sign-in-form"' in sign_in.text
    notice = re.search(r'id="sign-in-notice">([^<]*)<', sign_in.text)
    assert notice, "the sign-in page does not say why the sign-in ended"
    return notice.group(1)


async def ends(sock: RecordingSocket, reason: str) -> None:
    """The screen is closed as ended (4401) with `reason`, within seconds."""
    assert await sock.wait_closed(CLOSED_WITHIN) == 4401
    assert sock.connection.close_reason == reason


async def still_open(sock: RecordingSocket) -> None:
    """Several credential checks later the screen still answers (a snapshot request is not activity)."""
    await asyncio.sleep(5 * CHECK)
    start = len(sock.frames)
    await sock.send({"type": "snapshot_request"})
    await sock.answer(start, kinds=("snapshot",))


async def active(sock: RecordingSocket) -> None:
    """The screen reports activity, as live.js does on a touch or a key; answered once the server read it."""
    await sock.send({"type": "activity"})
    start = len(sock.frames)
    await sock.send({"type": "snapshot_request"})  # read after the activity, on the same connection
    await sock.answer(start, kinds=("snapshot",))


Open = Callable[[Link], Awaitable[RecordingSocket]]


@pytest_asyncio.fixture
async def screens() -> AsyncIterator[Open]:
    """Opens screens' websockets (each waits for its snapshot); whatever is still open is closed afterwards."""
    opened: list[RecordingSocket] = []

    async def open_screen_socket(link: Link) -> RecordingSocket:
        sock = await RecordingSocket.open(link)
        opened.append(sock)
        await sock.wait_until(lambda s: bool(s.frames))
        assert sock.frames[0]["type"] == "snapshot"
        return sock

    yield open_screen_socket
    for sock in opened:
        await sock.close()


@dataclass
class Expiring:
    server: LiveServer
    clock: ManualClock
    seeded: Seeded  # alex (facilitator), sam and priya (clinicians), signed in when the clock started

    @property
    def http(self) -> str:
        return self.server.http

    def path(self, screen: str) -> str:
        return f"/{screen}/{self.seeded.session_id}"


@pytest_asyncio.fixture
async def expiring(tmp_path: Path) -> AsyncIterator[Expiring]:
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    seeded = await seed_session(store, signed_in_at=clock.now())
    server = LiveServer(tmp_path / "clinic.db", clock, staff_idle_minutes=IDLE / 60, staff_limit_hours=LIMIT_HOURS,
                        access_check_seconds=CHECK)
    await server.astart()
    try:
        yield Expiring(server, clock, seeded.on(server))
    finally:
        await server.astop()
        store.close()


# ---- signing in ----------------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_the_right_password_lands_on_the_page_that_asked_for_it(clinic: Clinic) -> None:
    console = f"/console/{clinic.session_id}"
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        asked = await browser.get(console)
        assert asked.status_code == 303 and asked.headers["location"] == f"/login?next={quote(console, safe='')}"
        signed_in = await sign_in_form(browser, "alex", PASSWORD, next_path=console)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == console
        opened = await browser.get(console)
        assert opened.status_code == 200 and "Nurse Alex Rivera" in opened.text
        # Already signed in, the sign-in page passes straight on.
        again = await browser.get("/login", params={"next": console})
        assert again.status_code == 303 and again.headers["location"] == console


@pytest.mark.asyncio
@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil.example"])
async def test_after_signing_in_only_a_path_on_this_site_is_followed(clinic: Clinic, target: str) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        page = await browser.get("/login", params={"next": target})
        assert 'name="next" value="/staff"' in page.text, "the form would carry another site's address"
        # A hand-made form with the other site's address in it goes to /staff as well.
        posted = await browser.post("/login", data={"username": "alex", "password": PASSWORD, "next": target,
                                                    "csrf": form_token(page.text)})
        assert posted.status_code == 303 and posted.headers["location"] == "/staff"


@pytest.mark.asyncio
async def test_a_wrong_password_and_an_unknown_user_are_refused_alike(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        wrong_password = await sign_in_form(browser, "alex", "not the password at all")
        unknown_user = await sign_in_form(browser, "nobody", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert shown_error(wrong_password.text) == shown_error(unknown_user.text) == REFUSED
    assert "gv_signin" not in wrong_password.cookies and "gv_signin" not in unknown_user.cookies


@pytest.mark.asyncio
async def test_a_disabled_account_is_refused_with_its_own_message(clinic: Clinic) -> None:
    await clinic.store.update_user("sam", clinic.clock.now(), "disabled", disabled=True)
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        refused = await sign_in_form(browser, "sam", PASSWORD)
    assert refused.status_code == 401
    assert shown_error(refused.text) == "This account has been disabled. Ask your clinic&#39;s administrator."
    assert "gv_signin" not in refused.cookies


@pytest.mark.asyncio
async def test_five_failures_hold_an_account_back_for_fifteen_minutes(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        for attempt in range(5):
            assert (await sign_in_form(browser, "alex", f"wrong guess number {attempt}")).status_code == 401
        held = await sign_in_form(browser, "alex", PASSWORD)
        assert held.status_code == 429, "the right password does not get through while the account is held"
        assert shown_error(held.text) == "Too many failed sign-ins. Wait 15 minutes, then try again."
        async with httpx.AsyncClient(base_url=clinic.server.http) as colleague:  # her own browser
            assert (await sign_in_form(colleague, "priya", PASSWORD)).status_code == 303, "others are not held"
        clinic.clock.advance(JUST_BEFORE_RELEASE)
        assert (await sign_in_form(browser, "alex", PASSWORD)).status_code == 429
        clinic.clock.advance(1)
        assert (await sign_in_form(browser, "alex", PASSWORD)).status_code == 303


@pytest.mark.asyncio
async def test_twenty_failures_from_one_address_hold_every_account_back(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        for attempt in range(20):  # a different username each time: no account reaches its own limit
            assert (await sign_in_form(browser, f"guess{attempt}", PASSWORD)).status_code == 401
        for username in ("alex", "sam"):
            held = await sign_in_form(browser, username, PASSWORD)
            assert held.status_code == 429 and "Too many failed sign-ins" in shown_error(held.text)
        clinic.clock.advance(JUST_BEFORE_RELEASE)
        assert (await sign_in_form(browser, "sam", PASSWORD)).status_code == 429
        clinic.clock.advance(1)
        assert (await sign_in_form(browser, "sam", PASSWORD)).status_code == 303


def sign_in_cookie(response: httpx.Response, name: str = "gv_signin") -> SimpleCookie:
    """The cookie `name` that `response` sets (the sign-in cookie unless told otherwise)."""
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers
    cookie = SimpleCookie()
    cookie.load(found[0])
    return cookie


@pytest.mark.asyncio
async def test_the_sign_in_cookie_is_http_only_lax_site_wide_and_secure_behind_https(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        plain = sign_in_cookie(await sign_in_form(browser, "alex", PASSWORD))["gv_signin"]
    assert plain["httponly"] and plain["samesite"].lower() == "lax" and plain["path"] == "/"
    assert not plain["secure"], "over plain http a Secure cookie would never come back"

    # HTTPS ends at a proxy on this machine, which says so: uvicorn trusts X-Forwarded-Proto from 127.0.0.1.
    async with httpx.AsyncClient(base_url=clinic.server.http, headers={"X-Forwarded-Proto": "https"}) as browser:
        page = await browser.get("/login")
        token = form_token(page.text)
        browser.cookies.set("gv_csrf", token)  # httpx keeps a Secure cookie back from a plain-http address
        response = await browser.post("/login", data={"username": "alex", "password": PASSWORD, "csrf": token})
    assert response.status_code == 303
    secure = sign_in_cookie(response)["gv_signin"]
    assert secure["secure"] and secure["httponly"] and secure["samesite"].lower() == "lax" and secure["path"] == "/"


@pytest.mark.asyncio
async def test_an_https_public_address_makes_every_cookie_secure_whatever_the_proxy_says(clinic: Clinic) -> None:
    # The same clinic behind a proxy that forgets to say the page came over HTTPS.
    server = LiveServer(clinic.server.db_path, clinic.clock, public_url="https://groupvisit.clinic.example")
    await server.astart()
    try:
        page, response = await sign_in_with_the_page_token(server.http)
    finally:
        await server.astop()
    assert response.status_code == 303
    assert sign_in_cookie(page, "gv_csrf")["gv_csrf"]["secure"] and sign_in_cookie(response)["gv_signin"]["secure"]


async def sign_in_with_the_page_token(base: str) -> tuple[httpx.Response, httpx.Response]:
    """The sign-in page and alex's sign-in through it."""
    async with httpx.AsyncClient(base_url=base) as browser:
        page = await browser.get("/login")
        token = form_token(page.text)
        browser.cookies.set("gv_csrf", token)  # httpx keeps a Secure cookie back from a plain-http address
        return page, await browser.post("/login", data={"username": "alex", "password": PASSWORD, "csrf": token})


@pytest.mark.asyncio
async def test_only_an_argon2id_hash_is_stored_never_the_password_or_the_cookie(clinic: Clinic,
                                                                                tmp_path: Path) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        signed_in = await sign_in_form(browser, "alex", PASSWORD)
    token = signed_in.cookies["gv_signin"]
    users = await clinic.store.users()
    assert {user.username for user in users} == {"alex", "sam", "priya", "admin"}
    assert all(user.password_hash.startswith("$argon2id$") for user in users)
    files = sorted(tmp_path.glob("clinic.db*"))  # the database and its write-ahead log
    assert files and files[0].name == "clinic.db"
    for file in files:
        stored = file.read_bytes()
        assert PASSWORD.encode() not in stored, f"the password is readable in {file.name}"
        assert token.encode() not in stored, f"the sign-in cookie is readable in {file.name}"


# ---- signing out and the end of a sign-in ----------------------------------------------------------------

@pytest.mark.asyncio
async def test_signing_out_ends_the_sign_in_and_closes_its_screens(expiring: Expiring, screens: Open) -> None:
    console = expiring.path("console")
    async with httpx.AsyncClient(base_url=expiring.http) as browser:
        assert (await sign_in_form(browser, "alex", PASSWORD, next_path=console)).status_code == 303
        cookie = f"gv_signin={browser.cookies['gv_signin']}"
        sock = await screens(Link(f"{expiring.server.ws}{console}/ws", cookie))
        staff_page = await browser.get("/staff")
        assert staff_page.status_code == 200 and 'action="/logout"' in staff_page.text

        forged = await browser.post("/logout", data={})
        assert forged.status_code == 403, "a sign-out without this site's form token is refused"
        await still_open(sock)

        signed_out = await browser.post("/logout", data={"csrf": form_token(staff_page.text)})
        assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login?ended=signed+out"
        assert "gv_signin" not in browser.cookies, "the browser is told to forget the cookie"
        await ends(sock, "signed out")
    # Even a browser that kept the cookie is signed out.
    assert await ended_page(expiring.http, console, cookie, "signed out") == "You have signed out."


@pytest.mark.asyncio
async def test_idle_time_ends_the_sign_in_and_closes_its_console_and_queue(expiring: Expiring,
                                                                           screens: Open) -> None:
    seeded = expiring.seeded
    console, queue = await screens(seeded.console_url), await screens(seeded.queue_url(0))
    expiring.clock.advance(IDLE - 1)
    await still_open(console)
    await still_open(queue)
    expiring.clock.advance(2)
    await ends(console, "idle")
    await ends(queue, "idle")
    notice = await ended_page(expiring.http, expiring.path("console"), seeded.facilitator.cookie, "idle")
    assert notice == "You were signed out after 15 minutes without activity. Sign in again to carry on."
    assert "without activity" in await ended_page(expiring.http, expiring.path("queue"), seeded.clinicians[0].cookie,
                                                  "idle")


@pytest.mark.asyncio
async def test_activity_or_a_command_keeps_a_sign_in_alive(expiring: Expiring, screens: Open) -> None:
    seeded = expiring.seeded
    console = await screens(seeded.console_url)
    touched, untouched = await screens(seeded.queue_url(0)), await screens(seeded.queue_url(1))
    expiring.clock.advance(10 * 60)
    ack = await console.command("walk-in", "join", display_name="Wanda")
    assert ack["type"] == "ack"
    await active(touched)
    expiring.clock.advance(6 * 60)  # 16 minutes after signing in, 6 after the last activity
    await ends(untouched, "idle")
    await still_open(console)
    await still_open(touched)
    expiring.clock.advance(10 * 60)  # 16 minutes after the last activity
    await ends(console, "idle")
    await ends(touched, "idle")


@pytest.mark.asyncio
async def test_the_time_limit_ends_a_sign_in_however_active(expiring: Expiring, screens: Open) -> None:
    console = await screens(expiring.seeded.console_url)
    for _ in range(5):
        expiring.clock.advance(10 * 60)
        await active(console)
        await still_open(console)
    expiring.clock.advance(10 * 60)  # an hour after signing in, 10 minutes after the last activity
    await ends(console, "time limit")
    notice = await ended_page(expiring.http, expiring.path("console"), expiring.seeded.facilitator.cookie,
                              "time limit")
    assert notice == "You were signed out after 1 hour. Sign in again to carry on."


@pytest.mark.asyncio
async def test_disabling_an_account_closes_its_screens_and_refuses_its_sign_in(expiring: Expiring,
                                                                               screens: Open) -> None:
    seeded = expiring.seeded
    console, colleague = await screens(seeded.console_url), await screens(seeded.queue_url(0))
    disabled = await asyncio.to_thread(groupvisit_user, seeded.db_path, "disable", "alex")
    assert disabled.returncode == 0, disabled.stderr
    await ends(console, "disabled")
    await still_open(colleague)
    notice = await ended_page(expiring.http, expiring.path("console"), seeded.facilitator.cookie, "disabled")
    assert notice.startswith("This account has been disabled.")
    async with httpx.AsyncClient(base_url=expiring.http) as browser:
        refused = await sign_in_form(browser, "alex", PASSWORD)
    assert refused.status_code == 401 and shown_error(refused.text).startswith("This account has been disabled.")


@pytest.mark.asyncio
async def test_a_new_password_closes_the_screens_and_only_the_new_one_signs_in(expiring: Expiring,
                                                                               screens: Open) -> None:
    seeded = expiring.seeded
    console = await screens(seeded.console_url)
    changed = await asyncio.to_thread(groupvisit_user, seeded.db_path, "set-password", "alex", "--password-stdin",
                                      password=NEW_PASSWORD)
    assert changed.returncode == 0, changed.stderr
    await ends(console, "password changed")
    notice = await ended_page(expiring.http, expiring.path("console"), seeded.facilitator.cookie,
                              "password changed")
    assert notice == "This account&#39;s password was changed. Sign in with the new password."
    async with httpx.AsyncClient(base_url=expiring.http) as browser:
        assert (await sign_in_form(browser, "alex", PASSWORD)).status_code == 401
        assert (await sign_in_form(browser, "alex", NEW_PASSWORD)).status_code == 303


# ---- the staff home page and the projector's display link ----------------------------------------------------

@pytest.mark.asyncio
async def test_the_staff_page_lists_sessions_with_the_screens_of_each_role(clinic: Clinic) -> None:
    sid = clinic.session_id
    console, queue, display_link = f'href="/console/{sid}"', f'href="/queue/{sid}"', \
        f'action="/sessions/{sid}/display-link"'
    expected = {"alex": {console, display_link}, "sam": {queue}, "admin": {display_link}}
    for username, links in expected.items():
        page = await get(clinic.server.http, "/staff", clinic.cookie(username))
        assert page.status_code == 200
        assert "Diabetes group visit" in page.text and clinic.join_code in page.text
        shown = {link for link in (console, queue, display_link) if link in page.text}
        assert shown == links, f"{username} sees {shown}"
        if display_link in links:
            assert 'name="action" value="new"' in page.text and 'name="action" value="revoke"' in page.text
    anonymous = await get(clinic.server.http, "/staff")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=%2Fstaff"


async def display_link_action(clinic: Clinic, username: str, action: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        return await send_form(browser, f"/sessions/{clinic.session_id}/display-link", {"action": action},
                               page="/staff", cookie=clinic.cookie(username))


@pytest.mark.asyncio
async def test_a_new_display_link_replaces_the_old_one_and_revoking_leaves_none(clinic: Clinic,
                                                                                screens: Open) -> None:
    sid, http = clinic.session_id, clinic.server.http
    projector = await screens(clinic.link("projector"))
    assert (await display_link_action(clinic, "sam", "new")).status_code == 403, "a clinician cannot"
    async with httpx.AsyncClient(base_url=http) as browser:
        no_token = await browser.post(f"/sessions/{sid}/display-link", data={"action": "new"},
                                      headers={"Cookie": clinic.cookie("alex")})
    assert no_token.status_code == 403
    await still_open(projector)

    issued = await display_link_action(clinic, "alex", "new")
    assert issued.status_code == 200
    found = re.search(rf'id="display-link" href="{re.escape(http)}/projector/{sid}\?key=([^"]+)"', issued.text)
    assert found, "the new link is shown"
    new_key = found.group(1)
    assert new_key != clinic.projector_key
    await ends(projector, "this projector link is not valid (it may have been replaced): ask the facilitator "
                          "for the new one")
    assert (await get(http, f"/projector/{sid}?key={clinic.projector_key}")).status_code == 403
    assert (await get(http, f"/projector/{sid}?key={new_key}")).status_code == 200
    staff_page = await get(http, "/staff", clinic.cookie("alex"))
    assert new_key not in staff_page.text, "the link is shown once, when it is made"

    revoked = await display_link_action(clinic, "admin", "revoke")
    assert revoked.status_code == 200 and 'id="link-revoked"' in revoked.text and "key=" not in revoked.text
    for key in (clinic.projector_key, new_key):
        assert (await get(http, f"/projector/{sid}?key={key}")).status_code == 403

    changes = [(row.role, row.actor_name, row.what) for row in await clinic.store.audit_log(sid)
               if row.action == "changed"]
    assert changes == [("facilitator", "Nurse Alex Rivera", "issued a new display link"),
                       ("admin", "Clinic administrator", "revoked the display link")]


# ---- in the browser ------------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_an_idle_console_leaves_the_screen_for_the_sign_in_page_in_the_browser(expiring: Expiring) -> None:
    seeded = expiring.seeded
    await join(expiring.http, seeded.join_code, "Maria Gonzalez")
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            screen = await open_screen(browser, "console", 1366, 768)
            page = screen.page
            await open_signed_in(page, f"{expiring.http}{expiring.path('console')}", "alex")
            await expect(page.locator("#connection-status")).to_have_attribute("data-status", "live")
            await expect(page.locator("#people-rows")).to_contain_text("Maria Gonzalez")

            expiring.clock.advance(IDLE + 1)
            await page.wait_for_url(re.compile(r"/login\?.*ended=idle"), timeout=10_000)
            await expect(page.locator("#sign-in-notice")).to_contain_text("without activity")
            assert "Maria Gonzalez" not in await page.content()
            assert "Maria Gonzalez" not in await page.locator("body").inner_text()
            assert not screen.problems, screen.problems
        finally:
            await browser.close()


@pytest.mark.asyncio
async def test_a_form_sent_after_the_sign_in_ended_leads_back_to_the_sessions_page(clinic: Clinic) -> None:
    sid = clinic.session_id
    async with httpx.AsyncClient(base_url=clinic.server.http) as browser:
        token = form_token((await browser.get("/login")).text)
        sent = await browser.post(f"/sessions/{sid}/display-link", data={"action": "new", "csrf": token})
        page = await browser.get(f"/console/{sid}")
    # A form's address only takes a form: coming back to it after signing in would be an error page.
    assert sent.status_code == 303 and sent.headers["location"] == "/login?next=%2Fstaff"
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=%2Fconsole%2F{sid}"
