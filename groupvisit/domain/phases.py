"""The phases of one session, in the order the room goes through them."""

from enum import StrEnum


class Phase(StrEnum):
    CHECK_IN = "check_in"
    AGENDA = "agenda"
    DISCUSSION = "discussion"
    GOALS = "goals"
    WRAP_UP = "wrap_up"
    CLOSED = "closed"

    @property
    def rank(self) -> int:
        return ORDER.index(self)

    @property
    def label(self) -> str:
        return LABELS[self]


ORDER = list(Phase)
OPEN = frozenset(p for p in Phase if p is not Phase.CLOSED)
LABELS = {
    Phase.CHECK_IN: "check-in",
    Phase.AGENDA: "agenda setting",
    Phase.DISCUSSION: "discussion",
    Phase.GOALS: "goals",
    Phase.WRAP_UP: "wrap-up",
    Phase.CLOSED: "closed",
}
