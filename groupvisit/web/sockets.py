"""One websocket per screen: a snapshot, then every event in order, and commands with acks.

Each connection runs four loops in one task group: receive (commands), pump (events
for this screen), write (its bounded outbox to the network) and watch (its credential
is still good); whichever ends first ends the others. Subscribe, then read, then drain: nothing falls in between. Nothing a
connection does waits on another screen's network.
"""

import asyncio
import json
import time
from collections import deque
from typing import Any

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from ..actions import LiveSession, Sessions, UnknownSession, audit_row
from ..domain.errors import Refused
from ..domain.rules import role_refusal
from ..domain.views import View, view_for, visible_event
from ..hub import Overflowed, Subscription
from ..settings import Settings
from . import protocol
from .access import PARTICIPANT, AccessDenied, Gate, Granted, Screen, SignInNeeded, device_of
from .origin import same_origin

CLOSE_REFUSED = 4403  # sent before accept, so the client sees HTTP 403 at the handshake
CLOSE_ENDED = 4401  # the credential the screen came in with has ended: sign in or join again
CLOSE_POLICY = 1008  # kept sending invalid messages
CLOSE_BEHIND = 1013  # fell too far behind: reconnect with `since` to catch up
ABUSE_WINDOW = 60.0
CLOSE_TIMEOUT = 2.0
SEEN = "numbers, visit request, goal and evaluation"  # what a staff screen shows of each participant


class Cutoff(Exception):
    """End this connection with `code`; the client decides from it whether to come back."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class RateLimit:
    """A token bucket: `rate` messages a second on average, `burst` at once."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.at = float(burst), time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class LiveScreen:
    """One connected screen and what it has been sent."""

    def __init__(self, websocket: WebSocket, sessions: Sessions, live: LiveSession, granted: Granted,
                 gate: Gate, settings: Settings) -> None:
        self.websocket, self.sessions, self.live, self.gate = websocket, sessions, live, gate
        self.granted, self.actor = granted, granted.actor
        self.settings = settings
        self.outbox: asyncio.Queue[str] = asyncio.Queue(settings.outgoing_limit)
        self.limit = RateLimit(settings.rate_per_second, settings.rate_burst)
        self.bad: deque[float] = deque()
        self.sent_seq = 0
        self.sent_view: View = {}
        self.device = device_of(websocket)
        self.viewed: set[str] = set()  # participants whose data this staff screen has been audited as seeing

    def send(self, frame: dict[str, Any]) -> None:
        """Queue a frame; a screen too far behind is cut off rather than allowed to grow memory."""
        try:
            self.outbox.put_nowait(json.dumps(frame, separators=(",", ":")))
        except asyncio.QueueFull:
            raise Cutoff(CLOSE_BEHIND, "this screen fell behind: reconnect to catch up") from None

    async def write(self) -> None:
        while True:
            await self.websocket.send_text(await self.outbox.get())

    def snapshot(self) -> None:
        self.sent_view = view_for(self.live.state, self.actor)
        self.sent_seq = self.live.state.seq
        self.send(protocol.snapshot_frame(self.sent_seq, self.sessions.clock.now(), self.sent_view))

    def flush(self) -> None:
        """Queue every event after the last one sent; the view sections that changed ride on the last.

        More than the outbox could take at once, or events no longer held, and a snapshot goes instead.
        """
        missed = self.live.since(self.sent_seq)
        if missed is None or len(missed) > self.settings.outgoing_limit // 2:
            self.snapshot()
            return
        if not missed:
            return
        view = view_for(self.live.state, self.actor)
        changed = {name: part for name, part in view.items() if self.sent_view.get(name) != part}
        self.sent_view = view
        now, last_seq = self.sessions.clock.now(), missed[-1][0]
        for seq, event in missed:
            self.send(protocol.event_frame(seq, now, visible_event(event, self.actor), changed if seq == last_seq else {}))
            self.sent_seq = seq

    async def start(self, since: int | None) -> None:
        await self.sessions.refresh_continuity(self.live)  # an earlier session held, the roster changed
        await self.sessions.catch_up(self.live)
        await self.record_view()
        if since is None or since > self.live.state.seq:
            self.snapshot()
        else:
            self.sent_seq = since
            self.flush()

    async def record_view(self) -> None:
        """A staff screen receives each participant's clinical data: the audit log says who saw whose, and when
        (once per participant per connection, also for someone who checks in while the screen is open)."""
        if not self.actor.role.is_staff:
            return
        state, now = self.live.state, self.sessions.clock.now()
        new = [pid for pid in state.participants if pid not in self.viewed]
        if new:
            await self.sessions.store.audit(*(audit_row(state, self.actor, self.device, now, "viewed", SEEN, pid)
                                              for pid in new))
            self.viewed.update(new)

    async def pump(self, subscription: Subscription) -> None:
        while True:
            try:
                notice = await subscription.get()
            except Overflowed:
                await self.sessions.catch_up(self.live)
                await self.record_view()
                self.snapshot()
                continue
            await self.sessions.catch_up(self.live, notice.seq)
            await self.record_view()
            self.flush()

    async def tell_presence(self) -> None:
        """A staff screen hears which participants have a screen open, now and whenever that changes."""
        changed = asyncio.Event()
        self.live.presence_watchers.add(changed)
        try:
            while True:
                self.send(protocol.presence_frame(self.live.connected()))
                await changed.wait()
                changed.clear()
        finally:
            self.live.presence_watchers.discard(changed)

    async def watch(self) -> None:
        """Check the screen's credential again and again: a sign-out, idle time, a replaced display link
        or a wiped tablet ends the connection within `access_check_seconds`."""
        while True:
            await anyio.sleep(self.settings.access_check_seconds)
            await self.recheck()

    async def recheck(self, active: bool = False) -> None:
        try:
            await self.gate.recheck(self.live.state.session_id, self.granted, active)
        except SignInNeeded as ended:
            raise Cutoff(CLOSE_ENDED, ended.why or "signed out") from None
        except AccessDenied as denied:
            raise Cutoff(CLOSE_ENDED, denied.reason) from None

    def refuse(self, error: protocol.ProtocolError) -> None:
        """An error frame for a bad message; a client that keeps sending them is cut off."""
        self.send(protocol.error_frame(error.command_id, error.code, error.reason))
        now = time.monotonic()
        self.bad.append(now)
        while self.bad and self.bad[0] < now - ABUSE_WINDOW:
            self.bad.popleft()
        if len(self.bad) > self.settings.abuse_limit:
            raise Cutoff(CLOSE_POLICY, "too many invalid messages")

    async def receive(self) -> None:
        while True:
            frame = await self.websocket.receive()
            if frame["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(frame.get("code", 1000))
            try:
                if not self.limit.allow():
                    raise protocol.ProtocolError("rate_limited", "too many messages at once: slow down")
                message = protocol.parse(frame.get("text"))
            except protocol.ProtocolError as error:
                self.refuse(error)
                continue
            if isinstance(message, protocol.Activity):
                await self.recheck(active=True)
                continue
            if isinstance(message, protocol.SnapshotRequest):
                self.snapshot()
                continue
            await self.command(message)

    async def command(self, message: protocol.CommandMessage) -> None:
        refusal = role_refusal(message.command, self.actor.role)
        if refusal is not None:  # answered without a lock or a database read: a flood of these delays nobody
            self.send(protocol.error_frame(message.id, refusal.code, refusal.reason))
            return
        await self.recheck(active=True)  # a command from a screen whose sign-in just ended is not run
        try:
            accepted = await self.sessions.execute(self.live.state.session_id, message.command, self.actor,
                                                   command_id=message.id, sender=self.granted.sender,
                                                   device=self.device)
        except Refused as refused:
            self.flush()  # show the state that led to the refusal before the refusal itself
            self.send(protocol.error_frame(message.id, refused.code, refused.reason))
            return
        self.flush()  # the screen sees the effect of its own command before the ack
        if self.settings.test_ack_delay:
            await anyio.sleep(self.settings.test_ack_delay)
        self.send(protocol.ack_frame(message.id, accepted.seq, accepted.duplicate))


def since_param(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("since", "")
    return int(raw) if raw.isascii() and raw.isdigit() else None


def live_socket(screen: Screen):  # type: ignore[no-untyped-def]
    async def endpoint(websocket: WebSocket) -> None:
        sessions: Sessions = websocket.state.sessions
        session_id = websocket.path_params["session_id"]
        session = await sessions.store.session(session_id)
        try:
            if not same_origin(websocket, websocket.state.settings):
                raise AccessDenied("this screen was opened from another site")
            if session is None:
                raise AccessDenied("there is no such session")
            live = await sessions.get(session_id)
            names = {p.id: p.name for p in live.state.participants.values()}
            gate: Gate = websocket.state.gate
            granted = await gate.admit(screen, session, websocket, names)
        except (AccessDenied, UnknownSession):
            await websocket.close(code=CLOSE_REFUSED)  # before accept: the handshake gets HTTP 403
            return
        await websocket.accept()
        connection = LiveScreen(websocket, sessions, live, granted, gate, websocket.state.settings)
        participant = granted.actor.id if screen is PARTICIPANT else ""
        if participant:
            live.screen_opened(participant)
        try:
            async with sessions.hub.subscribe(session_id) as subscription:
                await connection.start(since_param(websocket))
                async with anyio.create_task_group() as group:
                    group.start_soon(connection.write)
                    group.start_soon(connection.pump, subscription)
                    group.start_soon(connection.watch)
                    if granted.actor.role.is_staff:
                        group.start_soon(connection.tell_presence)
                    await connection.receive()
        except* (WebSocketDisconnect, WebSocketDisconnected):
            pass  # the screen went away; the task group has already stopped its other loops
        except* Cutoff as cut:
            reason = cut.exceptions[0]
            assert isinstance(reason, Cutoff)
            with anyio.move_on_after(CLOSE_TIMEOUT):  # a stalled screen must not hold this task
                try:
                    await websocket.close(code=reason.code, reason=reason.reason)
                except (WebSocketDisconnect, WebSocketDisconnected, RuntimeError):
                    pass
        finally:
            if participant:
                live.screen_closed(participant)

    return endpoint
