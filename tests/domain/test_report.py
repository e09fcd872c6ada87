"""The session report, from hand-run sessions of a cohort: attendance from the roster, the agenda as planned and
as run, the one-on-ones against the topics, waits, goals and follow-ups, evaluations and the cohort's trend."""

from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.outputs.report import RoomRound, SessionReport, session_report
from sessionkit import MONTH, ROSTER, T0, Session, clinician, cohort_session


def first_month() -> Session:
    """Ann and Bob come and set goals; Ann rates it 4."""
    s = cohort_session()
    ann, bob = s.join_all("Ann", "Bob")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.open(Phase.GOALS)
    s.set_goal(ann, what="walk after dinner")
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(4), ann)
    s.run(c.CloseSession())
    return s


def second_month(one: Session) -> tuple[Session, dict[str, str]]:
    """Ann follows up and is seen during the topic she voted for, which is extended twice; Bob asks for a
    one-on-one and goes home before he is called; Eve walks in and her one-on-one is never completed; Zed was
    checked in by mistake; Cy and Dee do not come. The session is never closed."""
    s = cohort_session([one])
    ann, bob, eve, zed = s.join_all("Ann", "Bob", "Eve", "Zed")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(eve, "")
    s.run(c.MarkParticipant("mistake", zed.id))
    s.run(c.GiveFollowUp("partly", "the rain"), ann)
    s.tick(2)
    ann_visit, bob_visit = s.request_visit(ann, "my feet"), s.request_visit(bob, "my pills")
    s.tick(1)
    eve_visit = s.request_visit(eve, "new here")
    s.open(Phase.AGENDA)
    food, sleep = s.propose("Eating out"), s.propose("Sleep")
    s.vote(ann, food, times=2)
    s.vote(ann, sleep)
    s.vote(bob, sleep)
    s.vote(eve, food)
    s.tick(5)
    s.open(Phase.DISCUSSION)  # "Eating out" for 8 minutes, then "Sleep"
    s.tick(2)
    s.run(c.CallParticipant(ann_visit, "Room 1"), clinician(1))  # during the topic Ann voted for most
    s.tick(1)
    s.run(c.StartEncounter(ann_visit), clinician(1))
    s.tick(5)
    s.run(c.RoomVote("keep_going"), eve)  # time is up: the room votes
    s.run(c.RoomVote("move_on"), bob)
    s.run(c.RoomVote("keep_going"), bob)  # Bob changes his mind: his latest choice counts
    s.run(c.ExtendTopic())  # 4 more minutes
    s.tick(4)
    s.run(c.RoomVote("move_on"), eve)
    s.run(c.ExtendTopic())  # 2 more
    s.tick(1)
    s.run(c.CompleteEncounter(ann_visit, "feet fine"), clinician(1))
    s.tick(1)
    s.run(c.MarkParticipant("left", bob.id))  # goes home; his request leaves the queue
    s.run(c.NextTopic())  # "Eating out" ran 14 minutes, planned 8
    s.tick(3)
    s.run(c.CallParticipant(eve_visit, "Room 2"), clinician(2))  # 22 minutes after she asked
    s.run(c.StartEncounter(eve_visit), clinician(2))
    s.tick(4)
    s.open(Phase.GOALS)  # "Sleep" ran 7 minutes; Eve's one-on-one goes on, never completed
    s.set_goal(ann, what="walk 30 minutes", confidence=5)
    s.set_goal(eve, what="drink water")
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(5, "Hearing the others", "More time"), ann)
    s.run(c.GiveEvaluation(3, "", "A bigger room"), eve)
    return s, {"ann": ann.id, "bob": bob.id, "eve": eve.id, "ann_visit": ann_visit, "bob_visit": bob_visit,
               "eve_visit": eve_visit}


def report_of_second_month() -> tuple[SessionReport, Session, dict[str, str]]:
    one = first_month()
    two, ids = second_month(one)
    return session_report(two.held(), two.log, ROSTER, [one.held(), two.held()], T0 + MONTH + 3 * 3600), two, ids


def test_attendance_follows_the_roster_came_left_early_guests_and_who_did_not_come() -> None:
    report, two, ids = report_of_second_month()
    who = report.attendance
    assert [(a.name, a.clinic_name) for a in who.came] == [("Ann", "Ann Lee"), ("Bob", "Robert Diaz")]
    assert who.came[0].left_at is None
    assert who.came[1].left_at == two.state.participants[ids["bob"]].joined_at + 22 * 60
    assert [(a.name, a.patient_id, a.clinic_name) for a in who.guests] == [("Eve", "", "")]
    assert who.unmatched == ()
    assert [entry.display_name for entry in who.absent] == ["Cy", "Dee"]
    assert who.mistakes == 1, "Zed, checked in by mistake, is counted nowhere else"
    assert [a.name for a in who.took_part] == ["Ann", "Bob", "Eve"]
    assert report.enrolled == len(ROSTER)


def test_the_agenda_as_planned_and_as_run_with_each_round_of_the_rooms_vote() -> None:
    report, _, _ = report_of_second_month()
    food, sleep = report.agenda
    assert (food.title, food.votes, food.planned_minutes, food.status) == ("Eating out", 3, 8, "done")
    assert (food.minutes, food.over_minutes, food.extensions, food.extended_minutes) == (14, 6, 2, 6)
    assert food.rounds == (RoomRound(0, keep_going=2, move_on=0, outcome="extended"),
                           RoomRound(1, keep_going=0, move_on=1, outcome="extended"))
    assert (sleep.title, sleep.votes, sleep.planned_minutes, sleep.minutes) == ("Sleep", 2, 8, 7)
    assert (sleep.extensions, sleep.rounds, sleep.status) == (0, (), "done")


def test_the_timeline_shows_each_clinicians_one_on_ones_and_who_was_out_during_which_topic() -> None:
    report, two, _ = report_of_second_month()
    first, second = report.lanes
    assert (first.clinician_name, [v.name for v in first.one_on_ones]) == ("Dr 1", ["Ann"])
    (ann,) = first.one_on_ones
    assert (ann.room, ann.completed, ann.minutes, ann.topics) == ("Room 1", True, 11, ("Eating out",))
    assert ann.missed_their_topic, "Ann gave “Eating out” her most votes and was called out during it"
    (eve,) = second.one_on_ones
    assert (second.clinician_name, eve.name, eve.completed, eve.ended_at) == ("Dr 2", "Eve", False, None)
    # Never completed: she counts as away until the report is made (the session was never closed) or its end.
    assert eve.out_until == two.state.ends_at
    assert eve.topics == ("Sleep",) and not eve.missed_their_topic
    food, sleep = report.agenda
    assert (food.out, sleep.out) == (("Ann",), ("Eve",))


def test_waits_run_from_the_request_to_the_call_and_say_what_became_of_each_request() -> None:
    report, _, _ = report_of_second_month()
    assert [(w.name, w.minutes, w.outcome) for w in report.waits] == [
        ("Ann", 8, "completed"), ("Bob", None, "not seen: left the session"), ("Eve", 22, "in_progress")]
    assert (report.median_wait, report.longest_wait) == (15, 22)


def test_goals_with_last_sessions_follow_up_and_the_goal_it_is_about() -> None:
    report, _, _ = report_of_second_month()
    rows = {row.name: row for row in report.goals}
    assert list(rows) == ["Ann", "Bob", "Eve"]
    ann = rows["Ann"]
    assert ann.goal is not None and ann.goal.what == "walk 30 minutes" and ann.rework
    assert ann.follow_up is not None and (ann.follow_up.outcome, ann.follow_up.obstacle) == ("partly", "the rain")
    assert ann.earlier_goal is not None and ann.earlier_goal.what == "walk after dinner"
    assert rows["Bob"].goal is None and rows["Bob"].earlier_goal is None
    assert rows["Eve"].goal is not None and not rows["Eve"].rework and rows["Eve"].follow_up is None


def test_the_evaluations_answers_without_names_and_the_cohorts_trend() -> None:
    report, _, _ = report_of_second_month()
    assert report.evaluations.given == 2
    assert report.evaluations.by_rating == (0, 0, 1, 0, 1)
    assert report.evaluations.mean == 4
    assert report.evaluations.helped == ("Hearing the others",)
    assert report.evaluations.changes == ("A bigger room", "More time")
    assert [(r.session_id, r.came, r.guests, r.rating_mean) for r in report.trend] == [("s1", 2, 0, 4), ("s2", 2, 1, 4)]


def test_a_session_outside_a_cohort_reports_everyone_as_not_matched_and_its_own_trend() -> None:
    s = Session()
    s.join_all("Ann", "Bob")
    report = session_report(s.held(), s.log, [], [], T0 + 3600)
    assert [a.name for a in report.attendance.unmatched] == ["Ann", "Bob"]
    assert report.attendance.absent == () and report.enrolled == 0
    assert [r.session_id for r in report.trend] == ["s1"]
    assert report.agenda == () and report.lanes == () and report.median_wait is None


def test_a_report_made_during_the_session_counts_the_current_topic_so_far_and_its_open_vote() -> None:
    s = cohort_session()
    ann = s.join("Ann")
    s.open(Phase.AGENDA)
    food, sleep = s.propose("Eating out"), s.propose("Sleep")
    s.vote(ann, food)
    s.open(Phase.DISCUSSION)
    s.tick(9)
    s.run(c.RoomVote("move_on"), ann)  # the time is up and the facilitator has not decided yet
    report = session_report(s.held(), s.log, ROSTER, [], s.now + 60)
    current, pending = report.agenda
    assert (current.status, current.minutes, current.ended_at) == ("current", 10, None)
    assert current.rounds == (RoomRound(0, keep_going=0, move_on=1, outcome="undecided"),)
    assert (pending.status, pending.minutes, pending.started_at) == ("not_reached", None, None)
