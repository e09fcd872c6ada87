"""A session's life: scheduled, its phases opened, closed."""

from dataclasses import dataclass

from .base import Event


@dataclass(frozen=True)
class SessionScheduled(Event):
    """A session is planned: who, when, its join code and its settings (minutes, votes) and the planner's, from
    its cohort: `minutes_per_patient`, the numbers that flag a patient (`systolic_high`, `diastolic_high`
    at or above; glucose below `glucose_low` or above `glucose_high`, in `glucose_unit`) and the room's units
    (`glucose_unit` mg/dL or mmol/L, `weight_unit` lb or kg). A log from before these fields reads with the defaults."""

    type = "session_scheduled"
    session_id: str
    title: str
    cohort: str
    starts_at: float
    ends_at: float
    join_code: str
    vote_budget: int = 3
    timebox_minutes: int = 8
    goals_minutes: int = 15
    wrapup_minutes: int = 5
    minutes_per_patient: float = 7.0
    systolic_high: int = 180
    diastolic_high: int = 110
    glucose_low: float = 70.0
    glucose_high: float = 300.0
    glucose_unit: str = "mg/dL"
    weight_unit: str = "lb"

@dataclass(frozen=True)
class PhaseOpened(Event):
    """The facilitator moved the room to `phase` at `at`."""

    type = "phase_opened"
    phase: str
    at: float

@dataclass(frozen=True)
class SessionClosed(Event):
    """The facilitator closed the session at `at`; nothing changes after this."""

    type = "session_closed"
    at: float

@dataclass(frozen=True)
class SessionRescheduled(Event):
    """Staff moved the session, before anyone checked in, to `starts_at`-`ends_at` (UTC seconds)."""

    type = "session_rescheduled"
    starts_at: float
    ends_at: float
    at: float

@dataclass(frozen=True)
class SessionCancelled(Event):
    """Staff cancelled the session before anyone checked in: it will not be held (`reason` is for staff)."""

    type = "session_cancelled"
    audience = "private"
    reason: str
    at: float
