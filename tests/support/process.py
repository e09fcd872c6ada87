"""Test support for the live channel's fault-tolerance tests.

- `ServerProcess`: `python -m groupvisit serve` in a subprocess on a free 127.0.0.1 port, with
  environment overrides; stopped with SIGTERM (`terminate`) or SIGKILL (`kill`), restarted on the
  same port, and always cleaned up (context manager, `stop()`, and a last-resort `atexit`).
- `seed_session`: a session with its projector, a facilitator and two clinicians, created with
  `Store` on the database file a server (thread or subprocess) serves.
- `ResendingClient`: a `ScreenClient` that re-sends an unanswered command with the *same* id
  after a timeout or a reconnect, and remembers every answer and every close code.
- `RecordingSocket`: a raw websocket that keeps every frame it receives (for exact checks of
  what the server sent), and `LiveRelay`: a TCP relay that can black-hole a connection (stop
  forwarding without closing it) and tells when the server's side of it closed.
- `assert_log_replays_to_live`: the invariant after every test: the stored log has no gaps,
  and replaying it gives the view a fresh snapshot shows, for every screen given.
"""

import asyncio
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from groupvisit.continuity import carried_into
from groupvisit.domain import Actor, Role, SessionState, replay
from groupvisit.domain.views import view_for
from groupvisit.store import Store
from support.accounts import Staff, signed_in_team
from support.clients import Link, Refusal, ScreenClient
from support.server import Loopback

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
SESSION_START = 1_790_000_000.0

_running: set["ServerProcess"] = set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess(Loopback):
    """`groupvisit serve` in its own process: `start`, `terminate` (SIGTERM), `kill` (SIGKILL), `restart`."""

    def __init__(self, db_path: Path, env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        self.db_path = db_path
        self.env = {key: str(value) for key, value in (env or {}).items()}
        self.log_path = log_path or db_path.with_suffix(".server.log")
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.returncodes: list[int] = []  # how each run ended: 0 for a clean exit, -9 for SIGKILL

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> "ServerProcess":
        """Start (on the same port as before, if it ran before) and wait until `/healthz` answers."""
        assert not self.running, "the server is already running"
        if not self.port:
            self.port = free_port()
        env = {**os.environ, "GROUPVISIT_DB": str(self.db_path), **self.env}
        env.pop("GROUPVISIT_PUBLIC_URL", None)
        with self.log_path.open("ab") as log:
            log.write(f"--- start on port {self.port}\n".encode())
            self.process = subprocess.Popen(
                [sys.executable, "-m", "groupvisit", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--db", str(self.db_path)],
                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        _running.add(self)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                self._reap()
                raise RuntimeError(f"the server exited at start with {self.returncodes[-1]}:\n{self.output()}")
            try:
                if httpx.get(f"{self.http}/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the server did not answer /healthz within {START_TIMEOUT} s:\n{self.output()}")
            time.sleep(0.05)

    def _signal(self, signum: int, timeout: float) -> int:
        assert self.process is not None, "the server is not running"
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)
            self._reap()
            raise RuntimeError(f"the server did not exit within {timeout} s of signal {signum}:\n{self.output()}")
        return self._reap()

    def _reap(self) -> int:
        assert self.process is not None
        code = self.process.returncode
        self.returncodes.append(code)
        self.process = None
        _running.discard(self)
        return code

    def terminate(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, as a deploy stops it; its exit code (0 after a graceful shutdown)."""
        return self._signal(signal.SIGTERM, timeout)

    def kill(self) -> int:
        """SIGKILL: the process disappears between one instruction and the next."""
        return self._signal(signal.SIGKILL, STOP_TIMEOUT)

    def restart(self, how: str = "terminate") -> int:
        code = self.kill() if how == "kill" else self.terminate()
        self.start()
        return code

    def stop(self) -> None:
        """Idempotent cleanup: SIGTERM, then SIGKILL if it hangs."""
        if self.process is None:
            return
        try:
            self.terminate(timeout=5.0)
        except RuntimeError:
            pass

    async def astart(self) -> "ServerProcess":
        return await asyncio.to_thread(self.start)

    async def aterminate(self, timeout: float = STOP_TIMEOUT) -> int:
        return await asyncio.to_thread(self.terminate, timeout)

    async def akill(self) -> int:
        return await asyncio.to_thread(self.kill)

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_running):
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=STOP_TIMEOUT)


# --- a seeded session ----------------------------------------------------------------

@dataclass
class Seeded:
    """One session and the links to its screens, on some server's `ws` base URL."""

    store: Store
    session_id: str
    join_code: str
    projector_key: str
    facilitator: Staff
    clinicians: list[Staff]
    ws: str = ""
    http: str = ""
    cookies: dict[str, str] = field(default_factory=dict)  # participant name -> cookie header

    @property
    def db_path(self) -> Path:
        """The SQLite file the session lives in, for a server process to serve."""
        return Path(str(self.store.engine.url.database))

    def on(self, server: Any) -> "Seeded":
        """Point the URLs at `server` (a `ServerProcess` or a `LiveServer`)."""
        self.ws, self.http = server.ws, server.http
        return self

    def url(self, screen: str) -> str:
        return f"{self.ws}/{screen}/{self.session_id}/ws"

    @property
    def projector_url(self) -> Link:
        return Link(f"{self.url('projector')}?key={self.projector_key}")

    @property
    def console_url(self) -> Link:
        return Link(self.url("console"), self.facilitator.cookie)

    def queue_url(self, n: int = 0) -> Link:
        return Link(self.url("queue"), self.clinicians[n].cookie)

    @property
    def participant_url(self) -> str:
        return self.url("p")

    async def join(self, name: str) -> str:
        """Check a participant in through `POST /join`; their device's cookie header."""
        from support.clients import join

        session_id, cookie = await join(self.http, self.join_code, name)
        assert session_id == self.session_id
        self.cookies[name] = cookie
        return cookie

    def screens(self) -> list[Link]:
        """Every kind of screen of this session, for the replay invariant."""
        return [self.projector_url, self.console_url, self.queue_url(0),
                *(Link(self.participant_url, cookie) for cookie in self.cookies.values())]


@asynccontextmanager
async def seeded(db: Path) -> AsyncIterator[Seeded]:
    """A session seeded in the SQLite file `db`; its store is closed afterwards."""
    store = Store(f"sqlite:///{db}")
    try:
        yield await seed_session(store)
    finally:
        store.close()


async def seed_session(store: Store, title: str = "Diabetes group visit", vote_budget: int = 3,
                       signed_in_at: float | None = None) -> Seeded:
    """A new session, and a facilitator and two clinicians signed in (at `signed_in_at`, by default now:
    the server's clock must not find them idle), in the database `store` writes to."""
    session, projector_key = await store.create_session(
        title=title, cohort="Diabetes group (Tuesday)", starts_at=SESSION_START,
        ends_at=SESSION_START + 120 * 60, vote_budget=vote_budget)
    team = await signed_in_team(store, time.time() if signed_in_at is None else signed_in_at)
    return Seeded(store, session.id, session.join_code, projector_key, team["alex"], [team["sam"], team["priya"]])


# --- clients -------------------------------------------------------------------------

class ResendingClient(ScreenClient):
    """A screen that re-sends an unanswered command with the same id, as the issue asks screens to."""

    def __init__(self, url: Link | str, cookie: str | None = None, name: str = "") -> None:
        super().__init__(url, cookie, name)
        self.answers: list[dict[str, Any]] = []  # every ack and error frame, in order
        self.closes: list[int | None] = []  # the close code of each connection that ended

    async def connect(self) -> "ResendingClient":
        await super().connect()
        return self

    def receive(self, frame: dict[str, Any]) -> None:
        if frame["type"] in ("ack", "error"):
            self.answers.append(frame)
        super().receive(frame)

    async def reconnect(self) -> None:
        if self.connection is not None:
            self.closes.append(self.connection.close_code)
        await super().reconnect()

    async def send_with_id(self, command_id: str, name: str, args: dict[str, Any] | None = None, *,
                           attempt_timeout: float = 3.0, timeout: float = 30.0) -> dict[str, Any]:
        """Send until answered: after `attempt_timeout` without an answer, or after the connection
        dropped (once the client has reconnected), send the same command with the same id again."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        text = json.dumps({"type": "command", "id": command_id, "name": name, "args": args or {}})
        while True:
            connection = self.connection
            future: asyncio.Future[dict[str, Any]] = loop.create_future()
            self.pending[command_id] = future
            try:
                assert connection is not None
                await connection.send(text)
                frame = await asyncio.wait_for(future, min(attempt_timeout, max(0.1, deadline - loop.time())))
            except (ConnectionError, websockets.ConnectionClosed, TimeoutError):
                if loop.time() > deadline:
                    raise TimeoutError(f"{self.name}: {name} {command_id} was never answered") from None
                await self.wait_for_new_connection(connection, deadline)
                continue
            if frame["type"] == "error":
                raise Refusal(frame)
            return frame

    async def wait_for_new_connection(self, old: ClientConnection | None, deadline: float) -> None:
        """Until the client has an open connection (a new one, if `old` closed)."""
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            current = self.connection
            if current is not None and current.state is websockets.State.OPEN and (
                    current is not old or old.state is websockets.State.OPEN):
                return
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{self.name} did not reconnect")


def tcp_send_queue(local_port: int, remote_port: int) -> int | None:
    """Bytes the kernel holds unsent on the IPv4 loopback connection `local_port` -> `remote_port`
    (Linux's /proc/net/tcp); None where that cannot be read."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        local, remote, queues = parts[1], parts[2], parts[4]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == remote_port:
            return int(queues.split(":")[0], 16)
    return None


def event_seqs(frames: Iterable[dict[str, Any]]) -> list[int]:
    return [frame["seq"] for frame in frames if frame["type"] == "event"]


class RecordingSocket:
    """A raw websocket that keeps every frame it received, parsed, and how it ended."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.frames: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.reader = asyncio.create_task(self.read())

    @classmethod
    async def open(cls, url: Link | str, cookie: str | None = None, **options: Any) -> "RecordingSocket":
        if isinstance(url, Link):
            url, cookie = url
        headers = {"Cookie": cookie} if cookie else None
        options.setdefault("compression", None)
        return cls(await websockets.connect(url, additional_headers=headers, **options))

    async def read(self) -> None:
        try:
            async for raw in self.connection:
                assert isinstance(raw, str), "the server sent a binary frame"
                self.frames.append(json.loads(raw))
                self.arrived.set()
        except websockets.ConnectionClosed:
            pass
        self.arrived.set()

    @property
    def close_code(self) -> int | None:
        return self.connection.close_code

    @property
    def closed(self) -> bool:
        return self.reader.done()

    async def send(self, message: Any) -> None:
        await self.connection.send(message if isinstance(message, str) else json.dumps(message))

    async def wait_until(self, predicate: Any, timeout: float = 5.0) -> None:
        async def until() -> None:
            while not predicate(self):
                self.arrived.clear()
                if self.closed and not predicate(self):
                    raise ConnectionError(f"closed ({self.close_code}) before the expected frames arrived")
                await self.arrived.wait()

        await asyncio.wait_for(until(), timeout)

    async def answer(self, start: int, timeout: float = 5.0, command_id: str | None = None,
                     kinds: tuple[str, ...] = ("ack", "error", "snapshot")) -> dict[str, Any]:
        """The first frame of one of `kinds` at or after index `start` of `frames` (with `command_id`, if given)."""
        def fits(frame: dict[str, Any]) -> bool:
            return frame["type"] in kinds and (command_id is None or frame.get("id") == command_id)

        await self.wait_until(lambda sock: any(fits(f) for f in sock.frames[start:]), timeout)
        return next(f for f in self.frames[start:] if fits(f))

    async def command(self, command_id: str, name: str, timeout: float = 5.0, **args: Any) -> dict[str, Any]:
        """Send a command; its ack or error frame."""
        start = len(self.frames)
        await self.send({"type": "command", "id": command_id, "name": name, "args": args})
        return await self.answer(start, timeout, command_id, kinds=("ack", "error"))

    async def wait_closed(self, timeout: float = 5.0) -> int | None:
        await asyncio.wait_for(asyncio.shield(self.reader), timeout)
        return self.close_code

    async def close(self) -> None:
        await self.connection.close()
        await self.reader


class LiveRelay:
    """A TCP relay to 127.0.0.1:`upstream_port`. `black_hole()` stops forwarding both ways without
    closing anything, as a device whose network vanished; the relay keeps reading (and dropping)
    what the server sends, so it sees when the server closes its side (`server_closed`)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.server: asyncio.Server | None = None
        self.port = 0
        self.holed = False
        self.server_closed = asyncio.Event()
        self.server_closed_at: float | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> "LiveRelay":
        self.server = await asyncio.start_server(self.relay, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def relay(self, device_reader: asyncio.StreamReader, device_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self.writers.update((device_writer, server_writer))
        try:
            await asyncio.gather(self.pipe(device_reader, server_writer, from_server=False),
                                 self.pipe(server_reader, device_writer, from_server=True))
        finally:
            for writer in (device_writer, server_writer):
                self.writers.discard(writer)
                writer.transport.abort()
            self.tasks.discard(task)

    async def pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, from_server: bool) -> None:
        try:
            while data := await reader.read(65536):
                if self.holed:
                    continue  # dropped on the floor: nothing arrives, nothing is closed
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        if from_server:  # the server closed (FIN or reset) its side of the connection
            self.server_closed_at = time.monotonic()
            self.server_closed.set()
        if self.holed:
            await asyncio.Event().wait()  # a vanished network tells the other side nothing
        writer.transport.abort()

    def black_hole(self) -> None:
        self.holed = True

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.server is not None:
            await self.server.wait_closed()


# --- the invariant after every test ---------------------------------------------------

def actor_of(view: dict[str, Any]) -> Actor:
    viewer = view["viewer"]
    return Actor(Role(viewer["role"]), viewer["id"], viewer["name"])


async def fresh_snapshot(url: str, cookie: str | None = None) -> tuple[int, dict[str, Any]]:
    """The seq and view of a snapshot on a new connection (no `since`)."""
    sock = await RecordingSocket.open(url, cookie)
    try:
        await sock.wait_until(lambda s: bool(s.frames), timeout=10)
    finally:
        await sock.close()
    first = sock.frames[0]
    assert first["type"] == "snapshot", f"a connection without since began with {first['type']}"
    return first["seq"], first["view"]


async def assert_log_replays_to_live(store: Store, session_id: str,
                                     screens: Iterable[tuple[str, str | None]]) -> SessionState:
    """The log has no gaps or repeats; replaying it gives each screen's live view (a fresh snapshot)."""
    stored = await store.events(session_id)
    seqs = [seq for seq, _ in stored]
    assert seqs == list(range(1, len(stored) + 1)), f"the log has gaps or repeats: {seqs[-20:]}"
    state = replay(event for _, event in stored)
    state.continuity = await carried_into(store, session_id)  # what the cohort's earlier sessions carry in
    for url, cookie in screens:
        seq, view = await fresh_snapshot(url, cookie)
        assert seq == len(stored), f"live seq {seq}, stored {len(stored)} ({url})"
        assert view == view_for(state, actor_of(view)), f"the live view differs from the replayed log ({url})"
    assert_invariants(state)
    return state


def assert_invariants(state: SessionState) -> None:
    """What no interleaving may break: vote budgets, votes only on open topics, one active encounter each."""
    for pid in state.participants:
        assert state.votes_used(pid) <= state.vote_budget, f"{pid} used more than {state.vote_budget} votes"
    for topic in state.topics.values():
        assert all(count > 0 for count in topic.votes.values())
        assert topic.status == "open" or not topic.votes, f"{topic.id} is {topic.status} and holds votes"
    encounters = list(state.encounters.values())
    active = [e for e in encounters if e.active]
    assert max(Counter(e.participant_id for e in active).values(), default=0) <= 1
    assert max(Counter(e.clinician_id for e in active).values(), default=0) <= 1
    assert all(e.clinician_id for e in active)
