"""Correcting the roster: a participant's name, and whether they are really here.

- `left`: went home early. They took part (the projector's "people took part" counts them) but
  are not here now ("people here" does not); a waiting encounter leaves the queue, not seen.
- `mistake`: checked in by mistake (a test, a double check-in). Counted nowhere; their votes on
  open topics go back, their roster match (and follow-up) is undone, a waiting encounter is
  withdrawn, and their devices are forgotten (the store does that in the same transaction), so
  their screen closes.
- `present`: undoes either mark; a withdrawn encounter goes back to the end of the queue. Freed
  votes and forgotten devices stay so: vote again, and let the person back in on a device.
A person being called or seen by a clinician cannot be marked: that encounter ends first.
"""

from .checkin import NAME_LIMIT, refuse_look_alike
from .commands import MarkParticipant, RenameParticipant
from .errors import Refused, require
from .events import EncounterWithdrawn, Event, ParticipantMarked, ParticipantRenamed, ReturnedToQueue
from .roles import Actor
from .state import Encounter, Participant, SessionState
from .text import clean_text

STATUSES = ("present", "left", "mistake")
WHAT = {"present": "present", "left": "left", "mistake": "checked in by mistake"}


def participant(state: SessionState, participant_id: str) -> Participant:
    require(bool(participant_id), "say which participant this is for (participant_id)", "invalid")
    found = state.participants.get(participant_id)
    if found is None:
        raise Refused(f"there is no participant {participant_id!r} in this session", "not_found")
    return found


def rename_participant(state: SessionState, cmd: RenameParticipant, actor: Actor, now: float) -> list[Event]:
    person = participant(state, cmd.participant_id)
    require(person.took_part, f"{person.name} was checked in by mistake: mark them present first", "conflict")
    name = clean_text(cmd.display_name, "a display name", NAME_LIMIT)
    require(name != person.name, f"{person.name} already has that name", "conflict")
    refuse_look_alike(state, name, person.id)
    return [ParticipantRenamed(person.id, name)]


def mark_participant(state: SessionState, cmd: MarkParticipant, actor: Actor, now: float) -> list[Event]:
    require(cmd.status in STATUSES, f"mark a participant as {', '.join(STATUSES)}, not {cmd.status!r}", "invalid")
    person = participant(state, cmd.participant_id)
    require(cmd.status != person.status, f"{person.name} is already marked {WHAT[cmd.status]}", "conflict")
    enc = state.open_encounter(person.id)
    if person.status == "mistake":  # their name was freed meanwhile: it must still tell them apart
        refuse_look_alike(state, person.name, person.id)
    if cmd.status == "present":
        withdrawn = latest_encounter(state, person.id)
        events: list[Event] = [ParticipantMarked(person.id, "present", now)]
        # Back in line only if the mark took them out of it: a request they withdrew themselves stays so.
        if enc is None and withdrawn is not None and withdrawn.withdrawn_reason in ("left", "mistake"):
            events.append(ReturnedToQueue(withdrawn.id, person.id, actor.id, "present_again", now))
        return events
    if enc is not None and enc.active:
        raise Refused(f"{enc.clinician_name} has {'called' if enc.status == 'called' else 'started seeing'} "
                      f"{person.name}: complete that encounter or send them back to the queue first", "encounter_open")
    events = [EncounterWithdrawn(enc.id, person.id, cmd.status, now)] if enc is not None else []
    return [*events, ParticipantMarked(person.id, cmd.status, now)]


def latest_encounter(state: SessionState, participant_id: str) -> Encounter | None:
    return next((e for e in reversed(state.encounters.values()) if e.participant_id == participant_id), None)


def apply_renamed(state: SessionState, e: ParticipantRenamed) -> None:
    state.participants[e.participant_id].name = e.display_name


def apply_marked(state: SessionState, e: ParticipantMarked) -> None:
    person = state.participants[e.participant_id]
    person.status = e.status
    if e.status == "mistake":
        person.patient_id = None  # their roster patient is free for the real check-in
        state.follow_ups.pop(person.id, None)
        for topic in state.open_topics():
            topic.votes.pop(e.participant_id, None)


def apply_withdrawn(state: SessionState, e: EncounterWithdrawn) -> None:
    enc = state.encounters[e.encounter_id]
    enc.status, enc.withdrawn_reason = "withdrawn", e.reason
    enc.last_action = None  # a move before the withdrawal is no longer the latest: nothing to undo
