"""Every command a screen can send, in one place.

A command is a request; `rules.decide` turns it into events or refuses it. Each class
names its wire `name`, the roles that may send it and the phases it is allowed in.
Fields are plain JSON types so that the protocol layer can validate them generically.
"""

from dataclasses import dataclass
from typing import ClassVar

from .phases import OPEN, Phase
from .roles import CLINICIAN, FACILITATOR, PARTICIPANT, PEOPLE, STAFF, Role

EARLY = frozenset({Phase.CHECK_IN, Phase.AGENDA})
GOAL_SETTING = frozenset({Phase.GOALS, Phase.WRAP_UP})


@dataclass(frozen=True)
class Command:
    name: ClassVar[str]
    roles: ClassVar[frozenset[Role]]
    phases: ClassVar[frozenset[Phase]] = OPEN


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
class Reschedule(Command):
    """Move the session to `starts_at`-`ends_at` (UTC seconds), before anyone has checked in."""

    name = "reschedule"
    roles = FACILITATOR
    phases = frozenset({Phase.CHECK_IN})
    starts_at: float
    ends_at: float


@dataclass(frozen=True)
class CancelSession(Command):
    """The session will not be held (`reason` is for staff), decided before anyone has checked in."""

    name = "cancel_session"
    roles = FACILITATOR
    phases = frozenset({Phase.CHECK_IN})
    reason: str = ""


@dataclass(frozen=True)
class OpenPhase(Command):
    """Move the room forward to `phase` (agenda, discussion, goals or wrap_up); skipping agenda topics
    needs `confirm`."""

    name = "open_phase"
    roles = FACILITATOR
    phase: str
    confirm: bool = False


@dataclass(frozen=True)
class SetVoteBudget(Command):
    """Give each participant `budget` votes."""

    name = "set_vote_budget"
    roles = FACILITATOR
    phases = EARLY
    budget: int


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
class ProposeTopic(Command):
    name = "propose_topic"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = EARLY
    title: str
    anonymous: bool = False


@dataclass(frozen=True)
class EditTopic(Command):
    name = "edit_topic"
    roles = FACILITATOR
    topic_id: str
    title: str


@dataclass(frozen=True)
class HideTopic(Command):
    name = "hide_topic"
    roles = FACILITATOR
    phases = EARLY
    topic_id: str


@dataclass(frozen=True)
class MergeTopics(Command):
    """Merge the duplicate `topic_id` into `into_topic_id`."""

    name = "merge_topics"
    roles = FACILITATOR
    phases = EARLY
    topic_id: str
    into_topic_id: str


@dataclass(frozen=True)
class CastVote(Command):
    name = "cast_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.AGENDA})
    topic_id: str


@dataclass(frozen=True)
class RetractVote(Command):
    name = "retract_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.AGENDA})
    topic_id: str


@dataclass(frozen=True)
class NextTopic(Command):
    """End the current topic and start the next one on the agenda."""

    name = "next_topic"
    roles = FACILITATOR
    phases = frozenset({Phase.DISCUSSION})


@dataclass(frozen=True)
class ExtendTopic(Command):
    """Keep going on the current topic; each extension is shorter than the last."""

    name = "extend_topic"
    roles = FACILITATOR
    phases = frozenset({Phase.DISCUSSION})


@dataclass(frozen=True)
class RoomVote(Command):
    """When the timebox runs out: `choice` is keep_going or move_on."""

    name = "room_vote"
    roles = PARTICIPANT
    phases = frozenset({Phase.DISCUSSION})
    choice: str


@dataclass(frozen=True)
class CaptureStrategy(Command):
    """A strategy a peer shared. Staff may attribute it to `participant_id`."""

    name = "capture_strategy"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    text: str
    anonymous: bool = False
    participant_id: str = ""


@dataclass(frozen=True)
class EditStrategy(Command):
    name = "edit_strategy"
    roles = FACILITATOR
    strategy_id: str
    text: str


@dataclass(frozen=True)
class HideStrategy(Command):
    """Take a strategy off the wall (`hidden`), or put it back (`hidden` false)."""

    name = "hide_strategy"
    roles = FACILITATOR
    strategy_id: str
    hidden: bool = True


@dataclass(frozen=True)
class MarkHelpful(Command):
    """"This could help me", once per strategy."""

    name = "mark_helpful"
    roles = PARTICIPANT
    strategy_id: str


@dataclass(frozen=True)
class MarkTried(Command):
    """"I tried it and it helped" (`helped`), or taking that back."""

    name = "mark_tried"
    roles = PARTICIPANT
    strategy_id: str
    helped: bool = True


@dataclass(frozen=True)
class BringStrategy(Command):
    """Bring `library_id`, a strategy of the cohort's library, onto today's board."""

    name = "bring_strategy"
    roles = FACILITATOR
    library_id: str


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


@dataclass(frozen=True)
class SetGoal(Command):
    """One action plan: what, how much, when, how often, and confidence 0-10; the facilitator names the
    `participant_id` of someone without a device."""

    name = "set_goal"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = GOAL_SETTING
    what: str
    how_much: str
    when: str
    how_often: str
    confidence: int
    shared: bool = False
    participant_id: str = ""


@dataclass(frozen=True)
class ShareGoal(Command):
    name = "share_goal"
    roles = PARTICIPANT
    phases = GOAL_SETTING
    shared: bool


@dataclass(frozen=True)
class GiveEvaluation(Command):
    name = "give_evaluation"
    roles = frozenset({Role.PARTICIPANT, Role.FACILITATOR})
    phases = frozenset({Phase.WRAP_UP})
    rating: int
    helped: str = ""
    change: str = ""
    participant_id: str = ""


@dataclass(frozen=True)
class CloseSession(Command):
    """End the session; with people still waiting in the queue, only with `confirm`."""

    name = "close_session"
    roles = FACILITATOR
    confirm: bool = False


@dataclass(frozen=True)
class CosignChartNote(Command):
    """An attending co-signs the chart note of `participant_id`: once their one-on-one is completed, or the session
    closed. The one command a closed session still takes: the record is signed after the visit."""

    name = "cosign_chart_note"
    roles = CLINICIAN
    phases = frozenset(Phase)
    participant_id: str


@dataclass(frozen=True)
class WithdrawCosign(Command):
    """The attending who co-signed the chart note of `participant_id` takes their co-signature back (signed in
    error, or the note must be read again): it may then be co-signed anew."""

    name = "withdraw_cosign"
    roles = CLINICIAN
    phases = frozenset(Phase)
    participant_id: str


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.name: cls
    for cls in (
        Join, RenameParticipant, MarkParticipant, OpenPhase, SetVoteBudget, RecordNumbers, RequestVisit, ProposeTopic, EditTopic,
        HideTopic, MergeTopics, CastVote, RetractVote, NextTopic, ExtendTopic, RoomVote,
        CaptureStrategy, EditStrategy, HideStrategy, MarkHelpful, CallParticipant, StartEncounter, CompleteEncounter,
        NotHere, SkipEncounter, SetGoal, ShareGoal, GiveEvaluation, CloseSession, MatchParticipant, GiveFollowUp,
        MarkTried, BringStrategy, Reschedule, CancelSession, UndoEncounter, WithdrawRequest, GoOnDuty, GoOffDuty,
        SetEstimate, MoveUp, CosignChartNote, WithdrawCosign,
    )
}
