"""All configuration, read in one place: environment variables, then command-line flags."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .program.schedule import zone_info

DEFAULT_DATA_DIR = Path("groupvisit-data")


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'groupvisit.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # how people's devices reach the server, for the join QR code; defaults to host:port
    hub_url: str = "memory://"
    ws_max_size: int = 64 * 1024
    # A screen whose network vanished is dropped after about interval + timeout seconds.
    ws_ping_interval: float = 20.0
    ws_ping_timeout: float = 20.0
    outgoing_limit: int = 256  # frames waiting for one screen before it is cut off (it then catches up)
    rate_per_second: float = 20.0  # per connection; far above what a person does
    rate_burst: int = 60
    abuse_limit: int = 20  # bad messages within a minute before the connection is closed
    staff_idle_minutes: float = 15.0  # a staff sign-in without activity for this long ends
    staff_limit_hours: float = 12.0  # and every staff sign-in ends after this long, active or not
    # A shared clinic tablet forgets its participant after this long untouched (and at Done, and at close):
    # listening to the discussion without a touch for a quarter of an hour is normal in a 2-hour visit.
    tablet_idle_minutes: float = 30.0
    access_check_seconds: float = 2.0  # how often an open screen's credential is checked again
    time_zone: str = "UTC"  # the clinic's IANA zone: staff pages show times in it, series are planned in it
    test_ack_delay: float = 0.0  # a test hook: a pause between committing a command and acknowledging it

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Settings from `GROUPVISIT_<NAME>` variables; `SettingsError` names a bad one."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            variable = ENV_NAMES.get(spec.name, f"GROUPVISIT_{spec.name.upper()}")
            if variable in env:
                values[spec.name] = parse(variable, env[variable], PARSERS.get(spec.name, str))
        return replace(cls(), **values)


def database_url(value: str) -> str:
    """A database URL, or a file path meaning SQLite."""
    return value if "://" in value else f"sqlite:///{Path(value)}"


def positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def check(text: str) -> Any:
        value = kind(text)
        if value <= 0:
            raise ValueError("must be more than 0")
        return value

    return check


def not_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def time_zone(text: str) -> str:
    return zone_info(text).key


def parse(variable: str, text: str, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(text)
    except ValueError as error:
        raise SettingsError(f"{variable}={text!r} is not usable: {error}") from None


ENV_NAMES = {"database_url": "GROUPVISIT_DB", "hub_url": "GROUPVISIT_HUB", "outgoing_limit": "GROUPVISIT_OUTGOING_LIMIT"}
PARSERS: dict[str, Callable[[str], Any]] = {
    "database_url": database_url, "port": int, "ws_max_size": positive(int),
    "ws_ping_interval": positive(float), "ws_ping_timeout": positive(float), "outgoing_limit": positive(int),
    "rate_per_second": positive(float), "rate_burst": positive(int), "abuse_limit": positive(int),
    "test_ack_delay": not_negative, "staff_idle_minutes": positive(float), "staff_limit_hours": positive(float),
    "tablet_idle_minutes": positive(float), "access_check_seconds": positive(float), "time_zone": time_zone,
}
