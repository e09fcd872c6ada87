"""Real websocket clients that behave like the screens' live.js: seq, view sections, commands, reconnect."""

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

RECONNECT_LIMIT = 20.0
_ids = itertools.count(1)


class Link(NamedTuple):
    """Where a screen's websocket connects, and the cookie its browser would send with it."""

    url: str
    cookie: str | None = None

    def since(self, seq: int) -> "Link":
        return Link(f"{self.url}{'&' if '?' in self.url else '?'}since={seq}", self.cookie)


class Refusal(Exception):
    def __init__(self, frame: dict[str, Any]) -> None:
        super().__init__(frame["reason"])
        self.code, self.reason = frame["code"], frame["reason"]


class ScreenClient:
    """One screen: keeps its view in sequence and reconnects with `since` when the server goes away."""

    def __init__(self, target: Link | str, cookie: str | None = None, name: str = "") -> None:
        if isinstance(target, Link):
            target, cookie = target
        self.url, self.cookie, self.name = target, cookie, name
        self.view: dict[str, Any] = {}
        self.seq: int | None = None
        self.frames: list[str] = []  # everything received, raw, for privacy checks
        self.events: list[dict[str, Any]] = []
        self.presence: list[str] | None = None  # a staff screen's last `presence` frame: who has a screen open
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.changed = asyncio.Event()
        self.connection: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.connects = 0
        self.closing = False

    async def connect(self) -> "ScreenClient":
        url = self.url if self.seq is None else f"{self.url}{'&' if '?' in self.url else '?'}since={self.seq}"
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.connection = await websockets.connect(url, additional_headers=headers, compression=None)
        self.connects += 1
        self.changed.set()
        self.reader = asyncio.create_task(self.read())
        await self.wait_for(lambda v: self.seq is not None)
        return self

    async def read(self) -> None:
        assert self.connection is not None
        try:
            async for raw in self.connection:
                assert isinstance(raw, str)
                self.frames.append(raw)
                self.receive(json.loads(raw))
        except websockets.ConnectionClosed:
            pass
        for future in self.pending.values():
            if not future.done():
                future.set_exception(ConnectionError("connection closed"))
        self.pending.clear()
        if not self.closing:
            asyncio.get_running_loop().create_task(self.reconnect())

    def receive(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "snapshot":
            self.view, self.seq = frame["view"], frame["seq"]
        elif kind == "event":
            assert self.seq is not None
            if frame["seq"] <= self.seq:
                return
            assert frame["seq"] == self.seq + 1, f"{self.name}: gap from {self.seq} to {frame['seq']}"
            self.seq = frame["seq"]
            self.view.update(frame["view"])
            if frame["event"] is not None:
                self.events.append(frame["event"])
        elif kind == "presence":
            self.presence = frame["connected"]
        elif kind in ("ack", "error") and frame.get("id") in self.pending:
            self.pending.pop(frame["id"]).set_result(frame)
        self.changed.set()

    async def reconnect(self) -> None:
        deadline = asyncio.get_running_loop().time() + RECONNECT_LIMIT
        while not self.closing:
            try:
                await self.connect()
                return
            except (OSError, websockets.InvalidHandshake, websockets.ConnectionClosed):
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.1)

    async def send(self, name: str, **args: Any) -> dict[str, Any]:
        """Send a command; the ack frame, or `Refusal` carrying the error frame."""
        assert self.connection is not None
        command_id = f"c{next(_ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[command_id] = future
        await self.connection.send(json.dumps({"type": "command", "id": command_id, "name": name, "args": args}))
        frame = await asyncio.wait_for(future, 10)
        if frame["type"] == "error":
            raise Refusal(frame)
        return frame

    async def send_raw(self, text: str) -> None:
        assert self.connection is not None
        await self.connection.send(text)

    async def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10) -> None:
        async def until() -> None:
            while not predicate(self.view):
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(until(), timeout)

    async def wait_seq(self, seq: int, timeout: float = 10) -> None:
        await self.wait_for(lambda v: self.seq is not None and self.seq >= seq, timeout)

    async def close(self) -> None:
        self.closing = True
        if self.connection is not None:
            await self.connection.close()
        if self.reader is not None:
            await self.reader


def form_token(page: str) -> str:
    """The CSRF token a page put in its forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def send_form(client: httpx.AsyncClient, path: str, data: dict[str, str], page: str = "/join",
                    cookie: str | None = None) -> httpx.Response:
    """Post a form the way a browser does: with the CSRF token from the page it is on."""
    if cookie:
        client.cookies.set(*cookie.split("=", 1))
    token = form_token((await client.get(page)).text)
    return await client.post(path, data={**data, "csrf": token})


async def join(http_base: str, code: str, name: str, shared_device: bool = False) -> tuple[str, str]:
    """Join as a participant through the join form; the session id and the device's cookie header."""
    async with httpx.AsyncClient(base_url=http_base) as client:
        form = {"code": code, "display_name": name, **({"shared_device": "yes"} if shared_device else {})}
        response = await send_form(client, "/join", form)
        assert response.status_code == 303, response.text
        session_path = response.headers["location"]
        token = response.cookies["gv_participant"]
    return session_path.rsplit("/", 1)[-1], f"gv_participant={token}"


async def sign_in(http_base: str, username: str, password: str) -> str:
    """Sign a staff member in through the sign-in form; the browser's cookie header."""
    async with httpx.AsyncClient(base_url=http_base) as client:
        response = await send_form(client, "/login", {"username": username, "password": password}, page="/login")
        assert response.status_code == 303, response.text
        return f"gv_signin={response.cookies['gv_signin']}"


def keys_in(value: Any) -> set[str]:
    """Every key of every object nested in `value`."""
    if isinstance(value, dict):
        return set(value).union(*(keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_in(v) for v in value))
    return set()
