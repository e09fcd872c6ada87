"""The take-home summary read model, from hand-built logs: what each patient leaves with, and nothing of anyone
else's."""

from dataclasses import asdict

import pytest

from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.domain.history import RosterEntry
from groupvisit.outputs.take_home import (TakeHome, TakeHomeStrategy, next_session_of, summary_language,
                                          take_home)
from sessionkit import MONTH, Session, clinician, cohort_session, patient, strings_in

ZONE = "America/New_York"
DR1 = clinician(1)


def first_session() -> Session:
    """Last month: Ann and Bob came and recorded their numbers."""
    s = cohort_session()
    ann, bob = s.join("Ann"), s.join("Bob")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.run(c.RecordNumbers(bp_systolic=150, bp_diastolic=95, weight=90, glucose=180), ann)
    s.run(c.RecordNumbers(bp_systolic=111, bp_diastolic=77, weight=61, glucose=97), bob)
    s.run(c.CloseSession())
    return s


def today() -> tuple[Session, dict[str, str]]:
    """This month: Ann with everything, Bob with his own data, Dee with nothing, Gus a walk-in guest."""
    s = cohort_session([first_session()])
    ann, bob, dee, gus = s.join("Ann"), s.join("Bob"), s.join("Dee"), s.join("Gus")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(gus, "")
    s.run(c.RecordNumbers(bp_systolic=138, bp_diastolic=88, weight=88, glucose=150), ann)
    s.run(c.RecordNumbers(bp_systolic=122, bp_diastolic=79, weight=60, glucose=101), bob)
    s.run(c.RecordNumbers(weight=75), gus)
    open_by_bob = s.capture("Walk with my dog", by=bob)
    hidden_name = s.capture("Tell my boss", by=bob, anonymous=True)
    by_staff = s.capture("Smaller plates")
    own = s.capture("Fruit instead of cake", by=ann)
    bobs_only = s.capture("Bob's secret recipe", by=bob)
    for strategy in (open_by_bob, hidden_name, by_staff, own):
        s.run(c.MarkHelpful(strategy), ann)
    s.run(c.MarkHelpful(bobs_only), bob)
    s.run(c.MarkHelpful(open_by_bob), gus)
    for who, text, note, instruction in ((ann, "my feet", "Ann's clinical note", "Check your feet every night"),
                                         (bob, "my eyes", "Bob's clinical note", "Bob: book the eye exam")):
        encounter = s.request_visit(who, text)
        s.run(c.CallParticipant(encounter, "Room 2"), DR1)
        s.run(c.StartEncounter(encounter), DR1)
        s.run(c.CompleteEncounter(encounter, note, instruction), DR1)
    s.open(Phase.GOALS)
    s.run(c.SetGoal("walk", "20 minutes", "after dinner", "5 days a week", 8, False), ann)  # private
    s.run(c.SetGoal("swim", "1 hour", "Saturday", "weekly", 6, True), bob)
    s.open(Phase.WRAP_UP)
    return s, {"ann": ann.id, "bob": bob.id, "dee": dee.id, "gus": gus.id}


def summary(s: Session, who: str, language: str = "en") -> TakeHome:
    nxt = next_session_of([(s.state.starts_at + MONTH, False)], s.state.starts_at, "Room 4", ZONE, language)
    return take_home(s.state, who, s.state.continuity, nxt, ZONE, language)


def test_a_patient_with_everything_takes_home_their_plan_strategies_instruction_numbers_and_next_session() -> None:
    s, ids = today()
    got = summary(s, ids["ann"])
    assert got.name == "Ann"
    assert got.goal is not None and (got.goal.what, got.goal.confidence, got.goal.shared) == ("walk", 8, False)
    assert got.strategies == (TakeHomeStrategy("Walk with my dog", "Bob"), TakeHomeStrategy("Tell my boss", None),
                              TakeHomeStrategy("Smaller plates", None), TakeHomeStrategy("Fruit instead of cake", ""))
    assert got.instructions == ("Check your feet every night",)
    assert got.today is not None and (got.today.bp_systolic, got.today.bp_diastolic) == (138, 88)
    assert got.last is not None and (got.last.bp_systolic, got.last.glucose) == (150, 180)
    assert got.last_day.startswith(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
    assert got.next_session is not None and got.next_session.room == "Room 4"
    assert got.next_session.starts_at == s.state.starts_at + MONTH


def test_a_summary_never_holds_another_patients_name_numbers_note_or_instruction() -> None:
    s, ids = today()
    text = " ".join(strings_in(asdict(summary(s, ids["ann"]))))
    for theirs in ("Bob's clinical note", "Bob: book the eye exam", "Bob's secret recipe", "swim", "Dee", "Gus",
                   "Ann's clinical note"):
        assert theirs not in text
    got = summary(s, ids["ann"])
    assert got.today is not None and got.last is not None
    assert {got.today.bp_systolic, got.last.bp_systolic}.isdisjoint({122, 111})
    # The only other name is the author who shared openly; the anonymous author stays unnamed.
    assert [st.by for st in got.strategies if st.by] == ["Bob"]


def test_a_patient_with_nothing_gets_an_empty_summary_with_the_next_session() -> None:
    s, ids = today()
    got = summary(s, ids["dee"])
    assert (got.goal, got.strategies, got.instructions, got.today, got.last, got.last_day) == (None, (), (), None,
                                                                                              None, "")
    assert got.next_session is not None


def test_a_walk_in_guest_has_no_last_session_even_with_numbers_today() -> None:
    s, ids = today()
    got = summary(s, ids["gus"])
    assert got.today is not None and got.today.weight == 75
    assert got.last is None and got.last_day == ""
    assert got.strategies == (TakeHomeStrategy("Walk with my dog", "Bob"),)


def test_a_private_goal_is_on_its_owners_summary_only() -> None:
    s, ids = today()
    assert summary(s, ids["ann"]).goal is not None
    for other in ("bob", "dee", "gus"):
        got = summary(s, ids[other])
        assert got.goal is None or got.goal.what != "walk"


def test_an_instruction_only_shows_once_the_encounter_is_completed_and_an_empty_one_is_left_out() -> None:
    s, ids = today()
    dee = s.state.participants[ids["dee"]]
    actor = Actor(Role.PARTICIPANT, dee.id, dee.name)
    first = s.request_visit(actor, "my knee")
    s.run(c.CallParticipant(first, "Room 2"), DR1)
    s.run(c.StartEncounter(first), DR1)
    s.run(c.CompleteEncounter(first, "note", ""), DR1)
    assert summary(s, dee.id).instructions == ()
    second = s.request_visit(actor, "my knee again")
    s.run(c.CallParticipant(second, "Room 2"), DR1)
    s.run(c.StartEncounter(second), DR1)
    s.run(c.CompleteEncounter(second, "note", "Ice it twice a day"), DR1)
    s.run(c.UndoEncounter(second), DR1)
    assert summary(s, dee.id).instructions == ()  # back in progress: not given yet
    s.run(c.CompleteEncounter(second, "note", "Ice it twice a day"), DR1)
    assert summary(s, dee.id).instructions == ("Ice it twice a day",)


def test_someone_checked_in_by_mistake_has_no_summary() -> None:
    s = Session()
    ann = s.join("Ann")
    s.run(c.MarkParticipant("mistake", ann.id))
    with pytest.raises(KeyError):
        take_home(s.state, ann.id, None, None, ZONE, "en")


def test_the_dates_are_in_the_patients_language_and_the_clinics_zone() -> None:
    s, ids = today()
    got = summary(s, ids["ann"], "es")
    assert got.next_session is not None and " de " in got.next_session.day  # "martes, 28 de noviembre de 2023"
    assert got.session_day.split(",")[0] in ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
    late = next_session_of([(1_700_000_000.0 + 86400, False)], 0, "", "Pacific/Kiritimati", "en")
    early = next_session_of([(1_700_000_000.0 + 86400, False)], 0, "", "Pacific/Pago_Pago", "en")
    assert late is not None and early is not None and late.day != early.day


def test_the_next_session_skips_cancelled_and_earlier_ones() -> None:
    sessions = [(100.0, False), (200.0, True), (300.0, False), (400.0, False)]
    found = next_session_of(sessions, 100.0, "Room 4", ZONE, "en")
    assert found is not None and found.starts_at == 300.0
    assert next_session_of(sessions, 400.0, "Room 4", ZONE, "en") is None


@pytest.mark.parametrize(("patient_id", "roster_language", "expected"), [
    ("pat1", "es", "es"),  # the roster says
    ("pat1", "fr", "en"),  # a language the screens do not speak: the room's first
    ("", "es", "en"),  # a guest: the room's
    (None, "es", "en"),  # not matched yet: the room's
])
def test_the_printed_language_is_the_rosters_then_the_rooms(patient_id: str | None, roster_language: str,
                                                            expected: str) -> None:
    s = Session()
    person = s.state.participants[s.join("Ann").id]
    person.patient_id = patient_id
    roster: dict[str, RosterEntry] = {"pat1": patient("pat1", "Ann", language=roster_language)}
    assert summary_language(person, roster, ["fr", "en", "es"], ["en", "es"]) == expected
    assert summary_language(person, {}, [], ["en", "es"]) == "en"


def test_a_strategy_taken_off_the_wall_leaves_the_summaries() -> None:
    s, ids = today()
    (dog,) = [sid for sid, st in s.state.strategies.items() if st.text == "Walk with my dog"]
    s.run(c.HideStrategy(dog))
    assert "Walk with my dog" not in [st.text for st in summary(s, ids["ann"]).strategies]
    assert summary(s, ids["gus"]).strategies == ()
