"""Check-in and the roster: who joined, corrections, self-recorded numbers and visit requests."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class ParticipantJoined(Event):
    """`participant_id` checked in as `display_name` at `at`."""

    type = "participant_joined"
    participant_id: str
    display_name: str
    at: float

@dataclass(frozen=True)
class ParticipantRenamed(Event):
    """The facilitator corrected `participant_id`'s display name to `display_name` (a typo, a look-alike)."""

    type = "participant_renamed"
    participant_id: str
    display_name: str

@dataclass(frozen=True)
class ParticipantMarked(Event):
    """The facilitator marked `participant_id` as `status` at `at`: present (here), left (went home early: took
    part, not here now) or mistake (checked in by mistake: counted nowhere, their votes on open topics freed)."""

    type = "participant_marked"
    audience = "private"
    participant_id: str
    status: str
    at: float

@dataclass(frozen=True)
class NumbersRecorded(Event):
    """Self-monitoring numbers for `participant_id`, entered by `recorded_by` (an actor id); `glucose` is in
    `glucose_unit` (mg/dL or mmol/L: logs from before it are in mg/dL)."""

    type = "numbers_recorded"
    audience = "private"
    participant_id: str
    bp_systolic: int | None
    bp_diastolic: int | None
    weight: float | None
    weight_unit: str
    glucose: float | None
    recorded_by: str
    at: float
    glucose_unit: str = "mg/dL"

@dataclass(frozen=True)
class VisitRequested(Event):
    """`participant_id` asks for a one-on-one about `text`: encounter `encounter_id` joins the queue (or its text changes)."""

    type = "visit_requested"
    audience = "private"
    encounter_id: str
    participant_id: str
    text: str
    at: float

@dataclass(frozen=True)
class ParticipantMatched(Event):
    """The facilitator matched `participant_id` to the cohort's roster patient `patient_id` ("" = a guest, not
    on the roster): from then on they are the same person across the cohort's sessions."""

    type = "participant_matched"
    audience = "private"
    participant_id: str
    patient_id: str
    at: float
