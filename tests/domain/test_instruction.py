"""The patient's instruction on an encounter: what the clinician wants them to remember, apart from the note."""

from groupvisit.domain import Actor, Role, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import EncounterCompleted, event_from_dict
from groupvisit.domain.queue import INSTRUCTION_LIMIT
from groupvisit.domain.views import view_for, visible_event
from sessionkit import Session, clinician, only
from test_queue import queued

DR1 = clinician(1)
ANN, BOB = Actor(Role.PARTICIPANT, "p1", "Ann"), Actor(Role.PARTICIPANT, "p2", "Bob")


def completed(instruction: str, note: str = "Feet checked") -> tuple[Session, str]:
    s, (ann, _bob) = queued("Ann", "Bob")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.StartEncounter(ann), DR1)
    s.run(c.CompleteEncounter(ann, note, instruction), DR1)
    return s, ann


def test_the_instruction_is_kept_on_the_event_and_the_encounter_with_its_lines() -> None:
    s, ann = completed("  Check both feet\nevery evening  ")
    event = only(s.log, EncounterCompleted)
    assert event.instruction == s.state.encounters[ann].instruction == "Check both feet\nevery evening"
    assert replay(s.log) == s.state


def test_an_instruction_over_the_limit_is_refused_naming_it() -> None:
    s, (ann,) = queued("Ann")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.StartEncounter(ann), DR1)
    refused = s.refuse(c.CompleteEncounter(ann, "", "x" * (INSTRUCTION_LIMIT + 1)), DR1)
    assert "what the patient should remember" in refused.reason


def test_the_patient_sees_their_instruction_but_never_the_note_and_nobody_else_sees_either() -> None:
    s, _ann = completed("Walk after dinner", note="clinical secret")
    mine = view_for(s.state, ANN)
    assert mine["me"]["visit"]["instruction"] == "Walk after dinner"
    assert "clinical secret" not in str(mine)
    theirs = view_for(s.state, BOB)
    assert "Walk after dinner" not in str(theirs)
    own_copy = visible_event(s.log[-1], ANN)
    assert own_copy is not None and own_copy["instruction"] == "Walk after dinner" and "note" not in own_copy
    assert visible_event(s.log[-1], BOB) is None


def test_staff_see_the_instruction_on_the_encounter() -> None:
    s, _ann = completed("Walk after dinner")
    (done,) = view_for(s.state, DR1)["queue"]["completed"]
    assert done["instruction"] == "Walk after dinner"


def test_an_undone_completion_keeps_the_instruction_for_editing_and_hides_it_from_the_patient_meanwhile() -> None:
    s, ann = completed("Walk after dinner")
    s.run(c.UndoEncounter(ann), DR1)
    assert s.state.encounters[ann].instruction == "Walk after dinner"
    (active,) = view_for(s.state, DR1)["queue"]["active"]
    assert active["instruction"] == "Walk after dinner"  # the Complete form opens with it
    assert view_for(s.state, ANN)["me"]["visit"]["instruction"] == ""
    s.run(c.CompleteEncounter(ann, "", "Walk after dinner and lunch"), DR1)
    assert view_for(s.state, ANN)["me"]["visit"]["instruction"] == "Walk after dinner and lunch"
    assert replay(s.log) == s.state


def test_an_older_logs_completion_without_an_instruction_reads_as_none() -> None:
    s, _ann = completed("Walk after dinner")
    stored = only(s.log, EncounterCompleted).to_dict()
    del stored["instruction"]
    assert event_from_dict(stored) == EncounterCompleted(stored["encounter_id"], stored["participant_id"],
                                                         stored["clinician_id"], stored["note"], stored["at"])
