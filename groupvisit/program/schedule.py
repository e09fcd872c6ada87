"""Session times from a pattern ("the second Tuesday of each month, 10:00-12:00, 6 sessions"), in the
clinic's time zone, stored as UTC.

Each session's start and end are wall times of its own day, so a series keeps its 10:00 across a
daylight-saving change (its UTC instant moves instead). A wall time the clocks skip or pass twice on
that day is refused rather than guessed, as is a month without the week asked for.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta, weekday as rrule_weekday

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
MOST_SESSIONS = 52  # a year of weekly sessions
MOST_WEEKS_APART = 12


class ScheduleError(ValueError):
    """A pattern or time that makes no schedule; the message names what was wrong, `field` the input."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Slot:
    """When one session is held, in UTC epoch seconds."""

    starts_at: float
    ends_at: float


def zone_info(name: str) -> ZoneInfo:
    """The IANA time zone `name` ("America/New_York"); `ScheduleError` if there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(f"{name!r} is not a time zone name like Europe/Madrid or America/New_York",
                            "zone") from None


def short_day(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def instant(day: date, wall: time, zone: ZoneInfo, field: str) -> float:
    """The UTC instant of `wall` on `day` in `zone`; refused if the clocks skip it or pass it twice."""
    local = datetime.combine(day, wall, tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    said = f"{wall:%H:%M} on {short_day(day)}"
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ScheduleError(f"{said} does not exist in {zone.key} (the clocks go forward then): "
                            "choose another time.", field)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        raise ScheduleError(f"{said} happens twice in {zone.key} (the clocks go back then): "
                            "choose another time.", field)
    return local.timestamp()


def check_times(start: time, end: time) -> None:
    if end <= start:
        raise ScheduleError(f"The end ({end:%H:%M}) must be after the start ({start:%H:%M}).", "end")


def check_count(count: int) -> None:
    if not 1 <= count <= MOST_SESSIONS:
        raise ScheduleError(f"A series has 1 to {MOST_SESSIONS} sessions, not {count}.", "count")


def check_weekday(weekday: int) -> None:
    if not 0 <= weekday <= 6:
        raise ScheduleError(f"The weekday is 0 (Monday) to 6 (Sunday), not {weekday}.", "weekday")


def one(day: date, start: time, end: time, zone: str) -> Slot:
    """One session on `day`, `start`-`end` wall time in `zone`."""
    check_times(start, end)
    tz = zone_info(zone)
    return Slot(instant(day, start, tz, "start"), instant(day, end, tz, "end"))


def nth_weekday(month: date, weekday: int, nth: int) -> date:
    """The `nth` `weekday` of `month` (-1: the last); `ScheduleError` for a 5th the month lacks."""
    if nth == -1:
        return month + relativedelta(day=31, weekday=rrule_weekday(weekday)(-1))
    day = month + relativedelta(day=1, weekday=rrule_weekday(weekday)(nth))
    if day.month != month.month:
        raise ScheduleError(f"There is no {ORDINALS[nth]} {DAY_NAMES[weekday]} in "
                            f"{MONTH_NAMES[month.month - 1]} {month.year}: choose the last {DAY_NAMES[weekday]} "
                            "or another week.", "nth")
    return day


def monthly(first: date, weekday: int, nth: int, count: int, start: time, end: time, zone: str) -> list[Slot]:
    """`count` sessions on the `nth` `weekday` of each month (1-5, or -1 for the last), the first of them
    on or after `first`."""
    check_weekday(weekday)
    if nth not in ORDINALS:
        raise ScheduleError(f"The week of the month is 1 to 5, or -1 for the last, not {nth}.", "nth")
    check_count(count)
    check_times(start, end)
    month = first.replace(day=1)
    if nth_weekday(month, weekday, nth) < first:
        month += relativedelta(months=1)
    days = [nth_weekday(month + relativedelta(months=k), weekday, nth) for k in range(count)]
    return [one(day, start, end, zone) for day in days]


def weekly(first: date, weekday: int, count: int, every_weeks: int, start: time, end: time,
           zone: str) -> list[Slot]:
    """`count` sessions on `weekday`, every `every_weeks` weeks, the first on or after `first`."""
    check_weekday(weekday)
    check_count(count)
    if not 1 <= every_weeks <= MOST_WEEKS_APART:
        raise ScheduleError(f"Sessions are 1 to {MOST_WEEKS_APART} weeks apart, not {every_weeks}.", "every_weeks")
    check_times(start, end)
    day = first + relativedelta(weekday=rrule_weekday(weekday)(+1))  # on or after `first`
    return [one(day + timedelta(weeks=every_weeks * k), start, end, zone) for k in range(count)]
