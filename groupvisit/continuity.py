"""A cohort's sessions read back from the store, for what spans them (`domain.history`): the folds of their
logs with what the schedule says of each. Derived on every load, never kept as a second copy."""

from dataclasses import dataclass

from .domain import replay
from .domain.history import Continuity, HeldSession, continuity
from .store import Store
from .store.tables import SessionRow


async def held_session(store: Store, row: SessionRow) -> HeldSession:
    state = replay(event for _, event in await store.events(row.id))
    return HeldSession(row.id, row.starts_at, row.ends_at, row.cancelled_at is not None, state)


async def held_sessions(store: Store, cohort_id: str) -> list[HeldSession]:
    """Every session of the cohort, cancelled ones included, by when they start."""
    return [await held_session(store, row) for row in await store.cohort_sessions(cohort_id)]


@dataclass(frozen=True)
class Carried:
    """A session's continuity as read at `version` (`Store.cohort_version`)."""

    continuity: Continuity | None
    version: tuple[int, int, int] | None = None


async def carried_into(store: Store, session_id: str) -> Continuity | None:
    """What the cohort's earlier sessions carry into `session_id` (None for a session outside a cohort):
    the roster, each returning patient's last goal and numbers, the strategy library."""
    return (await read_carried(store, session_id)).continuity


async def read_carried(store: Store, session_id: str, known: Carried | None = None) -> Carried:
    """`carried_into` with the version it was read at; `known` again when nothing changed since it was read."""
    row = await store.session(session_id)
    if row is None or row.cohort_id is None:
        return Carried(None)
    version = await store.cohort_version(row.cohort_id, session_id)
    if known is not None and known.version == version:
        return known
    earlier = [await held_session(store, other) for other in await store.cohort_sessions(row.cohort_id)
               if other.id != session_id and other.starts_at < row.starts_at and other.cancelled_at is None]
    return Carried(continuity(await store.roster_entries(row.cohort_id), earlier), version)
