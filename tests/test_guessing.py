"""Guessing limits hold when the guesses come all at once, across a restart and across server processes;
and a command id belongs to the screen that sent it.

Bursts are sent with one browser (its own CSRF cookie) per guess, every form fetched first and then
all posted together, so the server has them in hand at once, as an attacker's script would send them.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from conftest import Clinic
from groupvisit.domain.events import NumbersRecorded
from support.accounts import PASSWORD
from support.clients import form_token, join
from support.process import RecordingSocket, Seeded, ServerProcess, seeded

OTHER_ADDRESS = "127.0.0.2"  # loopback too: the server sees another client address


def browser(base: str, address: str | None = None) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address) if address else None
    return httpx.AsyncClient(base_url=base, transport=transport, timeout=60)


async def burst(base: str, path: str, forms: list[dict[str, str]], address: str | None = None) -> list[int]:
    """Post every form at once, each from its own browser that opened the form's page first; the statuses."""
    page = "/login" if path == "/login" else "/join"
    browsers = [browser(base, address) for _ in forms]
    try:
        tokens = [form_token((await b.get(page)).text) for b in browsers]
        answers = await asyncio.gather(*(b.post(path, data={**form, "csrf": token})
                                         for b, form, token in zip(browsers, forms, tokens)))
    finally:
        await asyncio.gather(*(b.aclose() for b in browsers))
    return [answer.status_code for answer in answers]


async def sign_in(base: str, username: str, password: str, address: str | None = None) -> int:
    return (await burst(base, "/login", [{"username": username, "password": password, "next": "/staff"}],
                        address))[0]


def wrong_passwords(username: str, count: int) -> list[dict[str, str]]:
    return [{"username": username, "password": f"wrong guess {n}", "next": "/staff"} for n in range(count)]


# ---- item 5: claimed before the work ----------------------------------------------------------------------

@pytest.mark.asyncio
async def test_twelve_wrong_passwords_at_once_are_five_refusals_and_seven_holds(clinic: Clinic) -> None:
    statuses = await burst(clinic.server.http, "/login", wrong_passwords("alex", 12))
    assert Counter(statuses) == {401: 5, 429: 7}, "every guess beyond the fifth must wait, however sent"
    assert await sign_in(clinic.server.http, "alex", PASSWORD) == 429


@pytest.mark.asyncio
async def test_thirty_wrong_join_codes_at_once_are_ten_not_found_and_twenty_holds(clinic: Clinic) -> None:
    forms = [{"code": f"ZZZZ{n:02d}", "display_name": "Guesser"} for n in range(30)]
    statuses = await burst(clinic.server.http, "/join", forms)
    assert Counter(statuses) == {404: 10, 429: 20}, "only ten codes may be looked up"
    held = await burst(clinic.server.http, "/join", [{"code": clinic.join_code, "display_name": "Ann"}])
    assert held == [429], "even the right code waits now"


@pytest.mark.asyncio
async def test_another_addresses_burst_does_not_hold_back_a_right_password(clinic: Clinic) -> None:
    # 30 wrong sign-ins at once from another address, four of them for alex (under her account's limit).
    forms = wrong_passwords("alex", 4) + [form for n in range(26) for form in wrong_passwords(f"guess{n}", 1)]
    statuses = await burst(clinic.server.http, "/login", forms, OTHER_ADDRESS)
    assert Counter(statuses) == {401: 20, 429: 10}, "that address is held back after twenty"
    assert await sign_in(clinic.server.http, "alex", PASSWORD, OTHER_ADDRESS) == 429
    assert await sign_in(clinic.server.http, "alex", PASSWORD) == 303, "alex's own address is not held back"


@pytest.mark.asyncio
async def test_a_right_password_or_code_never_counts_toward_a_limit(clinic: Clinic) -> None:
    base = clinic.server.http
    assert Counter(await burst(base, "/login", wrong_passwords("alex", 4))) == {401: 4}
    assert await sign_in(base, "alex", PASSWORD) == 303
    assert await sign_in(base, "alex", "one more wrong guess") == 401, "the success was counted as an attempt"
    assert await sign_in(base, "alex", "and another") == 429

    codes = [{"code": f"ZZZZ{n:02d}", "display_name": "Guesser"} for n in range(9)]
    assert Counter(await burst(base, "/join", codes)) == {404: 9}
    await join(base, clinic.join_code, "Ann")
    assert await burst(base, "/join", [{"code": "ZZZZZZ", "display_name": "Guesser"}]) == [404]
    assert await burst(base, "/join", [{"code": "ZZZZZY", "display_name": "Guesser"}]) == [429]


# ---- item 6: in the database --------------------------------------------------------------------------------

@pytest_asyncio.fixture
async def team_db(tmp_path: Path) -> AsyncIterator[Seeded]:
    """A session and its care team (password `PASSWORD`) in a database file a server process can serve."""
    async with seeded(tmp_path / "clinic.db") as room:
        yield room


@pytest.mark.asyncio
async def test_a_held_back_account_stays_held_after_the_server_restarts(team_db: Seeded) -> None:
    with ServerProcess(team_db.db_path) as server:
        assert Counter(await burst(server.http, "/login", wrong_passwords("alex", 5))) == {401: 5}
        assert await sign_in(server.http, "alex", PASSWORD) == 429
        await server.aterminate()
        await server.astart()
        assert await sign_in(server.http, "alex", PASSWORD) == 429, "the restart forgot the failures"
        assert await sign_in(server.http, "sam", PASSWORD) == 303


@pytest.mark.asyncio
async def test_two_server_processes_on_one_database_share_the_counts(team_db: Seeded, tmp_path: Path) -> None:
    with ServerProcess(team_db.db_path) as first, \
            ServerProcess(team_db.db_path, log_path=tmp_path / "second.log") as second:
        statuses = await asyncio.gather(burst(first.http, "/login", wrong_passwords("alex", 6)),
                                        burst(second.http, "/login", wrong_passwords("alex", 6)))
        assert Counter(statuses[0] + statuses[1]) == {401: 5, 429: 7}
        for server in (first, second):
            assert await sign_in(server.http, "alex", PASSWORD) == 429


# ---- item 7: command ids per credential ----------------------------------------------------------------------

@pytest.mark.asyncio
async def test_two_participants_using_one_command_id_both_have_their_commands_run(clinic: Clinic) -> None:
    url = f"{clinic.server.ws}/p/{clinic.session_id}/ws"
    ann = await RecordingSocket.open(url, (await join(clinic.server.http, clinic.join_code, "Ann"))[1])
    ben = await RecordingSocket.open(url, (await join(clinic.server.http, clinic.join_code, "Ben"))[1])
    try:
        first = await ann.command("same-id", "record_numbers", glucose=140)
        second = await ben.command("same-id", "record_numbers", glucose=180)
        assert first["type"] == second["type"] == "ack"
        assert not second.get("duplicate"), "Ben's command was taken for Ann's"
        assert second["seq"] > first["seq"]
        again = await ann.command("same-id", "record_numbers", glucose=999)  # Ann's screen re-sends it
        assert again == {"type": "ack", "id": "same-id", "seq": first["seq"], "duplicate": True}
    finally:
        await ann.close()
        await ben.close()
    recorded = [event for _, event in await clinic.store.events(clinic.session_id)
                if isinstance(event, NumbersRecorded)]
    assert sorted(event.glucose or 0 for event in recorded) == [140, 180], "each command ran once"
