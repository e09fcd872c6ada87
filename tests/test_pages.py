"""Each page renders for its role and refuses everyone else, against a real server."""

import httpx
import pytest
import websockets

from conftest import Clinic
from support.clients import join, send_form


async def get(clinic: Clinic, path: str, cookie: str | None = None) -> httpx.Response:
    headers = {"Cookie": cookie} if cookie else {}
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        return await client.get(path, headers=headers)


@pytest.mark.asyncio
async def test_the_projector_page_shows_the_join_code_with_its_link(clinic: Clinic) -> None:
    response = await get(clinic, f"/projector/{clinic.session_id}?key={clinic.projector_key}")
    assert response.status_code == 200
    assert clinic.join_code in response.text
    assert 'id="gv-config"' in response.text


@pytest.mark.asyncio
async def test_the_console_opens_for_the_facilitator_only(clinic: Clinic) -> None:
    assert (await get(clinic, f"/console/{clinic.session_id}", clinic.cookie("alex"))).status_code == 200
    refused = await get(clinic, f"/console/{clinic.session_id}", clinic.cookie("sam"))
    assert refused.status_code == 403
    assert "this screen is for a facilitator, and you are signed in as a clinician" in refused.text.lower()
    anonymous = await get(clinic, f"/console/{clinic.session_id}")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=%2Fconsole%2F{clinic.session_id}"


@pytest.mark.asyncio
async def test_the_queue_opens_for_a_clinician_only(clinic: Clinic) -> None:
    response = await get(clinic, f"/queue/{clinic.session_id}", clinic.cookie("priya"))
    assert response.status_code == 200
    assert "Dr. Priya Natarajan" in response.text
    assert (await get(clinic, f"/queue/{clinic.session_id}", clinic.cookie("alex"))).status_code == 403
    assert (await get(clinic, f"/queue/{clinic.session_id}", clinic.cookie("admin"))).status_code == 403


@pytest.mark.asyncio
async def test_a_wrong_projector_link_is_refused(clinic: Clinic) -> None:
    response = await get(clinic, f"/projector/{clinic.session_id}?key=not-the-key")
    assert response.status_code == 403
    assert "projector link is not valid" in response.text


@pytest.mark.asyncio
async def test_an_unknown_session_is_not_found(clinic: Clinic) -> None:
    assert (await get(clinic, f"/projector/nosuchsession?key={clinic.projector_key}")).status_code == 404


@pytest.mark.asyncio
async def test_joining_leads_to_the_participant_screen_and_done_forgets_the_device(clinic: Clinic) -> None:
    assert (await get(clinic, f"/join/{clinic.join_code}")).status_code == 200
    session_id, cookie = await join(clinic.server.http, clinic.join_code.lower(), "Maria")
    page = await get(clinic, f"/p/{session_id}", cookie)
    assert page.status_code == 200 and "Maria" in page.text
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        done = await send_form(client, f"/p/{session_id}/done", {}, page=f"/p/{session_id}", cookie=cookie)
    assert done.status_code == 303 and done.headers["location"] == "/join"
    assert (await get(clinic, f"/p/{session_id}", cookie)).status_code == 403
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(f"{clinic.server.ws}/p/{session_id}/ws", additional_headers={"Cookie": cookie})
    assert refused.value.response.status_code == 403


@pytest.mark.asyncio
async def test_the_participant_screen_without_joining_goes_to_the_join_page(clinic: Clinic) -> None:
    response = await get(clinic, f"/p/{clinic.session_id}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/join/{clinic.join_code}"


@pytest.mark.parametrize(("code", "name", "status", "message"), [
    ("", "Maria", 400, "Enter the join code"),
    ("ZZZZZZ", "Maria", 404, "No session has the code ZZZZZZ"),
    (None, "  ", 400, "A display name cannot be empty"),
    (None, "x" * 41, 400, "at most 40 characters"),
])
@pytest.mark.asyncio
async def test_a_bad_join_says_what_was_wrong(clinic: Clinic, code: str | None, name: str, status: int,
                                              message: str) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        response = await send_form(client, "/join", {"code": clinic.join_code if code is None else code,
                                                     "display_name": name})
    assert response.status_code == status
    assert message in response.text


@pytest.mark.asyncio
async def test_a_second_participant_with_the_same_name_is_asked_to_add_an_initial(clinic: Clinic) -> None:
    await join(clinic.server.http, clinic.join_code, "Rosa")
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        response = await send_form(client, "/join", {"code": clinic.join_code, "display_name": "rosa"})
    assert response.status_code == 400
    assert "add an initial" in response.text


@pytest.mark.asyncio
async def test_the_join_qr_code_is_an_svg(clinic: Clinic) -> None:
    response = await get(clinic, f"/sessions/{clinic.session_id}/join-qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<?xml")


@pytest.mark.asyncio
async def test_a_websocket_without_the_right_credential_is_refused_at_the_handshake(clinic: Clinic) -> None:
    console = clinic.link("console")
    for cookie in (clinic.cookie("sam"), clinic.cookie("admin"), "gv_signin=not-a-sign-in", None):
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(console.url, additional_headers={"Cookie": cookie} if cookie else None)
        assert refused.value.response.status_code == 403


@pytest.mark.asyncio
async def test_pages_carry_security_headers_and_are_never_cached(clinic: Clinic) -> None:
    page = await get(clinic, f"/console/{clinic.session_id}", clinic.cookie("alex"))
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    script = await get(clinic, "/static/common/live.js")
    assert script.status_code == 200 and "no-store" not in script.headers.get("cache-control", "")


@pytest.mark.asyncio
async def test_a_websocket_from_a_foreign_origin_is_refused_at_the_handshake(clinic: Clinic) -> None:
    url, cookie = clinic.link("console")
    headers = {"Cookie": cookie}
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(url, origin="http://evil.example", additional_headers=headers)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    own = await websockets.connect(url, origin=clinic.server.http, additional_headers=headers)  # type: ignore[arg-type]
    await own.close()


@pytest.mark.asyncio
async def test_guessing_join_codes_is_held_back_and_released_after_the_window(clinic: Clinic) -> None:
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        async def attempt(code: str) -> httpx.Response:
            return await send_form(client, "/join", {"code": code, "display_name": "Guesser"})

        for n in range(10):
            assert (await attempt(f"ZZZZZ{n}")).status_code == 404
        held = await attempt(clinic.join_code)  # even the right code waits now
        assert held.status_code == 429
        assert "Too many wrong codes from this device. Wait 10 minutes" in held.text
        clinic.clock.advance(10 * 60 + 1)
        assert (await attempt(clinic.join_code)).status_code == 303
