"""The demo clinic: a diabetes cohort with its roster and series, its first two sessions held, today's
session, and staff accounts to run it with."""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import anyio.to_thread

from .accounts import AccountRole, hash_password
from .actions import Sessions
from .clock import ManualClock
from .demo_cohort import ROSTER, first_session, second_session
from .demo_sessions import Team, hold
from .domain import Actor, Phase, Role, replay
from .hub.memory import MemoryHub
from .program.clinic_time import day_of, local
from .program.schedule import one
from .store import CohortFields, PatientFields, Store
from .store.tables import AuditRow

COHORT = "Diabetes group (Tuesday)"
TITLE = "Diabetes group visit"
STAFF = (("admin", "Clinic administrator", AccountRole.ADMIN),
         ("alex", "Nurse Alex Rivera", AccountRole.FACILITATOR),
         ("sam", "Dr. Sam Okafor (resident)", AccountRole.CLINICIAN),
         ("priya", "Dr. Priya Natarajan (resident)", AccountRole.CLINICIAN),
         ("lee", "Dr. Morgan Lee (attending)", AccountRole.CLINICIAN))
ATTENDING = {"lee"}  # co-signs the residents' chart notes
SESSION_MINUTES = 120
SERIES = 6  # monthly sessions: two held, today's, three to come


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: AccountRole
    password: str  # "" when the account already existed: its password was shown when it was made


@dataclass(frozen=True)
class DemoClinic:
    session_id: str
    join_code: str
    projector_key: str
    accounts: list[DemoAccount]
    cohort_id: str


PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes such as l/1 and o/0


def new_password() -> str:
    """Four groups of four: easy to read off a terminal, about 79 bits."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


async def closed(store: Store, session_id: str) -> bool:
    """Whether the session has ended: a rerun of the demo after closing today's session gets a new one."""
    return replay(event for _, event in await store.events(session_id)).phase is Phase.CLOSED


def demo_audit(what: str, cohort_id: str | None = None) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, at=time.time(), role="admin", actor_id="demo", actor_name="groupvisit demo",
                    device="groupvisit demo", action="changed", what=what)


async def accounts(store: Store, now: float) -> list[DemoAccount]:
    made = []
    for username, name, role in STAFF:
        password = ""
        if await store.user_by_username(username) is None:
            password = new_password()
            await store.add_user(username=username, name=name, role=role.value, at=now,
                                 password_hash=await anyio.to_thread.run_sync(hash_password, password),
                                 attending=username in ATTENDING)
        made.append(DemoAccount(username, name, role, password))
    return made


async def staff_actor(store: Store, username: str, role: Role) -> Actor:
    user = await store.user_by_username(username)
    assert user is not None, "the demo's accounts are made before its sessions"
    return Actor(role, user.id, user.name)


async def program(store: Store, now: float, zone: str) -> str:
    """The demo's cohort once: its roster, a six-session monthly series around today, and its first two
    sessions held. Returns the cohort's id."""
    for cohort in await store.cohorts(include_archived=True):
        if cohort.name == COHORT and cohort.kind == "series":
            return cohort.id
    fields = CohortFields.from_form({
        "name": COHORT, "condition": "Type 2 diabetes", "languages": "en,es", "kind": "series",
        "planned_sessions": str(SERIES), "session_minutes": str(SESSION_MINUTES), "vote_budget": "3",
        "timebox_minutes": "8", "room": "Community room, 2nd floor"})
    cohort = await store.create_cohort(fields, now, demo_audit(f"created cohort {COHORT}"))
    patient_ids, names = [], []
    for clinic_name, display_name, language, mrn, birth_date, signed in ROSTER:
        patient = await store.enrol(cohort.id, PatientFields.from_form({
            "clinic_name": clinic_name, "display_name": display_name, "language": language, "mrn": mrn,
            "birth_date": birth_date, "agreement_signed_on": signed}), now, demo_audit("enrolled", cohort.id))
        patient_ids.append(patient.id)
        names.append(display_name)
    start = now - now % 300  # on the five minutes, like a clinic schedule
    here = local(start, zone)
    slots = [one((here + timedelta(days=28 * n)).date(), here.time(), (here + timedelta(minutes=SESSION_MINUTES)).time(),
                 zone) for n in range(-2, SERIES - 2)]
    held = await store.schedule_sessions(cohort.id, slots, demo_audit(f"scheduled {SERIES} sessions", cohort.id))
    team = Team(await staff_actor(store, "alex", Role.FACILITATOR),
                (await staff_actor(store, "sam", Role.CLINICIAN), await staff_actor(store, "priya", Role.CLINICIAN)))
    for session, visits, bring in ((held[0], first_session(patient_ids, names), 0),
                                   (held[1], second_session(patient_ids, names), 2)):
        clock = ManualClock(session.starts_at)
        await hold(Sessions(store, MemoryHub(), clock), clock, session.id, team, visits, bring)
    return cohort.id


async def seed(store: Store, now: float | None = None, zone: str = "UTC") -> DemoClinic:
    """Create the demo clinic once (and a new session when today's has been closed); each run issues a fresh
    projector link (keys are stored only as hashes)."""
    now = time.time() if now is None else now
    made = await accounts(store, now)
    cohort_id = await program(store, now, zone)
    today = day_of(now, zone)
    existing = [s for s in await store.cohort_sessions(cohort_id)
                if day_of(s.starts_at, zone) == today and s.ends_at > now and s.cancelled_at is None
                and not await closed(store, s.id)]
    if existing:
        session = existing[-1]
        projector_key = await store.rotate_projector_key(session.id)
    else:
        start = now - now % 300
        session, projector_key = await store.create_session(title=TITLE, cohort=COHORT, cohort_id=cohort_id,
                                                            starts_at=start, ends_at=start + SESSION_MINUTES * 60)
    return DemoClinic(session.id, session.join_code, projector_key, made, cohort_id)
