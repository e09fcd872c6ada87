"""Session series in the clinic's time zone: daylight-saving changes, month ends, the 5th Tuesday, wall
times that do not exist or happen twice; and the clinic's clock that shows and reads them."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from groupvisit.program import clinic_time
from groupvisit.program.schedule import ScheduleError, Slot, monthly, one, weekly
from groupvisit.program.schedule_form import series_from_form, session_from_form
from groupvisit.settings import Settings, SettingsError

NEW_YORK, MADRID = "America/New_York", "Europe/Madrid"
TUESDAY, SUNDAY = 1, 6
TEN, NOON = time(10), time(12)


def utc(slot_at: float) -> datetime:
    return datetime.fromtimestamp(slot_at, UTC)


def shown(slots: list[Slot], zone: str) -> list[str]:
    return [clinic_time.show(slot.starts_at, zone) for slot in slots]


def test_a_monthly_series_keeps_its_wall_time_across_new_yorks_spring_and_autumn_changes() -> None:
    slots = monthly(date(2026, 1, 1), TUESDAY, 2, 12, TEN, NOON, NEW_YORK)
    assert shown(slots, NEW_YORK)[:4] == ["Tue 13 Jan 2026, 10:00", "Tue 10 Feb 2026, 10:00",
                                          "Tue 10 Mar 2026, 10:00", "Tue 14 Apr 2026, 10:00"]
    # EST is UTC-5 and EDT UTC-4 (from 8 March to 1 November 2026): the UTC hour moves, 10:00 stays.
    assert [utc(s.starts_at).hour for s in slots] == [15, 15, 14, 14, 14, 14, 14, 14, 14, 14, 15, 15]
    assert all(s.ends_at - s.starts_at == 7200 for s in slots)


def test_a_weekly_series_in_madrid_across_the_last_sunday_of_march_and_october() -> None:
    spring = weekly(date(2026, 3, 20), TUESDAY, 3, 1, time(18, 30), time(20), MADRID)
    assert shown(spring, MADRID) == ["Tue 24 Mar 2026, 18:30", "Tue 31 Mar 2026, 18:30", "Tue 7 Apr 2026, 18:30"]
    assert [utc(s.starts_at).strftime("%H:%M") for s in spring] == ["17:30", "16:30", "16:30"]  # CET, then CEST
    autumn = weekly(date(2026, 10, 20), TUESDAY, 2, 1, time(18, 30), time(20), MADRID)
    assert [utc(s.starts_at).strftime("%H:%M") for s in autumn] == ["16:30", "17:30"]


def test_a_session_on_the_day_the_clocks_change_lasts_its_real_length() -> None:
    """On 8 March 2026 New York skips 02:00-03:00: a 01:00-04:00 session is two hours long."""
    slot = one(date(2026, 3, 8), time(1), time(4), NEW_YORK)
    assert slot.ends_at - slot.starts_at == 2 * 3600


def test_the_last_weekday_of_each_month_falls_on_each_months_own_end() -> None:
    slots = monthly(date(2028, 1, 1), TUESDAY, -1, 6, TEN, NOON, "UTC")
    assert [clinic_time.day_of(s.starts_at, "UTC") for s in slots] == [
        date(2028, 1, 25), date(2028, 2, 29), date(2028, 3, 28), date(2028, 4, 25), date(2028, 5, 30),
        date(2028, 6, 27)]


def test_a_series_begins_the_next_month_when_this_months_day_has_passed() -> None:
    slots = monthly(date(2026, 1, 31), TUESDAY, -1, 2, TEN, NOON, MADRID)
    assert shown(slots, MADRID) == ["Tue 24 Feb 2026, 10:00", "Tue 31 Mar 2026, 10:00"]
    assert shown(monthly(date(2026, 1, 13), TUESDAY, 2, 1, TEN, NOON, MADRID), MADRID) == ["Tue 13 Jan 2026, 10:00"]


def test_a_5th_tuesday_series_is_refused_at_the_first_month_without_one() -> None:
    # September 2026 has five Tuesdays (1st to 29th); October has four.
    assert shown(monthly(date(2026, 9, 1), TUESDAY, 5, 1, TEN, NOON, "UTC"), "UTC") == ["Tue 29 Sep 2026, 10:00"]
    with pytest.raises(ScheduleError) as refused:
        monthly(date(2026, 9, 1), TUESDAY, 5, 6, TEN, NOON, "UTC")
    assert str(refused.value) == ("There is no 5th Tuesday in October 2026: choose the last Tuesday or "
                                  "another week.")
    assert refused.value.field == "nth"


def test_a_5th_weekday_series_starting_in_a_month_without_one_is_refused() -> None:
    with pytest.raises(ScheduleError, match="There is no 5th Tuesday in February 2027"):
        monthly(date(2027, 2, 1), TUESDAY, 5, 3, TEN, NOON, NEW_YORK)


@pytest.mark.parametrize(("day", "start", "end", "zone", "field"), [
    (date(2026, 3, 8), time(2, 30), time(4), NEW_YORK, "start"),
    (date(2026, 3, 8), time(1), time(2, 15), NEW_YORK, "end"),
    (date(2026, 3, 29), time(2, 30), time(4), MADRID, "start"),
])
def test_a_wall_time_the_clocks_skip_is_refused(day: date, start: time, end: time, zone: str, field: str) -> None:
    with pytest.raises(ScheduleError, match=r"does not exist in .* \(the clocks go forward then\)") as refused:
        one(day, start, end, zone)
    assert refused.value.field == field


@pytest.mark.parametrize(("day", "start", "zone"), [
    (date(2026, 11, 1), time(1, 30), NEW_YORK),
    (date(2026, 10, 25), time(2, 30), MADRID),
])
def test_a_wall_time_that_happens_twice_is_refused(day: date, start: time, zone: str) -> None:
    with pytest.raises(ScheduleError, match=r"happens twice in .* \(the clocks go back then\)"):
        one(day, start, time(5), zone)


def test_a_series_crossing_a_day_whose_wall_time_does_not_exist_is_refused_naming_that_day() -> None:
    with pytest.raises(ScheduleError) as refused:
        weekly(date(2026, 3, 1), SUNDAY, 4, 1, time(2, 30), time(4), NEW_YORK)
    assert str(refused.value).startswith("02:30 on Sun 8 Mar 2026 does not exist in America/New_York")


def test_a_weekly_series_starts_on_the_first_such_weekday_on_or_after_its_first_day() -> None:
    """A Thursday start for a fortnightly Tuesday group: the following Tuesday, then every two weeks."""
    slots = weekly(date(2026, 12, 3), TUESDAY, 3, 2, TEN, NOON, MADRID)
    assert shown(slots, MADRID) == ["Tue 8 Dec 2026, 10:00", "Tue 22 Dec 2026, 10:00", "Tue 5 Jan 2027, 10:00"]


@pytest.mark.parametrize(("make", "field", "said"), [
    (lambda: one(date(2026, 1, 1), NOON, TEN, "UTC"), "end", "The end (10:00) must be after the start (12:00)."),
    (lambda: one(date(2026, 1, 1), TEN, TEN, "UTC"), "end", "must be after the start"),
    (lambda: monthly(date(2026, 1, 1), TUESDAY, 2, 0, TEN, NOON, "UTC"), "count", "1 to 52 sessions, not 0"),
    (lambda: weekly(date(2026, 1, 1), TUESDAY, 53, 1, TEN, NOON, "UTC"), "count", "1 to 52 sessions, not 53"),
    (lambda: monthly(date(2026, 1, 1), TUESDAY, 6, 3, TEN, NOON, "UTC"), "nth", "1 to 5, or -1 for the last"),
    (lambda: monthly(date(2026, 1, 1), TUESDAY, 0, 3, TEN, NOON, "UTC"), "nth", "1 to 5, or -1 for the last"),
    (lambda: weekly(date(2026, 1, 1), 7, 3, 1, TEN, NOON, "UTC"), "weekday", "0 (Monday) to 6 (Sunday)"),
    (lambda: weekly(date(2026, 1, 1), TUESDAY, 3, 0, TEN, NOON, "UTC"), "every_weeks", "1 to 12 weeks apart"),
    (lambda: one(date(2026, 1, 1), TEN, NOON, "Mars/Olympus_Mons"), "zone", "'Mars/Olympus_Mons' is not a time zone"),
    (lambda: one(date(2026, 1, 1), TEN, NOON, "../../etc/passwd"), "zone", "is not a time zone"),
])
def test_a_pattern_that_makes_no_schedule_is_refused_naming_what_was_wrong(make: object, field: str,
                                                                         said: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        make()  # type: ignore[operator]
    assert refused.value.field == field and said in str(refused.value)


def test_the_clinic_clock_shows_a_utc_instant_in_the_clinic_zone_and_its_date() -> None:
    at = datetime(2027, 1, 13, 3, 30, tzinfo=UTC).timestamp()  # 22:30 on the 12th in New York
    assert clinic_time.show(at, NEW_YORK) == "Tue 12 Jan 2027, 22:30"
    assert clinic_time.show(at, MADRID) == "Wed 13 Jan 2027, 04:30"
    assert clinic_time.day_of(at, NEW_YORK) == date(2027, 1, 12) and clinic_time.day_of(at, "UTC") == date(2027, 1, 13)
    assert clinic_time.local(at, MADRID).utcoffset() == timedelta(hours=1)


def test_the_clinic_clock_reads_form_dates_and_times_and_names_a_bad_one() -> None:
    assert clinic_time.parse_date(" 2027-01-13 ") == date(2027, 1, 13)
    assert clinic_time.parse_time("10:00") == TEN and clinic_time.parse_time("18:30:00") == time(18, 30)
    for bad in ("13/01/2027", "2027-02-30", "20270113", ""):
        with pytest.raises(ScheduleError, match="is not a date written like 2027-01-13") as refused:
            clinic_time.parse_date(bad, "first")
        assert refused.value.field == "first"
    for bad in ("10am", "24:00", "9:00", "10:60"):
        with pytest.raises(ScheduleError, match="is not a time of day written like 10:00"):
            clinic_time.parse_time(bad, "start")


def test_the_clinic_time_zone_setting_is_checked_when_it_is_read() -> None:
    assert Settings().time_zone == "UTC"
    assert Settings.from_env({"GROUPVISIT_TIME_ZONE": MADRID}).time_zone == MADRID
    with pytest.raises(SettingsError, match="GROUPVISIT_TIME_ZONE='Europe/Madird' is not usable"):
        Settings.from_env({"GROUPVISIT_TIME_ZONE": "Europe/Madird"})


def test_a_series_form_is_read_with_the_cohorts_length_and_planned_sessions_as_defaults() -> None:
    monthly_form = {"pattern": "monthly", "first": "2027-01-01", "weekday": "Tuesday", "nth": "last",
                    "count": "", "start": "10:00", "end": ""}
    slots = series_from_form(monthly_form, session_minutes=90, planned_sessions=3, zone=MADRID)
    assert slots == monthly(date(2027, 1, 1), TUESDAY, -1, 3, TEN, time(11, 30), MADRID)
    weekly_form = {"pattern": "weekly", "first": "2027-01-01", "weekday": "1", "count": "2", "start": "18:00",
                   "end": "19:00"}
    assert series_from_form(weekly_form, session_minutes=90, planned_sessions=None, zone=MADRID) == weekly(
        date(2027, 1, 1), TUESDAY, 2, 1, time(18), time(19), MADRID)
    assert session_from_form({"date": "2027-01-05", "start": "10:00"}, session_minutes=120, zone=NEW_YORK) == one(
        date(2027, 1, 5), TEN, NOON, NEW_YORK)


SERIES_FORM = {"pattern": "monthly", "first": "2027-01-01", "weekday": "tue", "nth": "2", "count": "6",
               "start": "10:00", "end": "12:00"}


@pytest.mark.parametrize(("given", "planned", "field", "said"), [
    ({"pattern": ""}, 6, "pattern", "Choose monthly (a week of each month) or weekly."),
    ({"first": "next week"}, 6, "first", "'next week' is not a date written like 2027-01-13."),
    ({"weekday": "tu"}, 6, "weekday", "'tu' is not a day of the week like tue or tuesday."),
    ({"weekday": "9"}, 6, "weekday", "The weekday is 0 (Monday) to 6 (Sunday), not 9."),
    ({"nth": "second"}, 6, "nth", "The week of the month must be a whole number, not 'second'."),
    ({"count": "six"}, 6, "count", "The number of sessions must be a whole number, not 'six'."),
    ({"count": ""}, None, "count", "A drop-in group has no planned number of sessions: give how many."),
    ({"start": "10"}, 6, "start", "'10' is not a time of day written like 10:00 (24-hour clock)."),
    ({"start": "23:00", "end": ""}, 6, "end", "A 120-minute session from 23:00 ends after midnight: give its end."),
    ({"pattern": "weekly", "every_weeks": "x"}, 6, "every_weeks", "The weeks between sessions must be a whole number"),
])
def test_a_bad_series_form_is_refused_naming_its_field(given: dict[str, str], planned: int | None, field: str,
                                                        said: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        series_from_form({**SERIES_FORM, **given}, session_minutes=120, planned_sessions=planned, zone=MADRID)
    assert refused.value.field == field and said in str(refused.value)


# Properties. Zones with an hour's change at night, half an hour (Lord Howe), none (Kolkata), and
# changes at other hours (Chatham 02:45, Santiago at midnight).
ZONES = [NEW_YORK, MADRID, "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "UTC"]
days = st.dates(date(2024, 1, 1), date(2040, 12, 31))
quarters = st.integers(0, 95).map(lambda q: time(q // 4, 15 * (q % 4)))  # what a time input offers


def check_series(slots: list[Slot], count: int, weekday: int, start: time, end: time, zone: str) -> None:
    assert len(slots) == count
    assert all(a.starts_at < b.starts_at for a, b in zip(slots, slots[1:])), "not strictly increasing"
    for slot in slots:
        begins, ends = clinic_time.local(slot.starts_at, zone), clinic_time.local(slot.ends_at, zone)
        assert begins.weekday() == weekday and begins.time() == start
        assert ends.date() == begins.date() and ends.time() == end and slot.ends_at > slot.starts_at


@settings(max_examples=150, deadline=None)
@given(first=days, weekday=st.integers(0, 6), nth=st.sampled_from([1, 2, 3, 4, 5, -1]), count=st.integers(1, 12),
       start=quarters, end=quarters, zone=st.sampled_from(ZONES))
def test_every_monthly_slot_is_the_asked_weekday_of_its_own_month_at_the_asked_wall_time(
        first: date, weekday: int, nth: int, count: int, start: time, end: time, zone: str) -> None:
    try:
        slots = monthly(first, weekday, nth, count, start, end, zone)
    except ScheduleError as refused:  # only for an end before the start, a wall time the clocks skip or repeat
        said = str(refused)  # on one of the days, or a month without a 5th
        assert (end <= start and refused.field == "end") or "the clocks go" in said or (nth == 5 and "no 5th" in said)
        return
    check_series(slots, count, weekday, start, end, zone)
    days_held = [clinic_time.local(s.starts_at, zone).date() for s in slots]
    assert days_held[0] >= first and (days_held[0] - first).days < 62
    months = [d.year * 12 + d.month for d in days_held]
    assert months == list(range(months[0], months[0] + count)), "not one session in each month in turn"
    for held in days_held:
        if nth == -1:
            assert (held + timedelta(days=7)).month != held.month
        else:
            assert (held.day - 1) // 7 + 1 == nth


@settings(max_examples=150, deadline=None)
@given(first=days, weekday=st.integers(0, 6), count=st.integers(1, 52), every=st.integers(1, 12),
       start=quarters, end=quarters, zone=st.sampled_from(ZONES))
def test_every_weekly_slot_is_the_asked_weekday_at_the_asked_wall_time_every_n_weeks(
        first: date, weekday: int, count: int, every: int, start: time, end: time, zone: str) -> None:
    try:
        slots = weekly(first, weekday, count, every, start, end, zone)
    except ScheduleError as refused:
        assert (end <= start and refused.field == "end") or "the clocks go" in str(refused)
        return
    check_series(slots, count, weekday, start, end, zone)
    days_held = [clinic_time.local(s.starts_at, zone).date() for s in slots]
    assert first <= days_held[0] < first + timedelta(days=7)
    assert all((b - a).days == 7 * every for a, b in zip(days_held, days_held[1:]))


@settings(max_examples=100, deadline=None)
@given(first=days, weekday=st.integers(0, 6), nth=st.integers(1, 4), count=st.integers(1, 12),
       start=st.integers(6 * 4, 20 * 4).map(lambda q: time(q // 4, 15 * (q % 4))), zone=st.sampled_from(ZONES))
def test_a_daytime_series_in_the_first_four_weeks_is_never_refused(
        first: date, weekday: int, nth: int, count: int, start: time, zone: str) -> None:
    """No zone here changes its clocks in the day, and every month has four of each weekday."""
    end = time(start.hour + 2, start.minute)
    check_series(monthly(first, weekday, nth, count, start, end, zone), count, weekday, start, end, zone)
