"""The chart note: an attending's co-signature of a patient's note, kept in the session's log like every other fact
of the visit."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class ChartNoteCosigned(Event):
    """Attending clinician `by` (`name`) co-signed the chart note of `participant_id` at `at`."""

    type = "chart_note_cosigned"
    audience = "private"
    participant_id: str
    by: str
    name: str
    at: float


@dataclass(frozen=True)
class CosignWithdrawn(Event):
    """Attending `by` withdrew their co-signature of the chart note of `participant_id` at `at`: the note is
    no longer co-signed (the log keeps both)."""

    type = "cosign_withdrawn"
    audience = "private"
    participant_id: str
    by: str
    at: float
