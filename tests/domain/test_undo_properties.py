"""Undo under any sequence of queue moves: never a participant in two open encounters nor a clinician with
two active ones, the log always replays to the state (`CheckedSession.attempt` checks it on every command),
and a move undone at once leaves its encounter as it was."""

import copy
import dataclasses

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from groupvisit.domain import Actor
from groupvisit.domain import commands as c
from groupvisit.domain.state import Encounter
from sessionkit import FACILITATOR
from test_properties import (CLINICIANS, QueueMachine, assert_one_active_encounter_each, encounter_ids, participants,
                             picks, pick, settings_for)

STAFF = [FACILITATOR, *CLINICIANS]
staff = st.sampled_from(STAFF)


def as_it_was(enc: Encounter) -> Encounter:
    """The encounter without what an undo does not restore: its record of the latest move."""
    return dataclasses.replace(enc, last_action=None)


class UndoMachine(QueueMachine):
    def undoable(self) -> list[str]:
        return [e.id for e in self.s.state.encounters.values() if e.last_action is not None]

    @rule(n=picks, encounter_id=encounter_ids, whoever_did_it=st.booleans(), other=staff)
    def undo(self, n: int, encounter_id: str, whoever_did_it: bool, other: Actor) -> None:
        chosen = pick(self.undoable(), n, encounter_id)
        enc = self.s.state.encounters.get(chosen)
        by = next((a for a in STAFF if enc and enc.last_action and a.id == enc.last_action.by), other)
        self.s.attempt(c.UndoEncounter(chosen), by if whoever_did_it else other)

    @rule(doctor=staff, n=picks, kind=st.sampled_from(["call", "start", "complete", "not_here", "skip"]))
    def move_and_undo_it_at_once(self, doctor: Actor, n: int, kind: str) -> None:
        waiting, called = self.s.encounters("waiting"), self.s.encounters("called")
        chosen = pick({"call": waiting, "skip": waiting, "start": called, "not_here": called}.get(
            kind, self.s.encounters("in_progress")), n, "e1")
        enc = self.s.state.encounters.get(chosen)
        if enc is None:
            return
        if enc.clinician_id and kind != "call":
            doctor = next(d for d in CLINICIANS if d.id == enc.clinician_id)
        before = copy.deepcopy(enc)
        move = {"call": c.CallParticipant(chosen, "Room 2"), "start": c.StartEncounter(chosen),
                "complete": c.CompleteEncounter(chosen, "a note"), "not_here": c.NotHere(chosen),
                "skip": c.SkipEncounter(chosen)}[kind]
        if self.s.attempt(move, doctor) is None:
            return
        assert self.s.attempt(c.UndoEncounter(chosen), doctor) is not None, f"undoing {kind} was refused"
        after = self.s.state.encounters[chosen]
        expected = dataclasses.replace(before, note="a note") if kind == "complete" else before
        assert as_it_was(after) == as_it_was(expected)
        assert self.s.attempt(c.UndoEncounter(chosen), doctor) is None, "one move was undone twice"

    @rule(doctor=st.sampled_from(CLINICIANS), n=picks)
    def call_and_start(self, doctor: Actor, n: int) -> None:
        """Runs get to completions (and their undos) more often than call, start and complete apart would."""
        chosen = pick(self.s.encounters("waiting"), n, "e1")
        if self.s.attempt(c.CallParticipant(chosen, "Room 1"), doctor) is not None:
            self.s.attempt(c.StartEncounter(chosen), doctor)

    @rule(n=picks, m=picks)
    def complete_and_move_on(self, n: int, m: int) -> None:
        """A clinician completes and calls the next, or the patient asks again, then undoes the completion."""
        chosen = pick(self.s.encounters("in_progress"), n, "e1")
        enc = self.s.state.encounters.get(chosen)
        doctor = next((d for d in CLINICIANS if enc and d.id == enc.clinician_id), CLINICIANS[0])
        if self.s.attempt(c.CompleteEncounter(chosen), doctor) is None or enc is None:
            return
        if m % 2:
            self.s.attempt(c.CallParticipant(pick(self.s.encounters("waiting"), m, "e1"), "Room 1"), doctor)
        else:
            self.s.attempt(c.RequestVisit("one more thing", enc.participant_id), FACILITATOR)
        self.s.attempt(c.UndoEncounter(chosen), doctor)

    @rule(who=staff)
    def undo_everything_mine(self, who: Actor) -> None:
        for enc in list(self.s.state.encounters.values()):
            if enc.last_action is not None and enc.last_action.by == who.id:
                self.s.attempt(c.UndoEncounter(enc.id), who)

    @rule(who=participants)
    def withdraw(self, who: Actor) -> None:
        self.s.attempt(c.WithdrawRequest(), who)

    @rule(who=participants, status=st.sampled_from(["left", "present", "mistake"]))
    def mark(self, who: Actor, status: str) -> None:
        self.s.attempt(c.MarkParticipant(status, who.id), FACILITATOR)

    @invariant()
    def at_most_one_active_encounter_per_participant_and_per_clinician(self) -> None:
        assert_one_active_encounter_each(self.s.state)


def test_undo_never_double_books_and_the_log_replays_to_the_state() -> None:
    run_state_machine_as_test(UndoMachine, settings=settings_for(examples=120, steps=50))
