"""`groupvisit user …` as an administrator runs it: a real process on a SQLite file, then a real sign-in."""

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from groupvisit.clock import ManualClock
from support.accounts import groupvisit_user
from support.clients import send_form
from support.server import LiveServer

PASSWORD = "a kettle, two mugs and a spoon"
NEW_PASSWORD = "the blue door by the car park"
SIGNED_IN_AT = 1_790_000_000.0  # the server's manual clock: `list` must show this instant


def add(db: Path, username: str, name: str, role: str, password: str = PASSWORD) -> None:
    result = groupvisit_user(db, "add", username, "--name", name, "--role", role, "--password-stdin",
                             password=password)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Added {role} {username} ({name}).\n"


def listed(db: Path) -> dict[str, str]:
    """`groupvisit user list`, one line per account, by username."""
    result = groupvisit_user(db, "list")
    assert result.returncode == 0, result.stderr
    return {line.split()[0]: line for line in result.stdout.splitlines()}


def contents(db: Path) -> str:
    """Everything stored in the database, as SQL: equal before and after means nothing changed."""
    with sqlite3.connect(db) as connection:
        return "\n".join(connection.iterdump())


async def sign_in(server: LiveServer, username: str, password: str) -> httpx.Response:
    """Submit the sign-in form as a browser does (its CSRF token first); the answer, not followed."""
    async with httpx.AsyncClient(base_url=server.http) as browser:
        return await send_form(browser, "/login", {"username": username, "password": password}, page="/login")


@pytest.mark.asyncio
async def test_an_added_account_signs_in_and_the_list_shows_its_role_state_and_last_sign_in(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    assert groupvisit_user(db, "list").stdout.startswith("There are no staff accounts yet")
    add(db, "jo.bloggs", "Nurse Jo Bloggs", "facilitator")
    add(db, "ravi", "Dr. Ravi Shah", "clinician", password=NEW_PASSWORD)
    before = listed(db)
    assert re.fullmatch(r"jo\.bloggs\s+facilitator\s+active\s+last sign-in never\s+Nurse Jo Bloggs",
                        before["jo.bloggs"]), before
    assert re.fullmatch(r"ravi\s+clinician\s+active\s+last sign-in never\s+Dr\. Ravi Shah", before["ravi"])

    server = LiveServer(db, ManualClock(SIGNED_IN_AT))
    await server.astart()
    try:
        signed_in = await sign_in(server, "Jo.Bloggs", PASSWORD)  # a username is not case-sensitive
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff"
        home = httpx.get(f"{server.http}/staff", cookies={"gv_signin": signed_in.cookies["gv_signin"]})
        assert home.status_code == 200 and "Signed in as <strong>Nurse Jo Bloggs</strong> (facilitator)" in home.text
    finally:
        await server.astop()

    after = listed(db)
    seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(SIGNED_IN_AT))
    assert re.fullmatch(rf"jo\.bloggs\s+facilitator\s+active\s+last sign-in {seen}\s+Nurse Jo Bloggs",
                        after["jo.bloggs"]), after
    assert after["ravi"] == before["ravi"], "only the account that signed in has a last sign-in"
    stored = db.read_bytes()
    assert PASSWORD.encode() not in stored and NEW_PASSWORD.encode() not in stored
    with sqlite3.connect(db) as connection:
        hashes = [row[0] for row in connection.execute("SELECT password_hash FROM users")]
    assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes), hashes


@pytest.mark.asyncio
async def test_disable_enable_and_set_password_take_effect_at_the_next_sign_in(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    add(db, "sam", "Dr. Sam Okafor", "clinician")
    server = LiveServer(db, ManualClock(SIGNED_IN_AT))
    await server.astart()
    try:
        disabled = groupvisit_user(db, "disable", "sam")
        assert disabled.returncode == 0 and disabled.stdout.startswith("Disabled sam")
        assert re.match(r"sam\s+clinician\s+disabled\s", listed(db)["sam"])
        refused = await sign_in(server, "sam", PASSWORD)
        assert refused.status_code == 401 and "This account has been disabled" in refused.text

        enabled = groupvisit_user(db, "enable", "sam")
        assert enabled.returncode == 0 and enabled.stdout.startswith("Enabled sam")
        assert re.match(r"sam\s+clinician\s+active\s", listed(db)["sam"])
        assert (await sign_in(server, "sam", PASSWORD)).status_code == 303

        # Piped from a file written on Windows: the line ends in CR LF, and neither is part of the password.
        changed = groupvisit_user(db, "set-password", "sam", "--password-stdin", password=NEW_PASSWORD + "\r")
        assert changed.returncode == 0 and changed.stdout.startswith("New password set for sam")
        assert (await sign_in(server, "sam", PASSWORD)).status_code == 401, "the old password no longer works"
        assert (await sign_in(server, "sam", NEW_PASSWORD)).status_code == 303
    finally:
        await server.astop()


REFUSED = {
    "bad role": (["add", "bo", "--name", "Bo", "--role", "doctor", "--password-stdin"], PASSWORD,
                 "the role 'doctor' is not one of admin, facilitator, clinician"),
    "short password": (["add", "bo", "--name", "Bo", "--role", "clinician", "--password-stdin"], "eleven char",
                       "the password must be at least 12 characters"),
    "password with the username": (["add", "bo.lee", "--name", "Bo", "--role", "clinician", "--password-stdin"],
                                   "I am Bo.Lee, hello there", "the password must not contain the username"),
    "duplicate username": (["add", "ALEX", "--name", "Another Alex", "--role", "clinician", "--password-stdin"],
                           PASSWORD, "there is already an account 'alex'"),
    "unknown user": (["disable", "nobody"], None, "there is no account 'nobody'"),
    "unknown user's password": (["set-password", "nobody", "--password-stdin"], PASSWORD,
                                "there is no account 'nobody'"),
    "bad username": (["add", "Bo Lee!", "--name", "Bo", "--role", "clinician", "--password-stdin"], PASSWORD,
                     "the username 'Bo Lee!' is not usable"),
    "empty name": (["add", "bo", "--name", "  ", "--role", "clinician", "--password-stdin"], PASSWORD,
                   "the name must be 1 to 80 printable characters"),
    "no terminal, no --password-stdin": (["add", "bo", "--name", "Bo", "--role", "clinician"], None,
                                         "no terminal to ask for the password on: pass --password-stdin"),
    "a new password too short": (["set-password", "alex", "--password-stdin"], "too short",
                                 "the password must be at least 12 characters"),
    "a new password with the username": (["set-password", "alex", "--password-stdin"], "alex's new password",
                                         "the password must not contain the username"),
    "missing role": (["add", "bo", "--name", "Bo", "--password-stdin"], PASSWORD,
                     "the following arguments are required: --role"),
    "an attending facilitator": (["add", "bo", "--name", "Bo", "--role", "facilitator", "--attending",
                                  "--password-stdin"], PASSWORD,
                                 "only a clinician can be an attending, and this account is facilitator"),
    "a facilitator made an attending": (["attending", "alex"], None,
                                        "only a clinician can be an attending, and alex is facilitator"),
    "an unknown attending": (["attending", "nobody"], None, "there is no account 'nobody'"),
}


def test_an_attending_is_added_or_marked_and_unmarked_and_the_list_says_so(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    made = groupvisit_user(db, "add", "osei", "--name", "Dr. Ama Osei", "--role", "clinician", "--attending",
                           "--password-stdin", password=PASSWORD)
    assert made.returncode == 0 and made.stdout == "Added attending clinician osei (Dr. Ama Osei).\n", made
    add(db, "ravi", "Dr. Ravi Shah", "clinician")
    assert re.fullmatch(r"osei\s+attending\s+active.*", listed(db)["osei"])
    assert re.fullmatch(r"ravi\s+clinician\s+active.*", listed(db)["ravi"])
    marked = groupvisit_user(db, "attending", "ravi")
    assert marked.returncode == 0 and "ravi is an attending" in marked.stdout
    assert re.fullmatch(r"ravi\s+attending\s+active.*", listed(db)["ravi"])
    unmarked = groupvisit_user(db, "not-attending", "osei")
    assert unmarked.returncode == 0 and "osei is no longer an attending" in unmarked.stdout
    assert re.fullmatch(r"osei\s+clinician\s+active.*", listed(db)["osei"])


@pytest.fixture(scope="module")
def with_alex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding one account, made once: each refusal test works on its own copy."""
    db = tmp_path_factory.mktemp("accounts") / "clinic.db"
    add(db, "alex", "Nurse Alex Rivera", "facilitator")
    assert not db.with_name("clinic.db-wal").exists(), "the command left its changes outside the file"
    return db


@pytest.mark.parametrize("case", REFUSED)
def test_bad_input_exits_2_naming_what_was_wrong_and_changes_nothing(with_alex: Path, tmp_path: Path,
                                                                      case: str) -> None:
    db = Path(shutil.copy(with_alex, tmp_path / "clinic.db"))
    before = contents(db)
    assert "Nurse Alex Rivera" in before
    args, password, message = REFUSED[case]
    result = groupvisit_user(db, *args, password=password)
    assert result.returncode == 2, result
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
    assert contents(db) == before, "a refused command changed what was stored"
