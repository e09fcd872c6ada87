"""Web security against a real server: every state-changing form needs this browser's CSRF token
and is refused from another site; every websocket handshake from another site is refused; the
security headers are on every response, and pages with health information are never cached."""

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import websockets

from conftest import Clinic
from support.accounts import PASSWORD
from support.clients import Link, form_token, join

FOREIGN_ORIGIN = "https://evil.example"


async def recorded(clinic: Clinic) -> tuple[Any, ...]:
    """What a refused form must leave as it was: the event log, the audit log and the projector link."""
    audit = [(r.id, r.action, r.what, r.subject) for r in await clinic.store.audit_log(clinic.session_id)]
    session = await clinic.store.session(clinic.session_id)
    assert session is not None
    return await clinic.store.events(clinic.session_id), audit, session.projector_key_hash


async def status_of(clinic: Clinic, path: str, cookie: str | None = None) -> int:
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        return (await http.get(path, headers={"Cookie": cookie} if cookie else {})).status_code


@dataclass
class Form:
    """A state-changing form as its page sends it, and a way to read back what it changes."""

    path: str
    page: str  # the page the form is on, which gives the browser its token
    data: dict[str, str]
    cookie: str | None  # the credential the browser sends with it
    probe: Callable[[], Awaitable[object]]  # what the form would change, read back
    accepted: Callable[[httpx.Response], Awaitable[None]]  # checks that the form did its work


async def join_form(clinic: Clinic) -> Form:
    async def accepted(response: httpx.Response) -> None:
        assert response.status_code == 303 and response.headers["location"] == f"/p/{clinic.session_id}"
        assert "gv_participant" in response.cookies

    return Form("/join", "/join", {"code": clinic.join_code, "display_name": "Maria"}, None,
                lambda: recorded(clinic), accepted)


async def done_form(clinic: Clinic) -> Form:
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    screen = f"/p/{clinic.session_id}"

    async def accepted(response: httpx.Response) -> None:
        assert response.status_code == 303 and response.headers["location"] == "/join"
        assert await status_of(clinic, screen, cookie) == 403, "the device was forgotten"

    return Form(f"{screen}/done", screen, {}, cookie, lambda: status_of(clinic, screen, cookie), accepted)


async def login_form(clinic: Clinic) -> Form:
    clinic.clock.advance(1)  # a new sign-in would start later than the fixture's

    async def accepted(response: httpx.Response) -> None:
        assert response.status_code == 303 and response.headers["location"] == "/staff"
        assert await status_of(clinic, "/staff", f"gv_signin={response.cookies['gv_signin']}") == 200

    return Form("/login", "/login", {"username": "priya", "password": PASSWORD}, None,
                clinic.store.last_sign_ins, accepted)


async def logout_form(clinic: Clinic) -> Form:
    cookie = clinic.cookie("alex")

    async def accepted(response: httpx.Response) -> None:
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert await status_of(clinic, "/staff", cookie) == 303, "the sign-in has ended"

    return Form("/logout", "/staff", {}, cookie, lambda: status_of(clinic, "/staff", cookie), accepted)


async def display_link_form(clinic: Clinic) -> Form:
    projector = f"/projector/{clinic.session_id}?key={clinic.projector_key}"

    async def accepted(response: httpx.Response) -> None:
        assert response.status_code == 200 and 'id="display-link"' in response.text
        assert await status_of(clinic, projector) == 403, "the old display link stopped working"

    return Form(f"/sessions/{clinic.session_id}/display-link", "/staff", {"action": "new"}, clinic.cookie("alex"),
                lambda: status_of(clinic, projector), accepted)


FORMS = {"join": join_form, "done": done_form, "login": login_form, "logout": logout_form,
         "display-link": display_link_form}


async def send(clinic: Clinic, form: Form, *, field: str | None, csrf_cookie: str | None,
               origin: str | None) -> httpx.Response:
    """Post `form` with exactly the given CSRF field, CSRF cookie and Origin."""
    cookies = "; ".join(c for c in (form.cookie, csrf_cookie and f"gv_csrf={csrf_cookie}") if c)
    headers = {**({"Cookie": cookies} if cookies else {}), **({"Origin": origin} if origin else {})}
    data = {**form.data, **({"csrf": field} if field is not None else {})}
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        return await http.post(form.path, data=data, headers=headers)


async def page_token(clinic: Clinic, form: Form) -> str:
    """The token the form's page gives this browser, in its form and its cookie alike."""
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        page = await http.get(form.page, headers={"Cookie": form.cookie} if form.cookie else {})
        assert page.status_code == 200, f"{form.page}: {page.status_code}"
        token = form_token(page.text)
        assert page.cookies.get("gv_csrf", token) == token
        return token


@pytest.mark.asyncio
@pytest.mark.parametrize("name", FORMS)
async def test_a_form_needs_the_token_from_this_site_and_a_refusal_changes_nothing(clinic: Clinic, name: str) -> None:
    form = await FORMS[name](clinic)
    token = await page_token(clinic, form)
    own = clinic.server.http
    refusals: dict[str, dict[str, Any]] = {
        "without the token": dict(field=None, csrf_cookie=token, origin=own),
        "with a wrong token": dict(field=secrets.token_urlsafe(24), csrf_cookie=token, origin=own),
        "with the token but not the browser's cookie": dict(field=token, csrf_cookie=None, origin=own),
        "with the token, from another site": dict(field=token, csrf_cookie=token, origin=FOREIGN_ORIGIN),
        "with the token, from another port of this host": dict(field=token, csrf_cookie=token,
                                                               origin="http://127.0.0.1:1"),
    }
    for how, parts in refusals.items():
        before, was = await recorded(clinic), await form.probe()
        response = await send(clinic, form, **parts)
        assert response.status_code == 403, f"{name} {how}: {response.status_code}"
        assert not {"gv_signin", "gv_participant"} & set(response.cookies), f"{name} {how} handed out a credential"
        assert (await recorded(clinic), await form.probe()) == (before, was), f"{name} {how} changed something"

    await form.accepted(await send(clinic, form, field=token, csrf_cookie=token, origin=own))


@pytest.mark.asyncio
async def test_a_form_with_origin_null_is_left_to_the_token(clinic: Clinic) -> None:
    form = await join_form(clinic)
    token = await page_token(clinic, form)
    refused = await send(clinic, form, field=None, csrf_cookie=token, origin="null")
    assert refused.status_code == 403
    await form.accepted(await send(clinic, form, field=token, csrf_cookie=token, origin="null"))


@pytest.mark.asyncio
async def test_every_screens_websocket_is_refused_from_another_site(clinic: Clinic) -> None:
    _, participant = await join(clinic.server.http, clinic.join_code, "Maria")
    screens = {"projector": clinic.link("projector"), "console": clinic.link("console", "alex"),
               "queue": clinic.link("queue", "sam"),
               "participant": Link(f"{clinic.server.ws}/p/{clinic.session_id}/ws", participant)}
    for screen, (url, cookie) in screens.items():
        headers = {"Cookie": cookie} if cookie else None
        for origin in (FOREIGN_ORIGIN, "http://127.0.0.1:1", f"{clinic.server.http}.evil.example"):
            before = await recorded(clinic)
            with pytest.raises(websockets.InvalidStatus) as refused:
                await websockets.connect(url, origin=websockets.Origin(origin), additional_headers=headers)
            assert refused.value.response.status_code == 403, f"{screen} from {origin}"
            assert await recorded(clinic) == before, f"{screen} from {origin}: a refused screen viewed nothing"
        # The same credential from the server's own pages opens the screen (its snapshot comes after
        # any audit row, so the next screen's refusals are compared with a settled log).
        async with websockets.connect(url, origin=websockets.Origin(clinic.server.http),
                                      additional_headers=headers) as own:
            assert json.loads(await own.recv())["type"] == "snapshot", screen


# --- headers -----------------------------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
HANDLER = re.compile(r"\s(on[a-z]+)\s*=", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = [part.split() for part in policy.split(";") if part.strip()]
    return {words[0]: words[1:] for words in parsed}


def assert_no_inline_script(html: str, where: str) -> None:
    """What the policy would block anyway: pages hand data to scripts as JSON, never as code."""
    for attributes, body in SCRIPT.findall(html):
        data_block = re.search(r'type="application/json"', attributes)
        assert data_block or ("src=" in attributes and not body.strip()), f"{where}: inline script <script{attributes}>"
    handlers = sorted({h for tag in TAG.findall(html) for h in HANDLER.findall(tag)})
    assert handlers == [], f"{where}: inline event handlers {handlers}"
    assert "javascript:" not in html.lower(), f"{where}: a javascript: URL"


def assert_security_headers(response: httpx.Response, where: str) -> None:
    policy = directives(response.headers.get("content-security-policy", ""))
    assert policy, f"{where}: no Content-Security-Policy"
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], f"{where}: scripts may come from {scripts}"
    assert policy.get("frame-ancestors") == ["'none'"], f"{where}: it may be framed"
    assert policy.get("object-src") == ["'none'"] and policy.get("base-uri") == ["'none'"], where
    assert response.headers.get("x-content-type-options") == "nosniff", where
    # The projector's link carries its key: no Referer may take it to another site.
    assert response.headers.get("referrer-policy") == "no-referrer", where


@pytest.mark.asyncio
async def test_pages_with_health_information_and_the_sign_in_page_are_locked_down(clinic: Clinic) -> None:
    _, participant = await join(clinic.server.http, clinic.join_code, "Maria")
    sid = clinic.session_id
    pages = {
        "participant page": (f"/p/{sid}", participant),
        "console": (f"/console/{sid}", clinic.cookie("alex")),
        "queue": (f"/queue/{sid}", clinic.cookie("sam")),
        "chart summary CSV": (f"/sessions/{sid}/summary.csv", clinic.cookie("priya")),
        "sign-in page": ("/login", None),
        "projector": (f"/projector/{sid}?key={clinic.projector_key}", None),
        "staff sessions list": ("/staff", clinic.cookie("alex")),
        "join page": ("/join", None),
    }
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for where, (path, cookie) in pages.items():
            response = await http.get(path, headers={"Cookie": cookie} if cookie else {})
            http.cookies.clear()
            assert response.status_code == 200, f"{where}: {response.status_code}"
            assert_security_headers(response, where)
            assert "no-store" in response.headers.get("cache-control", ""), f"{where} may be cached"
            if response.headers["content-type"].startswith("text/html"):
                assert_no_inline_script(response.text, where)


@pytest.mark.asyncio
async def test_every_kind_of_response_carries_the_security_headers(clinic: Clinic) -> None:
    sid = clinic.session_id
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        answers = {
            "a refusal": await http.get(f"/queue/{sid}", headers={"Cookie": clinic.cookie("alex")}),
            "a refused form": await http.post("/join", data={"code": clinic.join_code, "display_name": "Maria"}),
            "not found": await http.get("/nothing-here"),
            "a redirect": await http.get(f"/console/{sid}"),
            "the health check": await http.get("/healthz"),
            "the join QR code": await http.get(f"/sessions/{sid}/join-qr.svg"),
            "a static script": await http.get("/static/common/live.js"),
        }
    assert {where: r.status_code for where, r in answers.items()} == {
        "a refusal": 403, "a refused form": 403, "not found": 404, "a redirect": 303, "the health check": 200,
        "the join QR code": 200, "a static script": 200}
    for where, response in answers.items():
        assert_security_headers(response, where)
        if where != "a static script":  # scripts and styles hold no one's data: browsers may keep them
            assert "no-store" in response.headers.get("cache-control", ""), f"{where} may be cached"
