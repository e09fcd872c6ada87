"""The room, end to end over a real server and real websocket clients: letting a participant back in on
another device, which participants have a screen open, confirming before skipping, correcting the roster,
strategy moderation reaching the wall, and shared tablets wiped at close.
"""

import re

import httpx
import pytest

from conftest import Clinic
from groupvisit.web.sockets import CLOSE_ENDED
from support.clients import Refusal, ScreenClient, join, send_form
from support.process import RecordingSocket

CODE_MINUTES = 10


async def issue_code(clinic: Clinic, participant_id: str, username: str = "alex") -> httpx.Response:
    """The console's form: a let-back-in code for `participant_id`, asked for by `username`."""
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        return await send_form(client, f"/sessions/{clinic.session_id}/back-in", {"participant_id": participant_id},
                               cookie=clinic.cookie(username))


async def code_for(clinic: Clinic, participant_id: str) -> str:
    response = await issue_code(clinic, participant_id)
    assert response.status_code == 200, response.text
    found = re.search(r'id="back-in-code"[^>]*>([A-Z0-9]+)<', response.text)
    assert found, "the page shows no code"
    return found[1]


async def use_code(clinic: Clinic, code: str, shared: bool = False) -> httpx.Response:
    """The patient types the code on `/join/back`, on a new device."""
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        form = {"code": code, **({"shared_device": "yes"} if shared else {})}
        return await send_form(client, "/join/back", form, page="/join/back")


def device_cookie(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    return f"gv_participant={response.cookies['gv_participant']}"


def participant_ws(clinic: Clinic) -> str:
    return f"{clinic.server.ws}/p/{clinic.session_id}/ws"


# ---- letting a participant back in -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_participant_let_back_in_keeps_their_place_numbers_goal_and_votes(clinic: Clinic) -> None:
    _, bob_cookie = await join(clinic.server.http, clinic.join_code, "Bob")
    _, lost_tablet = await join(clinic.server.http, clinic.join_code, "Maria", shared_device=True)
    bob = await ScreenClient(participant_ws(clinic), bob_cookie).connect()
    maria = await ScreenClient(participant_ws(clinic), lost_tablet).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    await facilitator.send("open_phase", phase="agenda")
    await facilitator.send("propose_topic", title="Sleep")
    sleep = facilitator.view["topics"][0]["id"]
    await bob.send("request_visit", text="Refills")
    await maria.send("request_visit", text="My feet tingle at night")
    await maria.send("record_numbers", bp_systolic=131, bp_diastolic=85)
    await maria.send("cast_vote", topic_id=sleep)
    before = maria.view["me"]
    old_socket = await RecordingSocket.open(participant_ws(clinic), lost_tablet)
    await maria.close()

    new_device = device_cookie(await use_code(clinic, await code_for(clinic, before["id"]), shared=True))
    again = await ScreenClient(participant_ws(clinic), new_device).connect()
    me = again.view["me"]
    assert (me["id"], me["name"], me["numbers"], me["votes_used"]) == (before["id"], "Maria", before["numbers"], 1)
    assert (me["visit"]["position"], me["visit"]["request"]) == (2, "My feet tingle at night")  # after Bob still
    await old_socket.wait_until(lambda s: s.closed)
    assert old_socket.close_code == CLOSE_ENDED  # the lost tablet is Maria no more
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:  # nor can it open her screen again
        response = await client.get(f"/p/{clinic.session_id}", headers={"Cookie": lost_tablet})
    assert response.status_code == 403
    await facilitator.send("open_phase", phase="goals", confirm=True)
    await again.send("set_goal", what="Walk", how_much="20 minutes", when="after dinner", how_often="daily",
                     confidence=8)
    await facilitator.wait_for(lambda v: [p["name"] for p in v["people"] if p["goal"]] == ["Maria"])
    for screen in (bob, again, facilitator):
        await screen.close()


@pytest.mark.asyncio
async def test_a_let_back_in_code_works_once_and_expires_and_both_uses_are_audited(clinic: Clinic) -> None:
    await join(clinic.server.http, clinic.join_code, "Maria")
    code = await code_for(clinic, "p1")
    first = await use_code(clinic, code)
    assert first.status_code == 303
    assert (await use_code(clinic, code)).status_code == 404  # once
    late = await code_for(clinic, "p1")
    clinic.clock.advance(CODE_MINUTES * 60 + 1)
    refused = await use_code(clinic, late)
    assert refused.status_code == 404 and "Ask the facilitator for a new one" in refused.text
    audit = [(row.role, row.actor_name, row.what, row.subject) for row in await clinic.store.audit_log(clinic.session_id)
             if "let-back-in" in row.what or "let back in" in row.what]
    facilitator = clinic.team["alex"].actor.name  # type: ignore[union-attr]
    assert audit == [("facilitator", facilitator, "issued a let-back-in code", "p1"),
                     ("participant", "Maria", "let back in with a code on a new device", "p1"),
                     ("facilitator", facilitator, "issued a let-back-in code", "p1")]


@pytest.mark.asyncio
async def test_only_the_facilitator_gets_a_code_and_wrong_codes_are_held_back_like_join_codes(clinic: Clinic) -> None:
    await join(clinic.server.http, clinic.join_code, "Maria")
    assert (await issue_code(clinic, "p1", username="sam")).status_code == 403  # a clinician
    assert (await issue_code(clinic, "p1", username="admin")).status_code == 403
    assert (await issue_code(clinic, "p9")).status_code == 400
    answers = [(await use_code(clinic, "WRONG" + str(n))).status_code for n in range(11)]
    assert answers == [404] * 10 + [429]


# ---- presence -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_staff_screens_see_which_participants_have_a_screen_open_and_nobody_else_does(clinic: Clinic) -> None:
    _, ann_cookie = await join(clinic.server.http, clinic.join_code, "Ann")
    _, bob_cookie = await join(clinic.server.http, clinic.join_code, "Bob")
    console = await ScreenClient(clinic.link("console")).connect()
    queue = await ScreenClient(clinic.link("queue")).connect()
    projector = await RecordingSocket.open(clinic.link("projector"))
    await console.wait_for(lambda v: console.presence == [])
    ann = await ScreenClient(participant_ws(clinic), ann_cookie).connect()
    bob = await RecordingSocket.open(participant_ws(clinic), bob_cookie)
    for staff in (console, queue):
        await staff.wait_for(lambda v, s=staff: s.presence == ["p1", "p2"])
    await ann.close()
    for staff in (console, queue):
        await staff.wait_for(lambda v, s=staff: s.presence == ["p2"])
    await bob.wait_until(lambda s: bool(s.frames))
    assert [f for f in projector.frames + bob.frames if f["type"] == "presence"] == []
    assert not any('"presence"' in raw for raw in ann.frames)
    for closing in (console, queue):
        await closing.close()
    for socket in (projector, bob):
        await socket.connection.close()


# ---- moving on is not silent -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_skipping_topics_or_waiting_people_needs_confirming_and_says_what_is_skipped(clinic: Clinic) -> None:
    _, cookie = await join(clinic.server.http, clinic.join_code, "Maria")
    maria = await ScreenClient(participant_ws(clinic), cookie).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    await facilitator.send("open_phase", phase="agenda")
    for title in ("Sleep", "Eating out", "Feet"):
        await facilitator.send("propose_topic", title=title)
    await facilitator.send("open_phase", phase="discussion")
    await maria.send("request_visit", text="Refills")
    with pytest.raises(Refusal) as skipping:
        await facilitator.send("open_phase", phase="goals")
    assert skipping.value.code == "needs_confirmation" and "“Eating out”, “Feet”" in skipping.value.reason
    assert facilitator.view["session"]["phase"] == "discussion"
    await facilitator.send("open_phase", phase="goals", confirm=True)
    with pytest.raises(Refusal) as closing:
        await facilitator.send("close_session")
    assert closing.value.code == "needs_confirmation" and "Maria" in closing.value.reason
    await facilitator.send("close_session", confirm=True)
    await maria.wait_for(lambda v: v["session"]["phase"] == "closed")
    for screen in (maria, facilitator):
        await screen.close()


# ---- the roster ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_one_checked_in_by_mistake_leaves_every_count_and_their_screen_closes(clinic: Clinic) -> None:
    _, ann_cookie = await join(clinic.server.http, clinic.join_code, "Ann")
    _, test_cookie = await join(clinic.server.http, clinic.join_code, "Test")
    ann = await ScreenClient(participant_ws(clinic), ann_cookie).connect()
    mistaken = await RecordingSocket.open(participant_ws(clinic), test_cookie)
    projector = await ScreenClient(clinic.link("projector")).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    assert ann.view["participant_count"] == 2
    await facilitator.send("mark_participant", participant_id="p2", status="mistake")
    await mistaken.wait_until(lambda s: s.closed)
    assert mistaken.close_code == CLOSE_ENDED
    await ann.wait_for(lambda v: v["participant_count"] == 1)
    await projector.wait_for(lambda v: [p["name"] for p in v["participants"]] == ["Ann"])
    assert facilitator.view["attendance"] == {"here": 1, "took_part": 1}
    await facilitator.send("rename_participant", participant_id="p1", display_name="Ann B.")
    await projector.wait_for(lambda v: [p["name"] for p in v["participants"]] == ["Ann B."])
    for screen in (ann, projector, facilitator):
        await screen.close()


# ---- strategies moderated like topics --------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_edited_or_hidden_strategy_changes_on_the_wall_at_once(clinic: Clinic) -> None:
    projector = await ScreenClient(clinic.link("projector")).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    await facilitator.send("capture_strategy", text="Walk aftr dinner")
    await projector.wait_for(lambda v: [s["text"] for s in v["strategies"]] == ["Walk aftr dinner"])
    await facilitator.send("edit_strategy", strategy_id="s1", text="Walk after dinner")
    await projector.wait_for(lambda v: [s["text"] for s in v["strategies"]] == ["Walk after dinner"])
    await facilitator.send("hide_strategy", strategy_id="s1")
    await projector.wait_for(lambda v: v["strategies"] == [])
    assert [s["hidden"] for s in facilitator.view["strategies"]] == [True]
    await facilitator.send("hide_strategy", strategy_id="s1", hidden=False)
    await projector.wait_for(lambda v: [s["text"] for s in v["strategies"]] == ["Walk after dinner"])
    for screen in (projector, facilitator):
        await screen.close()


# ---- shared tablets at close ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_closing_wipes_shared_tablets_and_own_phones_keep_the_ended_session(clinic: Clinic) -> None:
    _, tablet_cookie = await join(clinic.server.http, clinic.join_code, "Maria", shared_device=True)
    _, phone_cookie = await join(clinic.server.http, clinic.join_code, "Bob")
    tablet = await RecordingSocket.open(participant_ws(clinic), tablet_cookie)
    phone = await ScreenClient(participant_ws(clinic), phone_cookie).connect()
    facilitator = await ScreenClient(clinic.link("console")).connect()
    await facilitator.send("close_session")
    await tablet.wait_until(lambda s: s.closed)
    assert tablet.close_code == CLOSE_ENDED
    await phone.wait_for(lambda v: v["session"]["phase"] == "closed")
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        assert (await client.get(f"/p/{clinic.session_id}", headers={"Cookie": phone_cookie})).status_code == 200
        assert (await client.get(f"/p/{clinic.session_id}", headers={"Cookie": tablet_cookie})).status_code == 403
    for screen in (phone, facilitator):
        await screen.close()


@pytest.mark.asyncio
async def test_the_let_back_in_page_speaks_the_patients_language_and_lists_no_names(clinic: Clinic) -> None:
    await join(clinic.server.http, clinic.join_code, "Maria")
    async with httpx.AsyncClient(base_url=clinic.server.http) as client:
        page = await client.get("/join/back?lang=es")
        assert page.status_code == 200 and "Volver a entrar" in page.text and "Maria" not in page.text
        wrong = await send_form(client, "/join/back", {"code": "WRONG123", "language": "es"}, page="/join/back")
    assert wrong.status_code == 404 and "Pida uno nuevo al facilitador" in wrong.text and "Maria" not in wrong.text
