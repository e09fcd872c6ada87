"""The session report over HTTP and in Chromium, for a session of the demo cohort played through by the same
rules as a live one: its plots inline under the page's strict policy, typed text (markup, RTL, emoji) shown
literally, axe clean, a print layout that `page.pdf()` turns into a PDF, and one audit row per person it names."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import expect

from groupvisit.actions import Sessions
from groupvisit.clock import ManualClock
from groupvisit.demo import seed
from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.hub.memory import MemoryHub
from groupvisit.store import Store
from support.accounts import Staff, signed_in_team
from support.browser import add_cookie, axe_problems, chromium, open_screen, overflow, screenshot_dirs
from support.server import LiveServer

NOW = 1_800_028_800.0  # 10:00 on a Friday in January 2027, in ZONE; the demo held its first two sessions before it
ZONE = "America/Chicago"
GUEST = "دانة الحسن"  # a walk-in, not on the roster, writing right to left
RTL_TOPIC = "النوم والتعب"  # her topic, in Arabic: sleep and tiredness
MARKUP = ("<img src=x", "<script>alert", "<b>Hearing")  # what the typed text below would make, were it markup


@dataclass(frozen=True)
class Typed:
    """What people type today: how María L. of the demo's roster gives her name, her topic, what helped her."""

    name: str
    topic: str
    helped: str


PLAIN = Typed("María", "Comer fuera sin gastar mucho", "Hearing the others")
HOSTILE = Typed("<img src=x onerror=alert(1)> María 🌮", "<script>alert(2)</script> Comer fuera 🍽️",
                "<b>Hearing</b> {{7*7}} the others")


@dataclass
class Played:
    server: LiveServer
    store: Store
    session_id: str
    team: dict[str, Staff]
    ids: dict[str, str]  # participant ids by who they are

    @property
    def url(self) -> str:
        return f"{self.server.http}/sessions/{self.session_id}/report"


async def play(store: Store, session_id: str, clock: ManualClock, cohort_id: str, typed: Typed) -> dict[str, str]:
    """Today's session of the demo cohort, start to close: María (as `typed`) and Roberto are seen, James goes
    home early, a walk-in is seen too; the first topic is extended twice, the room voting each time."""
    sessions = Sessions(store, MemoryHub(), clock)
    users = {u.username: u for u in await store.users()}
    lead = Actor(Role.FACILITATOR, users["alex"].id, users["alex"].name)
    sam, priya = (Actor(Role.CLINICIAN, users[n].id, users[n].name) for n in ("sam", "priya"))
    roster = {entry.display_name: entry.patient_id for entry in await store.roster_entries(cohort_id)}
    live = await sessions.get(session_id)

    async def run(command: c.Command, actor: Actor = lead, minutes: float = 0.5) -> None:
        await sessions.execute(session_id, command, actor)
        clock.advance(minutes * 60)

    ids: dict[str, str] = {}
    people = {}
    for who, name, patient in (("maria", typed.name, roster["María L."]), ("james", "James", roster["James"]),
                               ("roberto", "Roberto", roster["Roberto"]), ("guest", GUEST, "")):
        await run(c.Join(name))
        ids[who] = list(live.state.participants)[-1]
        await run(c.MatchParticipant(ids[who], patient))
        people[who] = Actor(Role.PARTICIPANT, ids[who])
    await run(c.GiveFollowUp("partly", "Llovió mucho"), people["maria"])
    for who in ("maria", "james", "guest", "roberto"):
        await run(c.RequestVisit(f"about {who}"), people[who])
    visits = {live.state.participants[e.participant_id].name: e.id for e in live.state.encounters.values()}
    await run(c.OpenPhase(Phase.AGENDA.value))
    await run(c.ProposeTopic(typed.topic), people["maria"])
    await run(c.ProposeTopic(RTL_TOPIC), people["guest"])
    await run(c.ProposeTopic("Reading labels"), people["james"])
    topics = list(live.state.topics)
    for who, votes in (("maria", (0, 0, 1)), ("james", (2, 2, 0)), ("guest", (1, 1, 0)), ("roberto", (0, 1, 2))):
        for n in votes:
            await run(c.CastVote(topics[n]), people[who])
    await run(c.OpenPhase(Phase.DISCUSSION.value, confirm=True), minutes=1)
    await run(c.CallParticipant(visits[typed.name], "Exam room 1"), sam)
    await run(c.StartEncounter(visits[typed.name]), sam, minutes=7)
    await run(c.RoomVote("keep_going"), people["guest"])
    await run(c.RoomVote("keep_going"), people["roberto"])
    await run(c.RoomVote("move_on"), people["james"])
    await run(c.ExtendTopic(), minutes=4)
    await run(c.RoomVote("keep_going"), people["guest"])
    await run(c.ExtendTopic(), minutes=1)
    await run(c.CompleteEncounter(visits[typed.name], "Feet checked."), sam, minutes=1)
    await run(c.MarkParticipant("left", ids["james"]))
    await run(c.NextTopic())
    await run(c.CallParticipant(visits[GUEST], "Exam room 2"), priya)
    await run(c.StartEncounter(visits[GUEST]), priya, minutes=6)
    await run(c.CompleteEncounter(visits[GUEST], "First visit."), priya)
    await run(c.CallParticipant(visits["Roberto"], "Exam room 1"), sam)
    await run(c.StartEncounter(visits["Roberto"]), sam, minutes=8)
    await run(c.CompleteEncounter(visits["Roberto"], "BP reviewed."), sam)
    await run(c.NextTopic(), minutes=6)
    await run(c.OpenPhase(Phase.GOALS.value, confirm=True))
    await run(c.SetGoal("Caminar", "20 minutos", "después de cenar", "5 días", 8), people["maria"])
    await run(c.SetGoal("Walk the dog", "15 minutes", "mornings", "daily", 5), people["roberto"])
    await run(c.OpenPhase(Phase.WRAP_UP.value))
    await run(c.GiveEvaluation(5, typed.helped, "Más tiempo"), people["maria"])
    await run(c.GiveEvaluation(4, "", "A bigger room"), people["guest"])
    await run(c.CloseSession(confirm=True))
    return ids


async def cohort_of(played: Played) -> str:
    row = await played.store.session(played.session_id)
    assert row is not None and row.cohort_id is not None
    return row.cohort_id


@asynccontextmanager
async def served(tmp_path: Path, typed: Typed) -> AsyncIterator[Played]:
    """The demo clinic with today's session played through as `typed`, on a live server."""
    store = Store(f"sqlite:///{tmp_path / 'clinic.db'}")
    clinic = await seed(store, NOW, ZONE)
    today = await store.session(clinic.session_id)
    assert today is not None
    clock = ManualClock(today.starts_at)
    ids = await play(store, today.id, clock, clinic.cohort_id, typed)
    server = LiveServer(tmp_path / "clinic.db", clock, time_zone=ZONE)
    await server.astart()
    try:
        yield Played(server, store, today.id, await signed_in_team(store, clock.now()), ids)
    finally:
        await server.astop()
        store.close()


@pytest.mark.asyncio
async def test_the_report_names_everyone_it_shows_in_the_audit_log_and_shows_typed_text_literally(
        tmp_path: Path) -> None:
    async with served(tmp_path, HOSTILE) as played, httpx.AsyncClient(
            base_url=played.server.http, headers={"cookie": played.team["sam"].cookie}) as sam:
        page = (await sam.get(f"/sessions/{played.session_id}/report")).text
        viewed = [row for row in await played.store.audit_log(played.session_id)
                  if row.action == "viewed" and row.what == "session report"]
        series = await played.store.cohort_sessions(await cohort_of(played))
        for username in ("admin", "alex", "sam"):
            home = (await sam.get("/staff", headers={"cookie": played.team[username].cookie})).text
            linked = {s.id for s in series if f'href="/sessions/{s.id}/report"' in home}
            assert linked == {s.id for s in series[:3]}, f"{username}: the held sessions and today's, not those to come"
    for markup in MARKUP:
        assert markup not in page, f"{markup} made an element"
    assert "&lt;img src=x onerror=alert(1)&gt; María 🌮" in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "&lt;b&gt;Hearing&lt;/b&gt; {{7*7}} the others" in page and "49 the others" not in page
    assert GUEST in page and RTL_TOPIC in page
    assert {row.subject for row in viewed if row.cohort_id is None} == set(played.ids.values())
    absent = {row.subject for row in viewed if row.cohort_id is not None}
    assert len(absent) == 10 - 3, "the roster's patients who did not come are named too"
    assert {row.actor_name for row in viewed} == {"Dr. Sam Okafor (resident)"}


@pytest.mark.asyncio
async def test_the_report_opens_in_chromium_with_its_plots_passes_axe_and_prints_to_pdf(tmp_path: Path) -> None:
    async with served(tmp_path, PLAIN) as played, chromium() as browser:
        screen = await open_screen(browser, "report", 1280, 900)
        await add_cookie(screen.context, played.server.http, played.team["alex"].cookie)
        page = screen.page
        await page.goto(f"{played.server.http}/staff")
        await page.locator(f"[data-session='{played.session_id}'] a", has_text="Session report").click()
        await page.wait_for_url(played.url)
        await expect(page.locator("h1")).to_contain_text("the session report")
        for name in ("plot-timeline", "plot-agenda", "plot-trend"):
            plot = page.locator(f"#{name} svg[role='img']")
            await expect(plot).to_be_visible()
            assert (await plot.bounding_box() or {}).get("height", 0) > 100, f"{name} is drawn at a readable size"
            assert await plot.get_attribute("aria-label"), f"{name} says in words what it shows"
        body = page.locator("body")
        await expect(body).to_contain_text(GUEST, use_inner_text=True)
        await expect(page.locator("#plot-agenda svg text").filter(has_text=RTL_TOPIC)).to_have_count(1)
        await expect(page.locator("#plot-timeline svg text").filter(has_text=GUEST)).to_have_count(1)
        rows = page.locator("#agenda-table tbody tr")
        await expect(rows.first).to_contain_text("2 (+6 min)")
        await expect(rows.first).to_contain_text("First time: 2 keep going, 1 move on — extended")
        await expect(page.locator("#one-on-ones-table")).to_contain_text("the topic they voted for most")
        await expect(page.locator("#attendance-table")).to_contain_text("went home early")
        await expect(page.locator("#attendance-table")).to_contain_text("Guest (not on the roster)")
        await expect(page.locator("#trend-table tbody tr")).to_have_count(3)
        assert await axe_problems(page) == []
        assert (await overflow(page))["width"] <= 0, "the page does not scroll sideways"
        await page.set_viewport_size({"width": 390, "height": 844})
        assert (await overflow(page))["width"] <= 0, "nor on a phone: the tables scroll in their own boxes"
        await page.set_viewport_size({"width": 1280, "height": 900})
        assert not screen.problems and not screen.dialogs, (screen.problems, screen.dialogs)
        for folder in screenshot_dirs():
            await page.screenshot(path=folder / "session-report.png", full_page=True)

        await page.emulate_media(media="print")
        await expect(page.locator(".top")).to_be_hidden()
        await expect(page.locator("#plot-timeline svg")).to_be_visible()
        pdf = await page.pdf(format="A4")
        assert pdf.startswith(b"%PDF-")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 2 <= pages <= 6, f"the report prints on a few pages, not {pages}"
        await screen.context.close()
