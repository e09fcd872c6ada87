"""Who is looking: each screen's credential resolved to an actor, or refused.

Until staff accounts exist, each staff member and each projector has an unguessable
link key; a participant's device holds a cookie scoped to its session.
"""

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from ..domain import Actor, Role
from ..store import Store
from ..store.keys import key_hash
from ..store.tables import SessionRow

PARTICIPANT_COOKIE = "gv_participant"


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


def device_of(connection: HTTPConnection) -> str:
    """Where a request came from, for the audit log: the address and the browser's own name."""
    client = connection.client.host if connection.client else "unknown"
    return f"{client} · {connection.headers.get('user-agent', 'no user agent')[:120]}"


def participant_cookie_path(session_id: str) -> str:
    return f"/p/{session_id}"


async def screen_actor(store: Store, screen: Screen, session: SessionRow, key: str | None,
                       participant_token: str | None, participant_name: dict[str, str]) -> Actor:
    """The actor behind a request for `screen` of `session`, or `AccessDenied`."""
    if screen is PARTICIPANT:
        if not participant_token:
            raise AccessDenied("join the session first")
        pid = await store.participant_for_token(session.id, participant_token)
        if pid is None or pid not in participant_name:
            raise AccessDenied("this device is not checked in to this session: join again")
        return Actor(Role.PARTICIPANT, pid, participant_name[pid])
    if not key:
        raise AccessDenied("this screen needs its link: open the link you were given")
    if screen is PROJECTOR:
        if key_hash(key) != session.projector_key_hash:
            raise AccessDenied("this projector link is not valid (it may have been replaced)")
        return Actor(Role.PROJECTOR)
    staff = await store.staff_by_key(key)
    if staff is None:
        raise AccessDenied("this staff link is not valid (it may have been replaced)")
    if staff.role != screen.role.value:
        raise AccessDenied(f"this screen is for a {screen.role.value}, and this link belongs to a {staff.role}")
    return Actor(Role(staff.role), staff.id, staff.name)
