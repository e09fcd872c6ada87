"""The tables. Events are the record; the other tables find sessions and people."""

from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class CohortRow(SQLModel, table=True):
    """A standing group: a closed series of `planned_sessions`, or a drop-in group; the defaults its
    sessions are created with. Archived cohorts are kept, read-only."""

    __tablename__ = "cohorts"

    id: str = Field(primary_key=True)
    name: str
    condition: str = ""
    languages: str = "en"  # the room's languages, comma-separated codes ("en,es")
    kind: str = "series"  # series | drop_in
    planned_sessions: int | None = None  # for a series
    session_minutes: int = 120
    vote_budget: int = 3
    timebox_minutes: int = 8
    room: str = ""
    created_at: float
    archived_at: float | None = None
    # The planner's settings of its sessions (domain/settings.py): minutes per one-on-one, the flags, the units.
    minutes_per_patient: float = 7.0
    systolic_high: int = 180
    diastolic_high: int = 110
    glucose_low: float = 70.0
    glucose_high: float = 300.0
    glucose_unit: str = "mg/dL"  # or mmol/L
    weight_unit: str = "lb"  # or kg


class PatientRow(SQLModel, table=True):
    """One patient enrolled in one cohort (the roster). Staff-only; every read and change is audited.
    A chart number is unique within a cohort."""

    __tablename__ = "patients"
    __table_args__ = (Index("ux_patients_cohort_mrn", "cohort_id", "mrn", unique=True),)

    id: str = Field(primary_key=True)
    cohort_id: str = Field(foreign_key="cohorts.id", index=True)
    clinic_name: str  # the name the clinic knows them by
    display_name: str  # the name they prefer in the room
    language: str = "en"
    mrn: str | None = None  # chart number, for matching to the health record
    birth_date: str | None = None  # ISO date
    agreement_signed_on: str | None = None  # ISO date of the group-confidentiality agreement
    enrolled_at: float
    left_at: float | None = None  # no longer in the cohort: kept for the record


class SessionRow(SQLModel, table=True):
    __tablename__ = "sessions"

    id: str = Field(primary_key=True)
    cohort: str
    cohort_id: str | None = Field(default=None, foreign_key="cohorts.id", index=True)
    title: str
    join_code: str = Field(unique=True, index=True)
    starts_at: float
    ends_at: float
    projector_key_hash: str
    last_seq: int = 0
    # Mirrors of the log, written in the same transaction as its events, so lists need no replay:
    cancelled_at: float | None = None


class EventRow(SQLModel, table=True):
    """One event of one session's log; (session_id, seq) has no gaps and no repeats."""

    __tablename__ = "events"

    session_id: str = Field(primary_key=True, foreign_key="sessions.id")
    seq: int = Field(primary_key=True)
    type: str
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    recorded_at: float


class UserRow(SQLModel, table=True):
    """A staff member's own account: one person, one login (an admin, a facilitator or a clinician)."""

    __tablename__ = "users"

    id: str = Field(primary_key=True)
    username: str = Field(unique=True, index=True)
    name: str
    role: str
    password_hash: str  # argon2id, with its parameters and salt
    disabled: bool = False
    created_at: float
    attending: bool = False  # a clinician who may co-sign residents' chart notes


class SignInRow(SQLModel, table=True):
    """A staff member signed in on one browser: the hash of the token in its cookie.
    Kept after it ends (with when and why), so the table is also a record of every sign-in."""

    __tablename__ = "sign_ins"

    token_hash: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    device: str
    started_at: float
    active_at: float
    ended_at: float | None = None
    ended_why: str = ""


class CredentialRow(SQLModel, table=True):
    """A participant device's credential: the hash of the token in its cookie. A shared clinic
    tablet's credential lapses after idle time, so the next patient cannot act as the last."""

    __tablename__ = "participant_devices"

    token_hash: str = Field(primary_key=True)
    session_id: str = Field(foreign_key="sessions.id", index=True)
    participant_id: str
    shared: bool = False
    active_at: float = 0.0


class ReturnCodeRow(SQLModel, table=True):
    """A one-time "let back in" code the facilitator asked for, so a participant whose device was lost or
    wiped becomes themselves again on another one. Only its hash is kept; it works once, before `expires_at`.
    Who issued and who used it is in the audit table."""

    __tablename__ = "return_codes"

    code_hash: str = Field(primary_key=True)
    session_id: str = Field(foreign_key="sessions.id", index=True)
    participant_id: str
    issued_by: str  # the facilitator's account id
    issued_at: float
    expires_at: float
    used_at: float | None = None


class CommandRow(SQLModel, table=True):
    """A command a screen sent, by the credential that sent it and the id the screen gave it, and
    the last seq it caused: written with its events, so a command re-sent after a lost ack is not
    run twice, and one screen's id never stands for another's command."""

    __tablename__ = "commands"

    session_id: str = Field(primary_key=True, foreign_key="sessions.id")
    sender: str = Field(primary_key=True)  # `Granted.sender`; "" for commands stored before ids were per sender
    command_id: str = Field(primary_key=True)
    seq: int


class AttemptRow(SQLModel, table=True):
    """A guess (a password, a join code) that failed or is under way, counted against one limit's key
    until it expires; an attempt that succeeds is deleted. Keys are stored only as hashes: a
    username field can hold a mistyped password."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_limit_key_expires_at", "limit_key", "expires_at"),)

    claim: str = Field(primary_key=True)  # one claim covers its keys (an account and an address)
    limit_key: str = Field(primary_key=True)
    expires_at: float = Field(index=True)


class AuditRow(SQLModel, table=True):
    """Who, from which device, when, viewed or changed what: appended, never updated or deleted."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str | None = Field(default=None, foreign_key="sessions.id", index=True)
    cohort_id: str | None = Field(default=None, foreign_key="cohorts.id", index=True)  # a roster or schedule change
    at: float
    role: str
    actor_id: str
    actor_name: str
    device: str
    action: str  # viewed | changed
    what: str
    subject: str = ""  # the participant whose data it was, when it was one person's
