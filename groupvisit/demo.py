"""The demo clinic: a diabetes cohort, today's session, a facilitator and two residents."""

import time
from dataclasses import dataclass

from .store import Store

COHORT = "Diabetes group (Tuesday)"
TITLE = "Diabetes group visit"
STAFF = (("Nurse Alex Rivera", "facilitator"), ("Dr. Sam Okafor (resident)", "clinician"),
         ("Dr. Priya Natarajan (resident)", "clinician"))
SESSION_MINUTES = 120


@dataclass(frozen=True)
class DemoLinks:
    session_id: str
    join_code: str
    projector_key: str
    staff: list[tuple[str, str, str]]  # name, role, key


async def seed(store: Store, now: float | None = None) -> DemoLinks:
    """Create the demo clinic once; each run issues fresh links (keys are stored only as hashes)."""
    now = time.time() if now is None else now
    today = time.strftime("%Y-%m-%d", time.localtime(now))
    existing = [s for s in await store.sessions()
                if s.cohort == COHORT and time.strftime("%Y-%m-%d", time.localtime(s.starts_at)) == today
                and s.ends_at > now]
    if existing:
        session = existing[-1]
        projector_key = await store.rotate_projector_key(session.id)
    else:
        start = now - now % 300  # on the five minutes, like a clinic schedule
        session, projector_key = await store.create_session(title=TITLE, cohort=COHORT, starts_at=start,
                                                            ends_at=start + SESSION_MINUTES * 60)
    known = {(s.name, s.role): s for s in await store.staff()}
    staff = []
    for name, role in STAFF:
        row = known.get((name, role))
        if row is None:
            row, key = await store.add_staff(name, role)
        else:
            key = await store.rotate_staff_key(row.id)
        staff.append((name, role, key))
    return DemoLinks(session.id, session.join_code, projector_key, staff)
