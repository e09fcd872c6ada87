"""The state of one session: the fold of its events, never stored on its own."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .phases import Phase
from .settings import PlannerSettings

if TYPE_CHECKING:
    from .history import Continuity
    from .planner import Plan


@dataclass
class Numbers:
    bp_systolic: int | None
    bp_diastolic: int | None
    weight: float | None
    weight_unit: str
    glucose: float | None
    at: float
    glucose_unit: str = "mg/dL"


@dataclass
class Participant:
    id: str
    name: str
    joined_at: float
    numbers: Numbers | None = None
    status: str = "present"  # present | left (went home early) | mistake (checked in by mistake)
    patient_id: str | None = None  # the roster patient the facilitator matched; "" a guest; None not yet

    @property
    def took_part(self) -> bool:
        return self.status != "mistake"


@dataclass
class Topic:
    id: str
    title: str
    proposer_id: str
    anonymous: bool
    proposed_at: float
    votes: dict[str, int] = field(default_factory=dict)
    status: str = "open"  # open | hidden | merged
    merged_into: str = ""

    @property
    def total(self) -> int:
        return sum(self.votes.values())


@dataclass
class AgendaItem:
    topic_id: str
    minutes: int
    status: str = "pending"  # pending | current | done
    started_at: float | None = None
    ends_at: float | None = None
    ended_at: float | None = None
    extensions: int = 0
    room_votes: dict[str, str] = field(default_factory=dict)


@dataclass
class Strategy:
    id: str
    text: str
    topic_id: str
    author_id: str
    anonymous: bool
    captured_by: str
    at: float
    helpful: set[str] = field(default_factory=set)
    hidden: bool = False
    tried: set[str] = field(default_factory=set)  # "I tried it and it helped"
    origin: str = ""  # brought from the cohort's library: its id there, "session_id:strategy_id"


@dataclass(frozen=True)
class Before:
    """An encounter's queue fields as they were before an action: what undoing that action restores."""

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
    moved_up_at: float | None


@dataclass(frozen=True)
class LastAction:
    """The latest action on an encounter that can still be undone: `action` (call | start | complete |
    not_here | skip), by staff member `by`, at `at`, and the encounter as it was `before`."""

    action: str
    by: str
    at: float
    before: Before


@dataclass
class Encounter:
    id: str
    participant_id: str
    request: str
    requested_at: float
    queued_at: float
    status: str = "waiting"  # waiting | called | in_progress | completed | withdrawn (left the queue, not seen)
    clinician_id: str = ""
    clinician_name: str = ""
    room: str = ""
    called_at: float | None = None
    started_at: float | None = None
    ended_at: float | None = None
    note: str = ""
    # What the patient should remember, given at completion; only a completion changes it, so an undone
    # completion keeps it for the clinician to edit and send again.
    instruction: str = ""
    returns: int = 0
    returned_as: tuple[str, ...] = ()  # why it went back to the queue each time: not_here, skipped, present_again
    withdrawn_reason: str = ""  # left | mistake (how the participant was marked) | not_needed (they withdrew it)
    last_action: LastAction | None = None  # None: nothing to undo (never acted on, undone, or changed since)
    estimate_minutes: float | None = None  # a clinician's estimate for this one; None: the session's
    estimated_at: float | None = None  # when a clinician last set or cleared it
    moved_up_at: float | None = None  # when a clinician moved them to the front; cleared when called or sent back

    def remember(self, action: str, by: str, at: float) -> None:
        """Record `action` as undoable, with the fields it is about to change (call before changing them)."""
        self.last_action = LastAction(action, by, at, Before(
            self.status, self.clinician_id, self.clinician_name, self.room, self.called_at, self.started_at,
            self.ended_at, self.queued_at, self.returns, self.note, self.moved_up_at))

    @property
    def active(self) -> bool:
        return self.status in ("called", "in_progress")

    @property
    def open(self) -> bool:
        return self.status not in ("completed", "withdrawn")

    @property
    def minutes(self) -> float | None:
        """How long the one-on-one took, from its start (or its call, if never started) to its end."""
        began = self.started_at if self.started_at is not None else self.called_at
        return None if began is None or self.ended_at is None else (self.ended_at - began) / 60


@dataclass
class Duty:
    """A clinician who said they are in the plan: since when, until when (None: to the end), and when they
    went off duty (None: still on)."""

    name: str
    since: float
    until: float | None = None
    off_at: float | None = None


@dataclass
class Goal:
    what: str
    how_much: str
    when: str
    how_often: str
    confidence: int
    shared: bool
    at: float


@dataclass
class Evaluation:
    rating: int
    helped: str
    change: str
    at: float


@dataclass
class FollowUp:
    """How a returning patient's goal from an earlier session (`goal_session_id`) went."""

    goal_session_id: str
    outcome: str  # done | partly | not_yet
    obstacle: str
    at: float


@dataclass(frozen=True)
class Cosign:
    """An attending's co-signature of a patient's chart note: who (`by`, `name`) and when."""

    by: str
    name: str
    at: float


@dataclass
class SessionState:
    session_id: str = ""
    title: str = ""
    cohort: str = ""
    starts_at: float = 0.0
    ends_at: float = 0.0
    join_code: str = ""
    vote_budget: int = 3
    timebox_minutes: int = 8
    goals_minutes: int = 15
    wrapup_minutes: int = 5
    settings: PlannerSettings = field(default_factory=PlannerSettings)  # the planner's, from the cohort
    phase: Phase = Phase.CHECK_IN
    phase_opened_at: float = 0.0
    seq: int = 0
    participants: dict[str, Participant] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    agenda: list[AgendaItem] = field(default_factory=list)
    strategies: dict[str, Strategy] = field(default_factory=dict)
    encounters: dict[str, Encounter] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    follow_ups: dict[str, FollowUp] = field(default_factory=dict)  # by participant_id
    duty: dict[str, Duty] = field(default_factory=dict)  # by clinician_id: who said they are in the plan
    cosigns: dict[str, Cosign] = field(default_factory=dict)  # by participant_id: their chart note's co-signature
    closed_at: float | None = None
    cancelled_at: float | None = None
    # What the cohort's earlier sessions carry in (roster, last goals, library): derived from their logs
    # by the I/O layer when it loads the session, never stored in this log. None outside a cohort.
    continuity: "Continuity | None" = field(default=None, compare=False, repr=False)
    # The one-on-ones' plan of this state, made once per event for all of its screens (`views.current_plan`):
    # derived, never compared, and no longer current once `seq` moves on.
    plan_memo: "tuple[int, Plan] | None" = field(default=None, compare=False, repr=False)

    @property
    def goals_at(self) -> float:
        """When the goals phase is planned to start: discussion must fit before it."""
        return self.ends_at - (self.goals_minutes + self.wrapup_minutes) * 60

    def took_part(self) -> list[Participant]:
        """Everyone who really came: all but those checked in by mistake."""
        return [p for p in self.participants.values() if p.took_part]

    def here(self) -> list[Participant]:
        """Those in the room now: not gone home early, not checked in by mistake."""
        return [p for p in self.participants.values() if p.status == "present"]

    def votes_used(self, participant_id: str) -> int:
        return sum(t.votes.get(participant_id, 0) for t in self.topics.values() if t.status == "open")

    def open_topics(self) -> list[Topic]:
        return [t for t in self.topics.values() if t.status == "open"]

    def current_item(self) -> AgendaItem | None:
        return next((item for item in self.agenda if item.status == "current"), None)

    def open_encounter(self, participant_id: str) -> Encounter | None:
        return next((e for e in self.encounters.values() if e.participant_id == participant_id and e.open), None)

    def clinician_encounter(self, clinician_id: str) -> Encounter | None:
        return next((e for e in self.encounters.values() if e.clinician_id == clinician_id and e.active), None)
