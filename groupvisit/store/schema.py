"""The database's schema and its version: Alembic revisions in `migrations/`.

A store opens only a database whose schema is the one this code knows (the newest revision,
"head"): an empty database gets that schema at once, and any other is refused with the
command that upgrades it. `upgrade` is that command's work.
"""

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import SQLModel, create_engine

from . import tables  # noqa: F401  (the tables SQLModel.metadata holds)

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema as it was before migrations: a database without a version has it
SCHEMA_LOCK = 0x67760001  # PostgreSQL advisory lock key: one schema change at a time


class SchemaError(Exception):
    """The database's schema is not the one this code knows; the message says what to do."""


class SchemaOutdated(SchemaError):
    pass


class SchemaUnknown(SchemaError):
    pass


def shown(url: str) -> str:
    """The database as `--db` takes it: a SQLite file's path, or the URL without its password."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def upgrade_command(url: str) -> str:
    return f"groupvisit db upgrade --db {shlex.quote(shown(url))}"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def configured_url() -> str:
    """The database the `alembic` command works on (a developer writing a revision)."""
    from ..settings import Settings

    return Settings.from_env().database_url


def schema_engine(url: str) -> Engine:
    """An engine whose transactions hold DDL too, one writer at a time: on SQLite each begins with
    BEGIN IMMEDIATE (pysqlite would otherwise run DDL outside any transaction), so a failed upgrade
    leaves the database as it was. Foreign keys are not enforced while tables are copied (batch mode);
    `upgrade` checks them before it commits."""
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by pysqlite
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()

    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


@contextmanager
def connected(url: str) -> Iterator[Connection]:
    """A transaction on `url` that no other schema change runs beside; committed if the block succeeds."""
    engine = schema_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            yield connection
    finally:
        engine.dispose()


def revision_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def known(revision: str) -> bool:
    try:
        scripts().get_revision(revision)
    except CommandError:
        return False
    return True


def refusal(url: str, revision: str | None) -> SchemaError:
    """Why a database at `revision` (None: no version, though it has tables) cannot be opened."""
    if revision is None:
        return SchemaOutdated(f"the database {shown(url)} was made before schema migrations: "
                              f"run `{upgrade_command(url)}` first")
    if not known(revision):
        return SchemaUnknown(f"the database {shown(url)} is at schema revision {revision!r}, which this "
                             "version of groupvisit does not know (a newer one made it): run that newer version")
    return SchemaOutdated(f"the database {shown(url)} needs upgrading (schema revision {revision}, this version "
                          f"of groupvisit needs {scripts().get_current_head()}): run `{upgrade_command(url)}` first")


def empty(connection: Connection) -> bool:
    return revision_of(connection) is None and not inspect(connection).get_table_names()


def create(connection: Connection) -> None:
    """The current schema at once, on an empty database (no need to run every revision)."""
    SQLModel.metadata.create_all(connection)
    MigrationContext.configure(connection).stamp(scripts(), "head")


def prepare(engine: Engine, url: str) -> None:
    """Give an empty database the current schema; `SchemaError` for one at any other revision."""
    head = scripts().get_current_head()
    with engine.connect() as connection:
        revision, new = revision_of(connection), empty(connection)
    if revision == head:
        return
    if not new:
        raise refusal(url, revision)
    with connected(url) as connection:
        if empty(connection):  # still: another process may have just made it
            create(connection)
        elif (revision := revision_of(connection)) != head:
            raise refusal(url, revision)


def upgrade(url: str) -> list[str]:
    """Bring the database to the current schema, in one transaction; what was done, one line each."""
    done: list[str] = []
    with connected(url) as connection:
        if empty(connection):
            create(connection)
            return [f"created the schema (revision {scripts().get_current_head()})"]
        revision = revision_of(connection)
        if revision is None:
            MigrationContext.configure(connection).stamp(scripts(), BASELINE)
            done.append(f"marked as revision {BASELINE} (the schema from before migrations)")
            revision = BASELINE
        if not known(revision):
            raise refusal(url, revision)
        steps = list(reversed(list(scripts().iterate_revisions("head", revision))))
        command.upgrade(alembic_config(connection), "head")
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise SchemaError(f"the upgrade would break references between tables: {broken[:5]}")
        done += [f"upgraded to revision {step.revision}: {step.doc}" for step in steps]
    return done
