"""What spans a cohort's sessions, from hand-run sessions: continuity (last goals, numbers, library)."""

from dataclasses import replace

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.domain.history import ChosenTopic, LibraryStrategy, Outcomes, cohort_record, continuity, library
from groupvisit.domain.planner import estimate_minutes
from sessionkit import MONTH, ROSTER, T0, Session, clinician, cohort_session


def month_one() -> Session:
    """Ann, Bob and a guest; numbers, goals, strategies (one hidden), marks."""
    s = cohort_session()
    ann, bob, eve = s.join_all("Ann", "Bob", "Eve")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(eve, "")
    s.run(c.RecordNumbers(bp_systolic=150, bp_diastolic=95, weight=90.0), ann)
    s.run(c.RecordNumbers(glucose=180), bob)
    s.open(Phase.AGENDA)
    s.propose("Eating out")
    s.open(Phase.DISCUSSION)
    salad = s.capture("Order the salad first", by=ann)
    s.run(c.MarkHelpful(salad), bob)
    s.run(c.MarkTried(salad, True), eve)
    hidden = s.capture("Skip meals", by=bob)
    s.run(c.HideStrategy(hidden))
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk after dinner")
    s.set_goal(bob, what="water, not soda")
    s.set_goal(eve, what="a guest's goal")
    s.run(c.CloseSession())
    return s


def month_two(one: Session) -> Session:
    """Ann comes back (new goal and numbers), Bob does not; the salad is brought back and marked again."""
    s = cohort_session([one])
    ann, dee = s.join_all("Ann", "Dee")
    s.match(ann, "pat1")
    s.match(dee, "pat4")
    s.run(c.RecordNumbers(bp_systolic=138, bp_diastolic=88), ann)
    s.run(c.BringStrategy("s1:s1"))
    s.run(c.MarkHelpful("s1"), ann)
    s.run(c.MarkHelpful("s1"), dee)
    s.run(c.MarkTried("s1", True), ann)
    s.capture("Bring your own snack", by=dee)
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk 30 minutes")
    s.run(c.CloseSession())
    return s


def test_continuity_carries_each_patients_latest_goal_and_their_numbers_oldest_first() -> None:
    one = month_one()
    two = month_two(one)
    carried = continuity(ROSTER, [two.held(), one.held()])  # in any order: they are sorted by start
    assert carried.roster == {entry.patient_id: entry for entry in ROSTER}
    assert {pid: (g.session_id, g.goal.what) for pid, g in carried.last_goals.items()} == {
        "pat1": ("s2", "walk 30 minutes"), "pat2": ("s1", "water, not soda")}
    assert carried.last_goals["pat2"].session_starts_at == T0
    assert {pid: [(n.session_id, n.numbers.bp_systolic, n.numbers.glucose) for n in rows]
            for pid, rows in carried.numbers.items()} == {
        "pat1": [("s1", 150, None), ("s2", 138, None)], "pat2": [("s1", None, 180)]}


def test_a_guest_carries_nothing_and_a_cancelled_session_counts_for_nothing() -> None:
    one = month_one()
    cancelled = cohort_session([one])
    cancelled.run(c.CancelSession("snow"))
    carried = continuity(ROSTER, [one.held(), cancelled.held(cancelled=True)])
    assert "" not in carried.last_goals and "" not in carried.numbers
    assert set(carried.last_goals) == {"pat1", "pat2"}


def test_the_library_keeps_what_was_not_hidden_and_a_brought_copy_adds_to_its_first_capture() -> None:
    one = month_one()
    two = month_two(one)
    assert library([one.held(), two.held()]) == [
        LibraryStrategy("s1:s1", "Order the salad first", "Eating out", "s1", T0, helpful=3, tried=2),
        LibraryStrategy("s2:s2", "Bring your own snack", "", "s2", T0 + MONTH, helpful=0, tried=0),
    ]


def test_the_library_of_one_session_holds_its_own_counts() -> None:
    assert library([month_one().held()]) == [
        LibraryStrategy("s1:s1", "Order the salad first", "Eating out", "s1", T0, helpful=1, tried=1)]


def test_the_library_skips_cancelled_sessions() -> None:
    one = month_one()
    assert library([one.held(cancelled=True)]) == []


def test_a_new_session_of_the_cohort_starts_with_what_the_earlier_ones_carry() -> None:
    one = month_one()
    three = cohort_session([one, month_two(one)])
    assert three.state.continuity is not None
    assert [s.id for s in three.state.continuity.library] == ["s1:s1", "s2:s2"]
    assert replace(three.state, continuity=None) == three.state, "continuity is derived: never compared"


# --- the cohort over time ------------------------------------------------------------

def evaluated_month_one() -> Session:
    """Ann, Bob, a guest and one nobody matched; an agenda with votes, goals and evaluations."""
    s = cohort_session()
    ann, bob, eve, zed = s.join_all("Ann", "Bob", "Eve", "Zed")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(eve, "")
    s.open(Phase.AGENDA)
    food, sleep = s.propose("Eating out"), s.propose("Sleep")
    s.vote(ann, food, times=2)
    s.vote(bob, sleep)
    s.vote(eve, food)
    s.open(Phase.GOALS)
    s.set_goal(ann)
    s.set_goal(bob)
    s.set_goal(eve)
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(5, "Hearing Bob", "More time"), ann)
    s.run(c.GiveEvaluation(4, "", "A bigger room"), bob)
    s.run(c.GiveEvaluation(3, "The snacks"), zed)
    s.run(c.CloseSession())
    return s


def month_three(earlier: list[Session]) -> Session:
    """Ann comes back and follows up (partly), Dee comes for the first time, Bob does not come."""
    s = cohort_session(earlier)
    ann, dee = s.join_all("Ann", "Dee")
    s.match(ann, "pat1")
    s.match(dee, "pat4")
    s.run(c.GiveFollowUp("partly", "the rain"), ann)
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(4), dee)
    s.run(c.CloseSession())
    return s


def test_the_cohort_record_shows_attendance_evaluations_goals_follow_ups_and_topics() -> None:
    one = evaluated_month_one()
    two = cohort_session([one])
    two.run(c.CancelSession("snow"))
    three = month_three([one, two])
    four = cohort_session([one, two, three])  # scheduled, not yet held
    sessions = [one.held(), two.held(cancelled=True), three.held(), four.held()]
    record = cohort_record(ROSTER, list(reversed(sessions)), now=three.state.ends_at + 3600)

    assert [(r.session_id, r.status) for r in record.sessions] == [
        ("s1", "held"), ("s2", "cancelled"), ("s3", "held"), ("s4", "upcoming")]
    assert {a.patient.patient_id: a.marks for a in record.attendance} == {
        "pat1": ("came", "cancelled", "came", "upcoming"),
        "pat2": ("came", "cancelled", "no_show", "upcoming"),
        "pat3": ("no_show", "cancelled", "no_show", "upcoming"),
        "pat4": ("no_show", "cancelled", "came", "upcoming"),
    }
    first, cancelled, third, upcoming = record.sessions
    assert (first.came, first.guests, first.unmatched) == (2, 1, 1)
    assert (first.rating_mean, first.rating_count) == (4.0, 3)
    assert first.helped == ("Hearing Bob", "The snacks")
    assert first.changes == ("A bigger room", "More time")
    assert first.goals_set == 3
    assert first.topics == (ChosenTopic("Eating out", 3), ChosenTopic("Sleep", 1))
    assert first.follow_ups == Outcomes()
    assert first.goals_followed_up == Outcomes(partly=1)
    assert (third.came, third.rating_mean, third.follow_ups, third.topics) == (2, 4.0, Outcomes(partly=1), ())
    for empty in (cancelled, upcoming):
        assert (empty.came, empty.rating_mean, empty.rating_count, empty.helped, empty.goals_set) == (
            0, None, 0, (), 0)


def test_a_session_whose_end_has_passed_counts_its_absentees_as_no_shows_even_unclosed() -> None:
    s = cohort_session()
    s.match(s.join("Ann"), "pat1")
    record = cohort_record(ROSTER[:2], [s.held()], now=s.state.starts_at + 600)
    assert [a.marks for a in record.attendance] == [("came",), ("upcoming",)]
    record = cohort_record(ROSTER[:2], [s.held()], now=s.state.ends_at)
    assert [a.marks for a in record.attendance] == [("came",), ("no_show",)]
    assert record.sessions[0].status == "held"


def test_a_check_in_by_mistake_counts_neither_as_attendance_nor_as_a_follow_up() -> None:
    one = evaluated_month_one()
    wrong = cohort_session([one])
    tablet = wrong.join("Ann")
    wrong.match(tablet, "pat1")
    wrong.run(c.GiveFollowUp("done"), tablet)
    wrong.run(c.MarkParticipant("mistake", tablet.id))
    record = cohort_record(ROSTER, [one.held(), wrong.held()], now=wrong.state.ends_at)
    assert record.sessions[0].goals_followed_up == Outcomes()
    assert record.attendance[0].marks == ("came", "no_show")


def test_the_cohorts_earlier_one_on_ones_set_the_estimate_until_this_session_has_its_own() -> None:
    first = cohort_session()
    doc = clinician()
    for n, minutes in enumerate((10, 12, 20)):
        who = first.join(f"Patient {n}")
        visit = first.request_visit(who)
        first.run(c.CallParticipant(visit, "Room 1"), doc)
        first.run(c.StartEncounter(visit), doc)
        first.tick(minutes)
        first.run(c.CompleteEncounter(visit, ""), doc)
    second = cohort_session([first])
    assert second.state.continuity is not None and sorted(second.state.continuity.one_on_ones) == [10, 12, 20]
    assert estimate_minutes(second.state) == 12  # the cohort's median, not the 7 minutes a new cohort starts with
    assert estimate_minutes(cohort_session().state) == second.state.settings.minutes_per_patient  # no history: the setting
