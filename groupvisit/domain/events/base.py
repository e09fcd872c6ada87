"""The base of every event: its wire `type`, who may read it, and how it is written to the log."""

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

Audience = Literal["everyone", "private"]


@dataclass(frozen=True)
class Event:
    type: ClassVar[str]
    audience: ClassVar[Audience] = "everyone"
    personal: ClassVar[tuple[str, ...]] = ()
    staff_only: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}
