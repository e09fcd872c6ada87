"""The individual-visit queue: clinicians call, start and complete brief one-on-one encounters.

A participant has at most one open encounter, a clinician at most one active one
(called or in progress); a decision is made against the state every earlier event
built, so two calls for the same person cannot both succeed.
"""

from .commands import CallParticipant, CompleteEncounter, NotHere, SkipEncounter, StartEncounter
from .errors import Refused, require
from .events import EncounterCompleted, EncounterStarted, Event, ParticipantCalled, ReturnedToQueue
from .roles import Actor
from .state import Encounter, SessionState
from .text import clean_text

ROOM_LIMIT = 40
NOTE_LIMIT = 1000
INSTRUCTION_LIMIT = 1000


def encounter(state: SessionState, encounter_id: str) -> Encounter:
    found = state.encounters.get(encounter_id)
    if found is None:
        raise Refused(f"there is no encounter {encounter_id!r} in the queue", "not_found")
    return found


def name_of(state: SessionState, enc: Encounter) -> str:
    return state.participants[enc.participant_id].name


def mine(state: SessionState, enc: Encounter, actor: Actor, status: str, doing: str) -> None:
    """Refuse unless `enc` is this clinician's and in `status`."""
    if enc.active and enc.clinician_id != actor.id:
        raise Refused(f"{enc.clinician_name} has {name_of(state, enc)}, not you", "conflict")
    require(enc.status == status, f"cannot {doing}: {name_of(state, enc)}'s encounter is {enc.status.replace('_', ' ')}",
            "wrong_status")


def call_participant(state: SessionState, cmd: CallParticipant, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    # A call always says where to go: the participant's screen shows the room.
    room = clean_text(cmd.room, "the room to come to", ROOM_LIMIT)
    if enc.active:
        who = "you have" if enc.clinician_id == actor.id else f"{enc.clinician_name} has"
        raise Refused(f"{who} already called {name_of(state, enc)}", "already_called")
    require(enc.status == "waiting", f"{name_of(state, enc)}'s encounter is already complete", "wrong_status")
    busy = state.clinician_encounter(actor.id)
    if busy is not None:
        raise Refused(f"you are still with {name_of(state, busy)}: complete that encounter "
                      "or send them back to the queue first", "clinician_busy")
    return [ParticipantCalled(enc.id, enc.participant_id, actor.id, actor.name, room, now)]


def start_encounter(state: SessionState, cmd: StartEncounter, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    mine(state, enc, actor, "called", "start")
    return [EncounterStarted(enc.id, enc.participant_id, actor.id, now)]


def complete_encounter(state: SessionState, cmd: CompleteEncounter, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    note = clean_text(cmd.note, "the note", NOTE_LIMIT, required=False, multiline=True)
    instruction = clean_text(cmd.instruction, "what the patient should remember", INSTRUCTION_LIMIT,
                             required=False, multiline=True)
    mine(state, enc, actor, "in_progress", "complete")
    return [EncounterCompleted(enc.id, enc.participant_id, actor.id, note, now, instruction)]


def not_here(state: SessionState, cmd: NotHere, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    mine(state, enc, actor, "called", "send back to the queue")
    return [ReturnedToQueue(enc.id, enc.participant_id, actor.id, "not_here", now)]


def skip_encounter(state: SessionState, cmd: SkipEncounter, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    require(enc.status == "waiting", f"only a waiting participant can be skipped; {name_of(state, enc)} is "
            f"{enc.status.replace('_', ' ')}", "wrong_status")
    return [ReturnedToQueue(enc.id, enc.participant_id, actor.id, "skipped", now)]


def apply_called(state: SessionState, e: ParticipantCalled) -> None:
    enc = state.encounters[e.encounter_id]
    enc.remember("call", e.clinician_id, e.at)
    enc.status, enc.clinician_id, enc.clinician_name = "called", e.clinician_id, e.clinician_name
    enc.room, enc.called_at = e.room, e.at
    enc.moved_up_at = None  # moved up to be called: they were


def apply_started(state: SessionState, e: EncounterStarted) -> None:
    enc = state.encounters[e.encounter_id]
    enc.remember("start", e.clinician_id, e.at)
    enc.status, enc.started_at = "in_progress", e.at


def apply_completed(state: SessionState, e: EncounterCompleted) -> None:
    enc = state.encounters[e.encounter_id]
    enc.remember("complete", e.clinician_id, e.at)
    enc.status, enc.ended_at, enc.note, enc.instruction = "completed", e.at, e.note, e.instruction


# What each return to the queue undoes as; one for a participant marked present again is the facilitator's
# correction of a mark, not undone here.
UNDONE_AS = {"not_here": "not_here", "skipped": "skip"}


def apply_returned(state: SessionState, e: ReturnedToQueue) -> None:
    enc = state.encounters[e.encounter_id]
    if e.reason in UNDONE_AS:
        enc.remember(UNDONE_AS[e.reason], e.clinician_id, e.at)
    else:
        enc.last_action = None
    enc.returned_as += (e.reason,)
    enc.status, enc.queued_at, enc.returns = "waiting", e.at, enc.returns + 1
    enc.clinician_id = enc.clinician_name = enc.room = enc.withdrawn_reason = ""
    enc.called_at = enc.moved_up_at = None  # back in the queue at its end, not at the front
