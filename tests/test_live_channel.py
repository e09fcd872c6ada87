"""The live channel never loses, doubles or stalls: catch-up, commands once, races, slow and dead screens, bad input.

Every test runs a real uvicorn server (in a thread, the `clinic` fixture, or `groupvisit serve` in a
subprocess where a setting has to come from the environment) and talks to it with real websocket
clients. Each one ends with the same invariant: the stored log has no gaps, and replaying it gives
what a fresh snapshot shows to every kind of screen.
"""

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import websockets

from conftest import SESSION_START, Clinic
from groupvisit.app import create_app
from groupvisit.cli import uvicorn_config
from groupvisit.domain import Actor, Role, replay
from groupvisit.domain.commands import SetVoteBudget
from groupvisit.domain.rules import apply, decide
from groupvisit.domain.views import view_for, visible_event
from groupvisit.settings import Settings
from support.clients import Link, Refusal, ScreenClient
from support.process import (LiveRelay, RecordingSocket, ResendingClient, Seeded, ServerProcess,
                             assert_log_replays_to_live, event_seqs, fresh_snapshot, seed_session, seeded,
                             tcp_send_queue)

CODE = re.compile(r"^[a-z][a-z_]*$")
QUIET = 0.3  # how long "nothing more arrives" is watched for


@pytest_asyncio.fixture
async def room(clinic: Clinic) -> Seeded:
    """The `clinic` fixture's session, as a `Seeded` with its URLs on the in-thread server."""
    team = clinic.team
    return Seeded(clinic.store, clinic.session_id, clinic.join_code, clinic.projector_key, team["alex"],
                  [team["sam"], team["priya"]]).on(clinic.server)


async def people(room: Seeded, names: list[str]) -> list[ScreenClient]:
    clients = []
    for name in names:
        cookie = await room.join(name)
        clients.append(await ScreenClient(room.participant_url, cookie, name).connect())
    return clients


async def close_all(*groups: Any) -> None:
    for group in groups:
        for client in group if isinstance(group, list) else [group]:
            await client.close()


async def stored_count(room: Seeded) -> int:
    return len(await room.store.events(room.session_id))


def names(n: int) -> list[str]:
    return [f"Person {i}" for i in range(1, n + 1)]


# --- 1. catch-up on reconnect ------------------------------------------------------------

@pytest.mark.asyncio
async def test_reconnecting_with_since_receives_exactly_the_missed_events_in_order(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    (ann,) = await people(room, ["Ann"])
    wall = await RecordingSocket.open(room.projector_url)
    await wall.wait_until(lambda s: bool(s.frames))
    since = wall.frames[0]["seq"]
    await wall.close()

    await facilitator.send("open_phase", phase="agenda")
    await facilitator.send("record_numbers", participant_id="p1", glucose=140)  # private: the wall gets null
    for title in ("Eating out", "Sleep", "Foot care"):
        await facilitator.send("propose_topic", title=title)
    latest = (await ann.send("cast_vote", topic_id="t2"))["seq"]

    again = await RecordingSocket.open(room.projector_url.since(since))
    await again.wait_until(lambda s: len(s.frames) >= latest - since)
    await asyncio.sleep(QUIET)
    frames = again.frames
    assert [f["type"] for f in frames] == ["event"] * (latest - since), "only the missed events, no snapshot"
    assert event_seqs(frames) == list(range(since + 1, latest + 1))
    stored = await room.store.events(room.session_id)
    projector = Actor(Role.PROJECTOR)
    assert [f["event"] for f in frames] == [visible_event(e, projector) for s, e in stored if s > since]
    assert all(f["view"] == {} for f in frames[:-1]), "the earlier frames of a batch carry no sections"
    assert frames[-1]["view"] == view_for(replay(e for _, e in stored), projector), "the last carries all"

    ack = await facilitator.send("propose_topic", title="Stress at work")
    await again.wait_until(lambda s: len(s.frames) > latest - since)
    await asyncio.sleep(QUIET)
    assert event_seqs(again.frames[latest - since:]) == [ack["seq"]], "then live events, one each"
    await again.close()
    await close_all(facilitator, ann)
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


@pytest.mark.parametrize("since", ["none", "latest", "beyond", "letters", "zero"])
@pytest.mark.asyncio
async def test_since_decides_between_a_snapshot_the_missed_events_and_nothing(room: Seeded, since: str) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    await facilitator.send("open_phase", phase="agenda")
    latest = (await facilitator.send("propose_topic", title="Sleep"))["seq"]
    query = {"none": "", "latest": f"&since={latest}", "beyond": f"&since={latest + 40}",
             "letters": "&since=abc", "zero": "&since=0"}[since]
    sock = await RecordingSocket.open(room.projector_url.url + query)
    await asyncio.sleep(QUIET)
    if since == "latest":
        assert sock.frames == [], "nothing is sent until the next event"
    elif since == "zero":
        assert event_seqs(sock.frames) == list(range(1, latest + 1)) and len(sock.frames) == latest
    else:
        assert [(f["type"], f["seq"]) for f in sock.frames] == [("snapshot", latest)]
    ack = await facilitator.send("propose_topic", title="Food")
    await sock.wait_until(lambda s: any(f.get("seq") == ack["seq"] for f in s.frames))
    assert sock.frames[-1]["type"] == "event"
    await sock.close()
    await facilitator.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


@pytest.mark.asyncio
async def test_a_gap_the_server_no_longer_holds_is_answered_with_a_snapshot(room: Seeded) -> None:
    # 2100 events, more than the 2000 the server keeps in memory, written as a second writer would.
    stored = await room.store.events(room.session_id)
    state = replay(e for _, e in stored)
    events = []
    for n in range(2100):
        for event in decide(state, SetVoteBudget(3 + n % 2), room.facilitator.actor, 1_790_000_000.0):
            apply(state, event)
            events.append(event)
    await room.store.append(room.session_id, len(stored), events)
    latest = len(stored) + len(events)

    old = await RecordingSocket.open(room.projector_url.since(1))
    await old.wait_until(lambda s: bool(s.frames), timeout=10)
    await asyncio.sleep(QUIET)
    assert [(f["type"], f["seq"]) for f in old.frames] == [("snapshot", latest)]
    assert old.frames[0]["view"]["session"]["vote_budget"] == 4
    await old.close()

    # Within memory: the missed events; more than half the outgoing queue (128 of 256): one snapshot instead.
    recent = await RecordingSocket.open(room.projector_url.since(latest - 100))
    await recent.wait_until(lambda s: len(s.frames) >= 100, timeout=10)
    await asyncio.sleep(QUIET)
    assert event_seqs(recent.frames) == list(range(latest - 99, latest + 1)) and len(recent.frames) == 100
    await recent.close()
    many = await RecordingSocket.open(room.projector_url.since(latest - 150))
    await many.wait_until(lambda s: bool(s.frames), timeout=10)
    await asyncio.sleep(QUIET)
    assert [(f["type"], f["seq"]) for f in many.frames] == [("snapshot", latest)]
    await many.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


@pytest.mark.asyncio
async def test_connecting_while_commands_stream_in_never_loses_or_doubles_an_event(room: Seeded) -> None:
    """Subscribe, then read, then drain: screens connect and reconnect (with since) while forty
    commands land; every connection's frames are one snapshot or `since + 1`, then one seq after another."""
    facilitator = await ResendingClient(room.console_url, name="facilitator").connect()
    await facilitator.send("open_phase", phase="agenda")
    problems: list[str] = []

    async def watcher(n: int, done: asyncio.Event) -> int:
        seq: int | None = None
        for round_ in range(400):
            final = done.is_set()  # the commands are over: this connection must reach the end
            url = room.projector_url if seq is None else room.projector_url.since(seq)
            sock = await RecordingSocket.open(url)
            await asyncio.sleep(QUIET if final else 0.005 * ((n + round_) % 5))
            await sock.close()
            expected = seq
            for frame in sock.frames:
                if frame["type"] == "snapshot":
                    if expected is not None:
                        problems.append(f"watcher {n}: a snapshot after since={seq} (at {expected})")
                    expected = frame["seq"]
                elif frame["type"] == "event":
                    if expected is None or frame["seq"] != expected + 1:
                        problems.append(f"watcher {n}: seq {frame['seq']} after {expected} (since={seq})")
                    expected = frame["seq"]
            seq = expected
            if final:
                break
        return seq if seq is not None else -1

    done = asyncio.Event()

    async def commands() -> int:
        try:
            results = await asyncio.gather(*(facilitator.send("propose_topic", title=f"Topic number {n}")
                                             for n in range(40)), return_exceptions=True)
        finally:
            done.set()
        failed = [r for r in results if not isinstance(r, dict)]
        assert not failed, (f"{len(failed)} of 40 commands failed ({failed[0]!r}); the facilitator's connection "
                            f"closed with {facilitator.closes}")
        return max(int(r["seq"]) for r in results if isinstance(r, dict))

    latest, *finals = await asyncio.gather(commands(), *(watcher(n, done) for n in range(6)))
    assert facilitator.closes == [], "the facilitator's connection was closed"
    assert problems == []
    assert finals == [latest] * 6, "every watcher caught up to the end"
    await facilitator.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


# --- 2. every command once ----------------------------------------------------------------

def command(command_id: str, name: str, **args: Any) -> dict[str, Any]:
    return {"type": "command", "id": command_id, "name": name, "args": args}


@pytest.mark.asyncio
async def test_a_command_sent_again_is_acknowledged_with_its_original_result_and_no_second_effect(
        room: Seeded, clinic: Clinic) -> None:
    wall = await RecordingSocket.open(room.projector_url)
    console = await RecordingSocket.open(room.console_url)
    await console.wait_until(lambda s: bool(s.frames))
    first = await console.command("once-1", "capture_strategy", text="Walk after dinner")
    assert first["type"] == "ack" and not first.get("duplicate"), first
    count = await stored_count(room)
    await wall.wait_until(lambda s: any(f.get("seq") == first["seq"] for f in s.frames))
    wall_frames = len(wall.frames)

    again = await console.command("once-1", "capture_strategy", text="Walk after dinner")
    assert again == {"type": "ack", "id": "once-1", "seq": first["seq"], "duplicate": True}
    await console.close()

    reconnected = await RecordingSocket.open(room.console_url.since(first['seq']))
    across = await reconnected.command("once-1", "capture_strategy", text="Walk after dinner")
    assert across == {"type": "ack", "id": "once-1", "seq": first["seq"], "duplicate": True}, "across a reconnect"
    await reconnected.close()
    await asyncio.sleep(QUIET)
    assert len(wall.frames) == wall_frames, "nobody received a second event"
    await wall.close()
    assert await stored_count(room) == count

    await clinic.server.astop()  # the id is stored with its result: a restart does not forget it
    await clinic.server.astart()
    room.on(clinic.server)
    after = await RecordingSocket.open(room.console_url)
    restarted = await after.command("once-1", "capture_strategy", text="Walk after dinner")
    assert restarted == {"type": "ack", "id": "once-1", "seq": first["seq"], "duplicate": True}, "across a restart"
    await after.close()
    assert await stored_count(room) == count
    state = await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    assert [s.text for s in state.strategies.values()] == ["Walk after dinner"]


@pytest.mark.asyncio
async def test_a_vote_sent_twice_counts_once_and_a_refused_command_is_decided_again(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    cookie = await room.join("Ann")
    ann = await RecordingSocket.open(room.participant_url, cookie)
    early = await ann.command("vote-1", "cast_vote", topic_id="t1")
    assert (early["type"], early["code"]) == ("error", "wrong_phase")

    await facilitator.send("open_phase", phase="agenda")
    await facilitator.send("propose_topic", title="Sleep")
    decided_again = await ann.command("vote-1", "cast_vote", topic_id="t1")
    assert decided_again["type"] == "ack" and not decided_again.get("duplicate"), "refusals are not remembered"
    twice = await ann.command("vote-1", "cast_vote", topic_id="t1")
    assert twice == {"type": "ack", "id": "vote-1", "seq": decided_again["seq"], "duplicate": True}
    await asyncio.sleep(QUIET)
    await ann.close()
    await facilitator.close()
    state = await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    assert state.topics["t1"].total == 1 and state.votes_used("p1") == 1


@pytest.mark.asyncio
async def test_command_ids_belong_to_their_session(room: Seeded) -> None:
    other = await seed_session(room.store, title="Heart failure group", signed_in_at=SESSION_START)
    other.on(room)
    here = await RecordingSocket.open(room.console_url)
    there = await RecordingSocket.open(Link(other.url("console"), room.facilitator.cookie))  # any session's console
    first = await here.command("shared-id", "capture_strategy", text="Weigh yourself every morning")
    second = await there.command("shared-id", "capture_strategy", text="Weigh yourself every morning")
    assert first["type"] == second["type"] == "ack"
    assert not second.get("duplicate"), "the same id in another session is another command"
    await here.close()
    await there.close()
    for session in (room, other):
        stored = await room.store.events(session.session_id)
        assert [e.type for _, e in stored].count("strategy_captured") == 1
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    await assert_log_replays_to_live(room.store, other.session_id, [other.projector_url])


# --- 4. races ------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_fifteen_participants_voting_at_once_on_one_topic_get_exact_totals(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    wall = await ScreenClient(room.projector_url, name="wall").connect()
    crowd = await people(room, names(15))
    await facilitator.send("open_phase", phase="agenda")
    await facilitator.send("propose_topic", title="Eating out")
    # Everyone presses "vote" four times at once with a budget of three.
    results = await asyncio.gather(*(person.send("cast_vote", topic_id="t1") for _ in range(4) for person in crowd),
                                   return_exceptions=True)
    acks = [r for r in results if isinstance(r, dict)]
    refusals = [r for r in results if isinstance(r, Refusal)]
    assert len(acks) == 45 and len(refusals) == 15, [r for r in results if not isinstance(r, (dict, Refusal))]
    assert {r.code for r in refusals} == {"no_votes_left"}
    latest = max(ack["seq"] for ack in acks)
    await asyncio.gather(*(c.wait_seq(latest) for c in [facilitator, wall, *crowd]))
    assert [(t["id"], t["votes"]) for t in wall.view["topics"]] == [("t1", 45)]
    assert all(p.view["me"]["votes_used"] == 3 and p.view["me"]["votes_left"] == 0 for p in crowd)
    await close_all(facilitator, wall, crowd)
    state = await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    assert state.topics["t1"].total == 45


@pytest.mark.asyncio
async def test_two_clinicians_calling_the_same_participant_at_once_one_wins_the_other_is_refused(
        room: Seeded) -> None:
    doctors = [await RecordingSocket.open(room.queue_url(n)) for n in (0, 1)]
    crowd = await people(room, names(4))
    for person in crowd:
        await person.send("request_visit", text=f"{person.name} has a question")
    for doctor in doctors:
        await doctor.wait_until(lambda s: bool(s.frames))
    wall = await ScreenClient(room.projector_url).connect()
    for n in range(1, 5):
        encounter = f"e{n}"
        starts = [len(d.frames) for d in doctors]
        # Both frames leave before either answer is read: the same instant, as far as the server can tell.
        await asyncio.gather(*(d.send(command(f"call-{n}-{i}", "call_participant", encounter_id=encounter,
                                                  room=f"Room {i}")) for i, d in enumerate(doctors)))
        answers = await asyncio.gather(*(d.answer(start) for d, start in zip(doctors, starts, strict=True)))
        kinds = sorted(a["type"] for a in answers)
        assert kinds == ["ack", "error"], answers
        winner = next(i for i, a in enumerate(answers) if a["type"] == "ack")
        loser = answers[1 - winner]
        assert loser["code"] == "already_called" and loser["reason"], loser
        assert loser["id"] == f"call-{n}-{1 - winner}"
        called = crowd[n - 1]
        await called.wait_for(lambda v: v["me"]["visit"]["status"] == "called")
        assert called.view["me"]["visit"]["clinician_name"] == room.clinicians[winner].actor.name
        for step in ("start_encounter", "complete_encounter"):
            done = await doctors[winner].command(f"{step}-{n}", step, encounter_id=encounter)
            assert done["type"] == "ack", done
    for doctor in doctors:
        await doctor.close()
    await close_all(wall, crowd)
    state = await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    assert all(e.status == "completed" for e in state.encounters.values())
    assert [e.type for _, e in await room.store.events(room.session_id)].count("participant_called") == 4


@pytest.mark.asyncio
async def test_a_merge_while_votes_arrive_keeps_every_vote_and_every_budget(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    crowd = await people(room, names(10))
    await facilitator.send("open_phase", phase="agenda")
    for title in ("Eating out", "Eating at restaurants"):
        await facilitator.send("propose_topic", title=title)
    for person in crowd[:5]:
        await person.send("cast_vote", topic_id="t2")
    votes = [person.send("cast_vote", topic_id=topic) for person in crowd for topic in ("t2", "t1", "t2")]
    merge = facilitator.send("merge_topics", topic_id="t2", into_topic_id="t1")
    results = await asyncio.gather(*votes[:14], merge, *votes[14:], return_exceptions=True)
    strange = [r for r in results if not isinstance(r, (dict, Refusal))]
    assert strange == []
    assert results[14]["type"] == "ack", "the merge went through"  # type: ignore[index]
    refused = [r for r in results if isinstance(r, Refusal)]
    assert {r.code for r in refused} <= {"not_found", "no_votes_left"}
    accepted = 5 + sum(1 for r in results if isinstance(r, dict)) - 1
    latest = max(r["seq"] for r in results if isinstance(r, dict))
    await facilitator.wait_seq(latest)
    assert [(t["id"], t["votes"]) for t in facilitator.view["topics"]] == [("t1", accepted)]
    await close_all(facilitator, crowd)
    state = await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    stored = [e for _, e in await room.store.events(room.session_id)]
    assert state.topics["t1"].total == accepted == sum(1 for e in stored if e.type == "vote_cast")
    assert state.topics["t2"].status == "merged" and not state.topics["t2"].votes
    assert all(state.votes_used(pid) <= 3 for pid in state.participants)


# --- 5. slow and dead screens ---------------------------------------------------------------

@pytest_asyncio.fixture
async def proc_room(tmp_path: Path) -> AsyncIterator[Seeded]:
    async with seeded(tmp_path / "live.db") as session:
        yield session


async def tiny_window_socket(port: int) -> socket.socket:
    """A connected TCP socket with a small receive buffer, so that not reading soon stops the sender."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return sock


class TimedClient(ScreenClient):
    """A screen that notes when each event arrived."""

    def __init__(self, url: str, cookie: str | None = None, name: str = "") -> None:
        super().__init__(url, cookie, name)
        self.arrived: dict[int, float] = {}

    def receive(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "event":
            self.arrived.setdefault(frame["seq"], time.monotonic())
        super().receive(frame)


OUTGOING_LIMIT = 8


@pytest.mark.asyncio
async def test_a_screen_that_stops_reading_delays_nobody_is_cut_off_with_1013_and_catches_up(
        proc_room: Seeded) -> None:
    room = proc_room
    server = ServerProcess(room.db_path, env={"GROUPVISIT_OUTGOING_LIMIT": str(OUTGOING_LIMIT),
                                              "GROUPVISIT_RATE_PER_SECOND": "1000", "GROUPVISIT_RATE_BURST": "1000"})
    clients: list[ScreenClient] = []
    stalled = None
    try:
        await server.astart()
        room.on(server)
        facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
        clients.append(facilitator)
        text = "When I eat out I ask for the dressing on the side and share a dessert. " * 3  # 213 characters
        await asyncio.gather(*(facilitator.send("capture_strategy", text=f"{n}: {text}") for n in range(150)))
        for name in names(10):
            clients.append(await TimedClient(room.participant_url, await room.join(name), name).connect())
        others = clients[1:]

        # The wall stops reading after its snapshot: a tiny receive window and a one-frame queue.
        sock = await tiny_window_socket(server.port)
        wall_port = sock.getsockname()[1]
        stalled = await websockets.connect(room.projector_url.url, sock=sock, max_queue=1, compression=None,
                                           ping_interval=None)
        snapshot = json.loads(await stalled.recv())
        assert snapshot["type"] == "snapshot"

        # Each event's frame carries every strategy (about 60 KB): soon the kernel holds all it will for
        # the wall, its writer blocks and its outbox fills. Until then and after, the others keep up.
        latencies: list[float] = []
        held, flat, after_full = 0, 0, 0
        for n in range(140):
            started = time.monotonic()
            ack = await facilitator.send("capture_strategy", text=f"burst {n}: {text}")
            await asyncio.gather(*(c.wait_seq(ack["seq"], timeout=5) for c in others))
            latencies.append(time.monotonic() - started)
            queued = tcp_send_queue(server.port, wall_port)
            if queued is not None:
                flat = flat + 1 if queued <= held else 0
                held = max(held, queued)
            if flat >= 2:  # the kernel holds no more for the wall: from now on its writer is blocked
                after_full += 1
                if after_full > OUTGOING_LIMIT + 4:
                    break
        latest = ack["seq"]
        assert max(latencies) < 1.5, f"the others waited up to {max(latencies):.2f} s for an event"

        # Reading again: what was sent, then the close that says "fell behind: reconnect with since".
        wall = RecordingSocket(stalled)
        code = await wall.wait_closed(timeout=20)
        assert code == 1013, f"the stalled wall was closed with {code}, not 1013 (after {n + 1} events)"
        client = ScreenClient(room.projector_url, name="wall")
        for frame in [snapshot, *wall.frames]:
            client.receive(frame)
        assert client.seq is not None and client.seq < latest, "the wall had fallen behind"
        await client.connect()  # with since=its seq
        clients.append(client)
        await client.wait_seq(latest)
        assert client.view == (await fresh_snapshot(room.projector_url))[1]
        await close_all(clients)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        if stalled is not None:
            stalled.transport.abort()
        for c in clients:
            c.closing = True
            if c.connection is not None:
                c.connection.transport.abort()
        await server.astop()


@pytest.fixture(scope="module")
def pinging_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """`groupvisit serve` pinging every 0.5 s and giving up on a screen 0.5 s later."""
    db = tmp_path_factory.mktemp("pinging") / "live.db"
    with ServerProcess(db, env={"GROUPVISIT_WS_PING_INTERVAL": "0.5", "GROUPVISIT_WS_PING_TIMEOUT": "0.5"}) as server:
        yield server


@pytest_asyncio.fixture
async def pinged_room(pinging_server: ServerProcess) -> AsyncIterator[Seeded]:
    async with seeded(pinging_server.db_path) as session:
        yield session.on(pinging_server)


@pytest.mark.asyncio
async def test_a_screen_whose_network_vanished_is_dropped_by_ping_within_bounded_time(
        pinging_server: ServerProcess, pinged_room: Seeded) -> None:
    room = pinged_room
    relay = await LiveRelay(pinging_server.port).start()
    healthy: ScreenClient | None = None
    try:
        healthy = await ScreenClient(room.console_url, name="facilitator").connect()
        path = room.projector_url.url.removeprefix(pinging_server.ws)
        lost = await RecordingSocket.open(relay.ws + path, ping_interval=None)
        await lost.wait_until(lambda s: bool(s.frames))
        await asyncio.sleep(1.2)  # pings came through the relay and were answered
        assert not relay.server_closed.is_set(), "a screen that answers pings is kept"

        vanished = time.monotonic()
        relay.black_hole()
        try:
            await asyncio.wait_for(relay.server_closed.wait(), timeout=8)
        except TimeoutError:
            pytest.fail("the server kept a screen that stopped answering pings for 8 s (ping 0.5 s, timeout 0.5 s)")
        assert relay.server_closed_at is not None and relay.server_closed_at - vanished < 5
        ack = await healthy.send("capture_strategy", text="Still here")
        await healthy.wait_seq(ack["seq"])
        assert healthy.connects == 1, "the healthy screen answered every ping and was never dropped"
        await healthy.close()
        await relay.close()
        await lost.wait_closed(timeout=5)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await relay.close()
        if healthy is not None and not healthy.closing:
            healthy.closing = True
            if healthy.connection is not None:
                healthy.connection.transport.abort()


@pytest.mark.asyncio
async def test_per_message_compression_is_off(pinged_room: Seeded, room: Seeded) -> None:
    for url in (pinged_room.projector_url, room.projector_url):  # `groupvisit serve`, and the in-thread server
        connection = await websockets.connect(url.url, compression="deflate")  # the client offers permessage-deflate
        try:
            assert connection.response is not None
            assert connection.response.headers.get("Sec-WebSocket-Extensions") is None, url
        finally:
            await connection.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


def test_by_default_a_vanished_screen_is_dropped_within_about_40_seconds() -> None:
    settings = Settings.from_env({})
    assert settings.ws_ping_interval + settings.ws_ping_timeout <= 40
    config = uvicorn_config(create_app(settings), settings)
    assert (config.ws_ping_interval, config.ws_ping_timeout) == (settings.ws_ping_interval, settings.ws_ping_timeout)
    assert config.ws_per_message_deflate is False and config.ws_max_size == 64 * 1024


# --- 6. bad input ---------------------------------------------------------------------------

BAD_MESSAGES: list[tuple[str, Any, str, str | None]] = [
    # (what, the message (text, or an object sent as JSON), expected code, expected id)
    ("invalid JSON", "{not json", "invalid_json", None),
    ("not an object", "[1, 2]", "invalid_message", None),
    ("unknown message type", {"type": "subscribe", "session": "x"}, "unknown_type", None),
    ("command without an id", {"type": "command", "name": "cast_vote", "args": {"topic_id": "t1"}},
     "invalid_field", None),
    ("id too long", command("x" * 65, "cast_vote", topic_id="t1"), "invalid_field", None),
    ("missing field", command("b1", "cast_vote"), "missing_field", "b1"),
    ("extra field in args", command("b2", "cast_vote", topic_id="t1", weight=2), "extra_field", "b2"),
    ("a command for another session", {**command("b3", "propose_topic", title="Elsewhere"), "session_id": "OTHER"},
     "extra_field", "b3"),
    ("wrong type", command("b4", "cast_vote", topic_id=1), "invalid_field", "b4"),
    ("true for a number", command("b5", "record_numbers", glucose=True), "invalid_field", "b5"),
    ("over-long text", command("b6", "propose_topic", title="x" * 121), "too_long", "b6"),
    ("wrong phase", command("b7", "cast_vote", topic_id="t1"), "wrong_phase", "b7"),
    ("another role's command", command("b8", "open_phase", phase="agenda"), "forbidden", "b8"),
    ("unknown command", command("b9", "launch_rocket"), "unknown_command", "b9"),
    ("snapshot_request with a field", {"type": "snapshot_request", "since": 3}, "extra_field", None),
]


@pytest.mark.asyncio
async def test_bad_input_gets_an_error_frame_the_connection_stays_usable_and_nothing_changes(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    await facilitator.send("propose_topic", title="Sleep")
    crowd = await people(room, ["Ann", "Bob"])
    wall = await RecordingSocket.open(room.projector_url)
    await wall.wait_until(lambda s: bool(s.frames))
    ann = await RecordingSocket.open(room.participant_url, room.cookies["Ann"])
    await ann.wait_until(lambda s: bool(s.frames))
    before = await room.store.events(room.session_id)
    others = {c.name: len(c.frames) for c in [facilitator, *crowd]}
    wall_count = len(wall.frames)

    mismatches = []
    for what, message, code, command_id in BAD_MESSAGES:
        start = len(ann.frames)
        await ann.send(message)
        answer = await ann.answer(start)
        got = (answer["type"], answer.get("code"), answer.get("id"))
        if got != ("error", code, command_id):
            mismatches.append(f"{what}: expected error {code} id={command_id}, got {got}")
        elif not isinstance(answer.get("reason"), str) or not answer["reason"].strip() or not CODE.match(code):
            mismatches.append(f"{what}: no human reason: {answer}")
    assert mismatches == []
    assert not ann.closed, "the connection stays open"
    await asyncio.sleep(QUIET)
    assert {c.name: len(c.frames) for c in [facilitator, *crowd]} == others, "no other connection noticed"
    assert len(wall.frames) == wall_count
    assert await room.store.events(room.session_id) == before, "nothing stored changed"

    still = await ann.command("good-1", "propose_topic", title="Foot care")
    assert still["type"] == "ack", "the connection is still usable"

    # The same command for another session cannot be sent over this one: Ann's device is not in it.
    other = await seed_session(room.store, title="Another group", signed_in_at=SESSION_START)
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(other.on(room).participant_url, additional_headers={"Cookie": room.cookies["Ann"]})
    assert refused.value.response.status_code == 403
    await ann.close()
    await wall.close()
    await close_all(facilitator, crowd)
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    assert len(await room.store.events(other.session_id)) == 1


@pytest.mark.asyncio
async def test_a_message_over_64_kib_closes_only_that_connection_with_1009(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    wall = await ScreenClient(room.projector_url, name="wall").connect()
    sender = await RecordingSocket.open(room.console_url)
    await sender.wait_until(lambda s: bool(s.frames))
    before = await stored_count(room)

    near = await sender.command("near", "propose_topic", title="x" * 60_000)  # under the limit: an error frame
    assert (near["type"], near["code"]) == ("error", "too_long")
    await sender.send(command("huge", "propose_topic", title="x" * 70_000))
    assert await sender.wait_closed() == 1009
    assert not [f for f in sender.frames if f.get("id") == "huge"], "no answer but the close"

    await asyncio.sleep(QUIET)
    ack = await facilitator.send("propose_topic", title="Sleep")
    await wall.wait_seq(ack["seq"])
    assert facilitator.connects == wall.connects == 1, "the others were not touched"
    assert await stored_count(room) == before + 1
    await close_all(facilitator, wall)
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


@pytest.mark.asyncio
async def test_a_client_that_keeps_sending_garbage_is_closed_with_1008(room: Seeded) -> None:
    facilitator = await ScreenClient(room.console_url, name="facilitator").connect()
    abuser = await RecordingSocket.open(room.console_url)
    await abuser.wait_until(lambda s: bool(s.frames))
    before = await stored_count(room)
    seen = len(facilitator.frames)
    for n in range(40):  # twice the default limit of 20 bad messages a minute
        if abuser.closed:
            break
        try:
            await abuser.send(f"garbage {n} {{")
        except websockets.ConnectionClosed:
            break
        await asyncio.sleep(0.005)
    code = await abuser.wait_closed(timeout=5)
    assert code == 1008, f"closed with {code}"
    errors = [f for f in abuser.frames if f["type"] == "error"]
    assert 15 <= len(errors) <= 21 and {e["code"] for e in errors} == {"invalid_json"}

    await asyncio.sleep(QUIET)
    assert len(facilitator.frames) == seen and facilitator.connects == 1, "another screen noticed"
    assert await stored_count(room) == before, "nothing stored changed"
    ack = await facilitator.send("propose_topic", title="Sleep")
    assert ack["seq"] == before + 1
    fresh = await RecordingSocket.open(room.console_url)  # a new connection is a fresh start
    assert (await fresh.command("fresh-1", "propose_topic", title="Food"))["type"] == "ack"
    await fresh.close()
    await facilitator.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())


@pytest.mark.asyncio
async def test_a_flood_of_messages_is_rate_limited_and_the_connection_recovers(room: Seeded) -> None:
    wall = await ScreenClient(room.projector_url, name="wall").connect()
    flooder = await RecordingSocket.open(room.console_url)
    await flooder.wait_until(lambda s: bool(s.frames))
    start = len(flooder.frames)
    for _ in range(72):  # a burst of 60 is allowed, then 20 a second
        await flooder.send({"type": "snapshot_request"})

    def answered(s: RecordingSocket) -> bool:
        return len(s.frames) - start >= 72

    await flooder.wait_until(answered, timeout=10)
    answers = flooder.frames[start:]
    limited = [f for f in answers if f["type"] == "error"]
    assert limited, "72 messages at once were all served: no rate limit"
    assert {f["code"] for f in limited} == {"rate_limited"} and all(f["reason"] for f in limited)
    assert len(answers) - len(limited) >= 60, "the burst allowance was served"
    assert not flooder.closed
    other = await RecordingSocket.open(room.console_url)  # the same person's other screen: its own allowance
    assert (await other.command("other-1", "propose_topic", title="Food"))["type"] == "ack"
    await other.close()
    await asyncio.sleep(1.0)
    ack = await flooder.command("after-flood", "propose_topic", title="Sleep")
    assert ack["type"] == "ack", "after a pause the connection works again"
    await wall.wait_seq(ack["seq"])
    assert wall.connects == 1
    await flooder.close()
    await wall.close()
    await assert_log_replays_to_live(room.store, room.session_id, room.screens())
