"""Undoing a mistaken move in the queue: a new event that restores the encounter, never a rewritten log.

The latest call, start, complete, not-here or skip on an encounter can be undone by whoever did it (a
skip by the facilitator or a clinician; the rest only by the clinician) for `UNDO_SECONDS` after it.
What each undo restores is the encounter exactly as it was before the move:
- call → waiting again, at its old place in the queue (a call never moved its place; moved up, if it was);
- start → called by the same clinician, to the same room;
- complete → in progress again. The note and the patient's instruction written at completion are kept, so the
  clinician's Complete form opens with them to edit and send again (completing once more records what is then
  sent; the patient sees the instruction only while the encounter is completed);
- not-here → called again by that clinician, with its old place and count of returns;
- skip → waiting at its old place (moved up, if it was), its count of returns as before.
Only the latest move can be undone, and once: the undo clears it, and any later change to the encounter
(another move, a withdrawal, a move up) replaces or clears it. An undo that would leave a clinician with two active
encounters or a participant with two open ones is refused, as the moves themselves are.
"""

from .commands import UndoEncounter
from .errors import Refused, require
from .events import EncounterUndone, Event
from .queue import encounter, name_of
from .roles import Actor
from .state import Encounter, LastAction, SessionState

UNDO_SECONDS = 120.0
WHAT = {"call": "call", "start": "start", "complete": "completion", "not_here": "not-here", "skip": "skip"}


def undo_until(enc: Encounter, viewer_id: str) -> float | None:
    """Until when `viewer_id` may undo the latest move on `enc`; None when it is not theirs to undo."""
    last = enc.last_action
    return last.at + UNDO_SECONDS if last is not None and viewer_id and last.by == viewer_id else None


def undo_encounter(state: SessionState, cmd: UndoEncounter, actor: Actor, now: float) -> list[Event]:
    enc = encounter(state, cmd.encounter_id)
    last = enc.last_action
    name = name_of(state, enc)
    if last is None:
        raise Refused(f"there is nothing to undo on {name}'s encounter", "nothing_to_undo")
    require(last.by == actor.id, f"only whoever did it can undo the {WHAT[last.action]} of {name}", "not_yours")
    require(now <= last.at + UNDO_SECONDS,
            f"the {WHAT[last.action]} of {name} can be undone for {UNDO_SECONDS / 60:.0f} minutes only", "too_late")
    refuse_double_booking(state, enc, last)
    was = last.before
    note = enc.note if last.action == "complete" else was.note
    return [EncounterUndone(enc.id, enc.participant_id, last.action, actor.id, was.status, was.clinician_id,
                            was.clinician_name, was.room, was.called_at, was.started_at, was.ended_at,
                            was.queued_at, was.returns, note, now, was.moved_up_at)]


def refuse_double_booking(state: SessionState, enc: Encounter, last: LastAction) -> None:
    """What the undo restores must still be possible: the clinician free, the participant here, no other
    open encounter for them (after a completion both may have moved on)."""
    was = last.before
    person = state.participants[enc.participant_id]
    other = next((e for e in state.encounters.values()
                  if e.participant_id == enc.participant_id and e.open and e.id != enc.id), None)
    if other is not None:
        raise Refused(f"{person.name} has asked for another one-on-one since: it would be their second",
                      "participant_busy")
    if was.status in ("called", "in_progress"):
        busy = next((e for e in state.encounters.values()
                     if e.clinician_id == was.clinician_id and e.active and e.id != enc.id), None)
        if busy is not None:
            raise Refused(f"you are with {name_of(state, busy)} now: undo that call, complete that encounter "
                          "or send them back to the queue first", "clinician_busy")
        require(person.status == "present", f"{person.name} has been marked as gone since", "marked_left")


def apply_undone(state: SessionState, e: EncounterUndone) -> None:
    enc = state.encounters[e.encounter_id]
    enc.status, enc.clinician_id, enc.clinician_name, enc.room = e.status, e.clinician_id, e.clinician_name, e.room
    enc.called_at, enc.started_at, enc.ended_at = e.called_at, e.started_at, e.ended_at
    enc.queued_at, enc.returns, enc.note, enc.moved_up_at = e.queued_at, e.returns, e.note, e.moved_up_at
    enc.returned_as = enc.returned_as[:e.returns]  # an undone return is not one
    enc.last_action = None  # undone once; the next move can be undone again
