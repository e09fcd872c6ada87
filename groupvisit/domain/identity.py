"""Whom a command is about: participants act as themselves, staff name a participant."""

from .errors import Refused, require
from .roles import Actor, Role
from .state import SessionState


def subject_of(state: SessionState, actor: Actor, participant_id: str) -> str:
    if actor.role is Role.PARTICIPANT:
        require(not participant_id or participant_id == actor.id,
                "a participant can only act for themselves", "forbidden")
        require_checked_in(state, actor)
        return actor.id
    require(bool(participant_id), "say which participant this is for (participant_id)", "invalid")
    if participant_id not in state.participants:
        raise Refused(f"there is no participant {participant_id!r} in this session", "not_found")
    person = state.participants[participant_id]
    require(person.took_part, f"{person.name} was checked in by mistake: mark them present first", "conflict")
    return participant_id


def require_checked_in(state: SessionState, actor: Actor) -> None:
    """A participant acting as themselves; one checked in by mistake no longer is."""
    person = state.participants.get(actor.id)
    require(person is not None and person.took_part, "check in first", "not_checked_in")
