"""The chart note, from a hand-run session of a cohort: a patient seen one-on-one, one who left early, a walk-in,
one never seen; and, in each patient's note, nothing of anyone else."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.domain.roles import Actor, Role
from groupvisit.outputs.chart_note import ChartNote, chart_note, chart_notes, note_text
from domain.sessionkit import ROSTER, Session, clinician, cohort_session

ZONE = "UTC"
ATTENDING = Actor(Role.CLINICIAN, "a1", "Dr Attending", attending=True)


def first_month() -> Session:
    s = cohort_session()
    ann = s.join("Ann")
    s.match(ann, "pat1")
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk after lunch")
    s.run(c.CloseSession())
    return s


@dataclass
class Month:
    """The second month: its session, its people by name, and the first month it follows."""

    s: Session
    people: dict[str, Actor]
    first: Session

    def notes(self) -> dict[str, ChartNote]:
        held = self.s.held()
        notes = chart_notes(held, self.s.log, ROSTER, [self.first.held(), held], ["Fran"], ZONE, self.s.now)
        return {n.participant_id: n for n in notes}


def second_month() -> Month:
    """Ann follows up, records her numbers and is seen by Dr 1 during "Eating out"; Bob asks for a one-on-one and
    goes home early; Wendy walks in (not on the roster), is seen by Dr 2 and shares a strategy; Dee proposes
    "Sleep" under her name and asks for a one-on-one she never gets: the session closes first."""
    one = first_month()
    s = cohort_session([one])
    ann, bob, wendy, dee = s.join_all("Ann", "Bob", "Wendy", "Dee")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(wendy, "")
    s.match(dee, "pat4")
    s.run(c.GiveFollowUp("partly", "the rain"), ann)
    s.run(c.RecordNumbers(bp_systolic=128, bp_diastolic=82, weight=81.5, weight_unit="kg"), ann)
    s.run(c.RecordNumbers(bp_systolic=151, bp_diastolic=97, glucose=212), bob)
    s.run(c.RecordNumbers(bp_systolic=133, bp_diastolic=77), wendy)
    ann_visit = s.request_visit(ann, "my feet tingle")
    s.request_visit(bob, "my pills cost too much")
    wendy_visit = s.request_visit(wendy, "new to insulin")
    s.request_visit(dee, "my eyes are blurry")
    s.open(Phase.AGENDA)
    food = s.propose("Eating out", by=ann)
    sleep = s.propose("Sleep", by=dee)
    s.vote(ann, food, times=2)
    s.vote(dee, sleep, times=3)
    s.tick(5)
    s.open(Phase.DISCUSSION)  # "Sleep" first (3 votes), then "Eating out"
    s.capture("Lights off at ten", participant_id=dee.id)
    s.run(c.MarkHelpful(s.capture("A walk after meals", by=wendy)), ann)
    s.tick(2)
    s.run(c.CallParticipant(ann_visit, "Room 1"), clinician(1))
    s.tick(1)
    s.run(c.StartEncounter(ann_visit), clinician(1))
    s.tick(6)
    s.run(c.CompleteEncounter(ann_visit, "monofilament normal", "check your feet every evening"), clinician(1))
    s.run(c.MarkParticipant("left", bob.id))  # goes home; his request leaves the queue
    s.run(c.NextTopic())
    s.run(c.CallParticipant(wendy_visit, "Room 2"), clinician(2))
    s.run(c.StartEncounter(wendy_visit), clinician(2))
    s.tick(9)
    s.run(c.CompleteEncounter(wendy_visit, "started basal insulin teaching"), clinician(2))
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk 30 minutes", confidence=6)
    s.set_goal(wendy, what="check sugar mornings", shared=True)
    s.set_goal(dee, what="sleep by eleven")
    s.tick(3)
    s.run(c.CloseSession(confirm=True))  # Dee is still waiting: not seen
    return Month(s, {"ann": ann, "bob": bob, "wendy": wendy, "dee": dee}, one)


def hh_mm(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%H:%M")


def facts(note: ChartNote) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in note.parts:
        for line in part.lines:
            found.setdefault(line.label, []).append(line.value)
    return found


@pytest.fixture(scope="module")
def month() -> Month:
    return second_month()


def test_the_header_names_the_visit_type_date_duration_facilitator_and_clinician(month: Month) -> None:
    s, people = month.s, month.people
    note = month.notes()[people["ann"].id]
    header = facts(note)
    assert header["Visit type"] == ["Shared medical appointment (group visit)"]
    assert header["Patient"] == ["Ann Lee"] and header["Known in the group as"] == ["Ann"]
    assert header["Date"] == ["2023-12-12"]
    assert s.state.closed_at is not None
    minutes = round((s.state.closed_at - s.state.starts_at) / 60)
    assert header["Time"] == [f"{hh_mm(s.state.starts_at)}–{hh_mm(s.state.closed_at)} ({minutes} minutes, "
                              "scheduled start to close)"]
    assert header["Facilitator"] == ["Fran"] and header["Clinician"][0] == "Dr 1"


def test_a_patient_seen_has_their_request_numbers_encounter_note_goal_and_last_sessions_follow_up(month: Month) -> None:
    s, people = month.s, month.people
    found = facts(month.notes()[people["ann"].id])
    assert found["Visit request"] == ["my feet tingle"]
    assert found["Blood pressure"] == ["128/82"] and found["Weight"] == ["81.5 kg"]
    assert found["One-on-one"] == ["completed"] and found["Room"] == ["Room 1"]
    enc = next(e for e in s.state.encounters.values() if e.participant_id == people["ann"].id)
    assert enc.called_at is not None and enc.ended_at is not None
    assert found["Called"] == [hh_mm(enc.called_at)] and found["Ended"] == [hh_mm(enc.ended_at)]
    assert found["Minutes"] == ["6"] and found["Clinical note"] == ["monofilament normal"]
    assert found["Told the patient to remember"] == ["check your feet every evening"]
    assert found["Goal (action plan)"] == ["walk 30 minutes, 20 minutes, after dinner, 5 days a week; confidence 6/10; "
                                           "private"]
    assert found["Last session's goal"] == ["walk after lunch, 20 minutes, after dinner, 5 days a week"]
    assert found["How it went"] == ["partly done; in the way: the rain"]
    assert found["Away from the group during"] == ["Sleep"]
    assert [t for t in found if t in ("Sleep", "Eating out")] == ["Sleep", "Eating out"]  # topics, with minutes
    assert found["Other patients present"] == ["not named"]


def test_one_who_left_early_is_not_seen_today_because_they_left(month: Month) -> None:
    s, people = month.s, month.people
    found = facts(month.notes()[people["bob"].id])
    assert found["Left the session early"] and found["Not seen today"] == ["left the session"]
    assert found["Clinician"] == ["none: not seen one-on-one"]


def test_a_walk_in_is_said_to_be_off_the_roster_and_has_no_last_goal(month: Month) -> None:
    s, people = month.s, month.people
    found = facts(month.notes()[people["wendy"].id])
    assert found["Patient"] == ["Wendy"] and "Known in the group as" not in found
    assert found["Walk-in"] == ["not on the cohort's roster"] and "Last session's goal" not in found
    assert found["One-on-one"] == ["completed"] and found["Clinician"][-1] == "Dr 2"


def test_one_never_seen_says_why(month: Month) -> None:
    s, people = month.s, month.people
    found = facts(month.notes()[people["dee"].id])
    assert found["Not seen today"] == ["ran out of time"] and "Clinical note" not in found


def test_no_other_patients_name_or_data_is_in_a_patients_note(month: Month) -> None:
    s, people = month.s, month.people
    notes = month.notes()
    clinic_names = {e.patient_id: e.clinic_name for e in ROSTER}
    for person in s.state.took_part():
        own = [person.name, clinic_names.get(person.patient_id or "", "")]
        own += [e.request for e in s.state.encounters.values() if e.participant_id == person.id]
        own += [e.note for e in s.state.encounters.values() if e.participant_id == person.id and e.note]
        if person.id in s.state.goals:
            own.append(s.state.goals[person.id].what)
        if person.numbers and person.numbers.bp_systolic:
            own.append(f"{person.numbers.bp_systolic}/{person.numbers.bp_diastolic}")
        for other in notes.values():
            if other.participant_id == person.id:
                continue
            text = note_text(other)
            leaked = [t for t in own if t and t in text]
            assert leaked == [], f"{other.patient}'s note holds {person.name}'s {leaked}"


def test_the_plain_text_holds_every_line_of_the_note(month: Month) -> None:
    s, people = month.s, month.people
    note = month.notes()[people["ann"].id]
    text = note_text(note)
    assert text.startswith("SHARED MEDICAL APPOINTMENT\nVisit type: Shared medical appointment (group visit)\n")
    assert "GROUP PART" in text and "INDIVIDUAL PART" in text and "Other patients present: not named" in text
    assert "  - Blood pressure: 128/82" in text and "Co-signed: not yet" in text
    assert all(line.value in text for part in note.parts for line in part.lines)


def test_the_note_shows_who_co_signed_it_and_when() -> None:
    s, people = (month := second_month()).s, month.people
    s.run(c.CosignChartNote(people["ann"].id), ATTENDING)
    note = chart_note(s.held(), s.log, people["ann"].id, ROSTER, [], ["Fran"], ZONE, s.now)
    found = facts(note)
    assert found["Co-signed by"] == ["Dr Attending (attending)"] and len(found["Co-signed at"][0]) == 16
    assert note.cosign is not None and note.cosign.by == "a1"
