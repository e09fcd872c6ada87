"""Restart loses nothing: `groupvisit serve` in a subprocess, stopped with SIGTERM or SIGKILL and started again.

Everything acknowledged is in the database before its ack; screens reconnect by themselves and
converge; a command caught by SIGKILL between its arrival and its ack took effect once or not at all,
and the client, sending it again with the same id, ends with exactly one effect.
"""

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_asyncio

from groupvisit.domain.events import Event
from support.process import ResendingClient, Seeded, ServerProcess, assert_log_replays_to_live, seeded

RECONNECTED = 20.0  # bound on how long screens may take to come back after a restart


@pytest_asyncio.fixture
async def room(tmp_path: Path) -> AsyncIterator[Seeded]:
    async with seeded(tmp_path / "live.db") as session:
        yield session


async def open_screens(room: Seeded, people: list[str]) -> dict[str, ResendingClient]:
    screens = {"projector": await ResendingClient(room.projector_url, name="projector").connect(),
               "facilitator": await ResendingClient(room.console_url, name="facilitator").connect(),
               "clinician": await ResendingClient(room.queue_url(0), name="clinician").connect()}
    for name in people:
        cookie = await room.join(name)
        screens[name] = await ResendingClient(room.participant_url, cookie, name).connect()
    return screens


async def shut(screens: dict[str, ResendingClient] | list[ResendingClient]) -> None:
    for screen in screens.values() if isinstance(screens, dict) else screens:
        screen.closing = True
        if screen.connection is not None:
            screen.connection.transport.abort()
        if screen.reader is not None:
            await asyncio.gather(screen.reader, return_exceptions=True)


async def converged(room: Seeded, screens: dict[str, ResendingClient], connects: int) -> None:
    """Every screen came back by itself (`connects` connections so far) and is at the log's end."""
    async def back(screen: ResendingClient) -> None:
        await screen.wait_for(lambda _: screen.connects >= connects, timeout=RECONNECTED)

    await asyncio.gather(*(back(s) for s in screens.values()))
    latest = len(await room.store.events(room.session_id))
    await asyncio.gather(*(s.wait_seq(latest) for s in screens.values()))
    assert {name: s.seq for name, s in screens.items()} == {name: latest for name in screens}


async def committed(room: Seeded, predicate: Callable[[Event], bool], timeout: float = 5.0) -> int:
    """Poll the database until an event satisfies `predicate`; its seq."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for seq, event in await room.store.events(room.session_id):
            if predicate(event):
                return seq
        await asyncio.sleep(0.02)
    raise TimeoutError("the command was never committed")


async def closed(screen: ResendingClient) -> None:
    await screen.wait_for(lambda _: bool(screen.closes), timeout=5)


def strategies_with(stored: Sequence[tuple[int, Event]], text: str) -> list[int]:
    return [seq for seq, e in stored if e.type == "strategy_captured" and getattr(e, "text", None) == text]


@pytest.mark.asyncio
async def test_after_sigterm_every_screen_reconnects_by_itself_and_converges(room: Seeded) -> None:
    server = ServerProcess(room.db_path)
    screens: dict[str, ResendingClient] = {}
    try:
        await server.astart()
        room.on(server)
        screens = await open_screens(room, ["Ann", "Bob", "Cy"])
        facilitator = screens["facilitator"]
        await facilitator.send("open_phase", phase="agenda")
        for title in ("Eating out", "Sleep"):
            await facilitator.send("propose_topic", title=title)
        await asyncio.gather(*(screens[n].send("cast_vote", topic_id="t1") for n in ("Ann", "Bob", "Cy")))
        await screens["Ann"].send("request_visit", text="My feet tingle at night")
        await converged(room, screens, 1)
        before = {name: (s.seq, s.view) for name, s in screens.items()}

        code = await server.aterminate()
        assert code in (0, -signal.SIGTERM), f"exit code {code} after SIGTERM:\n{server.output()}"
        await asyncio.gather(*(closed(s) for s in screens.values()))
        assert {name: s.closes for name, s in screens.items()} == {name: [1012] for name in screens}, \
            "a graceful shutdown closes every screen with 1012 (restarting)"

        await server.astart()  # same port, same database
        await converged(room, screens, 2)
        assert {name: (s.seq, s.view) for name, s in screens.items()} == before, "nothing changed, nothing lost"
        ack = await facilitator.send("propose_topic", title="Foot care")  # and the room goes on
        await asyncio.gather(*(s.wait_seq(ack["seq"]) for s in screens.values()))
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await shut(screens)
        await server.astop()


@pytest.mark.asyncio
async def test_after_sigkill_everything_acknowledged_is_there_and_screens_converge(room: Seeded) -> None:
    server = ServerProcess(room.db_path)
    screens: dict[str, ResendingClient] = {}
    try:
        await server.astart()
        room.on(server)
        people = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay"]
        screens = await open_screens(room, people)
        facilitator = screens["facilitator"]
        await facilitator.send("open_phase", phase="agenda")
        for title in ("Eating out", "Sleep", "Foot care"):
            await facilitator.send("propose_topic", title=title)
        votes = [screens[name].send("cast_vote", topic_id=f"t{1 + (n + k) % 3}")
                 for n, name in enumerate(people) for k in range(3)]
        strategies = [facilitator.send("capture_strategy", text=f"Tip {n}") for n in range(5)]
        acks = await asyncio.gather(*votes, *strategies)
        assert await server.akill() == -signal.SIGKILL  # at once after the last ack

        stored = await room.store.events(room.session_id)
        by_seq = dict(stored)
        assert all(ack["seq"] in by_seq for ack in acks), "an acknowledged command is missing from the database"
        assert sum(1 for _, e in stored if e.type == "vote_cast") == 18
        assert sum(1 for _, e in stored if e.type == "strategy_captured") == 5

        await server.astart()
        await converged(room, screens, 2)
        assert all(s.closes and s.closes[0] == 1006 for s in screens.values()), "SIGKILL sends no close frame"
        assert [t["votes"] for t in screens["projector"].view["topics"]] == [6, 6, 6]
        ack = await screens["Ann"].send("propose_topic", title="Stress at work")
        await asyncio.gather(*(s.wait_seq(ack["seq"]) for s in screens.values()))
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await shut(screens)
        await server.astop()


@pytest.mark.asyncio
async def test_sigkill_after_the_commit_and_before_the_ack_then_the_resent_command_is_acknowledged_once(
        room: Seeded) -> None:
    """The command committed, the ack was still waiting (GROUPVISIT_TEST_ACK_DELAY), the server died.
    The screen reconnects by itself, sends the command again with the same id, and is told the
    original seq, as a duplicate: exactly one effect."""
    server = ServerProcess(room.db_path, env={"GROUPVISIT_TEST_ACK_DELAY": "1"})
    screens: list[ResendingClient] = []
    try:
        await server.astart()
        room.on(server)
        facilitator = await ResendingClient(room.console_url, name="facilitator").connect()
        wall = await ResendingClient(room.projector_url, name="wall").connect()
        screens = [facilitator, wall]
        text = "Keep glucose tablets in every bag"
        sending = asyncio.create_task(facilitator.send_with_id("kill-1", "capture_strategy", {"text": text},
                                                               attempt_timeout=10, timeout=40))
        seq = await committed(room, lambda e: getattr(e, "text", None) == text)
        assert not sending.done(), "the ack came before the delay: the test hook is not in effect"
        await server.akill()
        assert facilitator.answers == []

        await server.astart()
        ack = await asyncio.wait_for(sending, 30)
        assert ack == {"type": "ack", "id": "kill-1", "seq": seq, "duplicate": True}
        assert [a["id"] for a in facilitator.answers] == ["kill-1"], "one answer, to the command sent again"
        assert facilitator.closes == [1006] and facilitator.connects == 2
        stored = await room.store.events(room.session_id)
        assert strategies_with(stored, text) == [seq], "exactly one effect"
        await wall.wait_seq(seq)
        assert [s["text"] for s in wall.view["strategies"]] == [text]
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await shut(screens)
        await server.astop()


@pytest.mark.asyncio
async def test_sigkill_before_the_commit_then_the_resent_command_runs_once(room: Seeded) -> None:
    """The command arrived but could not commit yet (the test holds the database's write lock); SIGKILL.
    Nothing was stored; sent again after the restart, it runs, once."""
    server = ServerProcess(room.db_path)
    screens: list[ResendingClient] = []
    lock: sqlite3.Connection | None = None
    try:
        await server.astart()
        room.on(server)
        facilitator = await ResendingClient(room.console_url, name="facilitator").connect()
        screens = [facilitator]
        before = len(await room.store.events(room.session_id))
        text = "Walk for ten minutes after dinner"
        lock = sqlite3.connect(room.db_path, isolation_level=None, timeout=5)
        lock.execute("BEGIN IMMEDIATE")  # writers now wait (busy timeout): the command is in flight
        sending = asyncio.create_task(facilitator.send_with_id("kill-2", "capture_strategy", {"text": text},
                                                               attempt_timeout=10, timeout=40))
        await asyncio.sleep(0.5)
        assert not sending.done(), "the command was answered although it could not be stored"
        await server.akill()
        lock.execute("ROLLBACK")
        lock.close()
        lock = None
        assert len(await room.store.events(room.session_id)) == before, "not at all"

        await server.astart()
        ack = await asyncio.wait_for(sending, 30)
        assert ack["type"] == "ack" and not ack.get("duplicate"), ack
        stored = await room.store.events(room.session_id)
        assert strategies_with(stored, text) == [ack["seq"]], "exactly one effect"
        again = await facilitator.send_with_id("kill-2", "capture_strategy", {"text": text})
        assert again == {"type": "ack", "id": "kill-2", "seq": ack["seq"], "duplicate": True}
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        if lock is not None:
            lock.close()
        await shut(screens)
        await server.astop()


@pytest.mark.asyncio
async def test_a_command_sent_again_after_a_timeout_or_across_a_reconnect_runs_once(room: Seeded) -> None:
    server = ServerProcess(room.db_path, env={"GROUPVISIT_TEST_ACK_DELAY": "0.6"})
    screens: list[ResendingClient] = []
    try:
        await server.astart()
        room.on(server)
        facilitator = await ResendingClient(room.console_url, name="facilitator").connect()
        screens = [facilitator]

        # No answer within 0.25 s: the screen sends the same command again, on the same connection.
        ack = await facilitator.send_with_id("slow-1", "capture_strategy", {"text": "Timeout tip"},
                                             attempt_timeout=0.25, timeout=10)
        await facilitator.wait_for(lambda v: len(facilitator.answers) >= 2, timeout=5)
        first, second = facilitator.answers[:2]
        assert first == {**ack, "type": "ack"} and not first.get("duplicate")
        assert second == {"type": "ack", "id": "slow-1", "seq": first["seq"], "duplicate": True}

        # The connection drops while the ack is delayed: sent again on the next connection.
        sending = asyncio.create_task(facilitator.send_with_id("slow-2", "capture_strategy",
                                                               {"text": "Reconnect tip"}, attempt_timeout=10))
        seq = await committed(room, lambda e: getattr(e, "text", None) == "Reconnect tip")
        assert facilitator.connection is not None
        await facilitator.connection.close()  # the reader sees it and reconnects with since
        ack2 = await asyncio.wait_for(sending, 15)
        assert ack2 == {"type": "ack", "id": "slow-2", "seq": seq, "duplicate": True}
        assert facilitator.connects == 2

        stored = await room.store.events(room.session_id)
        assert len(strategies_with(stored, "Timeout tip")) == len(strategies_with(stored, "Reconnect tip")) == 1
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await shut(screens)
        await server.astop()


@pytest.mark.asyncio
async def test_screens_follow_a_session_through_repeated_kills(room: Seeded) -> None:
    """Two SIGKILLs while two participants keep voting and retracting, re-sending with the same ids
    what was not answered: each command has exactly one effect, and everyone ends where the log says.
    (Each ack waits 0.25 s after its commit, so a kill almost always lands between the two.)"""
    server = ServerProcess(room.db_path, env={"GROUPVISIT_TEST_ACK_DELAY": "0.25"})
    screens: dict[str, ResendingClient] = {}
    try:
        await server.astart()
        room.on(server)
        screens = await open_screens(room, ["Ann", "Bob"])
        await screens["facilitator"].send("open_phase", phase="agenda")
        await screens["facilitator"].send("propose_topic", title="Sleep")
        acks: list[dict[str, object]] = []

        async def vote_and_retract(name: str) -> None:
            for n in range(6):
                command = "cast_vote" if n % 2 == 0 else "retract_vote"
                acks.append(await screens[name].send_with_id(f"{name}-{n}", command, {"topic_id": "t1"},
                                                             attempt_timeout=5, timeout=40))

        async def kill_twice() -> None:
            for _ in range(2):
                await asyncio.sleep(0.3)
                await server.akill()
                await server.astart()

        await asyncio.gather(vote_and_retract("Ann"), vote_and_retract("Bob"), kill_twice())
        assert len(acks) == 12
        assert any(ack.get("duplicate") for ack in acks), "no kill fell between a commit and its ack"
        stored = await room.store.events(room.session_id)
        assert sum(1 for _, e in stored if e.type == "vote_cast") == 6
        assert sum(1 for _, e in stored if e.type == "vote_retracted") == 6
        await converged(room, screens, 1)
        assert screens["projector"].view["topics"][0]["votes"] == 0
        await shut(screens)
        await assert_log_replays_to_live(room.store, room.session_id, room.screens())
    finally:
        await shut(screens)
        await server.astop()
