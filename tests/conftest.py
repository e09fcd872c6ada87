"""Shared fixtures: a seeded clinic on a fresh SQLite file and a live server with a manual clock."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio

from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.server import LiveServer

SESSION_START = 1_790_000_000.0  # a fixed instant: tests never depend on the wall clock


@dataclass
class Clinic:
    server: LiveServer
    clock: ManualClock
    store: Store
    session_id: str
    join_code: str
    projector_key: str
    facilitator_key: str
    clinician_keys: list[str]

    def screen_url(self, screen: str, key: str) -> str:
        return f"{self.server.ws}/{screen}/{self.session_id}/ws?key={key}"


@pytest_asyncio.fixture
async def clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    session, projector_key = await store.create_session(
        title="Diabetes group visit", cohort="Diabetes group (Tuesday)",
        starts_at=SESSION_START, ends_at=SESSION_START + 120 * 60)
    _, facilitator_key = await store.add_staff("Nurse Alex Rivera", "facilitator")
    clinician_keys = [(await store.add_staff(name, "clinician"))[1]
                      for name in ("Dr. Sam Okafor", "Dr. Priya Natarajan")]
    server = LiveServer(tmp_path / "clinic.db", clock)
    await server.astart()
    try:
        yield Clinic(server, clock, store, session.id, session.join_code, projector_key, facilitator_key,
                     clinician_keys)
    finally:
        if server.server is not None:
            await server.astop()
        store.close()
