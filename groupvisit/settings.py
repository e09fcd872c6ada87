"""All configuration, read in one place: environment variables, then command-line flags."""

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DATA_DIR = Path("groupvisit-data")


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'groupvisit.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # how people's devices reach the server, for the join QR code; defaults to host:port
    hub_url: str = "memory://"
    ws_max_size: int = 64 * 1024

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        settings = cls()
        if "GROUPVISIT_DB" in env:
            settings = replace(settings, database_url=database_url(env["GROUPVISIT_DB"]))
        if "GROUPVISIT_PUBLIC_URL" in env:
            settings = replace(settings, public_url=env["GROUPVISIT_PUBLIC_URL"])
        if "GROUPVISIT_HUB" in env:
            settings = replace(settings, hub_url=env["GROUPVISIT_HUB"])
        return settings


def database_url(value: str) -> str:
    """A database URL, or a file path meaning SQLite."""
    return value if "://" in value else f"sqlite:///{Path(value)}"
