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
