"""Matching check-ins to the cohort's roster: one roster patient per participant, corrections allowed."""

import pytest

from groupvisit.domain import Phase, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import ParticipantMatched
from groupvisit.domain.names import skeleton
from sessionkit import Session, cohort_session


def test_a_check_in_is_matched_to_a_roster_patient_or_as_a_guest() -> None:
    s = cohort_session()
    ann, eve = s.join_all("Ann", "Eve")
    assert s.state.participants[ann.id].patient_id is None, "not matched yet"
    assert s.run(c.MatchParticipant(ann.id, "pat1")) == [ParticipantMatched(ann.id, "pat1", s.now)]
    s.match(eve, "")
    assert [p.patient_id for p in s.state.participants.values()] == ["pat1", ""]
    assert replay(s.log) == s.state


def test_matching_outside_a_cohort_is_refused() -> None:
    s = Session()
    ann = s.join("Ann")
    refused = s.refuse(c.MatchParticipant(ann.id, "pat1"), code="not_in_cohort")
    assert "not part of a cohort" in refused.reason


def test_a_patient_not_on_the_roster_is_refused() -> None:
    s = cohort_session()
    ann = s.join("Ann")
    s.refuse(c.MatchParticipant(ann.id, "pat9"), code="not_on_roster")


@pytest.mark.parametrize("participant_id", ["p9", ""])
def test_an_unknown_participant_is_refused(participant_id: str) -> None:
    s = cohort_session()
    s.join("Ann")
    s.refuse(c.MatchParticipant(participant_id, "pat1"), code="not_found" if participant_id else "invalid")


def test_one_roster_patient_cannot_be_two_participants() -> None:
    s = cohort_session()
    ann, tablet = s.join_all("Ann", "Annie")
    s.match(ann, "pat1")
    refused = s.refuse(c.MatchParticipant(tablet.id, "pat1"), code="already_matched")
    assert refused.reason == "Ann is already matched to Ann: correct that match first"


def test_a_wrong_match_is_corrected_and_frees_the_patient() -> None:
    s = cohort_session()
    ann, bob = s.join_all("Ann", "Bob")
    s.match(ann, "pat2")  # the facilitator's slip
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    assert {p.name: p.patient_id for p in s.state.participants.values()} == {"Ann": "pat1", "Bob": "pat2"}


def test_matching_someone_to_the_patient_they_have_is_a_conflict() -> None:
    s = cohort_session()
    ann = s.join("Ann")
    s.match(ann, "pat1")
    s.refuse(c.MatchParticipant(ann.id, "pat1"), code="conflict")


def test_a_check_in_by_mistake_frees_its_patient_for_the_real_one() -> None:
    s = cohort_session()
    wrong, ann = s.join_all("Ann L", "Ann")
    s.match(wrong, "pat1")
    s.run(c.MarkParticipant("mistake", wrong.id))
    assert s.state.participants[wrong.id].patient_id is None
    s.refuse(c.MatchParticipant(wrong.id, "pat2"), code="conflict")
    s.match(ann, "pat1")
    s.run(c.MarkParticipant("present", wrong.id))
    assert s.state.participants[wrong.id].patient_id is None, "marked present again, still not matched: no two"


def test_matching_works_in_every_open_phase() -> None:
    s = cohort_session()
    ann = s.join("Ann")
    s.open(Phase.WRAP_UP)
    s.match(ann, "pat1")
    assert s.state.participants[ann.id].patient_id == "pat1"


def test_a_names_skeleton_reads_look_alike_letters_as_plain_ones() -> None:
    assert skeleton("Аnn  LEE") == skeleton("ann lee") == "ann lee"  # the first letter is Cyrillic
