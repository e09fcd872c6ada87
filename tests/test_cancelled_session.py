"""A cancelled session cannot be joined: the join page says it was cancelled, in the person's language."""

from pathlib import Path

import httpx
import pytest

from groupvisit.clock import ManualClock
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, Store
from groupvisit.store.tables import AuditRow
from support.accounts import signed_in_team
from support.clients import Link, ScreenClient, send_form
from support.server import LiveServer

START = 1_800_000_000.0


@pytest.mark.asyncio
@pytest.mark.parametrize(("language", "said"), [
    ("en", "This session was cancelled. Your care team will tell you the next date."),
    ("es", "Esta sesión se canceló. Su equipo de atención le dirá la próxima fecha."),
])
async def test_joining_a_cancelled_session_says_it_was_cancelled(tmp_path: Path, language: str, said: str) -> None:
    db = tmp_path / "clinic.db"
    store = Store(f"sqlite:///{db}")
    clock = ManualClock(START - 3600)
    server = LiveServer(db, clock, staff_idle_minutes=240.0)
    await server.astart()
    try:
        audit = AuditRow(at=clock.now(), role="admin", actor_id="t", actor_name="test", device="test",
                         action="changed", what="set up")
        cohort = await store.create_cohort(CohortFields.from_form({"name": "Tuesday group"}), clock.now(), audit)
        (session,) = await store.schedule_sessions(cohort.id, [Slot(START, START + 7200)], audit)
        team = await signed_in_team(store, clock.now())
        console = await ScreenClient(Link(f"{server.ws}/console/{session.id}/ws", team["alex"].cookie)).connect()
        await console.send("cancel_session", reason="the clinic is closed for snow")
        await console.close()
        async with httpx.AsyncClient(base_url=server.http) as client:
            answer = await send_form(client, "/join", {"code": session.join_code, "display_name": "Maria",
                                                       "language": language})
        assert answer.status_code == 410
        assert said in answer.text
        assert not [e for _, e in await store.events(session.id) if e.type == "participant_joined"]
        row = await store.session(session.id)
        assert row is not None and row.cancelled_at is not None, "the schedule shows it cancelled"
    finally:
        await server.astop()
        store.close()
