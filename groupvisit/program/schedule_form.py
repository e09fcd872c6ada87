"""A schedule as staff type it (the pages' forms, the command line's options): read into slots, each bad
input a `ScheduleError` naming its field, so both say the same thing about the same mistake.

Fields: a series has `pattern` (monthly or weekly), `first`, `weekday` (0-6 or a name: "tue"), `nth`
(1-5 or "last", monthly), `every_weeks` (weekly, default 1), `count` (default the cohort's planned
sessions), `start` and `end`; one session has `date`, `start` and `end`. A blank `end` is the cohort's
session length after the start.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from .clinic_time import parse_date, parse_time
from .schedule import DAY_NAMES, ScheduleError, Slot, monthly, one, weekly

PATTERNS = ("monthly", "weekly")


def number(form: Mapping[str, str], field: str, what: str, default: int | None = None) -> int:
    text = form.get(field, "").strip()
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ScheduleError(f"{what} must be a whole number, not {text!r}.", field) from None


def weekday_of(form: Mapping[str, str]) -> int:
    typed = form.get("weekday", "").strip().lower()
    if typed.isdigit():
        return int(typed)  # checked with the rest of the pattern
    found = [i for i, name in enumerate(DAY_NAMES) if len(typed) >= 3 and name.lower().startswith(typed)]
    if len(found) != 1:
        raise ScheduleError(f"{typed!r} is not a day of the week like tue or tuesday.", "weekday")
    return found[0]


def week_of_month(form: Mapping[str, str]) -> int:
    return -1 if form.get("nth", "").strip().lower() == "last" else number(form, "nth", "The week of the month")


def wall_times(form: Mapping[str, str], session_minutes: int) -> tuple[time, time]:
    start = parse_time(form.get("start", ""), "start")
    if form.get("end", "").strip():
        return start, parse_time(form["end"], "end")
    began = datetime.combine(date(2000, 1, 1), start)
    ended = began + timedelta(minutes=session_minutes)
    if ended.date() != began.date():
        raise ScheduleError(f"A {session_minutes}-minute session from {start:%H:%M} ends after midnight: "
                            "give its end.", "end")
    return start, ended.time()


def series_from_form(form: Mapping[str, str], *, session_minutes: int, planned_sessions: int | None,
                     zone: str) -> list[Slot]:
    """The slots of the series the form asks for, in `zone`."""
    pattern = form.get("pattern", "").strip()
    if pattern not in PATTERNS:
        raise ScheduleError("Choose monthly (a week of each month) or weekly.", "pattern")
    first = parse_date(form.get("first", ""), "first")
    weekday = weekday_of(form)
    if not form.get("count", "").strip() and planned_sessions is None:
        raise ScheduleError("A drop-in group has no planned number of sessions: give how many.", "count")
    count = number(form, "count", "The number of sessions", planned_sessions)
    start, end = wall_times(form, session_minutes)
    if pattern == "monthly":
        return monthly(first, weekday, week_of_month(form), count, start, end, zone)
    every = number(form, "every_weeks", "The weeks between sessions", 1)
    return weekly(first, weekday, count, every, start, end, zone)


def session_from_form(form: Mapping[str, str], *, session_minutes: int, zone: str) -> Slot:
    """The slot of the one session the form asks for, in `zone`."""
    day = parse_date(form.get("date", ""), "date")
    start, end = wall_times(form, session_minutes)
    return one(day, start, end, zone)
