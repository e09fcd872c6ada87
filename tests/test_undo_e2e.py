"""Undo and "I don't need it today" on a real server: every screen follows, each on its own websocket."""

import asyncio
from typing import Any

import pytest

from conftest import Clinic
from support.clients import Refusal, ScreenClient, join

pytestmark = pytest.mark.asyncio

NOTE = "Monofilament test normal"


def row(view: dict[str, Any], part: str, encounter_id: str) -> dict[str, Any] | None:
    return next((e for e in view["queue"][part] if e["encounter_id"] == encounter_id), None)


async def patient(clinic: Clinic, name: str) -> ScreenClient:
    _, cookie = await join(clinic.server.http, clinic.join_code, name)
    return await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie, name).connect()


async def test_undoing_a_mistaken_complete_brings_the_encounter_back_on_every_screen(clinic: Clinic) -> None:
    ann = await patient(clinic, "Ann")
    await ann.send("request_visit", text="My feet tingle")
    sam = await ScreenClient(clinic.link("queue", "sam"), name="sam").connect()
    priya = await ScreenClient(clinic.link("queue", "priya"), name="priya").connect()
    alex = await ScreenClient(clinic.link("console", "alex"), name="alex").connect()
    visit = ann.view["me"]["visit"]["encounter_id"]
    for name, args in (("call_participant", {"room": "Room 2"}), ("start_encounter", {}),
                       ("complete_encounter", {"note": NOTE})):
        await sam.send(name, encounter_id=visit, **args)
    completed_at = clinic.clock.now()
    screens = [sam, priya, alex, ann]
    await asyncio.gather(*(s.wait_seq(sam.seq or 0) for s in screens))
    done = row(sam.view, "completed", visit)
    assert done is not None and (done["undo_action"], done["undo_until"]) == ("complete", completed_at + 120)
    assert row(priya.view, "completed", visit)["undo_until"] is None  # type: ignore[index]
    assert ann.view["me"]["visit"]["status"] == "completed"

    # Only the clinician who completed it may undo it.
    with pytest.raises(Refusal) as refused:
        await priya.send("undo_encounter", encounter_id=visit)
    assert refused.value.code == "not_yours"

    clinic.clock.advance(30)
    await sam.send("undo_encounter", encounter_id=visit)
    await asyncio.gather(*(s.wait_seq(sam.seq or 0) for s in screens))
    for staff in (sam, priya, alex):
        back = row(staff.view, "active", visit)
        assert back is not None and (back["status"], back["ended_at"], back["note"]) == ("in_progress", None, NOTE)
        assert row(staff.view, "completed", visit) is None, staff.name
    assert row(sam.view, "active", visit)["undo_until"] is None  # type: ignore[index]  # undone once: nothing left
    assert ann.view["me"]["visit"]["status"] == "in_progress"
    assert ann.events[-1]["type"] == "encounter_undone" and "note" not in ann.events[-1]
    assert not any(NOTE in frame for frame in ann.frames)  # the note never reaches the patient

    # Completed again with the kept note edited; an undo after two minutes is refused.
    await sam.send("complete_encounter", encounter_id=visit, note=NOTE + "; podiatry referral")
    clinic.clock.advance(121)
    with pytest.raises(Refusal) as late:
        await sam.send("undo_encounter", encounter_id=visit)
    assert late.value.code == "too_late"
    for screen in screens:
        await screen.close()


async def test_a_patient_withdraws_their_request_and_the_queue_follows(clinic: Clinic) -> None:
    ann, bob = await patient(clinic, "Ann"), await patient(clinic, "Bob")
    await ann.send("request_visit", text="My feet tingle")
    await bob.send("request_visit", text="My meds")
    sam = await ScreenClient(clinic.link("queue", "sam"), name="sam").connect()
    visit = ann.view["me"]["visit"]["encounter_id"]
    await ann.send("withdraw_request")
    await sam.wait_seq(ann.seq or 0)
    assert [e["name"] for e in sam.view["queue"]["waiting"]] == ["Bob"]
    gone = row(sam.view, "withdrawn", visit)
    assert gone is not None and gone["withdrawn_reason"] == "not_needed"
    assert (ann.view["me"]["visit"]["status"], ann.view["me"]["visit"]["withdrawn_reason"]) == (
        "withdrawn", "not_needed")
    await bob.wait_seq(ann.seq or 0)
    assert bob.view["me"]["visit"]["position"] == 1
    for screen in (ann, bob, sam):
        await screen.close()
