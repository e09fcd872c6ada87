"""What every command is: a request a screen sends; `rules.decide` turns it into events or refuses it. Each
class names its wire `name`, the roles that may send it and the phases it is allowed in. Fields are plain
JSON types so that the protocol layer can validate them generically."""

from dataclasses import dataclass
from typing import ClassVar

from ..phases import OPEN, Phase
from ..roles import Role

EARLY = frozenset({Phase.CHECK_IN, Phase.AGENDA})
GOAL_SETTING = frozenset({Phase.GOALS, Phase.WRAP_UP})


@dataclass(frozen=True)
class Command:
    name: ClassVar[str]
    roles: ClassVar[frozenset[Role]]
    phases: ClassVar[frozenset[Phase]] = OPEN
