"""A real uvicorn server in a thread, on 127.0.0.1 and a free port, that a test can stop and restart."""

import asyncio
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn

from groupvisit.app import create_app
from groupvisit.cli import uvicorn_config
from groupvisit.clock import Clock
from groupvisit.settings import Settings
from groupvisit.store import Store

START_TIMEOUT = 10.0


def bound_socket(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart on the same port at once
    sock.bind(("127.0.0.1", port))
    return sock


class Loopback:
    """A server of the tests' own, on 127.0.0.1 and `port`."""

    port = 0

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


class LiveServer(Loopback):
    """`start()` serves the app on a free port; `stop()` shuts it down as a deploy would; start again to restart."""

    def __init__(self, db_path: Path, clock: Clock, store: Store | None = None, **overrides: Any) -> None:
        """`store`, when given, is the server's own (a test may watch what it is asked)."""
        self.db_path, self.clock, self.store, self.overrides = db_path, clock, store, overrides
        self.port = 0
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def settings(self) -> Settings:
        return replace(Settings(database_url=f"sqlite:///{self.db_path}", host="127.0.0.1", port=self.port),
                       **self.overrides)

    def start(self) -> None:
        sock = bound_socket(self.port)
        self.port = sock.getsockname()[1]
        config = uvicorn_config(create_app(self.settings, store=self.store, clock=self.clock), self.settings, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.should_exit = True
        self.thread.join(timeout=START_TIMEOUT)
        if self.thread.is_alive():
            raise RuntimeError("the test server did not stop")
        self.server = self.thread = None

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)

    async def astart(self) -> None:
        await asyncio.to_thread(self.start)
