"""Whom a command is about: participants act as themselves, staff name a participant."""

from .errors import Refused, require
from .roles import Actor, Role
from .state import SessionState


def subject_of(state: SessionState, actor: Actor, participant_id: str) -> str:
    if actor.role is Role.PARTICIPANT:
        require(not participant_id or participant_id == actor.id,
                "a participant can only act for themselves", "forbidden")
        require(actor.id in state.participants, "check in first", "not_checked_in")
        return actor.id
    require(bool(participant_id), "say which participant this is for (participant_id)", "invalid")
    if participant_id not in state.participants:
        raise Refused(f"there is no participant {participant_id!r} in this session", "not_found")
    return participant_id
