"""Health information goes only where it may: never to the wall, never to another patient, never into logs.

Every piece of clinical data in these sessions is a marker found nowhere else, so a leak anywhere
shows: in the frames a screen received, in the page it loaded, in the server's log or in an error frame.
"""

import asyncio
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import Clinic
from support.clients import ScreenClient, join, keys_in
from support.process import RecordingSocket, ServerProcess, seeded

MINUTE = 60
# Keys that hold clinical data (or the queue's reasons) in a staff or participant view: never on the wall.
CLINICAL_KEYS = {"people", "queue", "numbers", "bp_systolic", "bp_diastolic", "weight", "glucose", "request",
                 "note", "confidence", "evaluation", "me", "visit", "room"}
PLAN_KEYS = {"plan", "slots", "does_not_fit", "shortfall_minutes", "expected_at", "flags", "conflict"}


@dataclass(frozen=True)
class Private:
    """One participant's clinical data; every number and every text is a marker."""

    name: str
    numbers: dict[str, int | float]
    request: str
    note: str
    goal: dict[str, str]
    evaluation: str

    @property
    def texts(self) -> list[str]:
        return [self.request, self.note, *self.goal.values(), self.evaluation]

    @property
    def values(self) -> list[int | float]:
        return list(self.numbers.values())


def goal(who: str) -> dict[str, str]:
    return {"what": f"goal-{who}-what: check my feet", "how_much": f"goal-{who}-how-much: both feet",
            "when": f"goal-{who}-when: after my shower", "how_often": f"goal-{who}-how-often: every evening"}


# Numbers are all above 100 and unlike any count, seq or timestamp in a frame.
MARIA = Private("Maria", {"bp_systolic": 173, "bp_diastolic": 109, "weight": 131.7, "glucose": 287},
                "request-maria: my feet tingle at night", "note-maria: monofilament reduced on the left foot",
                goal("maria"), "evaluation-maria: I felt less alone")
AISHA = Private("Aisha", {"bp_systolic": 181, "bp_diastolic": 112, "weight": 104.9, "glucose": 271},
                "request-aisha: my insulin pen dose", "note-aisha: titrate basal insulin by 2 units",
                goal("aisha"), "evaluation-aisha: more time for questions")
# John shares his goal with the group: it belongs on the wall, so it is not among his private texts.
JOHN = Private("John", {"bp_systolic": 166, "bp_diastolic": 104, "weight": 118.3, "glucose": 243},
               "request-john: low sugar at work", "note-john: lower glipizide, recheck in 2 weeks",
               {}, "evaluation-john: hearing the others")
PEOPLE = (MARIA, JOHN, AISHA)
SHARED_GOAL = {"what": "Walk with my sister", "how_much": "20 minutes", "when": "after lunch",
               "how_often": "5 days a week"}
STRATEGIES = ("Order the salad and share a dessert", "Keep glucose tablets in every bag")
ROOM = "Exam room 3"


def numbers_in(value: Any) -> Iterator[float]:
    """Every number nested in a frame, except its sequence number."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "seq":
                yield from numbers_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from numbers_in(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def number_pattern(value: float) -> re.Pattern[str]:
    """`value` written as a number on its own (not part of an id, a port or a longer number)."""
    return re.compile(rf"(?<![\w.]){re.escape(f'{value:g}')}(?![\w.])")


def leaks(frames: list[str], texts: list[str], values: list[int | float]) -> list[str]:
    """Which of `texts` and `values` appear in `frames` (raw websocket frames)."""
    found = [text for text in texts if any(text in frame for frame in frames)]
    numbers = set().union(*(set(numbers_in(json.loads(frame))) for frame in frames))
    return found + [str(value) for value in values if value in numbers]


def leaks_in_page(page: str, texts: list[str], values: list[int | float]) -> list[str]:
    """Which of `texts` and `values` appear in a page or a log."""
    return ([text for text in texts if text in page]
            + [str(value) for value in values if number_pattern(value).search(page)])


class Wall:
    """What the projector ever got: its live frames, a fresh snapshot and its page, at every phase."""

    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic
        self.live = ScreenClient(clinic.link("projector"), name="projector")
        self.fresh: list[str] = []
        self.pages: dict[str, str] = {}

    @property
    def frames(self) -> list[str]:
        return self.live.frames + self.fresh

    async def look(self, phase: str) -> None:
        """The wall as it is now: the page reloaded, a new connection's snapshot, a snapshot asked for."""
        url = f"{self.clinic.server.http}/projector/{self.clinic.session_id}?key={self.clinic.projector_key}"
        async with httpx.AsyncClient() as http:
            page = await http.get(url)
        assert page.status_code == 200 and self.clinic.join_code in page.text, page.text
        self.pages[phase] = page.text
        fresh = await ScreenClient(self.clinic.link("projector")).connect()
        await fresh.close()
        self.fresh += fresh.frames
        before = len(self.live.frames)
        await self.live.send_raw(json.dumps({"type": "snapshot_request"}))
        await self.live.wait_for(lambda _: any('"type":"snapshot"' in f for f in self.live.frames[before:]))


async def encounter_of(clinician: ScreenClient, name: str) -> str:
    await clinician.wait_for(lambda v: any(e["name"] == name for e in v["queue"]["waiting"]))
    return str(next(e["encounter_id"] for e in clinician.view["queue"]["waiting"] if e["name"] == name))


async def see(clinician: ScreenClient, person: Private) -> None:
    encounter = await encounter_of(clinician, person.name)
    await clinician.send("call_participant", encounter_id=encounter, room=ROOM)
    await clinician.send("start_encounter", encounter_id=encounter)
    await clinician.send("complete_encounter", encounter_id=encounter, note=person.note)


@pytest.mark.asyncio
async def test_the_projector_never_receives_clinical_data_and_no_participant_gets_anothers(clinic: Clinic) -> None:
    wall = Wall(clinic)
    await wall.live.connect()
    facilitator = await ScreenClient(clinic.link("console"), name="facilitator").connect()
    clinician = await ScreenClient(clinic.link("queue"), name="clinician").connect()
    cookies: dict[str, str] = {}
    screens: dict[str, ScreenClient] = {}
    for person in PEOPLE:
        _, cookies[person.name] = await join(clinic.server.http, clinic.join_code, person.name)
        screens[person.name] = await ScreenClient(f"{clinic.server.ws}/p/{clinic.session_id}/ws",
                                                  cookies[person.name], person.name).connect()
    maria, john, aisha = (screens[p.name] for p in PEOPLE)

    # Check-in: numbers (John's entered by the facilitator for him) and one-on-one requests.
    await maria.send("record_numbers", **MARIA.numbers)
    await aisha.send("record_numbers", **AISHA.numbers)
    await facilitator.send("record_numbers", participant_id=john.view["me"]["id"], **JOHN.numbers)
    for person in PEOPLE:
        await screens[person.name].send("request_visit", text=person.request)
    await clinician.wait_for(lambda v: len(v["queue"]["waiting"]) == 3)
    await wall.look("check_in")

    # Agenda: topics (one anonymous) and votes.
    clinic.clock.advance(15 * MINUTE)
    await facilitator.send("open_phase", phase="agenda")
    await maria.send("propose_topic", title="Eating out")
    await john.send("propose_topic", title="Feeling judged about my weight", anonymous=True)
    for screen, topics in ((maria, ["t1", "t1", "t2"]), (john, ["t2", "t2", "t2"]), (aisha, ["t1", "t2"])):
        for topic in topics:
            await screen.send("cast_vote", topic_id=topic)
    await wall.look("agenda")

    # Discussion: strategies, a room vote at the end of the timebox, and the queue meanwhile.
    clinic.clock.advance(10 * MINUTE)
    await facilitator.send("open_phase", phase="discussion")
    await maria.send("capture_strategy", text=STRATEGIES[0])
    await facilitator.send("capture_strategy", text=STRATEGIES[1], participant_id=aisha.view["me"]["id"])
    await john.send("mark_helpful", strategy_id="s1")
    await see(clinician, MARIA)
    absent = await encounter_of(clinician, JOHN.name)
    await clinician.send("call_participant", encounter_id=absent, room=ROOM)
    await clinician.send("not_here", encounter_id=absent)
    await facilitator.send("skip_encounter", encounter_id=await encounter_of(clinician, AISHA.name))
    clinic.clock.advance(9 * MINUTE)  # past the first topic's timebox: the room may vote
    for screen in (maria, john):
        await screen.send("room_vote", choice="keep_going")
    await aisha.send("room_vote", choice="move_on")
    await see(clinician, AISHA)
    await see(clinician, JOHN)
    await wall.look("discussion")

    # Goals: Maria's and Aisha's private, John's shared with the group.
    clinic.clock.advance(20 * MINUTE)
    await facilitator.send("open_phase", phase="goals", confirm=True)
    await maria.send("set_goal", **MARIA.goal, confidence=8)
    await john.send("set_goal", **SHARED_GOAL, confidence=9, shared=True)
    await aisha.send("set_goal", **AISHA.goal, confidence=5)
    await wall.live.wait_for(lambda v: any(g["name"] == "John" for g in v["shared_goals"]))
    await wall.look("goals")

    # Wrap-up and close.
    clinic.clock.advance(12 * MINUTE)
    await facilitator.send("open_phase", phase="wrap_up")
    for person in PEOPLE:
        await screens[person.name].send("give_evaluation", rating=4, helped=person.evaluation)
    await wall.look("wrap_up")
    ack = await facilitator.send("close_session", confirm=True)
    await wall.live.wait_seq(ack["seq"])
    await wall.look("closed")
    await asyncio.gather(*(screen.wait_seq(ack["seq"]) for screen in screens.values()))

    # The markers are real: the care team received every one of them.
    staff_frames = clinician.frames + facilitator.frames
    for person in PEOPLE:
        missing = {*person.texts, *map(str, person.values)} - set(leaks(staff_frames, person.texts, person.values))
        assert not missing, f"the care team never received {missing}"

    # The wall: nothing clinical in any frame or any version of its page, and no clinical section at all.
    secret_texts = [text for person in PEOPLE for text in person.texts] + [ROOM]
    secret_values = [value for person in PEOPLE for value in person.values]
    assert leaks(wall.frames, secret_texts, secret_values) == []
    assert not CLINICAL_KEYS & set().union(*(keys_in(json.loads(frame)) for frame in wall.frames))
    # Nor the one-on-ones' plan (who is called when, who will not be seen, whose numbers are flagged)...
    assert not PLAN_KEYS & set().union(*(keys_in(json.loads(frame)) for frame in wall.frames))
    assert PLAN_KEYS <= set().union(*(keys_in(json.loads(frame)) for frame in clinician.frames))  # ...the queue's
    for phase, page in wall.pages.items():
        assert leaks_in_page(page, secret_texts, secret_values) == [], f"the projector page at {phase}"
    # ...while what the room may see did reach it (so the checks above look at real traffic).
    wall_text = "".join(wall.frames)
    for public in (*STRATEGIES, *SHARED_GOAL.values(), "Eating out", "Feeling judged about my weight"):
        assert public in wall_text, f"the wall never received {public!r}"
    assert wall.live.view["shared_goals"] == [{"name": "John", **SHARED_GOAL}]
    assert [(t["title"], t["votes"], t["by"]) for t in wall.live.view["topics"]] == [
        ("Feeling judged about my weight", 5, None), ("Eating out", 3, "Maria")]
    assert sorted(s["text"] for s in wall.live.view["strategies"]) == sorted(STRATEGIES)

    # Each participant: their own data reached them, nobody else's did, in frames or in their page.
    async with httpx.AsyncClient(base_url=clinic.server.http) as http:
        for person in PEOPLE:
            screen = screens[person.name]
            own = [person.request, *person.goal.values()]
            assert leaks(screen.frames, own, person.values) == [*own, *map(str, person.values)], person.name
            others = [p for p in PEOPLE if p is not person]
            texts = [t for p in others for t in p.texts]
            values = [v for p in others for v in p.values]
            assert leaks(screen.frames, texts, values) == [], f"{person.name} received someone else's data"
            response = await http.get(f"/p/{clinic.session_id}", headers={"Cookie": cookies[person.name]})
            assert response.status_code == 200 and person.name in response.text
            assert leaks_in_page(response.text, texts, values) == [], f"{person.name}'s page"

    for screen in (wall.live, facilitator, clinician, *screens.values()):
        await screen.close()


# ---- The server's own log and its error messages -------------------------------------------------------

LOGGED_NUMBERS = {"bp_systolic": 177, "bp_diastolic": 113, "weight": 127.9, "glucose": 293}
LOGGED_REQUEST = "request-logtest: bleeding gums since the new tablets"
LOGGED_GOAL: dict[str, Any] = {"what": "goal-logtest: stop smoking", "how_much": "one cigarette less",
                               "when": "each morning", "how_often": "every day"}
# Refused commands about numbers and goals, and what each submitted that its error must not repeat.
REFUSED: list[tuple[str, dict[str, Any], list[str]]] = [
    ("record_numbers", {"glucose": 913}, ["913"]),
    ("record_numbers", {"bp_systolic": 289, "bp_diastolic": 151}, ["289", "151"]),
    ("record_numbers", {"bp_systolic": 118, "bp_diastolic": 141}, ["118", "141"]),
    ("record_numbers", {"bp_systolic": 139}, ["139"]),
    ("record_numbers", {"weight": 977.3}, ["977.3"]),
    ("record_numbers", {"weight": 83.1, "weight_unit": "stone-logtest"}, ["83.1", "stone-logtest"]),
    ("record_numbers", {"glucose": "241 mg/dL"}, ["241"]),
    ("record_numbers", {"glucose": 199, "participant_id": "p9"}, ["199"]),
    ("set_goal", {**LOGGED_GOAL, "confidence": 37}, ["37", *LOGGED_GOAL.values()]),
    ("set_goal", {**LOGGED_GOAL, "what": "goal-toolong-logtest " * 12, "confidence": 6}, ["goal-toolong-logtest"]),
    ("set_goal", {**LOGGED_GOAL, "how_much": "  ", "confidence": 6}, list(LOGGED_GOAL.values())),
    ("set_goal", {**LOGGED_GOAL, "confidence": 6.5}, ["6.5", *LOGGED_GOAL.values()]),
    ("request_visit", {"text": "request-toolong-logtest " * 30}, ["request-toolong-logtest"]),
    ("complete_encounter", {"encounter_id": "e1", "note": "note-logtest: refer to podiatry"}, ["note-logtest"]),
]
# Bad messages, each carrying health information the server must not write down.
BAD_MESSAGES: list[str | bytes] = [
    "my glucose was 487 this morning (badmsg-logtest)",
    b'{"type":"command","id":"b1","name":"record_numbers","args":{"glucose":487}} badmsg-logtest',
    json.dumps({"type": "command", "id": "b2", "name": "record_numbers", "args": {"glucose": 487},
                "note": "badmsg-logtest"}),
    json.dumps({"type": "command", "id": "b3", "name": "set_goal", "args": {"what": "badmsg-logtest"}}),
    json.dumps({"type": "command", "id": "b4", "name": "record_numbers", "args": {"glucose": [487, "badmsg-logtest"]}}),
]
OVERSIZED = json.dumps({"type": "command", "id": "b6", "name": "request_visit",
                        "args": {"text": "badmsg-logtest glucose 487 " * 4000}})


@pytest.mark.asyncio
async def test_no_health_information_in_the_server_log_or_in_refusals(tmp_path: Path) -> None:
    async with seeded(tmp_path / "clinic.db") as room:
        server = ServerProcess(room.db_path)
        await server.astart()
        room.on(server)
        try:
            cookie = await room.join("Maria")
            maria = await RecordingSocket.open(room.participant_url, cookie)
            console = await RecordingSocket.open(room.console_url)
            wall = await RecordingSocket.open(room.projector_url)  # its handshake carries the display link key
            await maria.wait_until(lambda s: bool(s.frames))
            assert (await maria.command("n1", "record_numbers", **LOGGED_NUMBERS))["type"] == "ack"
            assert (await maria.command("n2", "request_visit", text=LOGGED_REQUEST))["type"] == "ack"
            assert (await maria.command("n3", "set_goal", **LOGGED_GOAL, confidence=8))["code"] == "wrong_phase"
            assert (await console.command("c1", "open_phase", phase="goals"))["type"] == "ack"
            assert (await maria.command("n4", "set_goal", **LOGGED_GOAL, confidence=8))["type"] == "ack"

            for n, (name, args, submitted) in enumerate(REFUSED):
                frame = await maria.command(f"r{n}", name, **args)
                assert frame["type"] == "error", (name, args, frame)
                echoed = [value for value in submitted if value in json.dumps(frame)]
                assert not echoed, f"the refusal of {name} {args} repeats {echoed}: {frame['reason']}"
            for n, message in enumerate(BAD_MESSAGES):
                start = len(maria.frames)
                if isinstance(message, bytes):
                    await maria.connection.send(message)  # a binary frame
                else:
                    await maria.send(message)
                frame = await maria.answer(start, kinds=("error",))
                assert "badmsg-logtest" not in json.dumps(frame) and "487" not in json.dumps(frame), frame
            await maria.send(OVERSIZED)  # over the message size limit: the connection is closed
            assert await maria.wait_closed() == 1009
            await console.close()
            await wall.close()
        finally:
            await server.astop()

    log = server.log_path.read_text(errors="replace")
    assert "Application startup complete" in log, "the log file is the server's own"
    assert "Traceback" not in log and "Exception" not in log, log
    texts = [LOGGED_REQUEST, *LOGGED_GOAL.values(), "logtest", "Maria"]
    values = [*LOGGED_NUMBERS.values(), 913, 289, 151, 977.3, 241, 487]
    assert leaks_in_page(log, texts, values) == [], log
    assert "WebSocket /projector/" in log, "the projector's handshake is logged"
    assert room.projector_key not in log, "a display link's key in the log would open the projector"
