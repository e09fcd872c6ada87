"""How fast a vote reaches every screen in the room, against a real server.

A full room (15 participants, facilitator, 2 clinicians, projector) on a real uvicorn
server with SQLite, in its own process (`groupvisit serve`), as in a clinic. Figures:
  - baseline: a snapshot request's round trip on one screen (no write, no fan-out);
  - one vote: from sending it to the moment all 19 screens hold it;
  - a burst: all 15 participants voting at once, until every screen holds all votes.
Run: python benchmarks/fanout.py [--rounds N]
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from groupvisit.store import Store  # noqa: E402
from support.accounts import signed_in_team  # noqa: E402
from support.clients import ScreenClient, join  # noqa: E402

PARTICIPANTS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    # The benchmark sends far faster than a person: lift the per-connection rate limit for it.
    env = {**os.environ, "GROUPVISIT_RATE_PER_SECOND": "10000", "GROUPVISIT_RATE_BURST": "10000"}
    server = subprocess.Popen([sys.executable, "-m", "groupvisit", "serve", "--port", str(port), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        store = Store(f"sqlite:///{db}")
        now = time.time()
        session, projector_key = await store.create_session(title="Bench", cohort="Bench", starts_at=now,
                                                            ends_at=now + 7200, vote_budget=10)
        team = await signed_in_team(store, now)
        port = free_port()
        server = start_server(db, port)
        try:
            http, ws = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
            base = f"{ws}/%s/{session.id}/ws"
            staff = [await ScreenClient(f"{base % 'projector'}?key={projector_key}").connect(),
                     await ScreenClient(base % "console", team["alex"].cookie).connect(),
                     *[await ScreenClient(base % "queue", team[name].cookie).connect() for name in ("sam", "priya")]]
            people = []
            for n in range(PARTICIPANTS):
                _, cookie = await join(http, session.join_code, f"Person {n}")
                people.append(await ScreenClient(f"{ws}/p/{session.id}/ws", cookie).connect())
            screens = staff + people
            facilitator = staff[1]
            await facilitator.send("open_phase", phase="agenda")
            await facilitator.send("propose_topic", title="Sleep")

            baseline = []
            for _ in range(rounds):
                before = len(facilitator.frames)
                started = time.perf_counter()
                await facilitator.send_raw(json.dumps({"type": "snapshot_request"}))
                await facilitator.wait_for(lambda v, b=before: len(facilitator.frames) > b)
                baseline.append(time.perf_counter() - started)

            single = []
            for n in range(rounds):
                started = time.perf_counter()
                voter = people[n % PARTICIPANTS]
                ack = await voter.send("cast_vote", topic_id="t1")
                await asyncio.gather(*(s.wait_seq(ack["seq"]) for s in screens))
                single.append(time.perf_counter() - started)
                await voter.send("retract_vote", topic_id="t1")

            bursts = []
            for _ in range(max(1, rounds // 10)):
                started = time.perf_counter()
                acks = await asyncio.gather(*(p.send("cast_vote", topic_id="t1") for p in people))
                last = max(a["seq"] for a in acks)
                await asyncio.gather(*(s.wait_seq(last) for s in screens))
                bursts.append(time.perf_counter() - started)
                await asyncio.gather(*(p.send("retract_vote", topic_id="t1") for p in people))

            print(f"screens in the room: {len(screens)} ({PARTICIPANTS} participants)")
            print(f"baseline, snapshot round trip:      {ms(baseline)}")
            print(f"one vote, on all screens:           {ms(single)}")
            print(f"{PARTICIPANTS} votes at once, on all screens: {ms(bursts)}")
            print(f"one vote costs {statistics.median(single) / statistics.median(baseline):.1f}x the baseline")
            for screen in screens:
                await screen.close()
        finally:  # the server process never outlives the benchmark, even when it fails
            server.terminate()
            server.wait(timeout=10)
            store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="votes to time (default 100)")
    arguments = parser.parse_args()
    if arguments.rounds < 1:
        parser.error("--rounds must be at least 1")
    asyncio.run(main(arguments.rounds))
