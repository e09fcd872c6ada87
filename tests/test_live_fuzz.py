"""Generated messages thrown at the live channel while well-behaved screens keep working.

Hypothesis writes a plan: who sends what (garbage text, arbitrary JSON, near-valid and valid commands
with plausible and implausible arguments, snapshot requests) over the facilitator's, a participant's,
a clinician's and the projector's connections. Meanwhile three participants keep voting and taking
their votes back, and a projector and a clinician watch. Every message must get exactly one answer
(or, for a client that keeps abusing it, a close with 1008); the well-behaved screens must get every
answer promptly, never see an error they did not cause and never reconnect; afterwards the log
replays to the live state of every screen and no invariant is broken.
"""

import asyncio
import json
import re
import types
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, fields
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
import websockets
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import SESSION_START
from groupvisit.clock import ManualClock
from groupvisit.domain import apply, decide, replay
from groupvisit.domain.commands import COMMAND_TYPES, OpenPhase, ProposeTopic
from groupvisit.domain.views import view_for
from groupvisit.store import Store
from support.clients import Link, Refusal, ScreenClient
from support.process import RecordingSocket, Seeded, actor_of, assert_log_replays_to_live, seed_session
from support.server import LiveServer


CODE = re.compile(r"^[a-z][a-z_]*$")
PROTOCOL_CODES = {"invalid_json", "invalid_message", "unknown_type", "invalid_field", "missing_field",
                  "extra_field", "unknown_command", "binary_frame", "rate_limited", "too_deep", "duplicate_field",
                  "invalid_text", "invalid_number"}
ANSWER_TIMEOUT = 5.0  # for a generated message
PROMPT = 3.0  # for a well-behaved screen's command, while the fuzzing goes on

# --- what the fuzzer sends -------------------------------------------------------------------

SAFE_TEXT = st.text(st.characters(codec="utf-8"), max_size=130)  # lone surrogates cannot be sent
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | SAFE_TEXT
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(SAFE_TEXT, inner, max_size=3), max_leaves=8)
def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], one_in: int = 6) -> st.SearchStrategy[Any]:
    """`good`, except one time in `one_in`, `bad`."""
    # (Hypothesis favours the ends of a range: a residue keeps the odds near one in `one_in`.)
    return st.integers(0, 2**16).flatmap(lambda n: bad if n % one_in == 1 else good)


TITLES = st.sampled_from(["Sleep", " sleep ", "Food", "Eating out", "Walk after dinner", "", "x" * 121, "x" * 501])
FIELD_WORDS = {  # values that often name something that exists, per field
    "topic_id": ["t1", "t2", "t3", "t4", "t9"], "into_topic_id": ["t1", "t2", "t3", "t9"],
    "encounter_id": ["e1", "e2", "e9"], "participant_id": ["", "p1", "p2", "p3", "p9"],
    "strategy_id": ["s1", "s2", "s9"], "phase": ["agenda", "discussion", "goals", "wrap_up", "check_in", "closed"],
    "choice": ["keep_going", "move_on", "maybe"], "weight_unit": ["kg", "lb", "st"], "room": ["Room 1", ""],
}
VALID_IDS = st.sampled_from(["c1", "c2", "dup", "x" * 64, "🙂"]) | st.text(st.characters(codec="utf-8"),
                                                                        min_size=1, max_size=64)
INVALID_IDS = st.sampled_from(["", "x" * 65]) | st.integers() | st.none() | st.booleans() | JSON_VALUES


IDS = mostly(VALID_IDS, INVALID_IDS)


def now_and_then(draw: st.DrawFn, one_in: int) -> bool:
    """True about one time in `one_in`."""
    return draw(st.integers(0, 2**16)) % one_in == 1


def options(hint: Any) -> tuple[Any, ...]:
    return get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)


def plausible(name: str, hint: Any) -> st.SearchStrategy[Any]:
    words = st.sampled_from(FIELD_WORDS[name]) if name in FIELD_WORDS else TITLES
    kinds = {str: mostly(words, SAFE_TEXT, one_in=4), bool: st.booleans(),
             int: mostly(st.integers(-1, 11) | st.integers(20, 700), st.integers()),
             float: mostly(st.integers(20, 900) | st.floats(20, 900), st.floats()), type(None): st.none()}
    return st.one_of(*(kinds[option] for option in options(hint)))


ROLES = ("facilitator", "participant", "clinician", "projector")


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, str]:
    """A command message, mostly well formed and mostly from a role that may send it."""
    name = draw(mostly(st.sampled_from(sorted(COMMAND_TYPES)), SAFE_TEXT | JSON_VALUES, one_in=8))
    cls = COMMAND_TYPES.get(name) if isinstance(name, str) else None
    allowed = sorted(role.value for role in cls.roles) if cls is not None else list(ROLES)
    role = draw(mostly(st.sampled_from(allowed), st.sampled_from(ROLES), one_in=5))
    args: Any = {}
    if cls is not None:
        hints = get_type_hints(cls)
        for spec in fields(cls):
            if spec.default is MISSING or draw(st.booleans()):
                if now_and_then(draw, 12):
                    args[spec.name] = draw(JSON_VALUES)  # a value of any type
                elif not now_and_then(draw, 12) or spec.default is MISSING:
                    args[spec.name] = draw(plausible(spec.name, hints[spec.name]))
    if now_and_then(draw, 12):
        args[draw(SAFE_TEXT)] = draw(JSON_VALUES)  # an unknown field
    if now_and_then(draw, 25):
        args = draw(JSON_VALUES)  # args that are not an object
    message: dict[str, Any] = {"type": "command", "id": draw(IDS), "name": name, "args": args}
    for key in draw(st.sets(st.sampled_from(["id", "name", "args"]), max_size=1)) if now_and_then(draw, 12) \
            else ():
        del message[key]
    if now_and_then(draw, 15):
        message[draw(st.sampled_from(["session_id", "since", "seq", "type2"]))] = draw(JSON_VALUES)
    return role, json.dumps(message)


OTHER_MESSAGES = st.one_of(
    SAFE_TEXT,
    JSON_VALUES.map(json.dumps),
    st.just('{"type": "snapshot_request"}'),
    st.fixed_dictionaries({"type": st.sampled_from(["snapshot_request", "subscribe", "ack", "event", "", "COMMAND"])},
                          optional={"id": IDS, "since": JSON_VALUES}).map(json.dumps),
)
SPAM = "<spam>"  # in a plan: a burst of garbage, more than the server takes from one connection
PLANS = st.lists(commands() | commands() | st.tuples(st.sampled_from(ROLES), OTHER_MESSAGES)
                 | st.tuples(st.sampled_from(ROLES), st.just(SPAM)),
                 min_size=1, max_size=30)


# --- the server ---------------------------------------------------------------------------------

@dataclass
class Fuzzed:
    server: LiveServer
    store: Store
    staff: Seeded  # a first session, for its facilitator and clinicians (staff links open every session)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    store = Store(f"sqlite:///{db}")
    server = LiveServer(db, ManualClock(SESSION_START))
    server.start()
    try:
        yield Fuzzed(server, store, asyncio.run(seed_session(store, signed_in_at=SESSION_START)))
    finally:
        server.stop()
        store.close()


async def agenda_session(fuzzed: Fuzzed) -> Seeded:
    """A new session in agenda setting with three topics, written in one transaction (no screen open yet)."""
    session, projector_key = await fuzzed.store.create_session(
        title="Diabetes group visit", cohort="Diabetes group (Tuesday)", starts_at=SESSION_START,
        ends_at=SESSION_START + 7200)
    staff = fuzzed.staff
    state = replay(e for _, e in await fuzzed.store.events(session.id))
    events = []
    for command in (OpenPhase("agenda"), ProposeTopic("Eating out"), ProposeTopic("Sleep"), ProposeTopic("Foot care")):
        for event in decide(state, command, staff.facilitator.actor, SESSION_START):
            apply(state, event)
            events.append(event)
    await fuzzed.store.append(session.id, 1, events)
    return Seeded(fuzzed.store, session.id, session.join_code, projector_key, staff.facilitator,
                  staff.clinicians).on(fuzzed.server)


# --- one generated run --------------------------------------------------------------------------

class Fuzzer:
    """The connections the plan's messages go over, one per role, reopened after a close for abuse."""

    def __init__(self, room: Seeded, cookie: str) -> None:
        self.urls = {"facilitator": room.console_url, "participant": Link(room.participant_url, cookie),
                     "clinician": room.queue_url(1), "projector": room.projector_url}
        self.sockets: dict[str, RecordingSocket] = {}
        self.problems: list[str] = []
        self.closes: list[int | None] = []

    async def socket(self, role: str) -> RecordingSocket:
        sock = self.sockets.get(role)
        if sock is None or sock.closed:
            if sock is not None:
                self.closes.append(sock.close_code)
            url, cookie = self.urls[role]
            sock = self.sockets[role] = await RecordingSocket.open(url, cookie)
            try:
                await sock.wait_until(lambda s: bool(s.frames), timeout=ANSWER_TIMEOUT)  # its snapshot
            except (ConnectionError, TimeoutError):
                raise AssertionError(f"a new {role} connection ended ({sock.close_code}) before its snapshot") \
                    from None
        return sock

    async def throw(self, role: str, text: str) -> None:
        sock = await self.socket(role)
        if text == SPAM:
            await self.spam(role, sock)
            return
        start = len(sock.frames)
        try:
            await sock.send(text)
            answer = await sock.answer(start, ANSWER_TIMEOUT)
        except (websockets.ConnectionClosed, ConnectionError):
            code = await sock.wait_closed()
            event(f"closed with {code}")
            if code != 1008:
                self.problems.append(f"{role}: {text[:80]!r} closed the connection with {code}")
            return
        except TimeoutError:
            self.problems.append(f"{role}: {text[:80]!r} was never answered")
            return
        self.check(role, text, answer)

    async def spam(self, role: str, sock: RecordingSocket) -> None:
        """More bad messages than the abuse limit (20 a minute): the server must close with 1008."""
        try:
            for n in range(25):
                await sock.send(f"spam {n} {{")
        except websockets.ConnectionClosed:
            pass
        try:
            code = await sock.wait_closed(ANSWER_TIMEOUT)
        except TimeoutError:
            self.problems.append(f"{role}: still open after 25 bad messages in a row")
            return
        event(f"closed with {code}")
        if code != 1008:
            self.problems.append(f"{role}: closed with {code} after 25 bad messages in a row, not 1008")

    def check(self, role: str, text: str, answer: dict[str, Any]) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        sent_id = message.get("id") if isinstance(message, dict) else None
        valid_id = isinstance(sent_id, str) and 0 < len(sent_id) <= 64
        what = f"{role}: {text[:80]!r} answered with {answer}"
        event(f"answer: {answer['type']} {answer.get('code', '')}".strip())  # --hypothesis-show-statistics
        if answer["type"] == "snapshot":
            if message != {"type": "snapshot_request"}:
                self.problems.append(what)
        elif answer["type"] == "ack":
            if not (valid_id and answer["id"] == sent_id and isinstance(answer["seq"], int)):
                self.problems.append(what)
        else:
            reason = answer.get("reason")
            if not (CODE.match(str(answer.get("code"))) and isinstance(reason, str) and reason.strip()):
                self.problems.append(f"{what}: no code or no reason")
            if answer.get("id") not in (None, sent_id if valid_id else None):
                self.problems.append(f"{what}: the error names another id")

    async def close(self) -> None:
        for sock in self.sockets.values():
            if not sock.closed:
                await sock.close()


async def well_behaved(person: ScreenClient, rounds: int, problems: list[str]) -> None:
    """Vote for t1 and take the vote back, over and over; every answer comes promptly and makes sense."""
    for n in range(rounds):
        command = "cast_vote" if n % 2 == 0 else "retract_vote"
        try:
            await asyncio.wait_for(person.send(command, topic_id="t1"), PROMPT)
        except Refusal as refusal:  # the fuzzer may have moved the room on, hidden t1, closed the session…
            if refusal.code in PROTOCOL_CODES:
                problems.append(f"{person.name}: a valid {command} was refused with {refusal.code}")
        except TimeoutError:
            problems.append(f"{person.name}: {command} had no answer within {PROMPT} s")
        await asyncio.sleep(0.005)


async def run(fuzzed: Fuzzed, plan: list[tuple[str, str]]) -> None:
    store = fuzzed.store
    room = await agenda_session(fuzzed)
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    watchers = [facilitator, await ScreenClient(room.projector_url, name="projector").connect(),
                await ScreenClient(room.queue_url(0), name="clinician").connect()]
    crowd = []
    for name in ("Ann", "Bob", "Cy"):
        crowd.append(await ScreenClient(room.participant_url, await room.join(name), name).connect())
    fuzzer = Fuzzer(room, room.cookies["Ann"])
    problems: list[str] = []

    async def fuzz() -> None:
        for role, text in plan:
            await fuzzer.throw(role, text)

    try:
        await asyncio.gather(fuzz(), *(well_behaved(person, 4, problems) for person in crowd))
        screens = [*watchers, *crowd]
        assert fuzzer.problems == [] and problems == []
        assert all(s.connects == 1 for s in screens), "a well-behaved screen lost its connection"
        for screen in screens:
            noticed = [f for f in map(json.loads, screen.frames) if f["type"] == "error" and f["id"] is None]
            assert noticed == [], f"{screen.name} received errors it did not cause"
        assert set(fuzzer.closes) <= {1008}

        stored = await store.events(room.session_id)
        await asyncio.gather(*(s.wait_seq(len(stored)) for s in screens))
        state = replay(e for _, e in stored)
        for screen in screens:
            assert screen.view == view_for(state, actor_of(screen.view)), f"{screen.name}'s live view drifted"
        await fuzzer.close()
        for screen in screens:
            await screen.close()
        await assert_log_replays_to_live(store, room.session_id, room.screens())
    finally:
        await fuzzer.close()
        for screen in [*watchers, *crowd]:
            if not screen.closing:
                await screen.close()


@settings(max_examples=15, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan=PLANS)
def test_generated_messages_never_disturb_the_room_or_the_log(fuzzed: Fuzzed, plan: list[tuple[str, str]]) -> None:
    asyncio.run(run(fuzzed, plan))
