"""The clinic's clock: times are stored in UTC and shown to staff in the clinic's one time zone
(`Settings.time_zone`); dates and times typed into forms are read here."""

import re
from datetime import UTC, date, datetime, time

from .schedule import DAY_NAMES, MONTH_NAMES, ScheduleError, zone_info

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # what a date input sends
TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")  # what a time input sends (seconds with a step)


def local(at: float, zone: str) -> datetime:
    """`at` (UTC epoch seconds) as the clinic's wall clock shows it."""
    return datetime.fromtimestamp(at, UTC).astimezone(zone_info(zone))


def show(at: float, zone: str) -> str:
    """`at` for staff: "Tue 13 Jan 2027, 10:00" (the same in any locale the server runs in)."""
    when = local(at, zone)
    return (f"{DAY_NAMES[when.weekday()][:3]} {when.day} {MONTH_NAMES[when.month - 1][:3]} {when.year}, "
            f"{when:%H:%M}")


def day_of(at: float, zone: str) -> date:
    """The clinic's date at `at`."""
    return local(at, zone).date()


def parse_date(text: str, field: str = "date") -> date:
    """A date as a form sends it ("2027-01-13"); `ScheduleError` naming `field` otherwise."""
    text = text.strip()
    try:
        if DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ScheduleError(f"{text!r} is not a date written like 2027-01-13.", field)


def parse_time(text: str, field: str = "time") -> time:
    """A time of day as a form sends it ("10:00"); `ScheduleError` naming `field` otherwise."""
    text = text.strip()
    try:
        if TIME.fullmatch(text):
            return time.fromisoformat(text)
    except ValueError:
        pass
    raise ScheduleError(f"{text!r} is not a time of day written like 10:00 (24-hour clock).", field)
