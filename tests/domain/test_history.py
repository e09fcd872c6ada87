"""What spans a cohort's sessions, from hand-run sessions: continuity (last goals, numbers, library)."""

from dataclasses import replace

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.domain.history import LibraryStrategy, continuity, library
from sessionkit import MONTH, ROSTER, T0, Session, cohort_session


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
