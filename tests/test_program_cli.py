"""`groupvisit cohort|schedule|roster …` as a script runs them: a real process on a SQLite file, then the
store reading what it wrote."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ZONE = "America/New_York"


def groupvisit(db: Path, *args: str, zone: str = ZONE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "groupvisit", *args, "--db", str(db)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "GROUPVISIT_TIME_ZONE": zone})


def ok(db: Path, *args: str) -> list[str]:
    """What a command that must succeed printed, a list of tab-separated lines."""
    result = groupvisit(db, *args)
    assert result.returncode == 0 and result.stderr == "", result
    return result.stdout.splitlines()


def contents(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return "\n".join(connection.iterdump())


def test_a_series_and_its_roster_are_set_up_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    [cohort_id] = ok(db, "cohort", "create", "--name", "Diabetes Tuesday", "--condition", "Type 2 diabetes",
                     "--languages", "en,es", "--planned-sessions", "6", "--session-minutes", "120")
    assert ok(db, "cohort", "list") == [f"{cohort_id}\tDiabetes Tuesday\tseries\t0 of 6 sessions\tactive"]
    series = [line.split("\t") for line in ok(db, "schedule", "series", cohort_id, "--first", "2027-01-01",
                                               "--weekday", "tue", "--nth", "2", "--start", "10:00")]
    assert [when for _, _, when, _ in series] == [  # the cohort's six sessions, 10:00 across the March change
        "Tue 12 Jan 2027, 10:00-12:00", "Tue 9 Feb 2027, 10:00-12:00", "Tue 9 Mar 2027, 10:00-12:00",
        "Tue 13 Apr 2027, 10:00-12:00", "Tue 11 May 2027, 10:00-12:00", "Tue 8 Jun 2027, 10:00-12:00"]
    [extra] = [line.split("\t") for line in ok(db, "schedule", "add", cohort_id, "--date", "2027-03-20",
                                                "--start", "09:30", "--end", "11:00")]
    assert extra[2:] == ["Sat 20 Mar 2027, 09:30-11:00", "scheduled"]
    listed = [line.split("\t") for line in ok(db, "schedule", "list", cohort_id)]
    assert [row[0] for row in listed] == [row[0] for row in series[:3]] + [extra[0]] + [row[0] for row in series[3:]]
    assert len({row[1] for row in listed}) == 7, "two sessions share a join code"
    [ana] = ok(db, "roster", "add", cohort_id, "--clinic-name", "Ana García", "--display-name", "Ana",
               "--language", "es", "--mrn", "123", "--birth-date", "1961-04-30")
    [bo] = ok(db, "roster", "add", cohort_id, "--clinic-name", "Bo Li", "--display-name", "Bo",
              "--agreement-signed-on", "2026-11-02")
    assert ok(db, "roster", "list", cohort_id) == [f"{ana}\tAna García\tAna\tes\t123\t1961-04-30\t-\tenrolled",
                                                   f"{bo}\tBo Li\tBo\ten\t-\t-\t2026-11-02\tenrolled"]

    with sqlite3.connect(db) as raw:
        sessions = raw.execute("SELECT id, cohort, cohort_id FROM sessions").fetchall()
        audited = raw.execute("SELECT role, actor_id, action, what, cohort_id, session_id, subject FROM audit "
                              "ORDER BY id").fetchall()
    assert sorted(sessions) == sorted((row[0], "Diabetes Tuesday", cohort_id) for row in listed)
    assert {(role, actor) for role, actor, *_ in audited} == {("cli", "cli")}
    assert [(action, what, cohort, session, subject) for *_, action, what, cohort, session, subject in audited] == [
        ("changed", "created the cohort", cohort_id, None, ""),
        *[("changed", "scheduled the session", cohort_id, row[0], "") for row in series],
        ("changed", "scheduled the session", cohort_id, extra[0], ""),
        ("changed", "enrolled the patient", cohort_id, None, ana), ("changed", "enrolled the patient", cohort_id, None, bo),
        ("viewed", "the roster", cohort_id, None, ana), ("viewed", "the roster", cohort_id, None, bo)]

    audit = groupvisit(db, "audit", "--cohort", cohort_id)
    assert audit.returncode == 0, audit.stderr
    lines = audit.stdout.splitlines()
    assert lines[0] == f"Audit log of the cohort Diabetes Tuesday, {cohort_id}" and len(lines) == 1 + len(audited)
    assert "enrolled the patient — about Ana García" in lines[-4] and "viewed  the roster — about Bo Li" in lines[-1]
    assert f"scheduled the session (session {series[0][0]})" in lines[2]


def first_events(db: Path, cohort_id: str) -> list[dict[str, object]]:
    with sqlite3.connect(db) as raw:
        rows = raw.execute("SELECT events.data FROM events JOIN sessions ON sessions.id = events.session_id "
                           "WHERE sessions.cohort_id = ? AND events.seq = 1", (cohort_id,)).fetchall()
    return [json.loads(data) for data, in rows]


PLANNER = ("minutes_per_patient", "systolic_high", "diastolic_high", "glucose_low", "glucose_high", "glucose_unit",
           "weight_unit")


def test_a_cohorts_planner_settings_go_into_each_session_scheduled_in_it(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    [mmol] = ok(db, "cohort", "create", "--name", "Madrid group", "--glucose-unit", "mmol/L", "--weight-unit", "kg",
                "--minutes-per-patient", "8.5", "--systolic-high", "170", "--diastolic-high", "105")
    [own] = ok(db, "cohort", "create", "--name", "Strict group", "--glucose-low", "80", "--glucose-high", "250")
    [plain] = ok(db, "cohort", "create", "--name", "Usual group")
    for cohort_id in (mmol, own, plain):
        ok(db, "schedule", "add", cohort_id, "--date", "2027-03-20", "--start", "10:00")
    ok(db, "schedule", "series", mmol, "--first", "2027-04-01", "--weekday", "tue", "--nth", "2", "--count", "2",
       "--start", "10:00")
    settings = {cohort_id: [tuple(event[name] for name in PLANNER) for event in first_events(db, cohort_id)]
                for cohort_id in (mmol, own, plain)}
    assert settings == {mmol: [(8.5, 170, 105, 3.9, 16.7, "mmol/L", "kg")] * 3,  # its unit's own glucose bounds
                        own: [(7.0, 180, 110, 80.0, 250.0, "mg/dL", "lb")],
                        plain: [(7.0, 180, 110, 70.0, 300.0, "mg/dL", "lb")]}


def test_an_archived_cohort_is_listed_only_with_all_and_a_drop_in_group_has_no_planned_count(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    [series] = ok(db, "cohort", "create", "--name", "Series")
    [walk_in] = ok(db, "cohort", "create", "--name", "Walk-in", "--kind", "drop_in", "--planned-sessions", "6")
    assert ok(db, "cohort", "archive", series) == [f"Archived Series ({series}): it is kept, read-only."]
    assert ok(db, "cohort", "list") == [f"{walk_in}\tWalk-in\tdrop_in\t0 sessions\tactive"]
    assert ok(db, "cohort", "list", "--all") == [f"{series}\tSeries\tseries\t0 of 6 sessions\tarchived",
                                                 f"{walk_in}\tWalk-in\tdrop_in\t0 sessions\tactive"]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A database with a series cohort (one patient, chart number 123), an archived one and a drop-in
    group, made once: each refusal test works on its own copy. Returns it and the two cohorts' ids."""
    db = tmp_path_factory.mktemp("program") / "clinic.db"
    [cohort_id] = ok(db, "cohort", "create", "--name", "Diabetes Tuesday")
    ok(db, "roster", "add", cohort_id, "--clinic-name", "Ana García", "--display-name", "Ana", "--mrn", "123")
    [archived] = ok(db, "cohort", "create", "--name", "Old group")
    ok(db, "cohort", "archive", archived)
    assert not db.with_name("clinic.db-wal").exists(), "a command left its changes outside the file"
    return db, cohort_id, archived


SERIES = ["--first", "2027-01-01", "--weekday", "tue", "--start", "10:00"]
REFUSED: dict[str, tuple[list[str], str]] = {
    "empty name": (["cohort", "create", "--name", " "], "groupvisit: --name: The cohort's name cannot be empty."),
    "vote budget": (["cohort", "create", "--name", "X", "--vote-budget", "99"],
                    "groupvisit: --vote-budget: The votes each person has must be a whole number from 1 to 10."),
    "unknown cohort": (["schedule", "list", "nope"], "groupvisit: There is no cohort 'nope'"),
    "5th tuesday": (["schedule", "series", "{cohort}", *SERIES, "--nth", "5"],
                    "groupvisit: --nth: There is no 5th Tuesday in January 2027: choose the last Tuesday"),
    "clocks skip": (["schedule", "add", "{cohort}", "--date", "2027-03-14", "--start", "02:30"],
                    "groupvisit: --start: 02:30 on Sun 14 Mar 2027 does not exist in America/New_York"),
    "series crossing a skipped hour": (["schedule", "series", "{cohort}", "--first", "2027-03-01", "--weekday", "sun",
                                        "--every-weeks", "1", "--count", "3", "--start", "02:30"],
                                       "groupvisit: --start: 02:30 on Sun 14 Mar 2027 does not exist"),
    "end before start": (["schedule", "add", "{cohort}", "--date", "2027-03-20", "--start", "10:00", "--end", "09:00"],
                         "groupvisit: --end: The end (09:00) must be after the start (10:00)."),
    "past midnight": (["schedule", "add", "{cohort}", "--date", "2027-03-20", "--start", "23:00"],
                      "groupvisit: --end: A 120-minute session from 23:00 ends after midnight: give its end."),
    "bad date": (["schedule", "add", "{cohort}", "--date", "20/03/2027", "--start", "10:00"],
                 "groupvisit: --date: '20/03/2027' is not a date written like 2027-01-13."),
    "bad weekday": (["schedule", "series", "{cohort}", *SERIES[:2], "--weekday", "tux", *SERIES[4:], "--nth", "2"],
                    "groupvisit: --weekday: 'tux' is not a day of the week like tue or tuesday."),
    "no pattern": (["schedule", "series", "{cohort}", *SERIES], "one of the arguments --nth --every-weeks is required"),
    "too many": (["schedule", "series", "{cohort}", *SERIES, "--nth", "2", "--count", "53"],
                 "groupvisit: --count: A series has 1 to 52 sessions, not 53."),
    "archived schedule": (["schedule", "add", "{archived}", "--date", "2027-03-20", "--start", "10:00"],
                          "groupvisit: The cohort Old group is archived: it is kept as it was and cannot change."),
    "archived roster": (["roster", "add", "{archived}", "--clinic-name", "Bo", "--display-name", "Bo"],
                        "groupvisit: The cohort Old group is archived"),
    "duplicate chart number": (["roster", "add", "{cohort}", "--clinic-name", "Bo", "--display-name", "Bo",
                                "--mrn", "123"],
                               "groupvisit: --mrn: A patient with chart number 123 is already on this roster."),
    "same person": (["roster", "add", "{cohort}", "--clinic-name", "ana garcía", "--display-name", "Anita"],
                    "groupvisit: --clinic-name: Ana García is already on this roster"),
    "birth date": (["roster", "add", "{cohort}", "--clinic-name", "Bo", "--display-name", "Bo", "--birth-date",
                    "1990-13-01"], "groupvisit: --birth-date: The date of birth: '1990-13-01' is not a date"),
    "missing display name": (["roster", "add", "{cohort}", "--clinic-name", "Bo"],
                             "the following arguments are required: --display-name"),
    "glucose high not above low": (["cohort", "create", "--name", "X", "--glucose-low", "80", "--glucose-high", "75"],
                                   "groupvisit: --glucose-high: Glucose high must be above glucose low (80 mg/dL)."),
    "glucose unit": (["cohort", "create", "--name", "X", "--glucose-unit", "mmol"],
                     "groupvisit: --glucose-unit: The glucose unit must be mg/dL or mmol/L, not 'mmol'."),
    "weight unit": (["cohort", "create", "--name", "X", "--weight-unit", "stone"],
                    "groupvisit: --weight-unit: The weight unit must be lb or kg, not 'stone'."),
    "mg/dL threshold in a mmol/L cohort": (["cohort", "create", "--name", "X", "--glucose-unit", "mmol/L",
                                            "--glucose-low", "70"],
                                           "groupvisit: --glucose-low: Glucose low (in mmol/L) must be a number from "
                                           "1.1 to 33.3, like 3.9."),
    "minutes per patient": (["cohort", "create", "--name", "X", "--minutes-per-patient", "0"],
                            "groupvisit: --minutes-per-patient: The minutes per one-on-one must be a number from 1 "
                            "to 60, like 7."),
    "diastolic above systolic": (["cohort", "create", "--name", "X", "--systolic-high", "120", "--diastolic-high",
                                  "130"], "groupvisit: --diastolic-high: The flagged bottom blood pressure must be "
                                          "below the top one."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_bad_input_exits_2_naming_what_was_wrong_and_changes_nothing(program: tuple[Path, str, str], tmp_path: Path,
                                                                      case: str) -> None:
    made, cohort_id, archived = program
    db = Path(shutil.copy(made, tmp_path / "clinic.db"))
    before = contents(db)
    args, message = REFUSED[case]
    result = groupvisit(db, *(arg.format(cohort=cohort_id, archived=archived) for arg in args))
    assert result.returncode == 2, result
    assert message in result.stderr, result.stderr
    assert result.stdout == "" and contents(db) == before, "a refused command changed what was stored"


def test_a_time_zone_that_is_not_one_exits_2_before_anything_is_done(program: tuple[Path, str, str],
                                                                     tmp_path: Path) -> None:
    db = Path(shutil.copy(program[0], tmp_path / "clinic.db"))
    before = contents(db)
    result = groupvisit(db, "schedule", "add", program[1], "--date", "2027-03-20", "--start", "10:00",
                        zone="Europe/Madird")
    assert result.returncode == 2 and "GROUPVISIT_TIME_ZONE='Europe/Madird' is not usable" in result.stderr
    assert contents(db) == before
