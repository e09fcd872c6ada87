"""One websocket per screen: a snapshot, then every event in order, and commands with acks.

Each connection is a receive loop and a send loop in one task group; whichever ends
first ends the other. Subscribe, then read, then drain: nothing falls in between.
"""

import json
from typing import Any

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from ..actions import LiveSession, Sessions, UnknownSession
from ..domain import Actor
from ..domain.errors import Refused
from ..domain.views import View, view_for, visible_event
from ..hub import Overflowed, Subscription
from . import protocol
from .access import PARTICIPANT_COOKIE, AccessDenied, Screen, screen_actor

CLOSE_REFUSED = 4403  # access refused: the client stops retrying


class LiveScreen:
    """One connected screen and what it has been sent."""

    def __init__(self, websocket: WebSocket, sessions: Sessions, live: LiveSession, actor: Actor) -> None:
        self.websocket, self.sessions, self.live, self.actor = websocket, sessions, live, actor
        self.sent_seq = 0
        self.sent_view: View = {}
        self.send_lock = anyio.Lock()

    async def send(self, frame: dict[str, Any]) -> None:
        await self.websocket.send_text(json.dumps(frame, separators=(",", ":")))

    async def snapshot(self) -> None:
        async with self.send_lock:
            await self.send_snapshot()

    async def send_snapshot(self) -> None:
        now = self.sessions.clock.now()
        self.sent_view = view_for(self.live.state, self.actor)
        self.sent_seq = self.live.state.seq
        await self.send(protocol.snapshot_frame(self.sent_seq, now, self.sent_view))

    async def flush(self) -> None:
        """Send every event after the last one sent; the view sections that changed ride on the last."""
        async with self.send_lock:
            missed = self.live.since(self.sent_seq)
            if missed is None:  # older than what is held in memory: start over from a snapshot
                await self.send_snapshot()
                return
            if not missed:
                return
            now = self.sessions.clock.now()
            view = view_for(self.live.state, self.actor)
            changed = {name: part for name, part in view.items() if self.sent_view.get(name) != part}
            self.sent_view = view
            last_seq = missed[-1][0]
            for seq, event in missed:
                await self.send(protocol.event_frame(seq, now, visible_event(event, self.actor),
                                                     changed if seq == last_seq else {}))
                self.sent_seq = seq

    async def start(self, since: int | None) -> None:
        await self.sessions.catch_up(self.live)
        if since is None or since > self.live.state.seq or self.live.since(since) is None:
            await self.snapshot()
        else:
            self.sent_seq = since
            await self.flush()

    async def pump(self, subscription: Subscription) -> None:
        while True:
            try:
                notice = await subscription.get()
            except Overflowed:
                await self.sessions.catch_up(self.live)
                await self.snapshot()
                continue
            await self.sessions.catch_up(self.live, notice.seq)
            await self.flush()

    async def receive(self) -> None:
        while True:
            frame = await self.websocket.receive()
            if frame["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(frame.get("code", 1000))
            try:
                message = protocol.parse(frame.get("text"))
            except protocol.ProtocolError as error:
                await self.send(protocol.error_frame(error.command_id, error.code, error.reason))
                continue
            if isinstance(message, protocol.SnapshotRequest):
                await self.snapshot()
                continue
            session_id = self.live.state.session_id
            try:
                stored = await self.sessions.execute(session_id, message.command, self.actor)
            except Refused as refused:
                await self.flush()  # show the state that led to the refusal before the refusal itself
                await self.send(protocol.error_frame(message.id, refused.code, refused.reason))
                continue
            await self.flush()  # the screen sees the effect of its own command before the ack
            await self.send(protocol.ack_frame(message.id, stored[-1][0]))


def since_param(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("since", "")
    return int(raw) if raw.isascii() and raw.isdigit() else None


def live_socket(screen: Screen):  # type: ignore[no-untyped-def]
    async def endpoint(websocket: WebSocket) -> None:
        sessions: Sessions = websocket.state.sessions
        session_id = websocket.path_params["session_id"]
        session = await sessions.store.session(session_id)
        try:
            if session is None:
                raise AccessDenied("there is no such session")
            live = await sessions.get(session_id)
            names = {p.id: p.name for p in live.state.participants.values()}
            actor = await screen_actor(sessions.store, screen, session, websocket.query_params.get("key"),
                                       websocket.cookies.get(PARTICIPANT_COOKIE), names)
        except (AccessDenied, UnknownSession):
            await websocket.close(code=CLOSE_REFUSED)  # before accept: the handshake gets HTTP 403
            return
        await websocket.accept()
        connection = LiveScreen(websocket, sessions, live, actor)
        try:
            async with sessions.hub.subscribe(session_id) as subscription:
                await connection.start(since_param(websocket))
                async with anyio.create_task_group() as group:
                    group.start_soon(connection.pump, subscription)
                    await connection.receive()
                    group.cancel_scope.cancel()
        except* (WebSocketDisconnect, WebSocketDisconnected):
            pass  # the screen went away; the task group has already stopped its other loop

    return endpoint
