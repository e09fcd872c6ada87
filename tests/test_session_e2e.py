"""A whole two-hour group visit against a real server, with the server restarted halfway.

Twelve participants, a facilitator, two clinicians and a projector, each on its own
websocket; a manual clock runs the two hours in seconds.
"""

import asyncio
import json
from typing import Any

import pytest

from conftest import Clinic
from groupvisit.domain import Actor, Role, replay
from groupvisit.domain.views import view_for
from support.clients import Link, Refusal, ScreenClient, join, keys_in

NAMES = ["Maria", "John", "Aisha", "Wei", "Rosa", "Tom", "Fatima", "Luis", "Grace", "Omar", "Helen", "Kofi"]
MINUTE = 60


def request_text(n: int) -> str:
    return f"private request {n}: my feet tingle at night"


async def settle(screens: list[ScreenClient], seq: int) -> None:
    await asyncio.gather(*(screen.wait_seq(seq) for screen in screens))


async def fresh_view(url: Link | str, cookie: str | None = None) -> dict[str, Any]:
    screen = await ScreenClient(url, cookie).connect()
    await screen.close()
    return screen.view


async def serve_next(clinician: ScreenClient, room: str) -> str:
    """Call the first waiting participant, start and complete the encounter; the encounter id."""
    waiting = clinician.view["queue"]["waiting"]
    encounter_id = waiting[0]["encounter_id"]
    await clinician.send("call_participant", encounter_id=encounter_id, room=room)
    await clinician.send("start_encounter", encounter_id=encounter_id)
    await clinician.send("complete_encounter", encounter_id=encounter_id, note=f"secret note {encounter_id}")
    return encounter_id


@pytest.mark.asyncio
async def test_a_whole_session_with_twelve_participants_survives_a_restart(clinic: Clinic) -> None:
    c = clinic
    projector = await ScreenClient(c.link("projector"), name="projector").connect()
    facilitator = await ScreenClient(c.link("console"), name="facilitator").connect()
    doctors = [await ScreenClient(c.link("queue", username), name=f"clinician {n}").connect()
               for n, username in enumerate(("sam", "priya"))]
    cookies: list[str] = []
    people: list[ScreenClient] = []
    for name in NAMES:
        session_id, cookie = await join(c.server.http, c.join_code, name)
        assert session_id == c.session_id
        cookies.append(cookie)
        people.append(await ScreenClient(f"{c.server.ws}/p/{session_id}/ws", cookie, name).connect())
    screens = [projector, facilitator, *doctors, *people]

    # Check-in: numbers and a visit request each, which fills the queue.
    for n, person in enumerate(people):
        await person.send("record_numbers", bp_systolic=120 + n, bp_diastolic=80, glucose=140 + n)
        await person.send("request_visit", text=request_text(n))
    await facilitator.wait_for(lambda v: len(v["queue"]["waiting"]) == 12)
    assert [p["name"] for p in facilitator.view["people"]] == NAMES
    assert people[0].view["me"]["visit"]["position"] == 1

    # Agenda setting: proposals (one anonymous), twelve people voting at once, merge, hide, edit.
    c.clock.advance(15 * MINUTE)
    await facilitator.send("open_phase", phase="agenda")
    proposals = [("Eating out", False), ("Feeling judged about my weight", True), ("Sleep", False),
                 ("Eating at restaurants", False), ("Foot care", False), ("Stress at work", False)]
    for (title, anonymous), person in zip(proposals, people, strict=False):
        await person.send("propose_topic", title=title, anonymous=anonymous)
    await facilitator.send("propose_topic", title="Low blood sugar")
    plan = {0: ["t2", "t2", "t1"], 1: ["t2", "t2", "t1"], 2: ["t2", "t2", "t1"], 3: ["t2", "t2", "t1"],
            4: ["t2", "t2", "t1"], 5: ["t2", "t2", "t1"], 6: ["t4", "t3", "t5"], 7: ["t4", "t3", "t5"],
            8: ["t4", "t3", "t5"], 9: ["t6", "t6", "t6"], 10: ["t6", "t6", "t6"], 11: ["t6", "t6", "t6"]}
    await asyncio.gather(*(people[n].send("cast_vote", topic_id=topic) for n, votes in plan.items() for topic in votes))
    with pytest.raises(Refusal) as refused:
        await people[0].send("cast_vote", topic_id="t3")
    assert refused.value.code == "no_votes_left" and "no votes left" in refused.value.reason
    await facilitator.send("merge_topics", topic_id="t4", into_topic_id="t1")
    await facilitator.send("hide_topic", topic_id="t7")
    ack = await facilitator.send("edit_topic", topic_id="t3", title="Sleep and feeling tired")
    await people[0].send("retract_vote", topic_id="t1")
    ack = await people[0].send("cast_vote", topic_id="t5")
    await settle(screens, ack["seq"])
    board = [(t["title"], t["votes"]) for t in projector.view["topics"]]
    assert board == [("Feeling judged about my weight", 12), ("Stress at work", 9), ("Eating out", 8),
                     ("Foot care", 4), ("Sleep and feeling tired", 3)]
    assert projector.view["topics"][0]["by"] is None, "an anonymous topic shows no author on the wall"
    assert all(p.view["me"]["votes_left"] == 0 for p in people)

    # Discussion: the agenda is fixed by votes, each topic timeboxed to the time before goals.
    c.clock.advance(10 * MINUTE)
    ack = await facilitator.send("open_phase", phase="discussion")
    await settle(screens, ack["seq"])
    agenda = projector.view["agenda"]
    assert [item["topic_id"] for item in agenda["items"]] == ["t2", "t6", "t1", "t5", "t3"]
    assert [item["minutes"] for item in agenda["items"]] == [8, 8, 8, 8, 8]
    assert agenda["current"]["title"] == "Feeling judged about my weight"
    with pytest.raises(Refusal) as refused:
        await people[0].send("room_vote", choice="move_on")
    assert refused.value.code == "too_early"

    # The plan defers whoever is in their most-voted topic; two clinicians race for one person.
    queue = doctors[0].view["queue"]["waiting"]
    deferred = {entry["name"] for entry in queue if entry["in_top_topic"]}
    assert deferred == set(NAMES[:6]) and queue[0]["name"] not in deferred, "people in their top topic wait"
    first = queue[0]["encounter_id"]
    results = await asyncio.gather(*(d.send("call_participant", encounter_id=first, room=f"Room {n}")
                                     for n, d in enumerate(doctors)), return_exceptions=True)
    refusals = [r for r in results if isinstance(r, Refusal)]
    assert len(refusals) == 1 and refusals[0].code == "already_called"
    winner = doctors[0] if not isinstance(results[0], Refusal) else doctors[1]
    called = people[NAMES.index(queue[0]["name"])]
    await called.wait_for(lambda v: v["me"]["visit"]["status"] == "called")
    assert called.view["me"]["visit"]["clinician_name"] in ("Dr. Sam Okafor", "Dr. Priya Natarajan")
    await winner.send("start_encounter", encounter_id=first)
    await winner.send("complete_encounter", encounter_id=first, note=f"secret note {first}")

    # Not here, then skip: both go to the back of the queue.
    await doctors[0].wait_for(lambda v: not v["queue"]["active"])
    absent = doctors[0].view["queue"]["waiting"][0]["encounter_id"]
    await doctors[0].send("call_participant", encounter_id=absent, room="Room 1")
    await doctors[0].send("not_here", encounter_id=absent)
    skipped = doctors[1].view["queue"]["waiting"][0]["encounter_id"]
    ack = await doctors[1].send("skip_encounter", encounter_id=skipped)
    await settle(doctors, ack["seq"])
    # Back of the queue: queued last (the plan may still call them before someone the room needs now).
    by_queue_time = sorted(doctors[0].view["queue"]["waiting"], key=lambda e: e["queued_at"])
    assert [e["encounter_id"] for e in by_queue_time[-2:]] == [absent, skipped]

    # Time's up: the room votes, the facilitator extends twice (4 then 2 minutes), then moves on.
    c.clock.advance(8 * MINUTE)
    await asyncio.gather(*(p.send("room_vote", choice="keep_going" if n < 8 else "move_on")
                           for n, p in enumerate(people)))
    await projector.wait_for(lambda v: v["agenda"]["current"]["room_vote"] == {"keep_going": 8, "move_on": 4})
    await facilitator.send("extend_topic")
    await people[0].send("capture_strategy", text="I say 'no thanks, I'm good' and change the subject")
    await people[1].send("capture_strategy", text="Walk with a friend after dinner", anonymous=True)
    await facilitator.send("capture_strategy", text="Keep glucose tablets in every bag", participant_id="p4")
    c.clock.advance(4 * MINUTE)
    extended = await facilitator.send("extend_topic")
    await settle([projector], extended["seq"])
    assert projector.view["agenda"]["current"]["extensions"] == 2
    assert projector.view["agenda"]["current"]["next_extension_minutes"] == 1
    await asyncio.gather(*(p.send("mark_helpful", strategy_id="s1") for p in people[2:7]))
    with pytest.raises(Refusal) as refused:
        await people[2].send("mark_helpful", strategy_id="s1")
    assert refused.value.code == "conflict"
    c.clock.advance(2 * MINUTE)
    await facilitator.send("next_topic")

    # Encounters in parallel with the discussion, until six are done.
    async def clinic_work(doctor: ScreenClient, room: str, count: int) -> None:
        done = 0
        while done < count:
            await doctor.wait_for(lambda v: bool(v["queue"]["waiting"]))
            try:
                await serve_next(doctor, room)
                done += 1
            except Refusal as lost:  # the other clinician called that person first: take the next
                assert lost.code == "already_called"

    await asyncio.gather(clinic_work(doctors[0], "Room 1", 2), clinic_work(doctors[1], "Room 2", 3))
    await facilitator.wait_for(lambda v: len(v["queue"]["completed"]) == 6)

    # Halfway: the server is stopped and started again; every screen reconnects and nothing is lost.
    before = {screen.name: (screen.seq, json.dumps(screen.view, sort_keys=True)) for screen in screens}
    await c.server.astop()
    await c.server.astart()
    await asyncio.gather(*(screen.wait_for(lambda v, s=screen: s.connects == 2, timeout=20) for screen in screens))
    for screen in screens:
        assert (screen.seq, json.dumps(screen.view, sort_keys=True)) == before[screen.name], screen.name
    assert facilitator.view == await fresh_view(c.link("console"))
    assert people[3].view == await fresh_view(f"{c.server.ws}/p/{c.session_id}/ws", cookies[3])

    # The rest of the discussion and the rest of the queue.
    await asyncio.gather(clinic_work(doctors[0], "Room 1", 3), clinic_work(doctors[1], "Room 2", 3))
    for _ in range(3):
        c.clock.advance(8 * MINUTE)
        await facilitator.send("next_topic")
    await facilitator.wait_for(lambda v: len(v["queue"]["completed"]) == 12 and not v["queue"]["waiting"])

    # Goals: one plan with low confidence, two shared with the group.
    c.clock.advance(5 * MINUTE)
    await facilitator.send("open_phase", phase="goals", confirm=True)
    for n, person in enumerate(people):
        await person.send("set_goal", what=f"{'shared' if n in (1, 2) else 'private'} goal {n}: walk", how_much="20 minutes", when="after lunch",
                          how_often="5 days a week", confidence=5 if n == 0 else 8, shared=n in (1, 2))
    await people[0].wait_for(lambda v: v["me"]["goal"] is not None)
    assert people[0].view["me"]["goal"]["needs_rework"] is True
    await projector.wait_for(lambda v: len(v["shared_goals"]) == 2)

    # Wrap-up and close: every screen sees the end, and nothing can change after it.
    c.clock.advance(12 * MINUTE)
    await facilitator.send("open_phase", phase="wrap_up")
    for n, person in enumerate(people):
        await person.send("give_evaluation", rating=4 + n % 2, helped="Hearing how others cope", change="More time")
    c.clock.advance(5 * MINUTE)
    ack = await facilitator.send("close_session")
    await settle(screens, ack["seq"])
    assert all(screen.view["session"]["phase"] == "closed" for screen in screens)
    with pytest.raises(Refusal) as refused:
        await people[5].send("propose_topic", title="One more thing")
    assert refused.value.code == "session_closed"

    # Every participant had an encounter, with its clinician and times recorded.
    completed = facilitator.view["queue"]["completed"]
    assert sorted(e["name"] for e in completed) == sorted(NAMES)
    assert all(e["clinician_name"] and e["started_at"] and e["ended_at"] >= e["started_at"] for e in completed)

    # The wall never received anything clinical; no participant received another's private data.
    wall = "".join(projector.frames)
    for secret in ("private request", "secret note", "private goal"):
        assert secret not in wall, f"the projector received {secret!r}"
    clinical = {"people", "queue", "numbers", "bp_systolic", "glucose", "weight", "request", "note", "confidence"}
    assert not clinical & set().union(*(keys_in(json.loads(frame)) for frame in projector.frames))
    for n, person in enumerate(people):
        seen = "".join(person.frames)
        others = [request_text(m) for m in range(12) if m != n] + [f"private goal {m}:" for m in range(12) if m != n]
        assert not [text for text in others if text in seen], f"{person.name} saw someone else's private data"
        assert "secret note" not in seen

    # The stored log has no gaps, and replaying it gives what every screen shows now.
    stored = await c.store.events(c.session_id)
    assert [seq for seq, _ in stored] == list(range(1, len(stored) + 1))
    state = replay(event for _, event in stored)
    assert projector.view == view_for(state, Actor(Role.PROJECTOR))
    assert projector.view == await fresh_view(c.link("projector"))
    for screen in screens:
        await screen.close()
