"""`groupvisit demo` and `groupvisit serve` as a user runs them: a real process, real requests."""

import argparse
import asyncio
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from groupvisit.actions import Sessions
from groupvisit.clock import SystemClock
from groupvisit.domain import Actor, Role
from groupvisit.domain.commands import CloseSession
from groupvisit.hub.memory import MemoryHub
from groupvisit.store import Store
from support.clients import form_token

START_TIMEOUT = 20.0


@contextmanager
def running(*args: str) -> Iterator[list[str]]:
    """Start `groupvisit ARGS`; yields the lines it printed up to "running"; stopped with SIGTERM."""
    process = subprocess.Popen([sys.executable, "-m", "groupvisit", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if "Uvicorn running on" in line:
                break
        assert any("Uvicorn running on" in line for line in lines), "\n".join(lines)
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def demo_urls(lines: list[str]) -> dict[str, str]:
    urls = {}
    for line in lines:
        match = re.match(r"\s+(Projector|Facilitator console|Clinician queue|Participant join):\s+(\S+)", line)
        if match:
            urls.setdefault(match.group(1), match.group(2))
    return urls


def demo_passwords(lines: list[str]) -> dict[str, str]:
    """The staff accounts the demo printed, with the passwords it printed for them."""
    found = (re.match(r"\s+(\S+)\s+(?:admin|facilitator|clinician)\s+.*\bpassword (\S+)$", line) for line in lines)
    return {match.group(1): match.group(2) for match in found if match}


def signed_in_get(url: str, username: str, password: str) -> httpx.Response:
    """Open a staff screen as a person does: sent to the sign-in page, then back to the screen."""
    with httpx.Client(follow_redirects=True) as browser:
        sign_in = browser.get(url)
        assert sign_in.url.path == "/login", f"{url} did not ask to sign in"
        form = {"username": username, "password": password, "next": sign_in.url.params["next"],
                "csrf": form_token(sign_in.text)}
        return browser.post(str(sign_in.url.copy_with(query=None)), data=form)


def test_the_demo_prints_four_screens_that_all_open(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        urls = demo_urls(lines)
        assert set(urls) == {"Projector", "Facilitator console", "Clinician queue", "Participant join"}
        passwords = demo_passwords(lines)
        assert set(passwords) == {"admin", "alex", "sam", "priya", "lee"}
        for name in ("Projector", "Participant join"):
            assert httpx.get(urls[name]).status_code == 200, f"{name}: {urls[name]}"
        console = signed_in_get(urls["Facilitator console"], "alex", passwords["alex"])
        assert console.status_code == 200 and "Facilitator console" in console.text
        queue = signed_in_get(urls["Clinician queue"], "sam", passwords["sam"])
        assert queue.status_code == 200 and "Dr. Sam Okafor" in queue.text
        assert re.search(r"join code [A-Z0-9]{6}", "\n".join(lines))
    assert db.exists()


def test_running_the_demo_again_keeps_the_session_and_issues_new_links(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        first = demo_urls(lines)
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        second = demo_urls(lines)
        assert not demo_passwords(lines), "passwords are printed only when the accounts are made"
        old_key = first["Projector"].split("?")[1]
        session_path = second["Projector"].split("?")[0]
        assert session_path.split("/")[-1] == first["Projector"].split("?")[0].split("/")[-1]
        assert httpx.get(f"{session_path}?{old_key}").status_code == 403, "an old link stops working"


def test_running_the_demo_again_after_closing_its_session_gives_a_new_one(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        first = demo_urls(lines)["Projector"].split("?")[0].split("/")[-1]
    asyncio.run(close_session(f"sqlite:///{db}", first))
    with running("demo", "--port", "0", "--db", str(db)) as lines:
        second = demo_urls(lines)
        session_id = second["Projector"].split("?")[0].split("/")[-1]
        assert session_id != first, "a closed session is no demo: a new one is made"
        assert "This session has ended" not in httpx.get(second["Projector"]).text


async def close_session(url: str, session_id: str) -> None:
    store = Store(url)
    try:
        sessions = Sessions(store, MemoryHub(), SystemClock())
        await sessions.execute(session_id, CloseSession(), Actor(Role.FACILITATOR, "f", "Facilitator"))
    finally:
        store.close()


def test_serve_starts_without_demo_data(tmp_path: Path) -> None:
    with running("serve", "--port", "0", "--db", str(tmp_path / "empty.db")) as lines:
        url = next(re.search(r"(http://\S+)", line).group(1) for line in lines if "Uvicorn running on" in line)
        assert httpx.get(f"{url}/healthz").text == "ok\n"
        assert httpx.get(f"{url}/join").status_code == 200


def test_a_bad_port_is_refused_with_a_message_naming_the_flag() -> None:
    result = subprocess.run([sys.executable, "-m", "groupvisit", "demo", "--port", "70000"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert "--port must be a number from 0 to 65535" in result.stderr


def commands_and_flags(parser: argparse.ArgumentParser, path: str = "groupvisit") -> Iterator[tuple[str, str]]:
    """(command, long flag) for every command and sub-command under `parser`, walked all the way down;
    a command with no flags of its own comes with an empty flag."""
    yield path, ""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands_and_flags(sub, f"{path} {name}")
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                yield path, flag


def test_every_flag_of_every_command_is_documented_in_the_readme() -> None:
    from groupvisit.cli import parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    found = list(commands_and_flags(parser()))
    assert ("groupvisit user add", "--name") in found and ("groupvisit user set-password", "--password-stdin") in found
    missing = [f"{command} {flag}" for command, flag in found if flag and f"`{flag}`" not in readme]
    assert not missing, f"flags missing from README.md: {', '.join(missing)}"
    commands = {command for command, _ in found}
    leaves = {command for command in commands if not any(other.startswith(command + " ") for other in commands)}
    unnamed = sorted(command for command in leaves if command not in readme)
    assert not unnamed, f"commands README.md never shows: {', '.join(unnamed)}"
