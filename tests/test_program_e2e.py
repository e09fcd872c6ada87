"""A clinic's first two sessions of a series, as its staff and patients make them, on a real server.

The admin creates the cohort, its six-session series and its roster through the web pages. Session 1:
eight patients check in, the facilitator matches each to the roster, and the group runs to its goals and
evaluations. A month later on the same manual clock, session 2: seven come back (one on a shared clinic
tablet, matched by hand), one comes for the first time, two do not come; a visitor off the roster is a guest. Each returning tablet opens with its own last goal;
the follow-ups, the queue's trend, the library and the cohort over time all come from session 1's log.
"""

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.accounts import Staff, signed_in_team
from support.clients import Link, ScreenClient, join, send_form
from support.fhir import of_type, read_back
from support.server import LiveServer

ZONE = "America/New_York"
FIRST = datetime(2027, 2, 9, 10, 0, tzinfo=ZoneInfo(ZONE))  # the second Tuesday of February
SECOND = datetime(2027, 3, 9, 10, 0, tzinfo=ZoneInfo(ZONE))  # of March: before the clocks change on the 14th
MINUTE = 60

# clinic name, display name, language, chart number, birth date
ROSTER = [("Maria Lopez", "Maria L.", "es", "MRN-1", "1961-04-12"), ("James Carter", "James", "en", "MRN-2", "1958-11-03"),
          ("Aisha Rahman", "Aisha", "en", "MRN-3", "1970-02-27"), ("Roberto Diaz", "Roberto", "es", "MRN-4", "1965-07-19"),
          ("Linda Nguyen", "Linda", "en", "MRN-5", "1953-05-30"), ("Walter Brooks", "Walt", "en", "MRN-6", "1949-12-14"),
          ("Carmen Ruiz", "Carmen", "es", "MRN-7", "1968-03-08"), ("Dev Patel", "Dev", "en", "MRN-8", "1975-09-22"),
          ("Grace Kim", "Grace", "en", "MRN-9", "1962-01-05"), ("Omar Haddad", "Omar", "en", "MRN-10", "1959-08-30")]


def goal_of(n: int) -> dict[str, Any]:
    return {"what": f"private goal {n}: walk after dinner", "how_much": "20 minutes", "when": "after dinner",
            "how_often": "5 days a week", "confidence": 8, "shared": False}


async def post(client: httpx.AsyncClient, page: str, path: str, data: dict[str, str]) -> httpx.Response:
    response = await send_form(client, path, data, page=page)
    assert response.status_code in (200, 303), (path, response.status_code, response.text[:2000])
    return response


async def set_up_program(http: str, admin: Staff) -> str:
    """Cohort, series and roster through the staff pages, as an admin would; the cohort's id."""
    async with httpx.AsyncClient(base_url=http) as client:
        client.cookies.set(*admin.cookie.split("=", 1))
        made = await post(client, "/cohorts/new", "/cohorts/new", {
            "name": "Diabetes group (Tuesday)", "condition": "Type 2 diabetes", "languages": "en,es",
            "kind": "series", "planned_sessions": "6", "session_minutes": "120", "vote_budget": "3",
            "timebox_minutes": "8", "room": "Room 2B"})
        cohort_id = made.headers["location"].rstrip("/").split("/")[-1]
        page = f"/cohorts/{cohort_id}"
        await post(client, page, f"{page}/series", {"first": "2027-02-09", "nth": "2", "weekday": "1",
                                                    "start": "10:00", "end": "12:00", "count": "6"})
        for clinic_name, display_name, language, mrn, birth_date in ROSTER:
            await post(client, f"{page}/roster/new", f"{page}/roster/new", {
                "clinic_name": clinic_name, "display_name": display_name, "language": language, "mrn": mrn,
                "birth_date": birth_date, "agreement_signed_on": "2026-11-20"})
        schedule = (await client.get(page)).text
        assert "Tue 9 Feb 2027, 10:00" in schedule and "Tue 13 Apr 2027, 10:00" in schedule, \
            "the series keeps 10:00 in the clinic's zone across the change to daylight time"
    return cohort_id


async def check_in(server: LiveServer, code: str, names: list[str], shared: frozenset[str] = frozenset()) -> dict[str, ScreenClient]:
    screens = {}
    for name in names:
        session_id, cookie = await join(server.http, code, name, shared_device=name in shared)
        screens[name] = await ScreenClient(f"{server.ws}/p/{session_id}/ws", cookie, name).connect()
    return screens


async def match_by_suggestion(console: ScreenClient, names: list[str]) -> None:
    for name in names:
        await console.wait_for(lambda v: any(p["name"] == name and p["suggestions"] for p in v["people"]))
        person = next(p for p in console.view["people"] if p["name"] == name)
        await console.send("match_participant", participant_id=person["id"],
                           patient_id=person["suggestions"][0]["patient_id"])


def participant_id(console: ScreenClient, name: str) -> str:
    return str(next(p["id"] for p in console.view["people"] if p["name"] == name))


async def run_session(console: ScreenClient, doctor: ScreenClient, people: dict[str, ScreenClient],
                      clock: ManualClock, strategies: list[str]) -> None:
    """Agenda, discussion with strategies and one-on-ones, goals, evaluations, close."""
    for n, (name, screen) in enumerate(people.items()):
        await screen.send("record_numbers", bp_systolic=130 + n, bp_diastolic=80, glucose=150 + n)
        await screen.send("request_visit", text=f"private request of {name}")
    clock.advance(15 * MINUTE)
    await console.send("open_phase", phase="agenda")
    await console.send("propose_topic", title="Eating out")
    await console.send("open_phase", phase="discussion", confirm=True)
    for text in strategies:
        await console.send("capture_strategy", text=text)
    for _ in range(2):
        waiting = doctor.view["queue"]["waiting"]
        encounter = waiting[0]["encounter_id"]
        await doctor.send("call_participant", encounter_id=encounter, room="Exam 1")
        await doctor.send("start_encounter", encounter_id=encounter)
        await doctor.send("complete_encounter", encounter_id=encounter, note="ok")
    clock.advance(60 * MINUTE)
    await console.send("open_phase", phase="goals", confirm=True)
    for n, screen in enumerate(people.values()):
        await screen.send("set_goal", **goal_of(n))
    await console.send("open_phase", phase="wrap_up", confirm=True)
    for n, (name, screen) in enumerate(people.items()):
        await screen.send("give_evaluation", rating=3 + n % 3, helped=f"helped {name}", change=f"change asked by {name}")
    await console.send("close_session", confirm=True)


@pytest.mark.asyncio
async def test_a_clinic_runs_the_first_two_sessions_of_a_series(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    clock = ManualClock(FIRST.timestamp() - 30 * MINUTE)
    store = Store(f"sqlite:///{db}")
    server = LiveServer(db, clock, staff_idle_minutes=240.0, time_zone=ZONE)
    await server.astart()
    screens: list[ScreenClient] = []
    try:
        team = await signed_in_team(store, clock.now())
        cohort_id = await set_up_program(server.http, team["admin"])
        series = await store.cohort_sessions(cohort_id)
        assert len(series) == 6 and series[0].starts_at == FIRST.timestamp() and series[1].starts_at == SECOND.timestamp()

        # Session 1: eight of the ten, matched by the facilitator from the name suggestions.
        clock.advance(25 * MINUTE)
        first = series[0]
        console = await ScreenClient(Link(f"{server.ws}/console/{first.id}/ws", team["alex"].cookie)).connect()
        doctor = await ScreenClient(Link(f"{server.ws}/queue/{first.id}/ws", team["sam"].cookie)).connect()
        came = [display for _, display, *_ in ROSTER[:8]]
        people = await check_in(server, first.join_code, came)
        screens += [console, doctor, *people.values()]
        await match_by_suggestion(console, came)
        assert all(p["patient_id"] for p in console.view["people"])
        await run_session(console, doctor, people, clock, ["Cook beans on Sunday for the week", "Glucose tabs in every coat"])
        for screen in screens:
            await screen.close()
        screens.clear()

        # Session 2, a month later: seven come back (Walt on the clinic's tablet, as "W. Brooks"), Grace comes for
        # the first time, Aisha and Omar do not come, and Nadia (Carmen's daughter, not on the roster) is a guest.
        clock.advance(SECOND.timestamp() - clock.now() - 5 * MINUTE)
        team = await signed_in_team(store, clock.now())
        second = series[1]
        console = await ScreenClient(Link(f"{server.ws}/console/{second.id}/ws", team["alex"].cookie)).connect()
        doctor = await ScreenClient(Link(f"{server.ws}/queue/{second.id}/ws", team["sam"].cookie)).connect()
        projector_key = await store.rotate_projector_key(second.id)
        projector = await ScreenClient(f"{server.ws}/projector/{second.id}/ws?key={projector_key}").connect()
        returning = ["Maria L.", "James", "Roberto", "Linda", "Carmen", "Dev", "W. Brooks"]
        people = await check_in(server, second.join_code, [*returning, "Grace", "Nadia"],
                                shared=frozenset({"W. Brooks"}))
        screens += [console, doctor, projector, *people.values()]
        await match_by_suggestion(console, [*returning[:-1], "Grace"])
        walt = next(r for r in console.view["roster"] if r["display_name"] == "Walt")
        await console.send("match_participant", participant_id=participant_id(console, "W. Brooks"),
                           patient_id=walt["patient_id"])
        await console.send("match_participant", participant_id=participant_id(console, "Nadia"), patient_id="")

        # Each returning tablet opens with its own last goal, and says how it went.
        for n, name in enumerate(returning):
            screen = people[name]
            session1_index = [display for _, display, *_ in ROSTER].index("Walt" if name == "W. Brooks" else name)
            await screen.wait_for(lambda v: v["me"]["follow_up"] is not None)
            assert screen.view["me"]["follow_up"]["goal"]["what"] == goal_of(session1_index)["what"]
            outcome = ("done", "partly", "not_yet")[n % 3]
            await screen.send("give_follow_up", outcome=outcome, obstacle=f"private obstacle of {name}" if n % 3 else "")
        assert people["Grace"].view["me"]["follow_up"] is None, "a patient at their first session has no last goal"
        assert people["Nadia"].view["me"]["follow_up"] is None, "nor has a guest"
        await console.wait_for(lambda v: v["follow_ups"] == {"done": 3, "partly": 2, "not_yet": 2, "waiting": 0})

        # The queue shows the last goal, its follow-up and the numbers of session 1 beside today's.
        await people["James"].send("record_numbers", bp_systolic=128, bp_diastolic=78, glucose=141)
        await people["James"].send("request_visit", text="night sugars")
        await doctor.wait_for(lambda v: any(w["name"] == "James" for w in v["queue"]["waiting"]))
        row = next(w for w in doctor.view["queue"]["waiting"] if w["name"] == "James")
        assert row["prior"]["goal"]["what"] == goal_of(1)["what"]
        assert row["prior"]["follow_up"]["outcome"] == "partly"
        assert [entry["bp_systolic"] for entry in row["prior"]["numbers"]] == [131]
        assert row["numbers"]["bp_systolic"] == 128

        # The library holds session 1's strategies; one comes back onto today's board.
        library = console.view["library"]
        assert {entry["text"] for entry in library} == {"Cook beans on Sunday for the week", "Glucose tabs in every coat"}
        await console.send("open_phase", phase="agenda")
        await console.send("propose_topic", title="Holidays")
        await console.send("open_phase", phase="discussion", confirm=True)
        await console.send("bring_strategy", library_id=library[0]["id"])
        brought = people["Maria L."].view["strategies"][0]
        await people["Maria L."].send("mark_tried", strategy_id=brought["id"], helped=True)
        await console.wait_for(lambda v: next(e for e in v["library"] if e["id"] == library[0]["id"])["tried"] == 1)
        clock.advance(60 * MINUTE)
        await console.send("open_phase", phase="goals", confirm=True)
        await console.send("open_phase", phase="wrap_up", confirm=True)
        await people["Grace"].send("give_evaluation", rating=5, helped="first time here", change="change asked by Grace")
        await console.send("close_session", confirm=True)

        # Privacy: nobody sees another's last goal or follow-up; the wall sees none of them.
        for name, screen in people.items():
            own = [display for _, display, *_ in ROSTER].index("Walt" if name == "W. Brooks" else name) \
                if name != "Nadia" else -1
            secrets = [f"private obstacle of {o}" for o in returning if o != name]
            secrets += [goal_of(i)["what"] for i in range(8) if i != own]
            assert not [s for raw in screen.frames for s in secrets if s in raw], name
        assert not any("private goal" in raw or "private obstacle" in raw or "private request" in raw
                       for raw in projector.frames)

        # The cohort over time: attendance and both sessions' evaluations.
        async with httpx.AsyncClient(base_url=server.http) as client:
            client.cookies.set(*team["alex"].cookie.split("=", 1))
            over_time = (await client.get(f"/cohorts/{cohort_id}/over-time")).text
        assert "change asked by Maria L." in over_time and "change asked by Grace" in over_time
        attendance = {name: re.findall(r'data-mark="([a-z_]+)"', cells) for name, cells in re.findall(
            r'<tr data-patient="[^"]+">\s*<th scope="row">([^<]+?)(?: <span[^>]*>[^<]*</span>)?</th>(.*?)</tr>',
            over_time, re.S)}
        assert len(attendance) == 10 and all(len(marks) == 6 for marks in attendance.values()), attendance
        assert attendance["Grace Kim"][:2] == ["no_show", "came"], attendance
        assert attendance["Aisha Rahman"][:2] == ["came", "no_show"] and attendance["Omar Haddad"][:2] == ["no_show"] * 2
        assert attendance["Walter Brooks"][:2] == ["came", "came"], "matched by hand on the shared tablet"
        assert all(marks[2:] == ["upcoming"] * 4 for marks in attendance.values())

        await after_the_session(server, team, second.id, people, console, returning)
    finally:
        for screen in screens:
            await screen.close()
        await server.astop()
        store.close()


def others_in(text: str, me: str, people: dict[str, ScreenClient]) -> list[str]:
    """Any other patient of the session named (as a whole word) or their private text quoted in `text`."""
    clinic_names = {display: clinic for clinic, display, *_ in ROSTER}
    clinic_names["W. Brooks"] = clinic_names["Walt"]
    me_too = {me, clinic_names.get(me, me)}
    found = []
    for other in (o for o in people if o != me):
        for said in (other, clinic_names.get(other, other), f"private obstacle of {other}"):
            if said not in me_too and re.search(rf"(?<!\w){re.escape(said)}(?!\w)", text):
                found.append(said)
    return found


async def after_the_session(server: LiveServer, team: dict[str, Staff], session_id: str,
                            people: dict[str, ScreenClient], console: ScreenClient, returning: list[str]) -> None:
    """Session 2's outputs over HTTP: each patient's own take-home summary in their language, every chart note,
    the facilitator's print-all, the report and the FHIR bundle; no patient's data in another's."""
    spanish = {display for _, display, language, *_ in ROSTER if language == "es"}
    ids = {p["name"]: p["id"] for p in console.view["people"]}
    async with httpx.AsyncClient(base_url=server.http) as client:
        for name, screen in people.items():
            assert screen.cookie is not None
            client.cookies.clear()
            client.cookies.set(*screen.cookie.split("=", 1))
            language = "es" if name in spanish else "en"
            own = await client.get(f"/p/{session_id}/summary?lang={language}")
            if name == "W. Brooks":  # the clinic's tablet forgot him at close: his summary is in the print-all
                assert own.status_code == 403
                continue
            assert own.status_code == 200, name
            # The next session of the series, the 2nd Tuesday of April, in the patient's language.
            assert ("13 de abril de 2027" if language == "es" else "April 13, 2027") in own.text, name
            assert ("Próxima sesión" if language == "es" else "Next session") in own.text, name
            assert others_in(own.text, name, people) == [], name
        james = (await client.get(f"/p/{session_id}/summary?lang=en")).text  # Nadia's credential: not James's
        assert "128/78" not in james

        client.cookies.clear()
        client.cookies.set(*team["sam"].cookie.split("=", 1))
        notes = await client.get(f"/sessions/{session_id}/notes")
        assert notes.status_code == 200
        for name, pid in ids.items():
            note = (await client.get(f"/sessions/{session_id}/notes/{pid}.txt")).text
            assert "Shared medical appointment" in note and "Other patients present: not named" in note, name
            assert name in note, name
            assert others_in(note, name, people) == [], name
        jameses = (await client.get(f"/sessions/{session_id}/notes/{ids['James']}.txt")).text
        assert "night sugars" in jameses and "128/78" in jameses
        assert goal_of(1)["what"] in jameses, "last session's goal, with how it went"

        client.cookies.clear()
        client.cookies.set(*team["alex"].cookie.split("=", 1))
        printed = await client.get(f"/sessions/{session_id}/summaries")
        assert printed.status_code == 200
        assert all(name in printed.text for name in people)
        report = await client.get(f"/sessions/{session_id}/report")
        assert report.status_code == 200 and "<svg" in report.text and "Holidays" in report.text
        bundle = read_back((await client.get(f"/sessions/{session_id}/fhir.json")).text)
        charts = {i["value"] for r in of_type(bundle, "Patient") for i in r.get("identifier", [])}
        assert {"MRN-2", "MRN-9"} <= charts  # James, and Grace at her first session
        assert len(of_type(bundle, "Encounter")) == 1 + len(people)  # the session's and one per patient
        assert [r for r in of_type(bundle, "QuestionnaireResponse")], "Grace's evaluation"
        assert len(returning) == 7
