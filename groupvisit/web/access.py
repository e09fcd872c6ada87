"""Who is looking: each screen's credential resolved to an actor, checked again while it is open.

- Staff sign in with their own account; their browser holds a sign-in cookie.
- The projector is a display, not a person: it opens with a display link whose key staff can replace.
- A participant's device holds a cookie scoped to its session, from joining with the join code.
"""

from dataclasses import dataclass
from enum import Enum

from starlette.requests import HTTPConnection

from ..accounts import SignedOut, SignIns, StaffMember
from ..clock import Clock
from ..domain import Actor, Role
from ..store import Store
from ..store.keys import key_hash
from ..store.tables import SessionRow

PARTICIPANT_COOKIE = "gv_participant"
SIGN_IN_COOKIE = "gv_signin"
DEVICE_ACTIVITY_WRITE_EVERY = 15.0  # seconds


@dataclass(frozen=True)
class Screen:
    """A kind of screen: its path segment and the role that may open it."""

    path: str
    role: Role
    template: str


PROJECTOR = Screen("projector", Role.PROJECTOR, "staff/projector.html")
CONSOLE = Screen("console", Role.FACILITATOR, "staff/console.html")
QUEUE = Screen("queue", Role.CLINICIAN, "staff/queue.html")
PARTICIPANT = Screen("p", Role.PARTICIPANT, "participant/participant.html")


class AccessDenied(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignInNeeded(AccessDenied):
    """A staff screen opened without a current sign-in; `why` says how the last one ended, if it did."""

    def __init__(self, why: str = "") -> None:
        super().__init__("sign in first")
        self.why = why


class Credential(Enum):
    SIGN_IN = "sign-in"
    DISPLAY_LINK = "display link"
    DEVICE = "device"


@dataclass(frozen=True)
class Granted:
    """An open screen's actor and the credential it was let in with, to check again later."""

    actor: Actor
    credential: Credential
    secret: str
    member: StaffMember | None = None  # the account, for a staff screen

    @property
    def sender(self) -> str:
        """What scopes this screen's command ids: its credential (the start of the digest stored for it)."""
        return key_hash(self.secret)[:16]


def device_of(connection: HTTPConnection) -> str:
    """Where a request came from, for the audit log: the address and the browser's own name."""
    client = connection.client.host if connection.client else "unknown"
    return f"{client} · {connection.headers.get('user-agent', 'no user agent')[:120]}"


def participant_cookie_path(session_id: str) -> str:
    return f"/p/{session_id}"


async def signed_in(connection: HTTPConnection, sign_ins: SignIns, active: bool = False) -> StaffMember:
    """The staff member signed in on this browser, or `SignInNeeded`."""
    token = connection.cookies.get(SIGN_IN_COOKIE)
    if not token:
        raise SignInNeeded()
    try:
        return await sign_ins.current(token, active)
    except SignedOut as ended:
        raise SignInNeeded(ended.why) from None


def display_link_valid(session: SessionRow, key: str) -> None:
    if key_hash(key) != session.projector_key_hash:
        raise AccessDenied("this projector link is not valid (it may have been replaced): ask the facilitator for "
                           "the new one")


class Gate:
    """Lets screens in and checks them again; one per application."""

    def __init__(self, store: Store, sign_ins: SignIns, clock: Clock, tablet_idle_minutes: float) -> None:
        self.store, self.sign_ins, self.clock = store, sign_ins, clock
        self.tablet_idle_seconds = tablet_idle_minutes * 60

    async def admit(self, screen: Screen, session: SessionRow, connection: HTTPConnection,
                    names: dict[str, str]) -> Granted:
        """The actor behind a request for `screen` of `session`, or `AccessDenied`."""
        if screen is PARTICIPANT:
            token = connection.cookies.get(PARTICIPANT_COOKIE)
            if not token:
                raise AccessDenied("join the session first")
            participant_id = await self.device_participant(session.id, token, active=True)
            if participant_id not in names:
                raise AccessDenied("this device is not checked in to this session: join again")
            return Granted(Actor(Role.PARTICIPANT, participant_id, names[participant_id]), Credential.DEVICE, token)
        if screen is PROJECTOR:
            key = connection.query_params.get("key")
            if not key:
                raise AccessDenied("the projector opens with its display link: ask the facilitator for it")
            display_link_valid(session, key)
            return Granted(Actor(Role.PROJECTOR), Credential.DISPLAY_LINK, key)
        member = await signed_in(connection, self.sign_ins, active=True)
        actor = member.actor()
        if actor is None or actor.role is not screen.role:
            raise AccessDenied(f"this screen is for a {screen.role.value}, and you are signed in as "
                               f"{'an' if member.role.value[0] in 'aeiou' else 'a'} {member.role.value}")
        return Granted(actor, Credential.SIGN_IN, connection.cookies[SIGN_IN_COOKIE], member)

    async def recheck(self, session_id: str, granted: Granted, active: bool = False) -> None:
        """`AccessDenied` (or `SignInNeeded`) once the credential a screen came in with has ended.
        It runs before every command, so it reads only what its kind of credential needs."""
        if granted.credential is Credential.DISPLAY_LINK:
            session = await self.store.session(session_id)
            if session is None:
                raise AccessDenied("the session no longer exists")
            display_link_valid(session, granted.secret)
        elif granted.credential is Credential.DEVICE:
            await self.device_participant(session_id, granted.secret, active)
        else:
            try:
                member = await self.sign_ins.current(granted.secret, active)
            except SignedOut as ended:
                raise SignInNeeded(ended.why) from None
            if member.actor() != granted.actor:
                raise AccessDenied("this account's role has changed: open the screen again")

    async def device_participant(self, session_id: str, token: str, active: bool) -> str:
        """The participant a device is checked in as; a shared tablet left idle too long forgets them."""
        row = await self.store.device(session_id, token)
        if row is None:
            raise AccessDenied("this device is not checked in to this session: join again")
        now = self.clock.now()
        if row.shared and now - row.active_at >= self.tablet_idle_seconds:
            await self.store.forget_device(token)
            raise AccessDenied("this shared tablet was left idle, so it forgot who was using it: join again")
        if active and row.shared and now - row.active_at >= DEVICE_ACTIVITY_WRITE_EVERY:
            await self.store.device_active(token, now)
        return row.participant_id
