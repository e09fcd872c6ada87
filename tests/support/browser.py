"""Real-browser support: Debian's Chromium, one watched page per screen, and a device link that can drop.

Every screen records what would otherwise pass unnoticed: console errors, uncaught page errors,
dialogs (an `alert` from injected markup) and the live frames it received (for privacy checks).
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import (Browser, BrowserContext, ConsoleMessage, Dialog, Frame, Page, Playwright,
                                  WebSocket, async_playwright)

from support.accounts import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OFFLINE_ERROR = "net::ERR_INTERNET_DISCONNECTED"  # how Chromium reports a request made while offline


async def launch_chromium(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Screen:
    """One device: its own browser context (cookies, network, clock) and its page, watched."""

    name: str
    context: BrowserContext
    page: Page
    problems: list[str] = field(default_factory=list)  # console errors and page errors nobody caused on purpose
    offline_errors: list[str] = field(default_factory=list)  # the ones the test caused by going offline
    dialogs: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # every live frame the page received, raw
    sockets: list[str] = field(default_factory=list)  # the URL of every websocket the page opened
    loads: list[str] = field(default_factory=list)  # every document the page loaded: a reload shows here
    offline: bool = False

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = f"{message.text} (at {message.location.get('url', '?')})"
        # Only while this device is offline, and only Chromium's own "offline" failure, is expected.
        (self.offline_errors if self.offline and OFFLINE_ERROR in message.text else self.problems).append(text)

    def on_page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught: {error}")

    async def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def on_navigated(self, frame: Frame) -> None:
        if frame.parent_frame is None:
            self.loads.append(frame.url)

    def on_websocket(self, socket: WebSocket) -> None:
        self.sockets.append(socket.url)
        socket.on("framereceived", lambda payload: self.frames.append(str(payload)))

    @contextmanager
    def expecting_offline_errors(self) -> Iterator[None]:
        self.offline = True
        try:
            yield
        finally:
            self.offline = False

    async def screenshot(self, path: Path) -> None:
        await self.page.screenshot(path=path)  # what the device shows right now


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium for one test, closed after it whatever happens."""
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            yield browser
        finally:
            await browser.close()


async def open_screen(browser: Browser, name: str, width: int, height: int, **options: Any) -> Screen:
    """A new context and page, watched from the start; its clock installed so a test can move it."""
    context = await browser.new_context(viewport={"width": width, "height": height}, **options)
    await context.clock.install()  # runs in real time until the test fast-forwards it
    page = await context.new_page()
    screen = Screen(name, context, page)
    page.on("console", screen.on_console)
    page.on("pageerror", screen.on_page_error)
    page.on("dialog", screen.on_dialog)
    page.on("websocket", screen.on_websocket)
    page.on("framenavigated", screen.on_navigated)
    return screen


class DeviceLink:
    """A TCP relay between one device and the server: `cut()` drops its connections as a lost network does.

    Chromium's offline emulation (`context.set_offline`) refuses new requests but keeps an open websocket
    open (its frames are only held back), so on its own it never makes a page reconnect.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.server: asyncio.Server | None = None
        self.port = 0
        self.connections: set[asyncio.StreamWriter] = set()
        self.relays: set[asyncio.Task[None]] = set()

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> "DeviceLink":
        self.server = await asyncio.start_server(self.relay, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def relay(self, device_reader: asyncio.StreamReader, device_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.relays.add(task)
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self.connections.update((device_writer, server_writer))
        try:
            await asyncio.gather(pipe(device_reader, server_writer), pipe(server_reader, device_writer))
        finally:
            for writer in (device_writer, server_writer):
                self.connections.discard(writer)
                writer.transport.abort()
            self.relays.discard(task)

    def cut(self) -> None:
        """Drop every open connection at once, both ways."""
        for writer in list(self.connections):
            writer.transport.abort()

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        self.cut()
        await asyncio.gather(*self.relays, return_exceptions=True)


async def open_signed_in(page: Page, url: str, username: str) -> None:
    """Open a staff screen as staff do: it sends them to sign in, then back to the screen."""
    await page.goto(url)
    await page.locator("#username").fill(username)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#sign-in").click()
    await page.wait_for_url(url)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.transport.abort()


# ---- Accessibility and fit: what a screen must pass wherever it is shown -------------------------------

SERIOUS = ("serious", "critical")
TOUCH_TARGET = 44  # CSS pixels, each way

# Every control a finger can aim at; a radio or checkbox drawn by its label (the input itself visually
# hidden) is aimed at through the label.
SMALL_TARGETS_JS = """(least) => {
  const small = [];
  for (const node of document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex='0']")) {
    if (!node.getClientRects().length || getComputedStyle(node).visibility === "hidden") continue;
    if (node.closest(".visually-hidden, .skip-link")) continue;
    let box = node.getBoundingClientRect();
    const drawnByLabel = node.type === "radio" || node.type === "checkbox";
    if (drawnByLabel && (box.width <= 1 || box.height <= 1) && node.labels.length) {
      box = node.labels[0].getBoundingClientRect();
    }
    if (box.width < least || box.height < least) {
      const name = node.id || node.getAttribute("data-testid") || node.textContent.trim().slice(0, 30);
      small.push(`${node.tagName.toLowerCase()} ${name}: ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""

OVERFLOW_JS = """() => {
  const root = document.scrollingElement || document.documentElement;
  const wide = [...document.body.querySelectorAll("*")]
    .filter((node) => node.getClientRects().length && node.getBoundingClientRect().right > root.clientWidth + 0.5
      && !node.closest(".visually-hidden, .skip-link"))
    .map((node) => `${node.tagName.toLowerCase()}${node.id ? "#" + node.id : ""}.${node.className}: `
      + Math.round(node.getBoundingClientRect().right));
  return { width: root.scrollWidth - root.clientWidth, height: root.scrollHeight - root.clientHeight, wide };
}"""


async def axe_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]  # only these tests need it

    results = await Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in SERIOUS]


async def small_targets(page: Page, least: int = TOUCH_TARGET) -> list[str]:
    result: list[str] = await page.evaluate(SMALL_TARGETS_JS, least)
    return result


async def overflow(page: Page) -> dict[str, Any]:
    """How far the page scrolls beyond its viewport, across and down (0 when it fits), and what sticks out."""
    result: dict[str, Any] = await page.evaluate(OVERFLOW_JS)
    return result


# ---- Screenshots ---------------------------------------------------------------------------------------

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"  # what README shows


def screenshot_dirs() -> list[Path]:
    """Where screenshots go: always the test artifacts; README's copies too with GROUPVISIT_UPDATE_SCREENSHOTS=1."""
    import os

    wanted = [ARTIFACTS] + ([DOCS_SCREENSHOTS] if os.environ.get("GROUPVISIT_UPDATE_SCREENSHOTS") == "1" else [])
    for folder in wanted:
        folder.mkdir(parents=True, exist_ok=True)
    return wanted


async def add_cookie(context: BrowserContext, base: str, cookie: str) -> None:
    """Give a browser a credential made elsewhere (`gv_signin=…` from the store, `gv_participant=…` from a
    join), as if it had signed in or joined itself: a test that opens many screens need not post the
    sign-in form (and hash a password) for each."""
    name, value = cookie.split("=", 1)
    await context.add_cookies([{"name": name, "value": value, "url": base}])
