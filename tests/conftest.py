"""Shared fixtures: a seeded clinic on a fresh SQLite file and a live server with a manual clock."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio

from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.accounts import Staff, signed_in_team
from support.clients import Link
from support.server import LiveServer

SESSION_START = 1_790_000_000.0  # a fixed instant: tests never depend on the wall clock
STAFF_SCREENS = {"console": "alex", "queue": "sam"}
# These tests jump the clock through a two-hour visit: staff are signed out only where a test says so.
STAFF_IDLE_MINUTES = 240.0


@dataclass
class Clinic:
    server: LiveServer
    clock: ManualClock
    store: Store
    session_id: str
    join_code: str
    projector_key: str
    team: dict[str, Staff]  # by username: alex (facilitator), sam and priya (clinicians), admin

    def link(self, screen: str, username: str = "") -> Link:
        """A screen's websocket: the projector by its display link, a staff screen signed in as `username`."""
        url = f"{self.server.ws}/{screen}/{self.session_id}/ws"
        if screen == "projector":
            return Link(f"{url}?key={self.projector_key}")
        return Link(url, self.team[username or STAFF_SCREENS[screen]].cookie)

    def cookie(self, username: str) -> str:
        return self.team[username].cookie


@pytest_asyncio.fixture
async def clinic(tmp_path: Path) -> AsyncIterator[Clinic]:
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    session, projector_key = await store.create_session(
        title="Diabetes group visit", cohort="Diabetes group (Tuesday)",
        starts_at=SESSION_START, ends_at=SESSION_START + 120 * 60)
    team = await signed_in_team(store, clock.now())
    server = LiveServer(tmp_path / "clinic.db", clock, staff_idle_minutes=STAFF_IDLE_MINUTES)
    await server.astart()
    try:
        yield Clinic(server, clock, store, session.id, session.join_code, projector_key, team)
    finally:
        if server.server is not None:
            await server.astop()
        store.close()
