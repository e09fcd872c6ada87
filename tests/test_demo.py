"""The demo's cohort: seeded once with its roster, its series and two sessions held, so that a new user
sees continuity on first run; a rerun never lands on a closed session."""

from pathlib import Path

import pytest

from groupvisit.actions import Sessions
from groupvisit.clock import ManualClock
from groupvisit.continuity import held_sessions
from groupvisit.demo import COHORT, SERIES, seed
from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.hub.memory import MemoryHub
from groupvisit.store import Store

NOW = 1_800_000_000.0  # a Friday in January 2027
ZONE = "America/Chicago"


@pytest.mark.asyncio
async def test_the_demo_seeds_a_cohort_with_two_sessions_held_and_todays_carrying_their_goals(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        clinic = await seed(store, NOW, ZONE)
        (cohort,) = [k for k in await store.cohorts() if k.name == COHORT]
        assert cohort.id == clinic.cohort_id and cohort.kind == "series"
        assert len(await store.roster_entries(cohort.id)) == 10
        held = await held_sessions(store, cohort.id)
        assert len(held) == SERIES
        assert [h.state.phase for h in held[:2]] == [Phase.CLOSED, Phase.CLOSED]
        assert [len(h.state.took_part()) for h in held[:2]] == [8, 7]
        assert all(p.patient_id for h in held[:2] for p in h.state.participants.values()), "everyone was matched"
        assert len(held[1].state.follow_ups) == 6, "session 2's returning patients said how last month's goal went"
        assert held[2].session_id == clinic.session_id and held[2].starts_at <= NOW < held[2].ends_at
        assert all(h.state.phase is Phase.CHECK_IN for h in held[2:])

        sessions = Sessions(store, MemoryHub(), ManualClock(NOW))
        today = await sessions.get(clinic.session_id)
        assert today.state.continuity is not None
        assert len(today.state.continuity.last_goals) == 8, "everyone who set a goal in either session"
        assert today.state.continuity.library, "the strategies found so far make the library"
    finally:
        store.close()


@pytest.mark.asyncio
async def test_rerunning_the_demo_keeps_the_cohort_and_never_lands_on_a_closed_session(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        first = await seed(store, NOW, ZONE)
        again = await seed(store, NOW + 60, ZONE)
        assert (again.session_id, again.cohort_id) == (first.session_id, first.cohort_id)
        assert again.projector_key != first.projector_key
        sessions = Sessions(store, MemoryHub(), ManualClock(NOW + 120))
        alex = await store.user_by_username("alex")
        assert alex is not None
        await sessions.execute(first.session_id, c.CloseSession(confirm=True), Actor(Role.FACILITATOR, alex.id, alex.name))
        third = await seed(store, NOW + 180, ZONE)
        assert third.session_id != first.session_id and third.cohort_id == first.cohort_id
        assert len([k for k in await store.cohorts() if k.name == COHORT]) == 1
    finally:
        store.close()
