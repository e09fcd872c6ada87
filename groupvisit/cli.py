"""`groupvisit demo` and `groupvisit serve`."""

import argparse
import asyncio
import logging
import os
import re
import socket
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from . import export_cli, program_cli, user_cli
from .actions import Sessions
from .app import create_app
from .clock import SystemClock
from .demo import seed
from .domain.text import readable
from .settings import Settings, SettingsError, database_url
from .hub.memory import MemoryHub
from .store import SchemaError, Store
from .store.schema import upgrade


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port must be a number from 0 to 65535, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be a number from 0 to 65535, not {port}")
    return port


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="groupvisit", description="Live software for group medical visits.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (("demo", "seed a demo clinic with today's session and serve it"),
                            ("serve", "serve the sessions in the database (no demo data)")):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--host", type=user_cli.text, help="address to listen on (default 127.0.0.1)")
        sub.add_argument("--port", type=port_number, help="port to listen on; 0 picks a free one (default 8000)")
        sub.add_argument("--db", type=user_cli.text, help=user_cli.DB_HELP)
        sub.add_argument("--public-url", default="", type=user_cli.text,
                         help="the address people's devices use, for the join QR code")
    audit = commands.add_parser("audit", help="list who viewed or changed what in a session or a cohort",
                                description="List who viewed or changed what in a session, or in a cohort's "
                                            "roster and schedule, oldest first.")
    of = audit.add_mutually_exclusive_group(required=True)
    of.add_argument("--session", type=user_cli.text, help="the session's id (in its screens' addresses)")
    of.add_argument("--cohort", type=user_cli.text, help="the cohort's id (`groupvisit cohort list` shows it)")
    audit.add_argument("--db", type=user_cli.text, help=user_cli.DB_HELP)
    database = commands.add_parser("db", help="the database's schema", description="The database's schema.")
    actions = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrading = actions.add_parser("upgrade", help="bring the database's schema up to this version's",
                                   description="Bring the database's schema up to this version of groupvisit's "
                                               "(after installing a new version; the server refuses an older one).")
    upgrading.add_argument("--db", type=user_cli.text, help=user_cli.DB_HELP)
    user_cli.add_parsers(commands)
    program_cli.add_parsers(commands)
    export_cli.add_parser(commands)
    return root


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.command in ("demo", "serve"):
        host = args.host or settings.host
        port = settings.port if args.port is None else args.port
        settings = replace(settings, host=host, port=port or free_port(host),
                           public_url=args.public_url or settings.public_url)
    if args.db:
        settings = replace(settings, database_url=database_url(args.db))
    return settings


def ensure_folder(settings: Settings) -> None:
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def upgrade_database(settings: Settings) -> int:
    done = upgrade(settings.database_url)
    for line in done or ["already at this version's schema: nothing to do"]:
        print(f"groupvisit: {line}")
    return 0


async def demo(settings: Settings) -> None:
    for line in upgrade(settings.database_url):  # a demo database from an older version just goes on
        print(f"groupvisit demo: {line}")
    store = Store(settings.database_url)
    clinic = await seed(store, zone=settings.time_zone)
    base, sid = settings.base_url, clinic.session_id
    print(f"groupvisit demo: data in {settings.database_url.removeprefix('sqlite:///')}")
    print(f"  Projector:           {base}/projector/{sid}?key={clinic.projector_key}")
    print(f"  Facilitator console: {base}/console/{sid}   (sign in as alex)")
    print(f"  Clinician queue:     {base}/queue/{sid}   (sign in as sam or priya; lee co-signs their chart notes)")
    print(f"  Participant join:    {base}/join   (join code {clinic.join_code})")
    print(f"  Cohort and roster:   {base}/cohorts/{clinic.cohort_id}   (two sessions held; today's is the third)")
    print(f"  Staff sign-in:       {base}/login")
    print("Staff accounts:")
    for account in clinic.accounts:
        secret = (f"password {account.password}" if account.password
                  else "password shown when it was made (groupvisit user set-password to change it)")
        print(f"  {account.username:<8} {account.role.value:<12} {account.name:<32} {secret}")
    if any(account.password for account in clinic.accounts):
        print("Passwords are shown only this once: only their hashes are kept.")
    print("The projector link is new each time the demo starts; the earlier one stops working.", flush=True)
    await serve(settings, store)


class HideLinkKeys(logging.Filter):
    """uvicorn logs each websocket handshake with its query: a display link's key must not reach the log."""

    KEY = re.compile(r"\bkey=[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "key=" in message:
            record.msg, record.args = self.KEY.sub("key=(hidden)", message), None
        return True


def uvicorn_config(app: Starlette, settings: Settings, **options: Any) -> uvicorn.Config:
    """How every groupvisit server runs: no per-message compression (it halves fan-out and is a
    compression oracle), the message size limit, pings that find vanished screens."""
    config = uvicorn.Config(app, host=settings.host, port=settings.port, ws_per_message_deflate=False,
                            ws_max_size=settings.ws_max_size, ws_ping_interval=settings.ws_ping_interval,
                            ws_ping_timeout=settings.ws_ping_timeout, **options)
    # After the Config: it sets up uvicorn's loggers afresh.
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, HideLinkKeys) for f in error_log.filters):
        error_log.addFilter(HideLinkKeys())
    return config


async def serve(settings: Settings, store: Store | None = None) -> None:
    own_store = store is None
    store = store or Store(settings.database_url)  # before listening: an outdated schema is refused here
    try:
        app = create_app(settings, store=store)
        # No access log: request lines would carry display link keys.
        await uvicorn.Server(uvicorn_config(app, settings, log_level="info", access_log=False)).serve()
    finally:
        if own_store:
            store.close()


async def print_audit(settings: Settings, session_id: str | None, cohort_id: str | None) -> int:
    store = Store(settings.database_url)
    try:
        if session_id is not None:
            session = await store.session(session_id)
            if session is None:
                print(f"groupvisit: there is no session {session_id!r} in {settings.database_url}", file=sys.stderr)
                return 1
            names = {p.id: p.name for p in (await Sessions(store, MemoryHub(), SystemClock()).get(session_id))
                     .state.participants.values()}
            heading, rows = f"{session.title} ({session.cohort}), session {session.id}", await store.audit_log(session_id)
        else:
            assert cohort_id is not None
            cohort = await store.cohort(cohort_id)
            if cohort is None:
                print(f"groupvisit: there is no cohort {cohort_id!r} in {settings.database_url}", file=sys.stderr)
                return 1
            names = {p.patient_id: p.clinic_name for p in await store.roster_entries(cohort_id, include_left=True)}
            heading, rows = f"the cohort {cohort.name}, {cohort.id}", await store.cohort_audit_log(cohort_id)
        print(readable(f"Audit log of {heading}"))
        for row in rows:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row.at))
            who = f"{row.role} {row.actor_name or row.actor_id}"
            about = f" — about {names.get(row.subject, row.subject)}" if row.subject else ""
            of_session = f" (session {row.session_id})" if cohort_id is not None and row.session_id else ""
            print(readable(f"{when}  {who:<34} {row.action:<7} {row.what}{of_session}{about}  [{row.device}]"))
        sys.stdout.flush()
        return 0
    except BrokenPipeError:  # `groupvisit audit … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return 0
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except SettingsError as error:
        print(f"groupvisit: {error}", file=sys.stderr)
        return 2
    if args.command == "audit":
        return asyncio.run(print_audit(settings, args.session, args.cohort))
    ensure_folder(settings)
    try:
        if args.command == "user":
            return asyncio.run(user_cli.run(args, settings))
        if args.command in program_cli.COMMANDS:
            return asyncio.run(program_cli.run(args, settings))
        if args.command == "export":
            return asyncio.run(export_cli.run(args, settings))
        if args.command == "db":
            return upgrade_database(settings)
        asyncio.run(demo(settings) if args.command == "demo" else serve(settings))
    except SchemaError as error:
        print(f"groupvisit: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
