"""Checking in and the roster: joining, corrections, matching to the cohort's roster, last session's follow-up,
numbers."""

from dataclasses import dataclass

from ..roles import FACILITATOR, PARTICIPANT, PEOPLE, Role
from .base import Command


@dataclass(frozen=True)
class Join(Command):
    """Check in as `display_name` (staff may check in a participant who has no device)."""

    name = "join"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    display_name: str


@dataclass(frozen=True)
class RenameParticipant(Command):
    """Correct `participant_id`'s display name (a typo, a look-alike)."""

    name = "rename_participant"
    roles = FACILITATOR
    display_name: str
    participant_id: str = ""


@dataclass(frozen=True)
class MarkParticipant(Command):
    """Mark `participant_id` as `status`: left (went home early), mistake (checked in by mistake) or present."""

    name = "mark_participant"
    roles = FACILITATOR
    status: str
    participant_id: str = ""


@dataclass(frozen=True)
class MatchParticipant(Command):
    """`participant_id` is the cohort's roster patient `patient_id` ("" = not on the roster: a guest)."""

    name = "match_participant"
    roles = FACILITATOR
    participant_id: str
    patient_id: str


@dataclass(frozen=True)
class GiveFollowUp(Command):
    """How the last session's goal went: `outcome` done, partly or not_yet, and what got in the way
    (`obstacle`, optional); the facilitator names the `participant_id` of someone without a device."""

    name = "give_follow_up"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    outcome: str
    obstacle: str = ""
    participant_id: str = ""


@dataclass(frozen=True)
class RecordNumbers(Command):
    """Self-recorded numbers; staff name the `participant_id`, a participant records their own. Glucose is in
    `glucose_unit`, the session's when left out."""

    name = "record_numbers"
    roles = PEOPLE
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    weight: float | None = None
    weight_unit: str = "kg"
    glucose: float | None = None
    participant_id: str = ""
    glucose_unit: str | None = None  # mg/dL or mmol/L; None: the session's
