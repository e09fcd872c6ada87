"""The one-on-one queue: calls, encounters, returns to the queue and withdrawals; who is on duty, estimates and
moves up."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class ParticipantCalled(Event):
    """Clinician `clinician_id` (`clinician_name`) is ready for `participant_id` in `room`: encounter `encounter_id`."""

    type = "participant_called"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    clinician_name: str
    room: str
    at: float

@dataclass(frozen=True)
class EncounterStarted(Event):
    """Encounter `encounter_id` of `participant_id` with `clinician_id` started at `at`."""

    type = "encounter_started"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    at: float

@dataclass(frozen=True)
class EncounterCompleted(Event):
    """Encounter `encounter_id` ended at `at`, with the clinician's short `note` (staff only) and `instruction`,
    what the patient should remember (sent to them too)."""

    type = "encounter_completed"
    audience = "private"
    staff_only = ("note",)
    encounter_id: str
    participant_id: str
    clinician_id: str
    note: str
    at: float
    instruction: str = ""  # added later: an older log's encounters gave the patient nothing to remember

@dataclass(frozen=True)
class ReturnedToQueue(Event):
    """Encounter `encounter_id` went back to the end of the queue: `reason` is not_here (was called), skipped (was waiting) or
    present_again (it had been withdrawn and its participant was marked present again)."""

    type = "returned_to_queue"
    audience = "private"
    encounter_id: str
    participant_id: str
    clinician_id: str
    reason: str
    at: float

@dataclass(frozen=True)
class EncounterWithdrawn(Event):
    """Waiting encounter `encounter_id` of `participant_id` left the queue at `at`, not seen: `reason` is left or
    mistake (how the participant was marked) or not_needed (they withdrew their request: "I don't need it today")."""

    type = "encounter_withdrawn"
    audience = "private"
    encounter_id: str
    participant_id: str
    reason: str
    at: float

@dataclass(frozen=True)
class EncounterUndone(Event):
    """Staff member `by` undid `undone` (call, start, complete, not_here or skip) on encounter `encounter_id` at
    `at`: the encounter is restored to `status`, `clinician_id`, `clinician_name`, `room`, `called_at`,
    `started_at`, `ended_at`, `queued_at`, `returns` and `note` (after an undone complete, the note written at
    completion, kept for editing). The log keeps the undone event; this one says what it restores."""

    type = "encounter_undone"
    audience = "private"
    staff_only = ("note",)
    encounter_id: str
    participant_id: str
    undone: str
    by: str
    status: str
    clinician_id: str
    clinician_name: str
    room: str
    called_at: float | None
    started_at: float | None
    ended_at: float | None
    queued_at: float
    returns: int
    note: str
    at: float
    moved_up_at: float | None = None  # added later: an older log's undone moves were never of a moved-up patient


@dataclass(frozen=True)
class ClinicianOnDuty(Event):
    """Clinician `clinician_id` (`name`) is in the plan from `at`, until `until` (None: to the end); sent again, the
    new `until` replaces the old."""

    type = "clinician_on_duty"
    audience = "private"  # no participant_id: staff only
    clinician_id: str
    name: str
    until: float | None
    at: float


@dataclass(frozen=True)
class ClinicianOffDuty(Event):
    """Clinician `clinician_id` left the plan at `at`: no more one-on-ones for them."""

    type = "clinician_off_duty"
    audience = "private"
    clinician_id: str
    at: float


@dataclass(frozen=True)
class EstimateSet(Event):
    """Clinician `by` expects encounter `encounter_id` of `participant_id` to take `minutes` (None: the session's
    estimate again)."""

    type = "estimate_set"
    audience = "private"
    encounter_id: str
    participant_id: str
    minutes: float | None
    by: str
    at: float


@dataclass(frozen=True)
class MovedUp(Event):
    """Clinician `by` moved waiting encounter `encounter_id` of `participant_id` to the front of the queue at `at`."""

    type = "moved_up"
    audience = "private"
    encounter_id: str
    participant_id: str
    by: str
    at: float
