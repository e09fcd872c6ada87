"""`groupvisit cohort|schedule|roster …`: a clinic's program from the command line, for scripting.

Each command prints what it made or found, one line per row, ids first and fields tab-separated; bad
input exits 2 with a message naming the option. Every change and every read of a roster is audited,
as the command line (actor "cli") run by this machine's user.
"""

import argparse
import getpass
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterable

from .domain.text import readable
from .program import clinic_time
from .program.schedule import ScheduleError
from .program.schedule_form import series_from_form, session_from_form
from .settings import Settings
from .store import CohortFields, PatientFields, ProgramError, Store
from .store.tables import AuditRow, CohortRow, SessionRow
from .user_cli import DB_HELP, text

COMMANDS = ("cohort", "schedule", "roster")
COHORT_OPTIONS = {"name": "the cohort's name (required)", "condition": "the condition the group is about",
                  "languages": "the room's languages, comma-separated codes (default en)",
                  "kind": "series (a closed series of sessions, the default) or drop_in",
                  "planned_sessions": "sessions in the series (default 6)",
                  "session_minutes": "a session's length (default 120)",
                  "vote_budget": "votes each person has for topics (default 3)",
                  "timebox_minutes": "minutes for each topic (default 8)", "room": "where the group meets",
                  "minutes_per_patient": "minutes the plan counts for each one-on-one (default 7)",
                  "systolic_high": "flag a top blood pressure from this (default 180)",
                  "diastolic_high": "flag a bottom blood pressure from this (default 110)",
                  "glucose_unit": "mg/dL (the default) or mmol/L",
                  "glucose_low": "flag glucose below this, in the glucose unit (default 70 mg/dL or 3.9 mmol/L)",
                  "glucose_high": "flag glucose above this, in the glucose unit (default 300 mg/dL or 16.7 mmol/L)",
                  "weight_unit": "lb (the default) or kg"}
SCHEDULE_OPTIONS = ("first", "weekday", "nth", "every_weeks", "count", "date", "start", "end")
PATIENT_OPTIONS = {"clinic_name": "the name the clinic knows them by (required)",
                   "display_name": "the name they prefer in the room (required)",
                   "language": "their preferred language code (default en)", "mrn": "their chart number",
                   "birth_date": "their date of birth, like 1961-04-30",
                   "agreement_signed_on": "the date they signed the group-confidentiality agreement"}


def option(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    def group(name: str, help_text: str) -> "argparse._SubParsersAction[argparse.ArgumentParser]":
        parser = commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".")
        return parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(actions: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str, help_text: str,
               cohort_id: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".")
        if cohort_id:
            parser.add_argument("cohort_id", metavar="COHORT_ID", type=text, help="the cohort's id (`groupvisit cohort list` shows it)")
        parser.add_argument("--db", type=text, help=DB_HELP)
        return parser

    cohort = group("cohort", "create, list or archive a clinic's cohorts (standing groups)")
    create = action(cohort, "create", "create a cohort; prints its id", cohort_id=False)
    for field, help_text in COHORT_OPTIONS.items():
        create.add_argument(option(field), dest=field, type=text, required=field == "name", help=help_text)
    listing = action(cohort, "list", "list the cohorts, by name", cohort_id=False)
    listing.add_argument("--all", action="store_true", help="archived cohorts too")
    action(cohort, "archive", "archive a cohort: kept as it is, read-only")

    schedule = group("schedule", "add sessions to a cohort, or list them (times in GROUPVISIT_TIME_ZONE)")
    series = action(schedule, "series", "add a series of sessions; prints each one's id, join code and time")
    series.add_argument("--first", required=True, type=text, help="the first day it may start, like 2027-01-04")
    series.add_argument("--weekday", required=True, type=text, help="the day of the week, like tue")
    pattern = series.add_mutually_exclusive_group(required=True)
    pattern.add_argument("--nth", type=text, help="monthly, on this week of the month: 1 to 5, or last")
    pattern.add_argument("--every-weeks", dest="every_weeks", type=text, help="weekly, every this many weeks")
    series.add_argument("--count", type=text, help="how many sessions (default: the cohort's planned sessions)")
    add = action(schedule, "add", "add one session; prints its id, join code and time")
    add.add_argument("--date", required=True, type=text, help="its day, like 2027-01-12")
    for sub in (series, add):
        sub.add_argument("--start", required=True, type=text, help="when it starts, like 10:00")
        sub.add_argument("--end", type=text, help="when it ends (default: the cohort's session length later)")
    action(schedule, "list", "list the cohort's sessions, by time, cancelled ones too")

    roster = group("roster", "enrol patients in a cohort, or list its roster (every read is audited)")
    enrol = action(roster, "add", "enrol a patient; prints their id")
    for field, help_text in PATIENT_OPTIONS.items():
        enrol.add_argument(option(field), dest=field, type=text, required=field in ("clinic_name", "display_name"),
                           help=help_text)
    action(roster, "list", "list the roster: those enrolled first, by name")


def as_cli(what: str, action: str = "changed") -> AuditRow:
    """The audit row of this command: the command line, run by this machine's user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return AuditRow(at=time.time(), role="cli", actor_id="cli", actor_name=user,
                    device=f"command line on {socket.gethostname()}", action=action, what=what)


def form(args: argparse.Namespace, fields: Iterable[str]) -> dict[str, str]:
    """The options given, as the form the pages send would hold them."""
    return {field: getattr(args, field) for field in fields if getattr(args, field, None) is not None}


async def run(args: argparse.Namespace, settings: Settings) -> int:
    store = Store(settings.database_url)
    try:
        await ACTIONS[(args.command, args.action)](store, args, settings)
        return 0
    except (ProgramError, ScheduleError) as error:
        field = error.field
        said = option(field) if field in vars(args) else ("GROUPVISIT_TIME_ZONE" if field == "zone" else "")
        print(f"groupvisit: {said + ': ' if said else ''}{error.message}", file=sys.stderr)
    finally:
        store.close()
    return 2


async def cohort_of(store: Store, cohort_id: str) -> CohortRow:
    row = await store.cohort(cohort_id)
    if row is None:
        raise ProgramError("cohort", f"There is no cohort {cohort_id!r}: `groupvisit cohort list --all` shows them.")
    return row


# Cohorts

async def create_cohort(store: Store, args: argparse.Namespace, _settings: Settings) -> None:
    row = await store.create_cohort(CohortFields.from_form(form(args, COHORT_OPTIONS)), time.time(),
                                    as_cli("created the cohort"))
    print(row.id)


async def list_cohorts(store: Store, args: argparse.Namespace, _settings: Settings) -> None:
    for row in await store.cohorts(include_archived=args.all):
        sessions = len(await store.cohort_sessions(row.id))
        planned = f"{sessions} of {row.planned_sessions} sessions" if row.planned_sessions else f"{sessions} sessions"
        state = "archived" if row.archived_at is not None else "active"
        print(readable("\t".join((row.id, row.name, row.kind, planned, state))))


async def archive_cohort(store: Store, args: argparse.Namespace, _settings: Settings) -> None:
    await cohort_of(store, args.cohort_id)
    row = await store.archive_cohort(args.cohort_id, time.time(), as_cli("archived the cohort"))
    print(readable(f"Archived {row.name} ({row.id}): it is kept, read-only."))


# The schedule

def print_sessions(rows: list[SessionRow], zone: str) -> None:
    for row in rows:
        when = f"{clinic_time.show(row.starts_at, zone)}-{clinic_time.local(row.ends_at, zone):%H:%M}"
        state = "cancelled" if row.cancelled_at is not None else "scheduled"
        print("\t".join((row.id, row.join_code, when, state)))


async def schedule(store: Store, args: argparse.Namespace, settings: Settings) -> None:
    cohort = await cohort_of(store, args.cohort_id)
    given = form(args, SCHEDULE_OPTIONS)
    if args.action == "series":
        given["pattern"] = "monthly" if args.nth is not None else "weekly"
        slots = series_from_form(given, session_minutes=cohort.session_minutes,
                                 planned_sessions=cohort.planned_sessions, zone=settings.time_zone)
    else:
        slots = [session_from_form(given, session_minutes=cohort.session_minutes, zone=settings.time_zone)]
    print_sessions(await store.schedule_sessions(cohort.id, slots, as_cli("scheduled the session")),
                   settings.time_zone)


async def list_schedule(store: Store, args: argparse.Namespace, settings: Settings) -> None:
    cohort = await cohort_of(store, args.cohort_id)
    print_sessions(await store.cohort_sessions(cohort.id), settings.time_zone)


# The roster

async def enrol(store: Store, args: argparse.Namespace, _settings: Settings) -> None:
    cohort = await cohort_of(store, args.cohort_id)
    row = await store.enrol(cohort.id, PatientFields.from_form(form(args, PATIENT_OPTIONS)), time.time(),
                            as_cli("enrolled the patient"))
    print(row.id)


async def list_roster(store: Store, args: argparse.Namespace, _settings: Settings) -> None:
    cohort = await cohort_of(store, args.cohort_id)
    for row in await store.roster(cohort.id, as_cli("the roster", action="viewed")):
        state = "left" if row.left_at is not None else "enrolled"
        print(readable("\t".join((row.id, row.clinic_name, row.display_name, row.language, row.mrn or "-",
                                  row.birth_date or "-", row.agreement_signed_on or "-", state))))


ACTIONS: dict[tuple[str, str], Callable[[Store, argparse.Namespace, Settings], Awaitable[None]]] = {
    ("cohort", "create"): create_cohort, ("cohort", "list"): list_cohorts, ("cohort", "archive"): archive_cohort,
    ("schedule", "series"): schedule, ("schedule", "add"): schedule, ("schedule", "list"): list_schedule,
    ("roster", "add"): enrol, ("roster", "list"): list_roster,
}
