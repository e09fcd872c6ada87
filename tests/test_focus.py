"""A live update never disturbs what someone is typing, ticking or has opened, in Debian's Chromium.

For every free-text field of the participant's screen, the facilitator's console and the clinician's
queue: the session is put in a phase where the field is usable, the field is focused and half a
sentence typed; then other screens (real websocket clients) cause several live updates, each waited
for until this screen shows it (a walk-in in the people count, a strategy on the board, someone more in
the visit queue, and where it matters votes that reorder the list holding the field, or the next
phase); then the rest is typed with the keyboard alone. The field must hold the whole text, still be
the focused element (the same node, never rebuilt) and have its caret at the end. A ticked box stays
ticked, an opened `<details>` or folding panel stays open.

One server and one browser serve the whole module; each case has a session of its own.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, async_playwright, expect

from conftest import SESSION_START, STAFF_IDLE_MINUTES
from groupvisit.clock import ManualClock
from groupvisit.store import Store
from support.accounts import Staff, signed_in_team
from support.browser import Screen, add_cookie, launch_chromium, open_screen
from support.clients import Link, ScreenClient, join
from support.server import LiveServer

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIVE = 10_000  # ms: an update made on one screen shows on another well within this
ROUNDS = 3  # rounds of live updates between the two halves of what is typed
ME = "Maria"  # the participant whose screen is tested
PHASES = ["check_in", "agenda", "discussion", "goals", "wrap_up"]


@dataclass
class Clinic:
    server: LiveServer
    store: Store
    team: dict[str, Staff]
    browser: Browser


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def clinic(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Clinic]:
    db = tmp_path_factory.mktemp("focus") / "clinic.db"
    clock = ManualClock(SESSION_START)
    store = Store(f"sqlite:///{db}")
    team = await signed_in_team(store, clock.now())
    server = LiveServer(db, clock, staff_idle_minutes=STAFF_IDLE_MINUTES)
    await server.astart()
    try:
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            try:
                yield Clinic(server, store, team, browser)
            finally:
                await browser.close()
    finally:
        await server.astop()
        store.close()


@dataclass
class Room:
    """One session: the screen under test, the facilitator's console as a websocket client (the
    "other screen" making the updates), and a participant device that can vote."""

    clinic: Clinic
    session_id: str
    screen: Screen
    console: ScreenClient
    voter: ScreenClient
    expected_people: int  # everyone checked in so far, as this screen counts them
    rounds: int = 0
    strategies_before: int = 0  # strategies on the board before the rounds began
    clients: list[ScreenClient] = field(default_factory=list)
    waiting_before: int = 0  # in the visit queue before the updates began

    @property
    def page(self) -> Page:
        return self.screen.page

    def ws(self, screen: str) -> str:
        return f"{self.clinic.server.ws}/{screen}/{self.session_id}/ws"

    async def open_phase(self, phase: str) -> None:
        await self.console.send("open_phase", phase=phase)

    def participant_id(self, name: str) -> str:
        return str(next(p["id"] for p in self.console.view["participants"] if p["name"] == name))

    def topic_id(self, title: str) -> str:
        return str(next(t["id"] for t in self.console.view["topics"] if t["title"] == title))


async def open_room(clinic: Clinic, kind: str, phase: str, *, topics: tuple[str, ...] = ()) -> Room:
    """A new session in `phase` (with `topics` proposed), and `kind`'s screen open on it, live."""
    session, _ = await clinic.store.create_session(
        title="Diabetes group visit", cohort="Diabetes group (Tuesday)", starts_at=SESSION_START,
        ends_at=SESSION_START + 120 * 60)
    sid, base = session.id, clinic.server.http
    console = await ScreenClient(Link(f"{clinic.server.ws}/console/{sid}/ws", clinic.team["alex"].cookie)).connect()
    _, voter_cookie = await join(base, session.join_code, "Rosa")
    voter = await ScreenClient(f"{clinic.server.ws}/p/{sid}/ws", voter_cookie).connect()
    people = 1
    for title in topics:
        await console.send("propose_topic", title=title)
    for later in PHASES[1:PHASES.index(phase) + 1]:
        await console.send("open_phase", phase=later)
    screen = await open_screen(clinic.browser, kind, 1366, 900)
    if kind == "participant":
        _, cookie = await join(base, session.join_code, ME)
        people += 1
        await add_cookie(screen.context, base, cookie)
        await screen.page.goto(f"{base}/p/{sid}")
    else:
        username = "alex" if kind == "console" else "sam"
        await add_cookie(screen.context, base, clinic.team[username].cookie)
        await screen.page.goto(f"{base}/{kind}/{sid}")
    await expect(screen.page.locator("#connection-status")).to_have_attribute("data-status", "live", timeout=LIVE)
    return Room(clinic, sid, screen, console, voter, people, clients=[console, voter])


async def stir(room: Room, extra: Callable[[Room], Awaitable[None]] | None = None) -> None:
    """Several live updates from other screens, each waited for until this screen shows it: a walk-in
    checks in, a strategy goes on the board, the walk-in asks for a one-on-one; then `extra`."""
    for _ in range(ROUNDS):
        room.rounds += 1
        name = f"Walk-in {room.rounds}"
        await room.console.send("join", display_name=name)
        room.expected_people += 1
        await room.console.wait_for(lambda view: any(p["name"] == name for p in view["participants"]))
        await room.console.send("capture_strategy", text=f"Tip number {room.rounds}", anonymous=True)
        await room.console.send("request_visit", participant_id=room.participant_id(name),
                                text=f"A question from {name}")
        await shows_the_updates(room)
    if extra is not None:
        await extra(room)


async def shows_the_updates(room: Room) -> None:
    """Waits until the screen under test shows the latest round of updates."""
    page, kind = room.page, room.screen.name
    if kind == "participant":
        await expect(page.locator("#people-count")).to_contain_text(f"{room.expected_people} people here",
                                                                    timeout=LIVE)
        await expect(page.locator("#strategy-list li")).to_have_count(room.rounds, timeout=LIVE)
    elif kind == "console":
        await expect(page.locator("#people-count")).to_have_text(str(room.expected_people), timeout=LIVE)
        await expect(page.locator("#strategy-list li")).to_have_count(room.strategies_before + room.rounds,
                                                                      timeout=LIVE)
        await expect(page.locator("#waiting-count")).to_have_text(str(room.rounds), timeout=LIVE)
    else:
        await expect(page.locator("#waiting-count")).to_have_text(str(room.waiting_before + room.rounds),
                                                                  timeout=LIVE)


def next_phase(phase: str, step_text: str) -> Callable[[Room], Awaitable[None]]:
    """One more live update: the facilitator moves the room on (the field stays usable there)."""
    async def move(room: Room) -> None:
        await room.open_phase(phase)
        if room.screen.name == "participant":
            await expect(room.page.locator("#phase-line")).to_contain_text(step_text, timeout=LIVE)
        else:
            await expect(room.page.locator("#phase-steps li[aria-current=step]")).to_contain_text(step_text,
                                                                                               timeout=LIVE)
    return move


async def votes_reorder_the_topics(room: Room) -> None:
    """The room votes the second topic above the first (whose row holds the field, on the console)."""
    for _ in range(2):
        await room.voter.send("cast_vote", topic_id=room.topic_id("Eating out"))
    title = room.page.locator("#topic-list li").first.locator(".topic-title")
    await expect(title).to_have_text("Eating out", timeout=LIVE)


# ---- What each field needs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    kind: str  # participant, console or queue
    selector: str
    phase: str
    first: str  # typed before the updates
    rest: str  # typed after them
    prepare: Callable[[Room], Awaitable[None]] | None = None  # opens what holds the field
    topics: tuple[str, ...] = ()
    extra: Callable[[Room], Awaitable[None]] | None = None  # a last update, after the rounds
    caret: bool = True  # a number input has no caret to ask about
    prefilled: str = ""  # what the field holds when it is focused

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.selector.split()[-1].split(':')[0].strip('#.')}"


async def open_on_behalf(room: Room) -> None:
    await room.page.locator("#on-behalf summary").click()


async def edit_first_topic(room: Room) -> None:
    row = room.page.locator("#topic-list li").filter(has_text="Sleep")
    await row.locator(".edit-button").click()


async def correct_rosa(room: Room) -> None:
    """The facilitator opens Rosa's corrections: her new name goes in the field under her row."""
    row = room.page.locator("#people-rows tr.person").filter(has=room.page.get_by_role("rowheader", name="Rosa"))
    await row.locator(".change-button").click()


async def edit_a_strategy(room: Room) -> None:
    """A strategy on the board, opened for rewording (the rounds add newer ones above it)."""
    await room.console.send("capture_strategy", text="Walk", anonymous=True)
    room.strategies_before = 1
    card = room.page.locator("#strategy-list li").filter(has_text="Walk")
    await card.locator(".edit-button").click()


async def change_the_room(room: Room) -> None:
    await room.page.locator("#room-change").click()


async def call_without_a_room(room: Room) -> None:
    """Call with no room yet: the card asks for it (and the field must then survive the queue growing)."""
    await room.voter.send("request_visit", text="My feet tingle")
    room.waiting_before = 1
    await room.page.locator("#waiting-list li").filter(has_text="My feet tingle").get_by_test_id("call").click()
    await expect(room.page.locator("#waiting-list .room-ask-input")).to_be_focused()


async def start_an_encounter(room: Room) -> None:
    """Sam (this queue's clinician) calls and starts Rosa's one-on-one: the note field appears."""
    await room.voter.send("request_visit", text="My feet tingle")
    queue = await ScreenClient(Link(room.ws("queue"), room.clinic.team["sam"].cookie)).connect()
    room.clients.append(queue)
    await queue.wait_for(lambda view: len(view["queue"]["waiting"]) == 1)
    encounter = queue.view["queue"]["waiting"][0]["encounter_id"]
    await queue.send("call_participant", encounter_id=encounter, room="Room 2")
    await queue.send("start_encounter", encounter_id=encounter)
    await expect(room.page.locator("#mine-list .note")).to_be_visible(timeout=LIVE)


TO_AGENDA = next_phase("agenda", "Step 2")
TO_GOALS = next_phase("goals", "Step 4")
TO_WRAP_UP = next_phase("wrap_up", "Step 5")
CONSOLE_TO_AGENDA = next_phase("agenda", "Agenda setting")
CONSOLE_TO_GOALS = next_phase("goals", "Goals")
CONSOLE_TO_WRAP_UP = next_phase("wrap_up", "Wrap-up")
TOPICS = ("Sleep", "Eating out")
HALF, REST = "Walking after dinner with ", "my sister, twice a week"

FIELDS = [
    Field("participant", "#bp-systolic", "check_in", "1", "28", extra=TO_AGENDA),
    Field("participant", "#bp-diastolic", "check_in", "8", "2", extra=TO_AGENDA),
    Field("participant", "#weight", "check_in", "8", "2.5", extra=TO_AGENDA),
    Field("participant", "#glucose", "check_in", "1", "30", extra=TO_AGENDA),
    Field("participant", "#visit-text", "check_in", HALF, REST, extra=TO_AGENDA),
    Field("participant", "#topic-title", "agenda", HALF, REST, topics=TOPICS, extra=votes_reorder_the_topics),
    Field("participant", "#strategy-text", "discussion", HALF, REST, extra=TO_GOALS),
    Field("participant", "#goal-what", "goals", HALF, REST, extra=TO_WRAP_UP),
    Field("participant", "#goal-how-much", "goals", "20 min", "utes", extra=TO_WRAP_UP),
    Field("participant", "#goal-when", "goals", "after ", "dinner", extra=TO_WRAP_UP),
    Field("participant", "#goal-how-often", "goals", "4 days ", "a week", extra=TO_WRAP_UP),
    Field("participant", "#evaluation-helped", "wrap_up", HALF, REST),
    Field("participant", "#evaluation-change", "wrap_up", HALF, REST),
    Field("console", "#walkin-name", "check_in", "Ana ", "M.", extra=CONSOLE_TO_AGENDA),
    Field("console", "#bp-systolic", "check_in", "1", "28", prepare=open_on_behalf,
          extra=CONSOLE_TO_AGENDA),
    Field("console", "#bp-diastolic", "check_in", "8", "2", prepare=open_on_behalf),
    Field("console", "#weight", "check_in", "8", "2.5", prepare=open_on_behalf),
    Field("console", "#glucose", "check_in", "1", "30", prepare=open_on_behalf),
    Field("console", "#request-text", "check_in", HALF, REST, prepare=open_on_behalf, extra=CONSOLE_TO_AGENDA),
    Field("console", "#vote-budget", "check_in", "", "5", caret=False, prefilled="3"),
    Field("console", "#propose-title", "agenda", HALF, REST, topics=TOPICS, extra=votes_reorder_the_topics),
    Field("console", "#topic-list .edit-input:visible", "agenda", " at ", "night", prepare=edit_first_topic,
          topics=TOPICS, extra=votes_reorder_the_topics, prefilled="Sleep"),
    Field("console", "#strategy-text", "discussion", HALF, REST, extra=CONSOLE_TO_GOALS),
    Field("console", "#people-rows .rename-input", "check_in", " G", "onzalez", prepare=correct_rosa,
          extra=CONSOLE_TO_AGENDA, prefilled="Rosa"),
    Field("console", "#strategy-list .edit-input:visible", "discussion", " after ", "dinner", prepare=edit_a_strategy,
          extra=CONSOLE_TO_GOALS, prefilled="Walk"),
    Field("console", "#behalf-goal-what", "goals", HALF, REST, prepare=open_on_behalf, extra=CONSOLE_TO_WRAP_UP),
    Field("console", "#behalf-goal-how-much", "goals", "20 min", "utes", prepare=open_on_behalf),
    Field("console", "#behalf-goal-when", "goals", "after ", "dinner", prepare=open_on_behalf),
    Field("console", "#behalf-goal-how-often", "goals", "4 days ", "a week", prepare=open_on_behalf,
          extra=CONSOLE_TO_WRAP_UP),
    Field("console", "#behalf-helped", "wrap_up", HALF, REST, prepare=open_on_behalf),
    Field("console", "#behalf-change", "wrap_up", HALF, REST, prepare=open_on_behalf),
    Field("queue", "#room", "check_in", "Exam ", "room 2", prepare=change_the_room),
    Field("queue", "#waiting-list .room-ask-input:visible", "check_in", "Exam ", "room 2", prepare=call_without_a_room),
    Field("queue", "#mine-list .note", "check_in", HALF, REST, prepare=start_an_encounter),
]


async def close_room(room: Room) -> None:
    for client in room.clients:
        await client.close()
    assert not room.screen.problems, f"{room.screen.name} logged errors: {room.screen.problems}"
    await room.screen.context.close()


@pytest.mark.parametrize("spec", FIELDS, ids=lambda spec: spec.id)
async def test_live_updates_leave_what_is_typed_alone(clinic: Clinic, spec: Field) -> None:
    room = await open_room(clinic, spec.kind, spec.phase, topics=spec.topics)
    try:
        page = room.page
        if spec.prepare:
            await spec.prepare(room)
        typed = page.locator(spec.selector)
        # The phase has reached this screen (its panel unfolded, the field on): a person could type.
        await expect(typed).to_be_visible(timeout=LIVE)
        await expect(typed).to_be_enabled(timeout=LIVE)
        await typed.focus()
        await expect(typed).to_be_focused()
        await expect(typed).to_have_value(spec.prefilled)
        await page.keyboard.press("End")
        await page.evaluate("() => { window.typingIn = document.activeElement; }")
        await page.keyboard.type(spec.first)
        await stir(room, spec.extra)
        await page.keyboard.type(spec.rest)  # the keyboard only: wherever focus is now

        whole = spec.prefilled + spec.first + spec.rest
        await expect(typed).to_have_value(whole)
        state = await page.evaluate("""() => {
          const node = document.activeElement;
          return { same: node === window.typingIn, start: node.selectionStart, end: node.selectionEnd };
        }""")
        assert state["same"], "the field lost focus, or was replaced by another element"
        if spec.caret:
            assert (state["start"], state["end"]) == (len(whole), len(whole)), f"the caret moved: {state}"
        if spec.prepare is open_on_behalf:
            await expect(page.locator("#on-behalf")).to_have_attribute("open", "")
    finally:
        await close_room(room)


# ---- Ticked boxes and opened panels -----------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    kind: str
    selector: str
    phase: str
    extra: Callable[[Room], Awaitable[None]] | None = None


async def name_rosa(room: Room) -> None:
    """On the console, the strategy is Rosa's: only then can her name be kept off the board."""
    await room.page.locator("#strategy-by").select_option(label="Rosa")


BOXES = [
    Box("participant", "#topic-anonymous", "agenda"),
    Box("participant", "#strategy-anonymous", "discussion", extra=TO_GOALS),
    Box("participant", "#goal-shared", "goals", extra=TO_WRAP_UP),
    Box("console", "#strategy-anonymous", "discussion", extra=CONSOLE_TO_GOALS),
]


@pytest.mark.parametrize("spec", BOXES, ids=lambda spec: f"{spec.kind}-{spec.selector.strip('#')}")
async def test_a_ticked_box_stays_ticked(clinic: Clinic, spec: Box) -> None:
    room = await open_room(clinic, spec.kind, spec.phase)
    try:
        page = room.page
        if spec.kind == "console":
            await name_rosa(room)
            chosen = await page.locator("#strategy-by").input_value()
            await page.locator(spec.selector).check()
        else:
            await page.locator(f"label[for={spec.selector.strip('#')}]").click()  # the box is drawn by its label
        await expect(page.locator(spec.selector)).to_be_checked()
        await stir(room, spec.extra)
        await expect(page.locator(spec.selector)).to_be_checked()
        if spec.kind == "console":
            await expect(page.locator("#strategy-by")).to_have_value(chosen)  # its people list grew meanwhile
    finally:
        await close_room(room)


async def test_a_panel_the_participant_opened_stays_open(clinic: Clinic) -> None:
    """While topics are chosen the check-in panel is folded; opened by hand, it stays open, also when the
    discussion begins (which would fold it)."""
    room = await open_room(clinic, "participant", "agenda")
    try:
        toggle = room.page.locator("#panel-checkin .panel-toggle")
        await expect(toggle).to_have_attribute("aria-expanded", "false")
        await toggle.click()
        await expect(room.page.locator("#panel-checkin-body")).to_be_visible()
        await stir(room, next_phase("discussion", "Step 3"))
        await expect(toggle).to_have_attribute("aria-expanded", "true")
        await expect(room.page.locator("#panel-checkin-body")).to_be_visible()
        await toggle.click()  # and the person can still fold it
        await expect(room.page.locator("#panel-checkin-body")).to_be_hidden()
    finally:
        await close_room(room)


async def test_the_call_sound_switch_turned_off_stays_off(clinic: Clinic) -> None:
    """The switch beside the person's place in line is theirs: the queue growing behind them, and the next
    phase, never turn the sound back on nor take the focus off the switch."""
    room = await open_room(clinic, "participant", "check_in")
    try:
        page = room.page
        await page.locator("#visit-text").fill("My feet tingle")
        await page.locator("#visit-submit").click()
        switch = page.get_by_role("switch")
        await expect(switch).to_be_checked(timeout=LIVE)
        await switch.focus()
        await page.keyboard.press("Space")
        await expect(switch).not_to_be_checked()
        await stir(room, TO_AGENDA)
        await expect(switch).not_to_be_checked()
        await expect(switch).to_be_focused()
    finally:
        await close_room(room)


async def test_details_the_facilitator_opened_stay_open(clinic: Clinic) -> None:
    room = await open_room(clinic, "console", "check_in")
    try:
        await open_on_behalf(room)
        await stir(room, CONSOLE_TO_AGENDA)
        await expect(room.page.locator("#on-behalf")).to_have_attribute("open", "")
        await expect(room.page.locator("#request-text")).to_be_visible()
    finally:
        await close_room(room)


# ---- A form sent while the person goes on typing ------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    kind: str
    field: str
    submit: str
    phase: str
    arrived: Callable[[Page], Locator]  # what shows the command went through


SENT = [
    Sent("participant", "#topic-title", "#topic-submit", "agenda", lambda page: page.locator("#topic-list li")),
    Sent("participant", "#strategy-text", "#strategy-submit", "discussion",
         lambda page: page.locator("#strategy-list li")),
    Sent("console", "#walkin-name", "#walkin-submit", "check_in", lambda page: page.locator("#people-rows tr")),
    Sent("console", "#propose-title", "#propose-submit", "agenda", lambda page: page.locator("#topic-list li")),
]


@pytest.mark.parametrize("spec", SENT, ids=lambda spec: f"{spec.kind}-{spec.field.strip('#')}")
async def test_what_is_typed_after_sending_is_kept_when_the_answer_comes(clinic: Clinic, spec: Sent) -> None:
    """Offline, a command waits and the field stays open: what the person types meanwhile is theirs, and
    the answer, when it comes, must not empty the field."""
    room = await open_room(clinic, spec.kind, spec.phase)
    try:
        page = room.page
        before = await spec.arrived(page).count()
        await page.locator(spec.field).fill("Sleep")
        await room.screen.context.set_offline(True)  # the open websocket holds its frames back
        await page.locator(spec.submit).click()
        await page.locator(spec.field).focus()
        await page.keyboard.press("End")
        await page.keyboard.type(" and naps")
        await room.screen.context.set_offline(False)
        await expect(spec.arrived(page)).to_have_count(before + 1, timeout=LIVE)
        await expect(page.locator(spec.submit)).to_be_enabled(timeout=LIVE)  # the answer has come
        await expect(page.locator(spec.field)).to_have_value("Sleep and naps")
        await expect(page.locator(spec.field)).to_be_focused()
    finally:
        await close_room(room)
