"""The program's staff pages on a real server, as staff use them: a cohort, its schedule, its roster.

A signed-in facilitator creates a cohort, generates a monthly series across a daylight-saving change, adds,
moves and cancels sessions (through each session's own log) and enrols patients; bad input is refused naming
its field, keeping what was typed and changing nothing; an archived cohort no longer changes; a clinician may
read a cohort but not its roster; every look at the roster is audited. Then the pages in Chromium, with axe.
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from conftest import SESSION_START
from groupvisit.clock import ManualClock
from groupvisit.domain.events import SessionCancelled, SessionRescheduled, SessionScheduled
from groupvisit.program.schedule import Slot
from groupvisit.store import Store
from groupvisit.store import CohortFields, PatientFields
from groupvisit.store.tables import AuditRow, SessionRow
from support.accounts import Staff, signed_in_team
from support.browser import (Screen, add_cookie, axe_problems, chromium, open_screen, overflow, screenshot_dirs,
                             small_targets)
from support.clients import Link, ScreenClient, form_token, join
from support.server import LiveServer

ZONE = "America/New_York"  # daylight saving starts on 14 March 2027 there
TZ = ZoneInfo(ZONE)
HOSTILE = "<img src=x onerror=alert(1)> {{7*7}} ${7*7}"
COHORT = {"name": f"Diabetes {HOSTILE}", "condition": "Type 2 diabetes", "languages": "en,es", "kind": "series",
          "planned_sessions": "6", "session_minutes": "120", "vote_budget": "3", "timebox_minutes": "8",
          "room": "Community room"}
SERIES = {"first": "2027-01-01", "nth": "2", "weekday": "1", "start": "10:00", "end": "12:00", "count": "6"}
SECOND_TUESDAYS = [date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13), date(2027, 5, 11),
                   date(2027, 6, 8)]
ROSA = {"clinic_name": "Rosa Martinez", "display_name": "Rosa <img src=x> {{7*7}} ${7*7}", "language": "es", "mrn": "100234",
        "birth_date": "1961-04-02", "agreement_signed_on": "2026-12-01"}
JOSE = {"clinic_name": "José Alvarez", "display_name": "José", "language": "es", "mrn": "100777", "birth_date": "",
        "agreement_signed_on": ""}


@dataclass
class Program:
    server: LiveServer
    clock: ManualClock
    store: Store
    team: dict[str, Staff]


@pytest_asyncio.fixture
async def program(tmp_path: Path) -> AsyncIterator[Program]:
    """A clinic in New York with no sessions yet, its care team signed in, on a real server."""
    db = tmp_path / "clinic.db"
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{db}")
    team = await signed_in_team(store, clock.now())
    server = LiveServer(db, clock, staff_idle_minutes=240.0, time_zone=ZONE)
    await server.astart()
    try:
        yield Program(server, clock, store, team)
    finally:
        await server.astop()
        store.close()


class StaffBrowser:
    """One staff member's browser: their sign-in cookie, the CSRF cookie its pages give it, forms sent from pages."""

    def __init__(self, program: Program, username: str) -> None:
        self.base = program.server.http
        self.client = httpx.AsyncClient(base_url=self.base)
        self.client.cookies.set(*program.team[username].cookie.split("=", 1))

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path)

    async def send(self, page: str, action: str, data: dict[str, str]) -> httpx.Response:
        token = form_token((await self.get(page)).text)
        return await self.client.post(action, data={**data, "csrf": token}, headers={"Origin": self.base})

    async def close(self) -> None:
        await self.client.aclose()


@pytest_asyncio.fixture
async def alex(program: Program) -> AsyncIterator[StaffBrowser]:
    browser = StaffBrowser(program, "alex")
    yield browser
    await browser.close()


def local(at: float) -> datetime:
    return datetime.fromtimestamp(at, TZ)


def staff_audit(cohort_id: str) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, at=SESSION_START, role="admin", actor_id="setup", actor_name="Setup",
                    device="", action="changed", what="set up for the test")


async def a_cohort(program: Program, sessions: int = 0, **fields: str) -> str:
    """A cohort made straight in the store, with `sessions` monthly slots (second Tuesdays, 10:00 New York)."""
    cohort = await program.store.create_cohort(CohortFields.from_form({**COHORT, **fields}), SESSION_START,
                                               staff_audit(""))
    slots = [Slot(datetime(d.year, d.month, d.day, 10, tzinfo=TZ).timestamp(),
                  datetime(d.year, d.month, d.day, 12, tzinfo=TZ).timestamp()) for d in SECOND_TUESDAYS[:sessions]]
    if slots:
        await program.store.schedule_sessions(cohort.id, slots, staff_audit(cohort.id))
    return cohort.id


EVALUATIONS = [(5, "Hearing how others eat out", "<b>More time</b> for questions {{7*7}}"),
               (4, "The walking tips", "Start on time")]


async def hold(program: Program, session: SessionRow, names: list[str]) -> None:
    """Run `session` from the facilitator's console: people check in, a topic, a goal and an evaluation each
    (given on their behalf, as for someone without a device), then close it."""
    console = await ScreenClient(Link(f"{program.server.ws}/console/{session.id}/ws",
                                      program.team["alex"].cookie)).connect()
    try:
        for name in names:
            await join(program.server.http, session.join_code, name)
        await console.wait_for(lambda view: len(view["people"]) == len(names))
        people = [person["id"] for person in console.view["people"]]
        await console.send("propose_topic", title="Eating out with friends")
        for phase in ("agenda", "discussion", "goals"):
            await console.send("open_phase", phase=phase, confirm=True)
        for person in people:
            await console.send("set_goal", participant_id=person, what="Walk", how_much="20 minutes",
                               when="after dinner", how_often="5 days a week", confidence=8)
        await console.send("open_phase", phase="wrap_up", confirm=True)
        for person, (rating, helped, change) in zip(people, EVALUATIONS):
            await console.send("give_evaluation", participant_id=person, rating=rating, helped=helped, change=change)
        await console.send("close_session", confirm=True)
    finally:
        await console.close()


def staff_id(program: Program, username: str) -> str:
    actor = program.team[username].actor
    assert actor is not None
    return actor.id


def shows_literally(page: str, text: str) -> None:
    assert escape(text, quote=False) in page or escape(text) in page, f"{text!r} is not shown as typed"
    assert "<img src=x" not in page and "49 $" not in page and "{{7*7}} $49" not in page


def session_item(page: str, session_id: str) -> str:
    found = re.search(rf'<li class="schedule-item" data-session="{session_id}" data-status="(\w+)"', page)
    assert found, f"session {session_id} is not on the schedule"
    return found[1]


# ---- setting up a cohort through the pages -------------------------------------------------------------------

@pytest.mark.asyncio
async def test_a_cohort_is_created_scheduled_across_daylight_saving_changed_and_enrolled(
        program: Program, alex: StaffBrowser) -> None:
    home = await alex.get("/staff")
    assert 'href="/cohorts"' in home.text and "There are no sessions yet." in home.text

    created = await alex.send("/cohorts/new", "/cohorts/new", COHORT)
    assert created.status_code == 303, created.text
    cohort_id = created.headers["location"].removeprefix("/cohorts/").split("?")[0]
    page = await alex.get(f"/cohorts/{cohort_id}")
    shows_literally(page.text, COHORT["name"])

    # Six second Tuesdays from January: three in winter time, three in summer time, all at 10:00 in New York.
    scheduled = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/series", SERIES)
    assert scheduled.status_code == 303, scheduled.text
    sessions = await program.store.cohort_sessions(cohort_id)
    assert [local(s.starts_at).date() for s in sessions] == SECOND_TUESDAYS
    assert {(local(s.starts_at).strftime("%H:%M"), local(s.ends_at).strftime("%H:%M")) for s in sessions} == \
        {("10:00", "12:00")}
    assert [local(s.starts_at).utcoffset() for s in sessions] == [timedelta(hours=-5)] * 3 + [timedelta(hours=-4)] * 3
    assert len({s.join_code for s in sessions}) == 6
    page = await alex.get(f"/cohorts/{cohort_id}")
    assert "Tue 12 Jan 2027, 10:00–12:00" in page.text and "Tue 13 Apr 2027, 10:00–12:00" in page.text

    # One session more, at the end of the series.
    added = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/sessions",
                            {"date": "2027-07-13", "start": "10:00", "end": "12:00"})
    assert added.status_code == 303, added.text
    sessions = await program.store.cohort_sessions(cohort_id)
    assert len(sessions) == 7 and local(sessions[-1].starts_at) == datetime(2027, 7, 13, 10, tzinfo=TZ)

    # An end before its start: refused naming the field, what was typed still in the form, nothing added.
    refused = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/sessions",
                              {"date": "2027-08-10", "start": "12:00", "end": "10:00"})
    assert refused.status_code == 400
    assert '<a href="#one-end">End</a>' in refused.text
    assert re.search(r'id="one-end" name="end" type="time" value="10:00"[^>]*aria-invalid="true"', refused.text)
    assert 'value="2027-08-10"' in refused.text and 'value="12:00"' in refused.text
    assert len(await program.store.cohort_sessions(cohort_id)) == 7

    # A series that meets a time that does not exist (02:30 on the Sunday the clocks go forward): nothing made.
    gap = {**SERIES, "first": "2027-03-01", "weekday": "6", "start": "02:30", "end": "04:00", "count": "3"}
    refused = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/series", gap)
    assert refused.status_code == 400 and 'data-testid="series-form-errors"' in refused.text
    assert 'value="02:30"' in refused.text and 'value="2027-03-01"' in refused.text
    assert len(await program.store.cohort_sessions(cohort_id)) == 7

    # Moving the second session and cancelling the third go through their own logs.
    second, third = sessions[1], sessions[2]
    moved = await alex.send(f"/sessions/{second.id}/reschedule", f"/sessions/{second.id}/reschedule",
                            {"date": "2027-02-16", "start": "10:30", "end": "12:30"})
    assert moved.status_code == 303 and moved.headers["location"].startswith(f"/cohorts/{cohort_id}")
    row = await program.store.session(second.id)
    assert row is not None and local(row.starts_at) == datetime(2027, 2, 16, 10, 30, tzinfo=TZ)
    assert local(row.ends_at) == datetime(2027, 2, 16, 12, 30, tzinfo=TZ)
    assert [e for _, e in await program.store.events(second.id) if isinstance(e, SessionRescheduled)]
    cancelled = await alex.send(f"/sessions/{third.id}/reschedule", f"/sessions/{third.id}/cancel",
                                {"reason": "Clinic closed for the storm"})
    assert cancelled.status_code == 303, cancelled.text
    row = await program.store.session(third.id)
    assert row is not None and row.cancelled_at is not None
    [cancel] = [e for _, e in await program.store.events(third.id) if isinstance(e, SessionCancelled)]
    assert cancel.reason == "Clinic closed for the storm"
    page = await alex.get(f"/cohorts/{cohort_id}")
    assert session_item(page.text, third.id) == "cancelled" and session_item(page.text, second.id) == "scheduled"
    assert "Tue 16 Feb 2027, 10:30–12:30" in page.text

    # Someone has checked in to the fourth: it can no longer be moved, and its log says nothing new.
    fourth = sessions[3]
    await join(program.server.http, fourth.join_code, "Maria")
    before = await program.store.events(fourth.id)
    refused = await alex.send(f"/sessions/{fourth.id}/reschedule", f"/sessions/{fourth.id}/reschedule",
                              {"date": "2027-04-20", "start": "10:00", "end": "12:00"})
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    assert 'value="2027-04-20"' in refused.text
    assert await program.store.events(fourth.id) == before

    # The roster: two patients; a second patient with Rosa's chart number is refused, naming the field.
    for patient in (ROSA, JOSE):
        enrolled = await alex.send(f"/cohorts/{cohort_id}/roster/new", f"/cohorts/{cohort_id}/roster/new", patient)
        assert enrolled.status_code == 303, enrolled.text
    duplicate = {**JOSE, "clinic_name": "Maria Lopez", "display_name": "Maria", "mrn": ROSA["mrn"]}
    refused = await alex.send(f"/cohorts/{cohort_id}/roster/new", f"/cohorts/{cohort_id}/roster/new", duplicate)
    assert refused.status_code == 400
    assert '<a href="#mrn">Chart number (MRN)</a>' in refused.text
    assert 'value="Maria Lopez"' in refused.text and f'value="{ROSA["mrn"]}"' in refused.text
    assert [entry.clinic_name for entry in await program.store.roster_entries(cohort_id)] == \
        ["José Alvarez", "Rosa Martinez"]
    roster = await alex.get(f"/cohorts/{cohort_id}/roster")
    assert "Rosa Martinez" in roster.text and "José Alvarez" in roster.text and "Not on file" in roster.text
    shows_literally(roster.text, ROSA["display_name"])
    page = await alex.get(f"/cohorts/{cohort_id}")
    assert "2 patients enrolled; 1 without a confidentiality agreement on file" in page.text

    # The staff home: the cohort's upcoming sessions, soonest first, each naming its cohort.
    home = await alex.get("/staff")
    upcoming = re.findall(r'data-session="(\w+)"', home.text)
    assert upcoming == [s.id for s in sorted(await program.store.cohort_sessions(cohort_id),
                                             key=lambda s: s.starts_at)]
    assert f'href="/cohorts/{cohort_id}"' in home.text and "Cancelled" in home.text


@pytest.mark.asyncio
async def test_an_edit_with_a_bad_value_names_the_field_and_changes_nothing(program: Program,
                                                                            alex: StaffBrowser) -> None:
    cohort_id = await a_cohort(program)
    before = await program.store.cohort(cohort_id)
    refused = await alex.send(f"/cohorts/{cohort_id}/edit", f"/cohorts/{cohort_id}/edit",
                              {**COHORT, "name": "Renamed", "session_minutes": "two hours"})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
    assert 'value="two hours"' in refused.text and 'value="Renamed"' in refused.text
    assert await program.store.cohort(cohort_id) == before
    saved = await alex.send(f"/cohorts/{cohort_id}/edit", f"/cohorts/{cohort_id}/edit", {**COHORT, "name": "Renamed"})
    assert saved.status_code == 303
    after = await program.store.cohort(cohort_id)
    assert after is not None and after.name == "Renamed"


PLANNER = ("minutes_per_patient", "systolic_high", "diastolic_high", "glucose_low", "glucose_high", "glucose_unit",
           "weight_unit")


async def first_event_settings(program: Program, session_id: str) -> tuple[object, ...]:
    [(_, first), *_] = await program.store.events(session_id)
    assert isinstance(first, SessionScheduled)
    return tuple(getattr(first, name) for name in PLANNER)


@pytest.mark.asyncio
async def test_the_cohorts_planner_settings_are_set_checked_shown_and_carried_into_its_sessions(
        program: Program, alex: StaffBrowser) -> None:
    form = await alex.get("/cohorts/new")
    for name, value in (("minutes_per_patient", "7"), ("systolic_high", "180"), ("diastolic_high", "110"),
                        ("glucose_low", ""), ("glucose_high", "")):  # empty: the glucose unit's own bounds
        assert re.search(rf'id="{name}" name="{name}" type="\w+" value="{value}"', form.text), name
    assert 'value="mg/dL" id="glucose_unit-mg-dL" checked' in form.text
    assert 'value="lb" id="weight_unit-lb" checked' in form.text and 'id="weight_unit-kg" checked' not in form.text
    mmol = {**COHORT, "glucose_unit": "mmol/L", "weight_unit": "kg", "minutes_per_patient": "8.5",
            "systolic_high": "170", "diastolic_high": "105", "glucose_low": "", "glucose_high": ""}
    created = await alex.send("/cohorts/new", "/cohorts/new", mmol)
    assert created.status_code == 303, created.text
    cohort_id = created.headers["location"].removeprefix("/cohorts/").split("?")[0]
    page = await alex.get(f"/cohorts/{cohort_id}")
    assert "8.5 minutes each; flags: BP ≥ 170/105 · glucose &lt; 3.9 or &gt; 16.7 mmol/L; weight in kg" in page.text

    series = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/series", {**SERIES, "count": "2"})
    assert series.status_code == 303, series.text
    one = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/sessions",
                          {"date": "2027-07-13", "start": "10:00", "end": "12:00"})
    assert one.status_code == 303, one.text
    sessions = await program.store.cohort_sessions(cohort_id)
    assert len(sessions) == 3
    for session in sessions:
        assert await first_event_settings(program, session.id) == (8.5, 170, 105, 3.9, 16.7, "mmol/L", "kg")

    # Bad settings: refused naming the field, what was typed kept, nothing changed.
    before = await program.store.cohort(cohort_id)
    for typed, field, message in (
            ({"glucose_low": "8", "glucose_high": "6"}, "glucose_high",
             "Glucose high must be above glucose low (8 mmol/L)."),
            ({"glucose_low": "70"}, "glucose_low", "Glucose low (in mmol/L) must be a number from 1.1 to 33.3, like 3.9."),
            ({"glucose_unit": "mmol"}, "glucose_unit", "The glucose unit must be mg/dL or mmol/L, not &#39;mmol&#39;."),
            ({"weight_unit": "stone"}, "weight_unit", "The weight unit must be lb or kg, not &#39;stone&#39;."),
            ({"minutes_per_patient": "seven"}, "minutes_per_patient",
             "The minutes per one-on-one must be a number from 1 to 60, like 7.")):
        refused = await alex.send(f"/cohorts/{cohort_id}/edit", f"/cohorts/{cohort_id}/edit", {**mmol, **typed})
        assert refused.status_code == 400, typed
        assert f'<p class="field-error" id="{field}-error" data-field="{field}">{message}</p>' in refused.text
        assert f'href="#{field}"' in refused.text
        for name, value in typed.items():
            if name not in ("glucose_unit", "weight_unit"):
                assert re.search(rf'id="{name}" name="{name}" type="\w+" value="{re.escape(value)}"', refused.text)
        assert await program.store.cohort(cohort_id) == before

    # Switching the glucose unit back, the bounds left empty: mg/dL's own; sessions made after carry them.
    edit = await alex.get(f"/cohorts/{cohort_id}/edit")
    assert re.search(r'id="glucose_low" name="glucose_low" type="\w+" value=""', edit.text)
    assert re.search(r'id="minutes_per_patient" name="minutes_per_patient" type="\w+" value="8.5"', edit.text)
    saved = await alex.send(f"/cohorts/{cohort_id}/edit", f"/cohorts/{cohort_id}/edit",
                            {**mmol, "glucose_unit": "mg/dL"})
    assert saved.status_code == 303, saved.text
    after = await program.store.cohort(cohort_id)
    assert after is not None and (after.glucose_low, after.glucose_high, after.glucose_unit) == (70, 300, "mg/dL")
    await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/sessions",
                    {"date": "2027-08-10", "start": "10:00", "end": "12:00"})
    latest = (await program.store.cohort_sessions(cohort_id))[-1]
    assert await first_event_settings(program, latest.id) == (8.5, 170, 105, 70, 300, "mg/dL", "kg")
    assert await first_event_settings(program, sessions[0].id) == (8.5, 170, 105, 3.9, 16.7, "mmol/L", "kg")


@pytest.mark.asyncio
async def test_an_archived_cohort_is_kept_read_only(program: Program, alex: StaffBrowser) -> None:
    cohort_id = await a_cohort(program, sessions=2)
    [first, _] = await program.store.cohort_sessions(cohort_id)
    archived = await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/archive", {})
    assert archived.status_code == 303
    page = await alex.get(f"/cohorts/{cohort_id}")
    assert 'id="archived"' in page.text
    for form in ("series", "sessions", "archive", "edit"):
        assert f"/cohorts/{cohort_id}/{form}" not in page.text, f"an archived cohort offers {form}"
    assert "/reschedule" not in page.text
    edit = await alex.get(f"/cohorts/{cohort_id}/edit")
    assert 'id="read-only"' in edit.text and 'id="save-cohort"' not in edit.text

    before = await program.store.cohort_sessions(cohort_id), await program.store.events(first.id)
    refusals = [
        await alex.send(f"/cohorts/{cohort_id}/edit", f"/cohorts/{cohort_id}/edit", {**COHORT, "name": "New"}),
        await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/series", SERIES),
        await alex.send(f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/sessions",
                        {"date": "2027-09-14", "start": "10:00", "end": "12:00"}),
        await alex.send(f"/cohorts/{cohort_id}/roster/new", f"/cohorts/{cohort_id}/roster/new", ROSA),
        await alex.send(f"/sessions/{first.id}/reschedule", f"/sessions/{first.id}/reschedule",
                        {"date": "2027-01-19", "start": "10:00", "end": "12:00"}),
        await alex.send(f"/sessions/{first.id}/reschedule", f"/sessions/{first.id}/cancel", {"reason": ""}),
    ]
    assert [r.status_code for r in refusals] == [400, 400, 400, 400, 409, 409]
    assert all('role="alert"' in r.text for r in refusals)
    assert (await program.store.cohort_sessions(cohort_id), await program.store.events(first.id)) == before
    assert await program.store.roster_entries(cohort_id) == []
    cohort = await program.store.cohort(cohort_id)
    assert cohort is not None and cohort.name == COHORT["name"]


# ---- who may do what, and the audit log ------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_clinicians_read_the_cohort_but_not_its_roster_and_every_roster_read_is_audited(
        program: Program, alex: StaffBrowser) -> None:
    cohort_id = await a_cohort(program, sessions=2)
    rosa = await program.store.enrol(cohort_id, PatientFields.from_form(ROSA), SESSION_START, staff_audit(cohort_id))
    sessions = await program.store.cohort_sessions(cohort_id)
    sam, sam_id = StaffBrowser(program, "sam"), staff_id(program, "sam")
    try:
        page = await sam.get(f"/cohorts/{cohort_id}")
        assert page.status_code == 200 and "1 patient enrolled" in page.text
        assert "Rosa" not in page.text, "the cohort's page names nobody"
        assert f'href="/cohorts/{cohort_id}/roster"' not in page.text and 'action="/cohorts/' not in page.text
        for path in (f"/cohorts/{cohort_id}/roster", f"/cohorts/{cohort_id}/roster/{rosa.id}",
                     f"/cohorts/{cohort_id}/roster/new", "/cohorts/new", f"/cohorts/{cohort_id}/edit",
                     f"/sessions/{sessions[0].id}/reschedule"):
            assert (await sam.get(path)).status_code == 403, path
        before = await program.store.cohort_sessions(cohort_id)
        refused = await sam.client.post(f"/cohorts/{cohort_id}/series", data={**SERIES, "csrf": form_token(page.text)})
        assert refused.status_code == 403 and await program.store.cohort_sessions(cohort_id) == before
        assert [r for r in await program.store.cohort_audit_log(cohort_id) if r.actor_id == sam_id] == [], "refusals read nothing"
        assert (await sam.get(f"/cohorts/{cohort_id}/over-time")).status_code == 200
        assert [(r.action, r.role) for r in await program.store.cohort_audit_log(cohort_id) if r.actor_id == sam_id] == \
            [("viewed", "clinician")], "a look at the cohort over time is audited"
    finally:
        await sam.close()

    # Without the page's token, or from another site, a form changes nothing.
    no_token = await alex.client.post(f"/cohorts/{cohort_id}/series", data=SERIES)
    token = form_token((await alex.get(f"/cohorts/{cohort_id}")).text)
    other_site = await alex.client.post(f"/cohorts/{cohort_id}/series", data={**SERIES, "csrf": token},
                                        headers={"Origin": "https://evil.example"})
    assert (no_token.status_code, other_site.status_code) == (403, 403)
    assert len(await program.store.cohort_sessions(cohort_id)) == 2

    reads_before = [r for r in await program.store.cohort_audit_log(cohort_id) if r.action == "viewed"]
    assert (await alex.get(f"/cohorts/{cohort_id}/roster")).status_code == 200
    assert (await alex.get(f"/cohorts/{cohort_id}/roster/{rosa.id}")).status_code == 200
    viewed = [r for r in await program.store.cohort_audit_log(cohort_id) if r.action == "viewed"][len(reads_before):]
    alex_id = staff_id(program, "alex")
    # One row for each patient the roster showed (only Rosa), then one for her entry.
    assert [(r.actor_id, r.role, r.subject) for r in viewed] == [(alex_id, "facilitator", rosa.id)] * 2


@pytest.mark.asyncio
async def test_the_cohort_over_time_shows_each_sessions_evaluations_goals_and_topics(program: Program) -> None:
    cohort_id = await a_cohort(program, sessions=3)
    first, second, third = await program.store.cohort_sessions(cohort_id)
    await program.store.enrol(cohort_id, PatientFields.from_form(ROSA), SESSION_START, staff_audit(cohort_id))
    await hold(program, first, ["Rosa", "José"])
    sam = StaffBrowser(program, "sam")
    try:
        async with StaffBrowser(program, "alex").client as alex:
            token = form_token((await alex.get(f"/sessions/{third.id}/reschedule")).text)
            cancelled = await alex.post(f"/sessions/{third.id}/cancel", data={"reason": "", "csrf": token})
            assert cancelled.status_code == 303
        page = (await sam.get(f"/cohorts/{cohort_id}/over-time")).text
    finally:
        await sam.close()
    evaluations = page.split('id="evaluations"', 1)[1].split("</table>", 1)[0]
    assert "4.5 of 5" in evaluations and "(2 ratings)" in evaluations
    for _, helped, change in EVALUATIONS:
        assert escape(helped, quote=False) in evaluations
        shows_literally(evaluations, change)
    goals = page.split('id="goals"', 1)[1].split("</table>", 1)[0]
    assert "Eating out with friends (0)" in goals
    attendance = page.split('id="attendance"', 1)[1].split("</table>", 1)[0]
    # Rosa took part in no matched way (nobody matched the check-ins to the roster): a no-show, then upcoming.
    assert re.findall(r'data-mark="(\w+)"', attendance) == ["no_show", "upcoming", "cancelled"]
    assert "Tue 12 Jan 2027" in attendance and "Rosa Martinez" in attendance


# ---- in Chromium ------------------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


async def check_page(screen: Screen, step: str, shot: str = "") -> None:
    page = screen.page
    assert await axe_problems(page) == [], f"{screen.name}, {step}: axe"
    if screen.name == "staff-phone":
        assert await small_targets(page) == [], f"{screen.name}, {step}: controls smaller than 44×44"
    fit = await overflow(page)
    assert fit["width"] == 0, f"{screen.name}, {step}: scrolls sideways {fit}"
    assert not screen.dialogs and not [p for p in screen.problems if "40" not in p], screen.problems
    if shot and screen.name == "staff-laptop":
        for folder in screenshot_dirs():
            await page.screenshot(path=folder / f"{shot}.png", full_page=True)


async def field_error(page: Page, field_id: str) -> None:
    await expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator(f"#{field_id}-error")).to_be_visible()


@pytest.mark.asyncio
async def test_the_program_pages_pass_axe_and_fit_on_a_laptop_and_a_phone(program: Program) -> None:
    cohort_id = await a_cohort(program, sessions=6, name="Diabetes group (Tuesday mornings)")
    sessions = await program.store.cohort_sessions(cohort_id)
    for patient in (ROSA, JOSE):
        await program.store.enrol(cohort_id, PatientFields.from_form(patient), SESSION_START, staff_audit(cohort_id))
    program.clock.advance(sessions[0].starts_at - program.clock.now())  # the morning of the first session
    program.team = await signed_in_team(program.store, program.clock.now())  # signed in that morning
    await hold(program, sessions[0], ["Rosa", "José"])
    base = program.server.http
    async with chromium() as browser:
        laptop = await open_screen(browser, "staff-laptop", 1366, 768)
        phone = await open_screen(browser, "staff-phone", **PHONE, has_touch=True, is_mobile=True)
        for screen in (laptop, phone):
            page = screen.page
            await add_cookie(screen.context, base, program.team["alex"].cookie)
            await page.goto(f"{base}/staff")
            await check_page(screen, "the sessions page", "staff-home")
            await page.locator("#cohorts-link").click()
            await check_page(screen, "the cohorts list", "cohorts")
            await page.locator("#new-cohort").click()
            await page.locator("#name").fill(HOSTILE)
            await page.locator("#session_minutes").fill("")
            await page.locator("#save-cohort").click()
            await field_error(page, "session_minutes")
            await expect(page.locator("#name")).to_have_value(HOSTILE)
            await check_page(screen, "a refused new cohort", "cohort-new-refused")
            await page.goto(f"{base}/cohorts/{cohort_id}")
            await check_page(screen, "the cohort and its schedule", "cohort")
            await page.locator("#one-date").fill("2027-08-10")
            await page.locator("#one-start").fill("12:00")
            await page.locator("#one-end").fill("10:00")
            await page.locator("#add-session").click()
            await field_error(page, "one-end")
            await check_page(screen, "a refused session", "cohort-schedule-refused")
            await page.goto(f"{base}/sessions/{sessions[4].id}/reschedule")
            await check_page(screen, "reschedule or cancel", "cohort-reschedule")
            await page.goto(f"{base}/cohorts/{cohort_id}/roster")
            await check_page(screen, "the roster", "cohort-roster")
            await page.locator("#enrol").click()
            await page.locator("#clinic_name").fill("Maria Lopez")
            await page.locator("#display_name").fill("Maria")
            await page.locator("#mrn").fill(ROSA["mrn"])
            await page.locator("#save-patient").click()
            await field_error(page, "mrn")
            await expect(page.locator("#clinic_name")).to_have_value("Maria Lopez")
            await check_page(screen, "a refused enrolment", "cohort-roster-refused")
            await page.goto(f"{base}/cohorts/{cohort_id}/over-time")
            await check_page(screen, "the cohort over time", "cohort-over-time")
