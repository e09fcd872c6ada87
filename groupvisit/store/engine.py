"""The database the store works on: an engine per URL and a way to run work on it off the event loop.

A sync engine runs in worker threads, so no database call blocks the event loop.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from . import schema

T = TypeVar("T")


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # writers queue instead of failing "database is locked"
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged command survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        sa_event.listen(engine, "connect", sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One database at the current schema; each part of the store (log, devices, attempts, staff) runs
    its work on it with `run`."""


    def __init__(self, url: str) -> None:
        """Opens a database at the current schema; an empty one gets it. `schema.SchemaError` otherwise."""
        self.engine = make_engine(url)
        try:
            schema.prepare(self.engine, url)
        except Exception:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_thread() -> T:
            with Session(self.engine, expire_on_commit=False) as db:
                return work(db)

        return await anyio.to_thread.run_sync(in_thread)
