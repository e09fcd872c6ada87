"""The role table in docs/security.md is the truth about who may do what, and the code keeps to it.

Every route of `groupvisit.app.routes()` and every websocket command has its row, and no row
outlives its route or command. Then the whole table is walked against a real server: every
route and websocket as every role, every command over every screen's websocket; each answer
must be the cell's, and no refusal may change the session's event log, its audit log or its
projector link.
"""

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from conftest import SESSION_START, Clinic
from groupvisit.app import routes
from groupvisit.domain.commands import COMMAND_TYPES
from groupvisit.domain.events import ParticipantJoined
from groupvisit.domain.roles import STAFF
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, PatientFields
from groupvisit.store.tables import AuditRow, CohortRow
from support.accounts import PASSWORD, signed_in_team
from support.clients import form_token, join
from support.process import RecordingSocket

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
ROLES = ("admin", "facilitator", "clinician", "participant", "projector", "anonymous")
SCREEN_ROLES = ("facilitator", "clinician", "participant", "projector")  # the roles with a websocket
CELL = re.compile(r"(allowed|refused)(?: → (3\d\d) (/\S*))?")
ROW_NAME = re.compile(r"`([^`]+)`")
FORBIDDEN = "forbidden"  # the error code `rules.decide` and `identity.subject_of` refuse a role with


@dataclass(frozen=True)
class Cell:
    """One cell: allowed or refused, and the redirect it answers with, if any."""

    allowed: bool
    redirect: int | None = None
    location: str = ""


@dataclass(frozen=True)
class Row:
    name: str
    what: str
    cells: dict[str, Cell]


def table(first_column: str) -> dict[str, Row]:
    """The table of docs/security.md whose header starts with `first_column`, by its rows' names."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"| {first_column} |")]
    assert len(starts) == 1, f"docs/security.md needs exactly one table headed '| {first_column} | …'"
    header = [cell.strip() for cell in lines[starts[0]].strip("|").split("|")]
    assert set(ROLES) <= set(header), f"the {first_column} table needs a column for each of {', '.join(ROLES)}"
    rows: dict[str, Row] = {}
    for line in lines[starts[0] + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(header), f"this row has {len(cells)} cells, its header {len(header)}: {line}"
        named = ROW_NAME.fullmatch(cells[0])
        assert named, f"the first cell names the {first_column} in backticks: {line}"
        assert named[1] not in rows, f"{named[1]} has two rows"
        by_column = dict(zip(header, cells))
        rows[named[1]] = Row(named[1], by_column.get("what it is", ""),
                             {role: parse_cell(by_column[role], f"{named[1]}, {role}") for role in ROLES})
    return rows


def parse_cell(text: str, where: str) -> Cell:
    match = CELL.fullmatch(text)
    assert match, f"{where}: write 'allowed' or 'refused', optionally '→ 303 /path', not {text!r}"
    return Cell(match[1] == "allowed", int(match[2]) if match[2] else None, match[3] or "")


ROUTES = table("route")
COMMANDS = table("command")


def code_routes() -> dict[str, Route | WebSocketRoute | Mount]:
    """Every route of the app as the table names it: 'METHOD /path' (WS for a websocket,
    '/mount/{file}' for the files under a mount). HEAD is answered like GET."""
    found: dict[str, Route | WebSocketRoute | Mount] = {}
    for route in routes():
        if isinstance(route, Mount):
            found[f"GET {route.path}/{{file}}"] = route
        elif isinstance(route, WebSocketRoute):
            found[f"WS {route.path}"] = route
        else:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found[f"{method} {route.path}"] = route
    return found


# --- the table and the code name the same things ---------------------------------------

def test_every_route_in_the_code_has_a_row() -> None:
    missing = sorted(set(code_routes()) - set(ROUTES))
    assert not missing, f"routes missing from the role table in docs/security.md: {', '.join(missing)}"


def test_no_row_for_a_route_the_code_no_longer_has() -> None:
    stale = sorted(set(ROUTES) - set(code_routes()))
    assert not stale, f"the role table names routes the code does not have: {', '.join(stale)}"


def test_every_command_has_a_row_and_no_row_outlives_its_command() -> None:
    assert sorted(set(COMMAND_TYPES) - set(COMMANDS)) == [], "commands missing from the role table"
    assert sorted(set(COMMANDS) - set(COMMAND_TYPES)) == [], "rows for commands the code no longer has"


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
def test_a_commands_row_says_the_roles_the_command_allows(name: str) -> None:
    row = COMMANDS[name]
    assert all(cell.redirect is None for cell in row.cells.values()), f"{name}: a command has no redirects"
    documented = {role for role, cell in row.cells.items() if cell.allowed}
    assert documented == {role.value for role in COMMAND_TYPES[name].roles}


def test_admin_and_anonymous_open_no_websocket_so_send_no_command() -> None:
    for row in ROUTES.values():
        if row.name.startswith("WS "):
            assert not row.cells["admin"].allowed and not row.cells["anonymous"].allowed, row.name
    assert [row.name for row in COMMANDS.values() if row.cells["admin"].allowed or row.cells["anonymous"].allowed] == []


README = DOC.parent.parent / "README.md"
ACCOUNT_ROLES = ("admin", "facilitator", "clinician")
EXPORT = "GET /sessions/{session_id}/summary.csv"


def readme_roles() -> dict[str, str]:
    """README's '| role | may |' table: what each kind of staff account may do."""
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \|$", README.read_text(encoding="utf-8"), re.MULTILINE)
    return {role: may for role, may in rows if role in ACCOUNT_ROLES}


def test_readme_says_who_exports_the_chart_summary_as_the_role_table_does() -> None:
    exporters = {role for role in ACCOUNT_ROLES if ROUTES[EXPORT].cells[role].allowed}
    assert set(readme_roles()) == set(ACCOUNT_ROLES), "README's role table needs a row for each account role"
    assert {role for role, may in readme_roles().items() if "chart summary" in may} == exporters


def test_no_document_says_the_administrator_sees_no_patient_data_while_the_table_lets_them_export_it() -> None:
    assert ROUTES[EXPORT].cells["admin"].allowed, "the admin exports the record (DOMAIN.md: exports are their job)"
    for doc in (README, DOC):
        text = " ".join(doc.read_text(encoding="utf-8").split())
        claims = [claim for claim in ("sees no patient's data", "see no patient's data", "no export")
                  if claim in text]
        assert claims == [], f"{doc.name} says {claims}, yet an administrator downloads the chart summary"


def test_public_and_static_rows_are_allowed_for_everyone() -> None:
    marked = [row for row in ROUTES.values() if row.what.startswith(("**public**", "**static**"))]
    assert {row.name for row in marked} >= {"GET /healthz", "GET /favicon.ico", "GET /join", "GET /join/{code}",
                                            "GET /sessions/{session_id}/join-qr.svg"}
    assert [row.name for row in marked if not all(cell.allowed for cell in row.cells.values())] == []


# --- the walk: one server, every cell -----------------------------------------------------

COHORT_FORM = {"name": "Diabetes series", "condition": "Type 2 diabetes", "languages": "en", "kind": "series",
               "planned_sessions": "6", "session_minutes": "120", "vote_budget": "3", "timebox_minutes": "8",
               "room": "Community room"}
PATIENT_FORM = {"clinic_name": "Rosa Martinez", "display_name": "Rosa", "language": "es", "mrn": "",
                "birth_date": "", "agreement_signed_on": "2026-09-01"}
SCHEDULE_ROWS = {"GET /sessions/{session_id}/reschedule", "POST /sessions/{session_id}/reschedule",
                 "POST /sessions/{session_id}/cancel"}


@dataclass(frozen=True)
class Program:
    """The program's rows walk a cohort with one patient and one session nobody has checked in to."""

    cohort_id: str
    patient_id: str
    session_id: str


def walker_audit(cohort_id: str, what: str) -> AuditRow:
    return AuditRow(cohort_id=cohort_id, at=0.0, role="admin", actor_id="walker", actor_name="Walker", device="",
                    action="changed", what=what)


async def new_cohort(clinic: Clinic, name: str) -> CohortRow:
    fields = CohortFields.from_form({**COHORT_FORM, "name": name})
    return await clinic.store.create_cohort(fields, clinic.clock.now(), walker_audit("", "created the cohort"))


async def scheduled_session(clinic: Clinic, cohort_id: str) -> str:
    day = SESSION_START + 40 * 86400
    [session] = await clinic.store.schedule_sessions(cohort_id, [Slot(day, day + 7200)],
                                                     walker_audit(cohort_id, "added a session"))
    return session.id


async def program_of(clinic: Clinic) -> Program:
    cohort = await new_cohort(clinic, "Diabetes series")
    patient = await clinic.store.enrol(cohort.id, PatientFields.from_form(PATIENT_FORM), clinic.clock.now(),
                                       walker_audit(cohort.id, "enrolled a patient"))
    return Program(cohort.id, patient.id, await scheduled_session(clinic, cohort.id))


class Walker:
    """The credentials of every role on one clinic's server, and a request made as each."""

    def __init__(self, clinic: Clinic, http: httpx.AsyncClient, participant: str, csrf: str) -> None:
        self.clinic, self.http, self.csrf = clinic, http, csrf
        self.cookies: dict[str, str | None] = {
            "admin": clinic.cookie("admin"), "facilitator": clinic.cookie("alex"), "clinician": clinic.cookie("sam"),
            "participant": participant, "projector": None, "anonymous": None}
        self.projector_key = clinic.projector_key
        self.joined = 0
        self.back_in_participant = ""  # whom the let-back-in rows are about (not the walker's own participant)
        self.back_codes: list[str] = []  # a fresh let-back-in code for them before each POST /join/back
        self.cohort_session = ""  # a session in a cohort, for the rows about its roster (the clinic's is in none)
        self.walk_in = ""  # a check-in of that session who is not on the roster
        self.static_files = {name: first_file(route) for name, route in code_routes().items()
                             if isinstance(route, Mount)}
        self.row = ""  # the row being walked
        self.program: Program | None = None  # a cohort with a roster and a schedule, for the program's rows
        self.archivable = ""  # a cohort of its own for each archive request
        self.cancellable = ""  # a session of its own for each cancel request

    async def renew(self, row: str) -> None:
        """Before each request of `row`: what that request may use up (an archived cohort, a cancelled session)."""
        self.row = row
        assert self.program is not None
        if row == "POST /cohorts/{cohort_id}/archive":
            self.archivable = (await new_cohort(self.clinic, "Archivable")).id
        elif row == "POST /sessions/{session_id}/cancel":
            self.cancellable = await scheduled_session(self.clinic, self.program.cohort_id)

    def fill(self, path: str, row: str = "") -> str:
        row = row or self.row
        session_id = self.clinic.session_id
        if "/enrol/" in row or "/notes/" in row:  # rows about one participant: the walk-in of that session
            session_id = self.cohort_session
        elif self.program is not None and row in SCHEDULE_ROWS:  # the clinic's session has people checked in
            session_id = self.cancellable if row.endswith("/cancel") else self.program.session_id
        filled = path.replace("{session_id}", session_id).replace("{code}", self.clinic.join_code)
        filled = filled.replace("{participant_id}", self.walk_in)
        if self.program is not None:
            cohort_id = self.archivable if row.endswith("/archive") else self.program.cohort_id
            filled = filled.replace("{cohort_id}", cohort_id).replace("{patient_id}", self.program.patient_id)
        return filled.replace("{file}", self.static_files[row]) if "{file}" in filled else filled

    async def fresh(self) -> dict[str, str | None]:
        """New credentials for a request that ends the sender's own (sign-out, "Done")."""
        team = await signed_in_team(self.clinic.store, self.clinic.clock.now())
        self.joined += 1
        _, participant = await join(self.clinic.server.http, self.clinic.join_code, f"Leaver {self.joined}")
        return {**self.cookies, "admin": team["admin"].cookie, "facilitator": team["alex"].cookie,
                "clinician": team["sam"].cookie, "participant": participant}

    def form(self, path: str) -> dict[str, str]:
        """A valid form for each state-changing route, with this browser's CSRF token."""
        self.joined += 1
        forms: dict[str, Callable[[], dict[str, str]]] = {
            "/join": lambda: {"code": self.clinic.join_code, "display_name": f"Walker {self.joined}"},
            "/login": lambda: {"username": "priya", "password": PASSWORD},
            "/logout": dict,
            "/sessions/{session_id}/display-link": lambda: {"action": "new"},
            "/sessions/{session_id}/back-in": lambda: {"participant_id": self.back_in_participant},
            "/join/back": lambda: {"code": self.back_codes.pop()},
            "/p/{session_id}/done": dict,
            "/sessions/{session_id}/enrol/{participant_id}": lambda: {
                "clinic_name": "Wendy Ortiz", "display_name": "Wendy", "language": "en", "mrn": "", "birth_date": "",
                "agreement_signed_on": ""},
            "/cohorts/new": lambda: {**COHORT_FORM, "name": f"Walked cohort {self.joined}"},
            "/cohorts/{cohort_id}/edit": lambda: {**COHORT_FORM, "name": "Diabetes series (walked)"},
            "/cohorts/{cohort_id}/archive": dict,
            "/cohorts/{cohort_id}/series": lambda: {"first": "2027-01-12", "nth": "2", "weekday": "1",
                                                    "start": "10:00", "end": "12:00", "count": "2"},
            "/cohorts/{cohort_id}/sessions": lambda: {"date": "2027-08-10", "start": "10:00", "end": "12:00"},
            "/cohorts/{cohort_id}/roster/new": lambda: {**PATIENT_FORM, "clinic_name": f"Walked Patient {self.joined}",
                                                        "mrn": f"W{self.joined}"},
            "/cohorts/{cohort_id}/roster/{patient_id}": lambda: {**PATIENT_FORM, "display_name": "Rosa M."},
            "/sessions/{session_id}/reschedule": lambda: {"date": "2027-03-09", "start": f"10:{self.joined % 50:02d}",
                                                          "end": "12:30"},  # each a move
            "/sessions/{session_id}/cancel": lambda: {"reason": "Clinic closed"},
            "/sessions/{session_id}/notes/{participant_id}/cosign": dict,
            "/sessions/{session_id}/notes/{participant_id}/withdraw-cosign": dict,
        }
        assert path in forms, f"the walk has no valid form for POST {path}: add one"
        return {**forms[path](), "csrf": self.csrf}

    async def request(self, method: str, path: str, role: str, cookies: dict[str, str | None],
                      row: str) -> httpx.Response:
        url = self.fill(path, row) + (f"?key={self.projector_key}" if role == "projector" else "")
        cookie = "; ".join(c for c in (cookies[role], f"gv_csrf={self.csrf}") if c)
        headers = {"Cookie": cookie, "Origin": self.clinic.server.http}
        try:
            if method == "POST":
                return await self.http.post(url, data=self.form(path), headers=headers)
            return await self.http.get(url, headers=headers)
        finally:
            self.http.cookies.clear()  # each request carries exactly the role's credential

    async def handshake(self, path: str, role: str) -> int:
        """101 when the websocket opened and its snapshot came, or the status it was refused with."""
        url = self.clinic.server.ws + self.fill(path) + (f"?key={self.projector_key}" if role == "projector" else "")
        cookie = self.cookies[role]
        try:
            async with websockets.connect(url, additional_headers={"Cookie": cookie} if cookie else None,
                                          origin=websockets.Origin(self.clinic.server.http),
                                          compression=None) as socket:
                first = json.loads(await asyncio.wait_for(socket.recv(), 10))
                return 101 if first["type"] == "snapshot" else 0
        except websockets.InvalidStatus as refused:
            return refused.response.status_code


def first_file(mount: Route | WebSocketRoute | Mount) -> str:
    """A file that the mount serves, to ask for."""
    assert isinstance(mount, Mount) and isinstance(mount.app, StaticFiles) and mount.app.directory
    files = sorted(p.name for p in Path(mount.app.directory).iterdir() if p.is_file())
    assert files, f"{mount.path} serves no files"
    return files[0]


def last_joined(stored: list[tuple[int, Any]]) -> str:
    return [event.participant_id for _, event in stored if isinstance(event, ParticipantJoined)][-1]


async def back_in_code(clinic: Clinic, participant_id: str) -> str:
    """A let-back-in code, as the console would ask for; each works once."""
    now = clinic.clock.now()
    return await clinic.store.let_back_in_code(clinic.session_id, participant_id, "walker", now, now + 600, AuditRow(
        session_id=clinic.session_id, at=now, role="facilitator", actor_id="walker", actor_name="Walker", device="",
        action="changed", what="issued a let-back-in code", subject=participant_id))


async def walk_in_of_a_cohort(clinic: Clinic) -> tuple[str, str]:
    """A session of a cohort and someone checked in to it who is not on its roster: what the enrol rows are about."""
    now = clinic.clock.now()
    cohort = await clinic.store.create_cohort(CohortFields.from_form({"name": "Walkers", "kind": "drop_in"}), now,
                                              AuditRow(session_id=None, at=now, role="admin", actor_id="walker",
                                                       actor_name="Walker", device="", action="changed",
                                                       what="created a cohort"))
    session, _ = await clinic.store.create_session(title="Walking group", cohort=cohort.name, starts_at=now,
                                                   ends_at=now + 3600, cohort_id=cohort.id)
    await join(clinic.server.http, session.join_code, "Wendy")
    return session.id, last_joined(await clinic.store.events(session.id))


def expected(cell: Cell, walker: Walker, row: str) -> str:
    if cell.redirect:
        return f"{cell.redirect} → {walker.fill(cell.location, row)}"
    return "2xx" if cell.allowed else "403"


def answered(response: httpx.Response, cell: Cell, walker: Walker, row: str) -> str:
    status = response.status_code
    if cell.redirect and status == cell.redirect:
        location = response.headers.get("location", "")
        target = walker.fill(cell.location, row)
        return f"{status} → {target if location.startswith(target) else location}"
    return "2xx" if 200 <= status < 300 else str(status)


async def fingerprint(clinic: Clinic) -> tuple[Any, ...]:
    """What a refusal must leave as it was: the event log, the audit log and the projector link; every
    cohort, its schedule (with each session's log), its roster and its audit log (a refused look reads nothing)."""
    rows = await clinic.store.audit_log(clinic.session_id)
    audit = [(r.id, r.role, r.actor_id, r.action, r.what, r.subject) for r in rows]
    session = await clinic.store.session(clinic.session_id)
    assert session is not None
    program = []
    for cohort in await clinic.store.cohorts(include_archived=True):
        schedule = [(s.id, s.starts_at, s.ends_at, s.cancelled_at, len(await clinic.store.events(s.id)))
                    for s in await clinic.store.cohort_sessions(cohort.id)]
        looked = [(r.id, r.action, r.what, r.subject) for r in await clinic.store.cohort_audit_log(cohort.id)]
        program.append((cohort.model_dump(), schedule, await clinic.store.roster_entries(cohort.id), looked))
    return await clinic.store.events(clinic.session_id), audit, session.projector_key_hash, program


@pytest.mark.asyncio
async def test_every_route_answers_every_role_as_the_table_says(clinic: Clinic) -> None:
    _, participant = await join(clinic.server.http, clinic.join_code, "Rosa")
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        csrf = form_token((await http.get("/login")).text)
        http.cookies.clear()
        walker = Walker(clinic, http, participant, csrf)
        walker.program = await program_of(clinic)
        await join(clinic.server.http, clinic.join_code, "Walk-in Wendy")
        walker.back_in_participant = last_joined(await clinic.store.events(clinic.session_id))
        walker.cohort_session, walker.walk_in = await walk_in_of_a_cohort(clinic)
        wrong: list[str] = []
        for name, row in ROUTES.items():
            method, path = name.split(" ", 1)
            cookies = await walker.fresh() if name in ("POST /logout", "POST /p/{session_id}/done") else walker.cookies
            for role, cell in row.cells.items():
                await walker.renew(name)
                if name == "POST /join/back":  # each code works once (and a new one replaces the last)
                    walker.back_codes.append(await back_in_code(clinic, walker.back_in_participant))
                before = await fingerprint(clinic)
                if method == "WS":
                    status = await walker.handshake(path, role)
                    want, got = ("101" if cell.allowed else "403"), str(status)
                else:
                    response = await walker.request(method, path, role, cookies, name)
                    want, got = expected(cell, walker, name), answered(response, cell, walker, name)
                    if name.endswith("/display-link") and response.status_code == 200:
                        issued = re.search(r"\?key=([\w-]+)", response.text)
                        assert issued, "a new display link was not shown"
                        walker.projector_key = issued[1]  # the projector's old link has just stopped working
                if got != want:
                    wrong.append(f"{name} as {role}: expected {want}, got {got}")
                if not cell.allowed and await fingerprint(clinic) != before:
                    wrong.append(f"{name} as {role} was refused but changed the event log, audit log or display link")
    assert wrong == []


# Plausible values for commands' fields: a command field without one here fails the walk.
VALUES: dict[str, Any] = {
    "display_name": "Rosa's carer", "phase": "agenda", "budget": 3, "text": "Walk after dinner", "title": "Sleep",
    "topic_id": "t1", "into_topic_id": "t2", "choice": "keep_going", "strategy_id": "s1", "encounter_id": "e1",
    "room": "Room 2", "note": "Feet checked", "instruction": "Check your feet", "bp_systolic": 128, "bp_diastolic": 82, "what": "Walk",
    "how_much": "20 minutes", "when": "after dinner", "how_often": "5 days a week", "confidence": 8, "shared": True,
    "rating": 4, "status": "left", "patient_id": "", "outcome": "done", "starts_at": SESSION_START + 86400,
    "ends_at": SESSION_START + 86400 + 7200, "library_id": "earlier-session:s1", "until": SESSION_START + 3600,
    "minutes": 10,
}


def plausible(name: str, role: str, participant_id: str) -> dict[str, Any]:
    """Arguments a screen of `role` would send with `name`: staff name the participant; a participant
    never names anyone (acting for another participant is refused too, as `forbidden`)."""
    args: dict[str, Any] = {}
    for spec in fields(COMMAND_TYPES[name]):
        if spec.name == "participant_id":
            if role in {r.value for r in STAFF} or spec.default is MISSING:  # a command only staff send
                args[spec.name] = participant_id
        elif spec.name in VALUES:
            args[spec.name] = VALUES[spec.name]
        else:
            assert spec.default is not MISSING, f"add a plausible value for {name}'s field {spec.name!r} to VALUES"
    return args


async def settled(sockets: dict[str, RecordingSocket], seq: int) -> None:
    """Until each staff screen has been sent the log up to `seq` (and so written its "viewed" rows)."""
    for role in ("facilitator", "clinician"):
        await sockets[role].wait_until(lambda s: any(f.get("seq", 0) >= seq for f in s.frames
                                                     if f["type"] in ("event", "snapshot")))


@pytest.mark.asyncio
async def test_every_command_is_refused_or_allowed_for_every_role_as_the_table_says(clinic: Clinic) -> None:
    ws, sid = clinic.server.ws, clinic.session_id
    for role, cookie in (("admin", clinic.cookie("admin")), ("anonymous", None)):
        headers = {"Cookie": cookie} if cookie else None
        for screen in ("p", "projector", "console", "queue"):
            with pytest.raises(websockets.InvalidStatus) as refused:
                await websockets.connect(f"{ws}/{screen}/{sid}/ws", additional_headers=headers)
            assert refused.value.response.status_code == 403, f"{role} opened the {screen} websocket"

    _, participant = await join(clinic.server.http, clinic.join_code, "Rosa")
    sockets = {"facilitator": await RecordingSocket.open(clinic.link("console", "alex")),
               "clinician": await RecordingSocket.open(clinic.link("queue", "sam")),
               "participant": await RecordingSocket.open(f"{ws}/p/{sid}/ws", participant),
               "projector": await RecordingSocket.open(clinic.link("projector"))}
    for socket in sockets.values():
        await socket.wait_until(lambda s: bool(s.frames))
    participant_id = sockets["participant"].frames[0]["view"]["viewer"]["id"]
    # Something for the commands to be about: topics t1 and t2, encounter e1, strategy s1.
    setup = [("facilitator", "propose_topic", {"title": "Sleep"}), ("participant", "propose_topic", {"title": "Feet"}),
             ("participant", "request_visit", {"text": "My feet tingle"}),
             ("facilitator", "capture_strategy", {"text": "Walk after dinner", "participant_id": participant_id})]
    for n, (role, name, args) in enumerate(setup):
        assert (await sockets[role].command(f"setup-{n}", name, **args))["type"] == "ack", f"setup: {name}"

    wrong: list[str] = []
    # Closing the session goes last, so the commands before it meet an open session.
    for name in sorted(COMMANDS, key=lambda command: command == "close_session"):
        for role in SCREEN_ROLES:
            cell = COMMANDS[name].cells[role]
            before = await fingerprint(clinic)
            answer = await sockets[role].command(f"{role}-{name}", name, **plausible(name, role, participant_id))
            if answer["type"] == "ack":  # the staff screens audit what they are then shown: let them first
                await settled(sockets, answer["seq"])
            refused_as_role = answer["type"] == "error" and answer["code"] == FORBIDDEN
            if cell.allowed == refused_as_role:
                wrong.append(f"{name} from {role}: the table says {'allowed' if cell.allowed else 'refused'}, "
                             f"the server answered {answer}")
            if not cell.allowed and await fingerprint(clinic) != before:
                wrong.append(f"{name} from {role} was refused but changed the event log or the audit log")
    for socket in sockets.values():
        assert not socket.closed, "a refusal is an error frame, not the end of the connection"
        await socket.close()
    assert wrong == []
