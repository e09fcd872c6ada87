"""Correcting the roster: renaming a participant, and marking them left, checked in by mistake, or present again."""

from zoneinfo import ZoneInfo

import pytest

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.domain.events import EncounterWithdrawn, ParticipantMarked, ReturnedToQueue
from groupvisit.domain.summary import chart_summary
from groupvisit.domain.views import view_for
from sessionkit import FACILITATOR, PROJECTOR, Session, clinician, only

UTC_ZONE = ZoneInfo("UTC")


def test_the_facilitator_renames_a_participant_everywhere_their_name_shows() -> None:
    s = Session()
    ann = s.join("Anm")
    s.run(c.RenameParticipant("Ann", ann.id))
    assert [p["name"] for p in view_for(s.state, PROJECTOR)["participants"]] == ["Ann"]
    assert view_for(s.state, ann)["me"]["name"] == "Ann"


def test_a_rename_to_someone_elses_look_alike_is_refused() -> None:
    s = Session()
    s.join("Maria")
    bob = s.join("Bob")
    refused = s.refuse(c.RenameParticipant("Mаria", bob.id), code="conflict")  # a Cyrillic а
    assert "Maria" in refused.reason


def test_a_rename_keeps_the_name_rules_of_check_in() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.RenameParticipant("\u200b", ann.id), code="invalid")
    s.refuse(c.RenameParticipant("A" * 41, ann.id), code="too_long")
    s.refuse(c.RenameParticipant("Ann", ann.id), code="conflict")  # nothing to correct
    s.refuse(c.RenameParticipant("Ann", "p9"), code="not_found")
    s.refuse(c.RenameParticipant("Ann"), code="invalid")


def test_one_who_left_took_part_but_is_not_here_and_their_waiting_visit_leaves_the_queue() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    visit = s.request_visit(ann)
    events = s.run(c.MarkParticipant("left", ann.id))
    assert only(events, EncounterWithdrawn) == EncounterWithdrawn(visit, ann.id, "left", s.now)
    staff = view_for(s.state, FACILITATOR)
    assert staff["attendance"] == {"here": 1, "took_part": 2}
    assert staff["queue"]["waiting"] == [] and staff["queue"]["withdrawn"][0]["withdrawn_reason"] == "left"
    assert view_for(s.state, bob)["participant_count"] == 1
    assert len(view_for(s.state, PROJECTOR)["participants"]) == 2  # "2 people took part"
    assert chart_summary(s.state, UTC_ZONE)[0]["encounter"] == "not seen: left the session"
    s.refuse(c.RequestVisit("again", ann.id), code="marked_left")


def test_one_checked_in_by_mistake_is_counted_nowhere_and_their_votes_go_back() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    s.open(Phase.AGENDA)
    sleep = s.propose("Sleep")
    s.vote(bob, sleep, 2)
    s.vote(ann, sleep)
    s.request_visit(bob)
    s.run(c.MarkParticipant("mistake", bob.id))
    assert s.state.topics[sleep].total == 1
    staff = view_for(s.state, FACILITATOR)
    assert staff["attendance"] == {"here": 1, "took_part": 1}
    assert [p["name"] for p in staff["participants"]] == ["Ann"]
    assert [p["status"] for p in staff["people"]] == ["present", "mistake"]  # kept, to undo the mark
    assert view_for(s.state, ann)["participant_count"] == 1
    assert [row["participant"] for row in chart_summary(s.state, UTC_ZONE)] == ["Ann"]
    s.refuse(c.CastVote(sleep), bob, code="not_checked_in")
    s.refuse(c.RecordNumbers(glucose=100, participant_id=bob.id), code="conflict")


def test_a_name_checked_in_by_mistake_is_free_again_and_undoing_then_is_refused() -> None:
    s = Session()
    first = s.join("Maria")
    s.run(c.MarkParticipant("mistake", first.id))
    s.join("Maria")
    refused = s.refuse(c.MarkParticipant("present", first.id), code="conflict")
    assert "Maria" in refused.reason


def test_a_mark_is_undone_and_a_withdrawn_visit_goes_back_to_the_end_of_the_queue() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    visit = s.request_visit(ann)
    s.request_visit(bob)
    s.run(c.MarkParticipant("left", ann.id))
    s.tick()
    events = s.run(c.MarkParticipant("present", ann.id))
    assert only(events, ReturnedToQueue).reason == "present_again"
    assert only(events, ParticipantMarked).status == "present"
    waiting = view_for(s.state, FACILITATOR)["queue"]["waiting"]
    assert [e["name"] for e in waiting] == ["Bob", "Ann"] and waiting[1]["encounter_id"] == visit
    assert view_for(s.state, FACILITATOR)["attendance"] == {"here": 2, "took_part": 2}


@pytest.mark.parametrize("status", ["left", "mistake"])
def test_someone_called_or_being_seen_cannot_be_marked(status: str) -> None:
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    s.run(c.CallParticipant(visit, "Room 1"), clinician())
    refused = s.refuse(c.MarkParticipant(status, ann.id), code="encounter_open")
    assert "Dr 1" in refused.reason and "Ann" in refused.reason
    s.run(c.StartEncounter(visit), clinician())
    s.refuse(c.MarkParticipant(status, ann.id), code="encounter_open")


def test_marks_that_change_nothing_or_are_unknown_are_refused() -> None:
    s = Session()
    ann = s.join("Ann")
    s.refuse(c.MarkParticipant("present", ann.id), code="conflict")
    s.refuse(c.MarkParticipant("gone", ann.id), code="invalid")
    s.refuse(c.MarkParticipant("left", "p9"), code="not_found")
