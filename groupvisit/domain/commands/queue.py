"""The one-on-ones: asking for one, the clinician's call → start → complete, undo, and the plan's inputs."""

from dataclasses import dataclass

from ..roles import CLINICIAN, PEOPLE, STAFF
from .base import Command


@dataclass(frozen=True)
class RequestVisit(Command):
    """What the participant wants to talk about one-on-one: puts them in the encounter queue."""

    name = "request_visit"
    roles = PEOPLE
    text: str
    participant_id: str = ""


@dataclass(frozen=True)
class WithdrawRequest(Command):
    """"I don't need it today": the participant takes their waiting request out of the queue (staff name the
    `participant_id` of someone without a device)."""

    name = "withdraw_request"
    roles = PEOPLE
    participant_id: str = ""


@dataclass(frozen=True)
class CallParticipant(Command):
    """The clinician is ready for the participant of `encounter_id`, in `room`."""

    name = "call_participant"
    roles = CLINICIAN
    encounter_id: str
    room: str = ""


@dataclass(frozen=True)
class StartEncounter(Command):
    name = "start_encounter"
    roles = CLINICIAN
    encounter_id: str


@dataclass(frozen=True)
class CompleteEncounter(Command):
    """End the encounter with the clinician's `note` (for the record, staff only) and `instruction` (what the
    patient should remember: their own screen and take-home summary show it)."""

    name = "complete_encounter"
    roles = CLINICIAN
    encounter_id: str
    note: str = ""
    instruction: str = ""


@dataclass(frozen=True)
class NotHere(Command):
    """The called participant did not come: back to the end of the queue."""

    name = "not_here"
    roles = CLINICIAN
    encounter_id: str


@dataclass(frozen=True)
class SkipEncounter(Command):
    """Pass over a waiting participant for now: to the end of the queue."""

    name = "skip_encounter"
    roles = STAFF
    encounter_id: str


@dataclass(frozen=True)
class UndoEncounter(Command):
    """Undo the latest call, start, complete, not-here or skip on `encounter_id`: only whoever did it, and only
    for a short while after (`undo.UNDO_SECONDS`)."""

    name = "undo_encounter"
    roles = STAFF
    encounter_id: str


@dataclass(frozen=True)
class GoOnDuty(Command):
    """The clinician joins the plan (late is fine), leaving at `until` (server seconds; None: to the end); sent
    again, it changes `until`."""

    name = "go_on_duty"
    roles = CLINICIAN
    until: float | None = None


@dataclass(frozen=True)
class GoOffDuty(Command):
    """The clinician leaves the plan now: no more one-on-ones for them."""

    name = "go_off_duty"
    roles = CLINICIAN


@dataclass(frozen=True)
class SetEstimate(Command):
    """How many `minutes` (1-60) the one-on-one of `encounter_id` should take; None: the session's estimate again."""

    name = "set_estimate"
    roles = CLINICIAN
    encounter_id: str
    minutes: float | None


@dataclass(frozen=True)
class MoveUp(Command):
    """Move the waiting participant of `encounter_id` to the front of the queue (the latest moved goes first)."""

    name = "move_up"
    roles = CLINICIAN
    encounter_id: str
