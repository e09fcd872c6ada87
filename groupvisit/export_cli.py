"""`groupvisit export`: a session's FHIR bundle or chart summary, or a cohort's attendance, from the command line.

The export goes to standard output (UTF-8) or to `--out`; like every export, it writes an audit row for each
patient whose data it holds, as the command line (actor "cli") run by this machine's user.
"""

import argparse
import sys
import time
from pathlib import Path

from . import exports
from .domain.text import readable
from .program.schedule import ScheduleError, zone_info
from .program_cli import as_cli
from .settings import Settings
from .store import Store
from .user_cli import DB_HELP, text

WHAT = {"fhir": "FHIR bundle", "csv": "chart summary"}  # a session's exports, by --format


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    export = commands.add_parser(
        "export", help="export a session (FHIR bundle or chart summary) or a cohort's attendance (audited)",
        description="Export a session as a FHIR R4B bundle (--format fhir) or its chart summary (--format csv), or "
                    "a cohort's attendance and evaluations across its sessions (--format csv). Every patient in it "
                    "gets an audit row.")
    of = export.add_mutually_exclusive_group(required=True)
    of.add_argument("--session", type=text, help="the session's id (in its screens' addresses)")
    of.add_argument("--cohort", type=text, help="the cohort's id (`groupvisit cohort list` shows it)")
    export.add_argument("--format", required=True, choices=("fhir", "csv"),
                        help="fhir (a session only) or csv")
    export.add_argument("--out", type=text, help="the file to write (default: standard output)")
    export.add_argument("--db", type=text, help=DB_HELP)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.cohort is not None and args.format != "csv":
        print("groupvisit: --format: a cohort exports as csv (its attendance and evaluations)", file=sys.stderr)
        return 2
    try:
        zone = zone_info(settings.time_zone)
    except ScheduleError as error:
        print(f"groupvisit: GROUPVISIT_TIME_ZONE: {error.message}", file=sys.stderr)
        return 2
    store = Store(settings.database_url)
    try:
        if args.session is not None:
            session = await store.session(args.session)
            if session is None:
                print(readable(f"groupvisit: there is no session {args.session!r} in {settings.database_url}"),
                      file=sys.stderr)
                return 1
            export = exports.fhir_json if args.format == "fhir" else exports.chart_summary_csv
            written = await export(store, session, zone, as_cli(WHAT[args.format], action="exported"))
        else:
            cohort = await store.cohort(args.cohort)
            if cohort is None:
                print(readable(f"groupvisit: there is no cohort {args.cohort!r} in {settings.database_url}"),
                      file=sys.stderr)
                return 1
            written = await exports.attendance_csv(store, cohort, zone, time.time(),
                                                   as_cli("cohort attendance", action="exported"))
    finally:
        store.close()
    data = written.encode("utf-8")  # whatever the terminal's encoding: names and notes may be in any script
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(args.out).write_bytes(data)
    return 0
