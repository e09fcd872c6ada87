"""Who can act in a session. Each role's screen receives a different stream."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    FACILITATOR = "facilitator"
    CLINICIAN = "clinician"
    PARTICIPANT = "participant"
    PROJECTOR = "projector"

    @property
    def is_staff(self) -> bool:
        return self in (Role.FACILITATOR, Role.CLINICIAN)


@dataclass(frozen=True)
class Actor:
    """Who sends a command or watches a stream: a participant id, or a staff member's id and name (`attending`:
    a clinician account that may co-sign a resident's chart notes)."""

    role: Role
    id: str = ""
    name: str = ""
    attending: bool = False


STAFF = frozenset({Role.FACILITATOR, Role.CLINICIAN})
FACILITATOR = frozenset({Role.FACILITATOR})
CLINICIAN = frozenset({Role.CLINICIAN})
PARTICIPANT = frozenset({Role.PARTICIPANT})
PEOPLE = frozenset({Role.FACILITATOR, Role.CLINICIAN, Role.PARTICIPANT})
