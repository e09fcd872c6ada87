"""Hostile input gets a clear refusal and changes nothing; what the store holds can always be read.

Over a real server: messages the JSON parser cannot take (deep nesting, NaN, huge numbers, fields given
twice), lone surrogates anywhere in a message or a form, commands a role may never send (answered without
touching the database), and text an older version stored with half a surrogate pair, which the chart
summary and `groupvisit audit` must still show.
"""

import asyncio
import csv
import html
import io
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable, TypeVar

import httpx
import pytest

from conftest import Clinic
from groupvisit import cli
from groupvisit.clock import ManualClock
from groupvisit.domain.commands import COMMAND_TYPES
from groupvisit.domain.events import ParticipantJoined, VisitRequested
from groupvisit.store import Store
from groupvisit.store.tables import AuditRow
from groupvisit.web.protocol import DEPTH_LIMIT
from support.accounts import signed_in_team
from support.clients import ScreenClient, form_token, join, send_form
from support.process import RecordingSocket
from support.server import LiveServer

T = TypeVar("T")
HALF_EMOJI = "\ud83d"  # the first half of 😀's surrogate pair, as a client that cut a string in two sends it


def command(command_id: str, name: str, **args: Any) -> str:
    """A command as a JSON text frame; json.dumps writes a lone surrogate as the escape "\\ud83d"."""
    return json.dumps({"type": "command", "id": command_id, "name": name, "args": args})


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def participant(clinic: Clinic, name: str) -> RecordingSocket:
    _, cookie = await join(clinic.server.http, clinic.join_code, name)
    sock = await RecordingSocket.open(f"{clinic.server.ws}/p/{clinic.session_id}/ws", cookie)
    await sock.wait_until(lambda s: bool(s.frames))
    return sock


async def console(clinic: Clinic) -> RecordingSocket:
    sock = await RecordingSocket.open(clinic.link("console"))
    await sock.wait_until(lambda s: bool(s.frames))
    return sock


async def answer_to(sock: RecordingSocket, text: str) -> dict[str, Any]:
    start = len(sock.frames)
    await sock.send(text)
    return await sock.answer(start, kinds=("ack", "error"))


# --- 1. messages the parser cannot take ---------------------------------------------------

UNPARSABLE = [
    # (what, the text frame, the error code, the id the error carries)
    ("1,200 nested arrays", nested(1200), "too_deep", None),
    ("1,200 nested objects", '{"a":' * 1200 + "1" + "}" * 1200, "too_deep", None),
    ("nesting inside a command's args", command("n1", "propose_topic", title="x")[:-2] + ',"x":' + nested(900) + "}}",
     "too_deep", None),
    ("one level deeper than the limit", nested(DEPTH_LIMIT + 1), "too_deep", None),
    ("NaN", '{"type":"command","id":"n2","name":"record_numbers","args":{"glucose":NaN}}', "invalid_number", "n2"),
    ("Infinity", '{"type":"command","id":"n3","name":"record_numbers","args":{"weight":Infinity}}',
     "invalid_number", "n3"),
    ("-Infinity", '{"type":"command","id":"n4","name":"record_numbers","args":{"weight":-Infinity}}',
     "invalid_number", "n4"),
    ("1e999999", '{"type":"command","id":"n5","name":"record_numbers","args":{"weight":1e999999}}',
     "invalid_number", "n5"),
    ("a 5,000-digit integer", '{"type":"command","id":"n6","name":"record_numbers","args":{"glucose":'
     + "7" * 5000 + "}}", "invalid_number", "n6"),
    ("the id given twice", '{"type":"command","id":"n7","id":"n8","name":"propose_topic","args":{"title":"x"}}',
     "duplicate_field", None),
    ("a field given twice in args", '{"type":"command","id":"n9","name":"propose_topic",'
     '"args":{"title":"Sleep","title":"Food"}}', "duplicate_field", None),
]


@pytest.mark.asyncio
async def test_messages_the_parser_cannot_take_get_an_error_frame_and_the_connection_stays_open(
        clinic: Clinic) -> None:
    sock = await console(clinic)
    before = await clinic.store.events(clinic.session_id)
    wrong = []
    for what, text, code, command_id in UNPARSABLE:
        answer = await answer_to(sock, text)
        if (answer["type"], answer["code"], answer["id"]) != ("error", code, command_id) or not answer["reason"]:
            wrong.append(f"{what}: expected error {code} (id {command_id}), got {answer}")
    assert wrong == []
    assert not sock.closed, "the connection stays open"
    assert await clinic.store.events(clinic.session_id) == before, "nothing stored changed"
    # Brackets inside a string are text, not nesting; the limit itself is allowed.
    ack = await answer_to(sock, command("fine-1", "propose_topic", title="[[[[[[[[[[ sleep ]]]]]]]]]]"))
    assert ack["type"] == "ack"
    within = await answer_to(sock, '{"type":"command","id":"fine-2","name":"propose_topic","args":{"title":"x",'
                                   '"x":' + nested(DEPTH_LIMIT - 2) + "}}")
    assert within["code"] == "extra_field", "nesting up to the limit is parsed (and then checked field by field)"
    await sock.close()


@pytest.mark.asyncio
async def test_deeply_nested_messages_count_toward_the_abuse_limit(clinic: Clinic) -> None:
    sock = await console(clinic)
    for _ in range(40):  # twice the default limit of 20 invalid messages a minute
        if sock.closed:
            break
        try:
            await sock.send(nested(1200))
        except Exception:
            break
        await asyncio.sleep(0.005)
    await sock.wait_until(lambda s: s.closed)
    assert sock.close_code == 1008
    errors = [f for f in sock.frames if f["type"] == "error"]
    assert 15 <= len(errors) <= 21 and {f["code"] for f in errors} == {"too_deep"}


# --- 2. lone surrogates at the edge ------------------------------------------------------

def text_fields() -> list[tuple[str, str]]:
    """(command, field) for every string field of every command."""
    return [(name, spec.name) for name, cls in sorted(COMMAND_TYPES.items()) for spec in fields(cls)
            if spec.type in (str, "str")]


@pytest.mark.asyncio
async def test_a_lone_surrogate_anywhere_in_a_message_is_refused_naming_where_it_is(clinic: Clinic) -> None:
    ana = await participant(clinic, "Ana")
    before = await clinic.store.events(clinic.session_id)
    cases = [(f"{name}.{field}", command(f"s-{name}-{field}", name, **{field: f"ok {HALF_EMOJI}"}),
              f"s-{name}-{field}", f"'args.{field}'") for name, field in text_fields()]
    assert len(cases) > 20, "the sweep found the commands' text fields"
    cases += [
        ("the id", command("\ud800", "propose_topic", title="Sleep"), None, "'id'"),
        ("an id ending in half a pair", command(f"c{HALF_EMOJI}", "propose_topic", title="Sleep"), None, "'id'"),
        ("the command's name", command("s-name", f"propose_topic{HALF_EMOJI}", title="Sleep"), "s-name", "'name'"),
        ("a field's name", command("s-key", "propose_topic", **{f"title{HALF_EMOJI}": "Sleep"}), "s-key",
         "a field name in 'args'"),
        ("the message type", json.dumps({"type": f"activity{HALF_EMOJI}"}), None, "'type'"),
    ]
    wrong = []
    for n, (what, text, command_id, where) in enumerate(cases):
        if n % 15 == 0:  # a fresh connection now and then: these are invalid messages, and 20 a minute are allowed
            await ana.close()
            ana = await participant(clinic, f"Ana {n}")
        answer = await answer_to(ana, text)
        if (answer["type"], answer["code"], answer["id"]) != ("error", "invalid_text", command_id):
            wrong.append(f"{what}: expected invalid_text with id {command_id}, got {answer}")
        elif where not in answer["reason"]:
            wrong.append(f"{what}: the reason does not say {where}: {answer['reason']}")
    assert wrong == []
    assert not ana.closed
    stored = [e for _, e in await clinic.store.events(clinic.session_id)][len(before):]
    assert all(isinstance(e, ParticipantJoined) for e in stored), "only the joins of the fresh connections"
    # A whole emoji, its pair complete, is of course fine.
    ack = await answer_to(ana, command("whole", "request_visit", text="my feet \ud83d\ude00"))
    assert ack["type"] == "ack"
    await ana.close()


async def post_raw_form(http: httpx.AsyncClient, path: str, page: str, body: str) -> httpx.Response:
    token = form_token((await http.get(page)).text)
    return await http.post(path, content=f"{body}&csrf={token}",
                           headers={"content-type": "application/x-www-form-urlencoded"})


@pytest.mark.asyncio
async def test_a_form_with_text_that_is_not_valid_unicode_answers_400_naming_the_field(clinic: Clinic) -> None:
    before = await clinic.store.events(clinic.session_id)
    # The UTF-8 bytes of a lone surrogate, and half of an emoji's four bytes: no browser sends them as text.
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for field, body in (("display_name", f"code={clinic.join_code}&display_name=Maria%ED%A0%BD"),
                            ("display_name", f"code={clinic.join_code}&display_name=Maria%F0%9F"),
                            ("code", f"code={clinic.join_code}%ED%A0%80&display_name=Maria")):
            response = await post_raw_form(http, "/join", "/join", body)
            assert response.status_code == 400, f"{body}: {response.status_code}"
            assert f"The field '{field}' holds a character that is not valid text" in html.unescape(response.text)
        response = await post_raw_form(http, "/login", "/login", "username=alex%ED%B0%80&password=x")
        assert response.status_code == 400 and "The field 'username'" in html.unescape(response.text)
        # The same form with whole characters is taken.
        fine = await post_raw_form(http, "/join", "/join", f"code={clinic.join_code}&display_name=Mar%C3%ADa")
        assert fine.status_code == 303
    joined = [e for _, e in await clinic.store.events(clinic.session_id)][len(before):]
    assert [e.display_name for e in joined if isinstance(e, ParticipantJoined)] == ["María"]


@pytest.mark.parametrize(("language", "refusal"), [
    ("en", "Someone has already checked in as Maria (or a name that looks the same)"),
    ("es", "Alguien ya se registró como M\u0430ria: agregue una inicial"),
])
@pytest.mark.asyncio
async def test_the_join_form_refuses_a_look_alike_name_in_the_persons_language(clinic: Clinic, language: str,
                                                                              refusal: str) -> None:
    await join(clinic.server.http, clinic.join_code, "Maria")
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for name in ("M\u0430ria", "Maria\u200b", "MARIA"):  # a Cyrillic а; a zero-width space; capitals
            response = await send_form(http, "/join", {"code": clinic.join_code, "display_name": name,
                                                       "language": language})
            assert response.status_code == 400, name
            assert "gv_participant" not in response.headers.get("set-cookie", "")
            if name == "M\u0430ria":  # the message names what the person typed
                assert refusal in html.unescape(response.text)
    stored = [e for _, e in await clinic.store.events(clinic.session_id)]
    names = [e.display_name for e in stored if isinstance(e, ParticipantJoined)]
    assert names == ["Maria"]


def groupvisit(*args: str | bytes, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    """`groupvisit ARGS` in a subprocess; bytes arguments reach it as they are (not UTF-8, if so)."""
    return subprocess.run([sys.executable, "-m", "groupvisit", *args], input=stdin.encode(), capture_output=True,
                          timeout=60)


def test_cli_arguments_that_are_not_utf_8_exit_2_naming_the_argument(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    cases = [
        ("--name", ("user", "add", "ana", "--name", b"Ana \xff", "--role", "clinician", "--password-stdin",
                    "--db", db)),
        ("username", ("user", "add", b"an\xe9", "--name", "Ana", "--role", "clinician", "--password-stdin",
                      "--db", db)),
        ("--role", ("user", "add", "ana", "--name", "Ana", "--role", b"clinici\xe1n", "--db", db)),
        ("username", ("user", "disable", b"\xed\xa0\x80", "--db", db)),
        ("--session", ("audit", "--session", b"s\xff", "--db", db)),
        ("--db", ("audit", "--session", "s1", "--db", os.fsencode(tmp_path) + b"/clinic\xff.db")),
        ("--host", ("serve", "--host", b"local\xffhost", "--db", db)),
    ]
    wrong = []
    for argument, args in cases:
        result = groupvisit(*args, stdin="a long enough password\n")
        message = result.stderr.decode("utf-8", "replace")
        if result.returncode != 2 or f"argument {argument}: " not in message or "not UTF-8" not in message \
                or "Traceback" in message:
            wrong.append(f"{argument}: exit {result.returncode}, {message!r}")
    assert wrong == []


def test_a_password_piped_in_that_is_not_utf_8_is_refused_with_exit_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "groupvisit", "user", "add", "ana", "--name", "Ana", "--role",
                             "clinician", "--password-stdin", "--db", str(tmp_path / "cli.db")],
                            input=b"a long password \xff\xfe\n", capture_output=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert b"not valid text" in result.stderr and b"Traceback" not in result.stderr


# --- what the store holds is always readable -----------------------------------------

async def store_as_an_older_version_did(clinic: Clinic) -> None:
    """A participant and a visit request with half an emoji, appended as an older version did: its JSON
    column holds the escape "\\ud83d", which reads back as a lone surrogate."""
    now = clinic.clock.now()
    seq = len(await clinic.store.events(clinic.session_id))
    await clinic.store.append(clinic.session_id, seq, [ParticipantJoined("p1", f"Ana {HALF_EMOJI}", now),
                                                       VisitRequested("e1", "p1", f"my feet {HALF_EMOJI}", now)])
    await clinic.store.audit(AuditRow(session_id=clinic.session_id, at=now, role="participant", actor_id="p1",
                                      actor_name="Ana", device="tablet", action="changed", what="request_visit",
                                      subject="p1"))


@pytest.mark.asyncio
async def test_text_an_older_version_stored_with_a_lone_surrogate_still_exports_and_lists(clinic: Clinic) -> None:
    await store_as_an_older_version_did(clinic)
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        response = await http.get(f"/sessions/{clinic.session_id}/summary.csv",
                                  headers={"Cookie": clinic.cookie("admin")})
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.text))
    assert (row["participant"], row["visit_request"]) == ("Ana \ufffd", "my feet \ufffd")

    listed = subprocess.run([sys.executable, "-m", "groupvisit", "audit", "--session", clinic.session_id,
                             "--db", str(clinic.server.db_path)], capture_output=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "changed request_visit — about Ana \ufffd" in listed.stdout.decode("utf-8")
    assert "exported chart summary — about Ana \ufffd" in listed.stdout.decode("utf-8")
    # The live screens read it the same way.
    staff = await ScreenClient(clinic.link("queue")).connect()
    (waiting,) = staff.view["queue"]["waiting"]
    assert (waiting["name"], waiting["request"]) == ("Ana \ufffd", "my feet \ufffd")
    await staff.close()


@pytest.mark.asyncio
async def test_the_audit_listing_piped_into_head_ends_without_a_traceback(clinic: Clinic) -> None:
    now = clinic.clock.now()
    await clinic.store.audit(*(AuditRow(session_id=clinic.session_id, at=now, role="facilitator", actor_id="f1",
                                        actor_name="Alex", device="laptop", action="changed", what=f"command {n}")
                               for n in range(3000)))  # far more than a pipe holds, so the write meets the closed pipe
    listed = subprocess.run(f"{sys.executable} -m groupvisit audit --session {clinic.session_id} "
                            f"--db {clinic.server.db_path} | head -n 2", shell=True, capture_output=True, text=True,
                            timeout=60)
    assert listed.stdout.count("\n") == 2
    assert listed.stderr == "", listed.stderr


# --- 8. a refused command is cheap ---------------------------------------------------

class CountingStore(Store):
    """The server's store, counting every database call it is asked for."""

    calls = 0

    async def run(self, work: Callable[[Any], T]) -> T:
        self.calls += 1
        return await super().run(work)


@pytest.mark.asyncio
async def test_commands_a_role_may_never_send_are_refused_without_a_database_read_or_the_lock(
        tmp_path: Path) -> None:
    clock = ManualClock(1_790_000_000.0)
    db = tmp_path / "cheap.db"
    setup = Store(f"sqlite:///{db}")
    session, _ = await setup.create_session(title="Group", cohort="Tuesday", starts_at=clock.now(),
                                            ends_at=clock.now() + 7200)
    team = await signed_in_team(setup, clock.now())
    counting = CountingStore(f"sqlite:///{db}")
    # No credential re-checks on a timer during the test: only what the commands cause is counted.
    server = LiveServer(db, clock, store=counting, access_check_seconds=3600.0, staff_idle_minutes=240.0)
    await server.astart()
    try:
        _, cookie = await join(server.http, session.join_code, "Ana")
        ana = await RecordingSocket.open(f"{server.ws}/p/{session.id}/ws", cookie)
        facilitator = await ScreenClient(f"{server.ws}/console/{session.id}/ws", team["alex"].cookie).connect()
        await ana.wait_until(lambda s: bool(s.frames))
        calls = counting.calls
        start = len(ana.frames)
        forbidden = ["open_phase", "close_session", "call_participant", "edit_topic", "skip_encounter"]
        for n in range(50):
            name = forbidden[n % len(forbidden)]
            args = {"open_phase": {"phase": "agenda"}, "call_participant": {"encounter_id": "e1"},
                    "edit_topic": {"topic_id": "t1", "title": "x"}, "skip_encounter": {"encounter_id": "e1"}}
            await ana.send(command(f"no-{n}", name, **args.get(name, {})))
        await ana.wait_until(lambda s: len([f for f in s.frames[start:] if f["type"] == "error"]) == 50)
        answers = [f for f in ana.frames[start:] if f["type"] == "error"]
        assert {f["code"] for f in answers} == {"forbidden"} and [f["id"] for f in answers] == [
            f"no-{n}" for n in range(50)]
        assert counting.calls == calls, f"50 forbidden commands made {counting.calls - calls} database calls"
        # Every path that takes the session's lock reads the database first (the command id's earlier
        # result), so no database call means no lock was taken either. Another screen's command still runs.
        ack = await facilitator.send("propose_topic", title="Sleep")
        await ana.wait_until(lambda s: any(f.get("seq") == ack["seq"] for f in s.frames))
        assert counting.calls > calls
        assert not ana.closed, "refusals by role are not invalid messages: they never count toward 1008"
        await ana.close()
        await facilitator.close()
    finally:
        await server.astop()
        counting.close()
        setup.close()
