"""Schema migrations: a database from before migrations is upgraded with everything in it, an outdated
one is refused with the command that upgrades it, and every way to a schema ends at the tables' own.

The database "from before migrations" is made by the baseline revision with its version table then
dropped: exactly what `create_all` made before this change (the baseline was generated from it).
It is filled with rows a real server wrote, a session run through its screens. A database at revision
0003 (the schema before cohorts) is filled the same way, and its sessions must come out each in a cohort.
"""

import json
import sqlite3
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from groupvisit.clock import SystemClock
from groupvisit.domain import replay
from groupvisit.domain.events import SessionScheduled
from groupvisit.domain.settings import PlannerSettings
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, PatientFields, SchemaError, Store
from groupvisit.store.schema import BASELINE, alembic_config, connected
from groupvisit.store.tables import AuditRow
from support.clients import join
from support.process import RecordingSocket, Seeded, ServerProcess, assert_log_replays_to_live, seeded
from support.server import LiveServer
from test_cli import running

BASELINE_TABLES = ("sessions", "users", "audit", "commands", "events", "participant_devices", "sign_ins")


def groupvisit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "groupvisit", *args], capture_output=True, text=True, timeout=60)


def url(db: Path) -> str:
    return f"sqlite:///{db}"


def at_revision(db: Path, revision: str) -> None:
    """Run the revisions up to `revision` on `db`."""
    with connected(url(db)) as connection:
        command.upgrade(alembic_config(connection), revision)


def before_migrations(db: Path) -> None:
    """An empty database as `create_all` made it before migrations: the baseline, with no version."""
    at_revision(db, BASELINE)
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TABLE alembic_version")


def schema_differences(db: Path) -> list[Any]:
    engine = create_engine(url(db))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_server_default": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def commands_key(db: Path) -> list[str]:
    engine = create_engine(url(db))
    try:
        return list(inspect(engine).get_pk_constraint("commands")["constrained_columns"])
    finally:
        engine.dispose()


# Columns later revisions added to the baseline's tables: `rows` compares what was there before.
ADDED_COLUMNS = {"sender", "cohort_id", "cancelled_at", "attending"}


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as raw:
        columns = ", ".join(column for column in raw_columns(raw, table) if column not in ADDED_COLUMNS)
        return sorted(raw.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)


def raw_columns(raw: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]


async def run_a_session(db: Path) -> tuple[Seeded, str]:
    """A session on `db` with what a real server writes: a participant's device, sign-ins, commands
    (each with its id) and audit rows. Returns the session and the participant's cookie."""
    async with seeded(db) as room:
        server = LiveServer(db, SystemClock())
        await server.astart()
        try:
            cookie = await room.on(server).join("Ann")
            ann = await RecordingSocket.open(room.participant_url, cookie)
            console = await RecordingSocket.open(*room.console_url)
            try:
                assert (await ann.command("ann-1", "record_numbers", glucose=140))["type"] == "ack"
                assert (await console.command("alex-1", "propose_topic", title="Eating out"))["type"] == "ack"
            finally:
                await ann.close()
                await console.close()
        finally:
            await server.astop()
    return room, cookie


def copy_rows(source: Path, target: Path, tables: tuple[str, ...] = BASELINE_TABLES) -> None:
    """Every row of `tables` from `source` into `target`, in the columns `target`'s older schema has."""
    with sqlite3.connect(target) as raw:
        raw.execute("ATTACH DATABASE ? AS source", (str(source),))
        for table in tables:
            columns = ", ".join(raw_columns(raw, table))
            raw.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM source.{table}")
        raw.commit()
        raw.execute("DETACH DATABASE source")


@pytest.mark.asyncio
async def test_a_database_from_before_migrations_is_upgraded_with_everything_in_it(tmp_path: Path) -> None:
    written, old = tmp_path / "written.db", tmp_path / "old.db"
    room, cookie = await run_a_session(written)
    before_migrations(old)
    copy_rows(written, old)
    held = {table: len(rows(old, table)) for table in ("events", "commands", "participant_devices", "sign_ins")}
    assert held == {"events": 4, "commands": 2, "participant_devices": 1, "sign_ins": 4}  # the team of four
    audited = len(rows(old, "audit"))
    assert audited >= 3, "a check-in and two commands, at least, are in the audit log"

    upgraded = groupvisit("db", "upgrade", "--db", str(old))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"marked as revision {BASELINE}" in upgraded.stdout and "upgraded to revision 0004" in upgraded.stdout
    assert schema_differences(old) == [] and commands_key(old) == ["session_id", "sender", "command_id"]
    for table in BASELINE_TABLES:
        assert rows(old, table) == rows(written, table), f"{table} changed in the upgrade"

    store = Store(url(old))
    try:
        assert [s.id for s in await store.sessions()] == [room.session_id]
        assert await store.events(room.session_id) == await room_events(written, room.session_id)
        assert await store.device(room.session_id, cookie.split("=", 1)[1]) is not None
        assert await store.sign_in(room.facilitator.cookie.split("=", 1)[1]) is not None
        assert len(await store.audit_log(room.session_id)) == audited
        with ServerProcess(old) as server:
            room.store = store
            room.on(server).cookies["Ann"] = cookie
            ann = await RecordingSocket.open(room.participant_url, cookie)
            try:
                resent = await ann.command("ann-1", "record_numbers", glucose=999)
                assert resent["duplicate"] is True, "a command from before the upgrade ran again"
                assert (await ann.command("ann-2", "request_visit", text="My feet tingle"))["type"] == "ack"
            finally:
                await ann.close()
            await assert_log_replays_to_live(store, room.session_id, room.screens())
    finally:
        store.close()


async def room_events(db: Path, session_id: str) -> list[Any]:
    store = Store(url(db))
    try:
        return await store.events(session_id)
    finally:
        store.close()


@pytest.mark.parametrize("made", ["before migrations", f"at revision {BASELINE}"])
def test_serve_refuses_an_outdated_database_and_names_the_command(tmp_path: Path, made: str) -> None:
    old = tmp_path / "old.db"
    before_migrations(old) if made == "before migrations" else at_revision(old, BASELINE)
    refused = groupvisit("serve", "--port", "0", "--db", str(old))
    assert refused.returncode == 2
    assert f"run `groupvisit db upgrade --db {old}` first" in refused.stderr
    with pytest.raises(SchemaError, match="groupvisit db upgrade --db"):
        Store(url(old))
    assert groupvisit("db", "upgrade", "--db", str(old)).returncode == 0
    Store(url(old)).close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    Store(url(db)).close()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    for args in (("serve", "--port", "0"), ("db", "upgrade")):
        refused = groupvisit(*args, "--db", str(db))
        assert refused.returncode == 2 and "'9999', which this version of groupvisit does not know" in refused.stderr


def test_a_new_database_gets_the_tables_schema_at_once_and_opens_again(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store(url(db)).close()
    assert schema_differences(db) == [] and commands_key(db) == ["session_id", "sender", "command_id"]
    Store(url(db)).close()
    assert groupvisit("db", "upgrade", "--db", str(db)).stdout.startswith("groupvisit: already at")


def test_every_revision_from_an_empty_database_ends_at_the_tables_schema(tmp_path: Path) -> None:
    db = tmp_path / "stepwise.db"
    at_revision(db, "head")
    assert schema_differences(db) == [] and commands_key(db) == ["session_id", "sender", "command_id"]
    Store(url(db)).close()


def test_the_demo_upgrades_its_own_database(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    before_migrations(db)
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        assert any("upgraded to revision 0003" in line for line in lines), lines
    assert schema_differences(db) == []


def test_a_command_id_used_by_two_screens_survives_a_downgrade_and_upgrade(tmp_path: Path) -> None:
    """Going back to the baseline keeps one row per (session, id), as its key allows; forward again works."""
    db = tmp_path / "round.db"
    at_revision(db, "head")
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO sessions (id, cohort, title, join_code, starts_at, ends_at, projector_key_hash, "
                    "last_seq) VALUES ('s1', 'c', 't', 'ACDEFH', 0, 1, 'h', 2)")
        raw.executemany("INSERT INTO commands (session_id, sender, command_id, seq) VALUES ('s1', ?, 'same', ?)",
                        [("a", 1), ("b", 2)])
    with connected(url(db)) as connection:
        command.downgrade(alembic_config(connection), BASELINE)
    assert rows(db, "commands") == [("s1", "same", 1)]
    at_revision(db, "head")
    assert schema_differences(db) == []


def another_session(db: Path, session_id: str, cohort: str, join_code: str, starts_at: float) -> None:
    """A session as the schema at revision 0003 holds it, with its first event and an audit row."""
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO sessions (id, cohort, title, join_code, starts_at, ends_at, projector_key_hash, "
                    "last_seq) VALUES (?, ?, 'Group visit', ?, ?, ?, 'hash', 1)",
                    (session_id, cohort, join_code, starts_at, starts_at + 7200))
        first = SessionScheduled(session_id, "Group visit", cohort, starts_at, starts_at + 7200, join_code)
        raw.execute("INSERT INTO events (session_id, seq, type, data, recorded_at) VALUES (?, 1, ?, ?, ?)",
                    (session_id, first.type, json.dumps(first.to_dict()), starts_at))
        raw.execute("INSERT INTO audit (session_id, at, role, actor_id, actor_name, device, action, what, subject) "
                    "VALUES (?, ?, 'facilitator', 'u1', 'Alex', 'test', 'changed', 'start', '')",
                    (session_id, starts_at))


@pytest.mark.asyncio
async def test_a_database_at_revision_0003_is_upgraded_and_each_session_is_given_its_cohort(tmp_path: Path) -> None:
    written, old = tmp_path / "written.db", tmp_path / "old.db"
    room, cookie = await run_a_session(written)  # cohort "Diabetes group (Tuesday)"
    at_revision(old, "0003")
    copy_rows(written, old, (*BASELINE_TABLES, "return_codes"))
    another_session(old, "later", "Diabetes group (Tuesday)", "KMNPRT", 1_800_000_000.0)
    another_session(old, "walk-in", "Thursday drop-in", "UVWXY3", 1_790_500_000.0)
    before = {table: rows(old, table) for table in (*BASELINE_TABLES, "return_codes")}

    upgraded = groupvisit("db", "upgrade", "--db", str(old))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded to revision 0004" in upgraded.stdout and "upgraded to revision 0003" not in upgraded.stdout
    assert schema_differences(old) == []
    for table, held in before.items():
        assert rows(old, table) == held, f"{table} changed in the upgrade"

    store = Store(url(old))
    try:
        cohorts = {c.name: c for c in await store.cohorts()}
        assert sorted(cohorts) == ["Diabetes group (Tuesday)", "Thursday drop-in"]
        assert all((c.kind, c.planned_sessions, c.archived_at) == ("drop_in", None, None) for c in cohorts.values())
        tuesday, thursday = cohorts["Diabetes group (Tuesday)"], cohorts["Thursday drop-in"]
        assert [s.id for s in await store.cohort_sessions(tuesday.id)] == [room.session_id, "later"]
        assert [s.id for s in await store.cohort_sessions(thursday.id)] == ["walk-in"]
        assert all(s.cohort_id is not None and s.cancelled_at is None for s in await store.sessions())
        assert await store.events(room.session_id) == await room_events(written, room.session_id)
        assert [e for _, e in await store.events("walk-in")] == [
            SessionScheduled("walk-in", "Group visit", "Thursday drop-in", 1_790_500_000.0, 1_790_507_200.0, "UVWXY3")]
        assert await store.device(room.session_id, cookie.split("=", 1)[1]) is not None
        assert await store.sign_in(room.facilitator.cookie.split("=", 1)[1]) is not None
        assert len(await store.audit_log("later")) == 1 and len(await store.audit_log(room.session_id)) >= 3
        # The upgraded cohorts take what a cohort made today takes.
        by_staff = AuditRow(at=1.0, role="admin", actor_id="u1", actor_name="Admin", device="test",
                            action="changed", what="enrolled")
        ann = await store.enrol(tuesday.id, PatientFields(clinic_name="Ann Lee", display_name="Ann"), 1.0, by_staff)
        assert [e.patient_id for e in await store.roster_entries(tuesday.id)] == [ann.id]
        [added] = await store.schedule_sessions(thursday.id, [Slot(1_791_000_000.0, 1_791_007_200.0)], by_staff)
        assert [s.id for s in await store.cohort_sessions(thursday.id)] == ["walk-in", added.id]
    finally:
        store.close()


def a_cohort_at_0004(db: Path) -> None:
    """A cohort as revision 0004 holds it, a session scheduled in it (its first event without the planner's
    settings, as that release wrote it), a patient on its roster and the audit rows of both."""
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO cohorts (id, name, condition, languages, kind, planned_sessions, session_minutes, "
                    "vote_budget, timebox_minutes, room, created_at, archived_at) VALUES ('tue', 'Tuesday group', "
                    "'Type 2 diabetes', 'en,es', 'series', 6, 90, 4, 10, 'Room 2', 1790000000.0, NULL)")
        raw.execute("INSERT INTO sessions (id, cohort, cohort_id, title, join_code, starts_at, ends_at, "
                    "projector_key_hash, last_seq) VALUES ('first', 'Tuesday group', 'tue', 'Tuesday group', "
                    "'KMNPRT', 1800000000.0, 1800005400.0, 'hash', 1)")
        planner = {f.name for f in fields(PlannerSettings)}
        first = SessionScheduled("first", "Tuesday group", "Tuesday group", 1_800_000_000.0, 1_800_005_400.0,
                                 "KMNPRT", vote_budget=4, timebox_minutes=10)
        written = {key: value for key, value in first.to_dict().items() if key not in planner}
        raw.execute("INSERT INTO events (session_id, seq, type, data, recorded_at) VALUES ('first', 1, ?, ?, ?)",
                    (first.type, json.dumps(written), 1_790_000_000.0))
        raw.execute("INSERT INTO patients (id, cohort_id, clinic_name, display_name, language, mrn, birth_date, "
                    "agreement_signed_on, enrolled_at, left_at) VALUES ('ana', 'tue', 'Ana García', 'Ana', 'es', "
                    "'40123', NULL, NULL, 1790000000.0, NULL)")
        raw.executemany("INSERT INTO audit (cohort_id, session_id, at, role, actor_id, actor_name, device, action, "
                        "what, subject) VALUES ('tue', ?, 1790000000.0, 'admin', 'u1', 'Admin', 'test', 'changed', "
                        "?, ?)", [(None, "created the cohort", ""), ("first", "scheduled the session", ""),
                                  (None, "enrolled", "ana")])


def all_rows(db: Path, table: str, columns: list[str] | None = None) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as raw:
        shown = ", ".join(columns or raw_columns(raw, table))
        return sorted(raw.execute(f"SELECT {shown} FROM {table}").fetchall(), key=repr)


PLANNER_DEFAULTS = {"minutes_per_patient": 7.0, "systolic_high": 180, "diastolic_high": 110, "glucose_low": 70.0,
                    "glucose_high": 300.0, "glucose_unit": "mg/dL", "weight_unit": "lb"}


@pytest.mark.asyncio
async def test_a_database_at_revision_0004_is_upgraded_and_its_cohorts_get_the_planners_defaults(
        tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    at_revision(old, "0004")
    a_cohort_at_0004(old)
    tables = ("cohorts", "sessions", "events", "patients", "audit")
    with sqlite3.connect(old) as raw:
        columns = {table: raw_columns(raw, table) for table in tables}
    before = {table: all_rows(old, table) for table in tables}

    upgraded = groupvisit("db", "upgrade", "--db", str(old))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded to revision 0005" in upgraded.stdout and "upgraded to revision 0004" not in upgraded.stdout
    assert schema_differences(old) == []
    for table in tables:
        assert all_rows(old, table, columns[table]) == before[table], f"{table} changed in the upgrade"
    assert all_rows(old, "cohorts", list(PLANNER_DEFAULTS)) == [tuple(PLANNER_DEFAULTS.values())]

    store = Store(url(old))
    try:
        cohort = await store.cohort("tue")
        assert cohort is not None and {name: getattr(cohort, name) for name in PLANNER_DEFAULTS} == PLANNER_DEFAULTS
        held = replay(event for _, event in await store.events("first"))
        assert held.settings == PlannerSettings() and (held.vote_budget, held.timebox_minutes) == (4, 10)
        # The upgraded cohort's next session carries its settings; changed to mmol/L and kg, so do the later ones.
        by_staff = AuditRow(at=1.0, role="admin", actor_id="u1", actor_name="Admin", device="test",
                            action="changed", what="scheduled")
        [same] = await store.schedule_sessions("tue", [Slot(1_802_000_000.0, 1_802_005_400.0)], by_staff)
        assert replay(event for _, event in await store.events(same.id)).settings == PlannerSettings()
        fields_now = CohortFields.from_form({"name": "Tuesday group", "session_minutes": "90", "vote_budget": "4",
                                             "timebox_minutes": "10", "glucose_unit": "mmol/L", "weight_unit": "kg"})
        await store.update_cohort("tue", fields_now, by_staff)
        [later] = await store.schedule_sessions("tue", [Slot(1_804_000_000.0, 1_804_005_400.0)], by_staff)
        assert replay(event for _, event in await store.events(later.id)).settings == PlannerSettings(
            glucose_low=3.9, glucose_high=16.7, glucose_unit="mmol/L", weight_unit="kg")
    finally:
        store.close()
    # Down to 0004 and up again: the columns go, and come back with the defaults.
    with connected(url(old)) as connection:
        command.downgrade(alembic_config(connection), "0004")
    with sqlite3.connect(old) as raw:
        assert raw_columns(raw, "cohorts") == columns["cohorts"]
    at_revision(old, "head")
    assert schema_differences(old) == []
    assert all_rows(old, "cohorts", list(PLANNER_DEFAULTS)) == [tuple(PLANNER_DEFAULTS.values())]


@pytest.mark.asyncio
async def test_a_database_at_revision_0005_is_upgraded_and_its_clinicians_are_not_attendings_until_said(
        tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    at_revision(old, "0005")
    with sqlite3.connect(old) as raw:
        raw.executemany("INSERT INTO users (id, username, name, role, password_hash, disabled, created_at) "
                        "VALUES (?, ?, ?, ?, 'hash', 0, 1790000000.0)",
                        [("u1", "sam", "Dr Sam Okafor", "clinician"), ("u2", "alex", "Alex", "facilitator")])
        columns = raw_columns(raw, "users")
    before = all_rows(old, "users")

    upgraded = groupvisit("db", "upgrade", "--db", str(old))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded to revision 0006" in upgraded.stdout and "upgraded to revision 0005" not in upgraded.stdout
    assert schema_differences(old) == []
    assert all_rows(old, "users", columns) == before
    assert all_rows(old, "users", ["username", "attending"]) == [("alex", 0), ("sam", 0)]
    store = Store(url(old))
    try:
        await store.update_user("sam", 2.0, None, attending=True)
        sam = await store.user_by_username("sam")
        assert sam is not None and sam.attending
    finally:
        store.close()
    with connected(url(old)) as connection:
        command.downgrade(alembic_config(connection), "0005")
    with sqlite3.connect(old) as raw:
        assert raw_columns(raw, "users") == columns
    at_revision(old, "head")
    assert schema_differences(old) == [] and all_rows(old, "users", ["attending"]) == [(0,), (0,)]
