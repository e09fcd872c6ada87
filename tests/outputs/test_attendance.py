"""The cohort's attendance and evaluations across its series, one row per patient per session, from hand-built logs."""

import csv
import io
from zoneinfo import ZoneInfo

from domain.sessionkit import MONTH, ROSTER, T0, Session, cohort_session
from groupvisit.domain import Phase
from groupvisit.domain import commands as c
from groupvisit.outputs.attendance import COLUMNS, attendance
from groupvisit.outputs.enrolment import CohortRoster, Enrolment
from groupvisit.outputs.spreadsheet import csv_text

ZONE = ZoneInfo("America/New_York")
FIRST, SECOND, THIRD = T0, T0 + MONTH, T0 + 2 * MONTH  # when cohort_session starts each one
ENROLLED = {"pat1": T0 - MONTH, "pat2": T0 - MONTH, "pat3": T0 + MONTH // 2, "pat4": T0 - MONTH}
LEFT = {"pat4": T0 + MONTH + MONTH // 2}  # Dee leaves between the second session and the third


def roster() -> CohortRoster:
    return CohortRoster("co1", "Tuesday group", tuple(
        Enrolment(entry, f"MRN-{entry.patient_id[-1]}", ENROLLED[entry.patient_id], LEFT.get(entry.patient_id))
        for entry in ROSTER))


def series() -> list[Session]:
    """The first session held (Ann and Dee come, Bob does not, Wendy is a guest); the second cancelled; the third
    still to come."""
    first = cohort_session()
    ann, dee, wendy = first.join_all("Ann", "Dee", "Wendy")
    first.match(ann, "pat1")
    first.match(dee, "pat4")
    first.match(wendy, "")
    first.open(Phase.AGENDA)
    first.open(Phase.DISCUSSION)
    first.open(Phase.GOALS)
    first.open(Phase.WRAP_UP)
    first.run(c.GiveEvaluation(4, '=HYPERLINK("http://evil.example")', "+more time"), ann)
    first.run(c.GiveEvaluation(5, "the cooking tips", ""), wendy)
    first.run(c.CloseSession(confirm=True))
    second = cohort_session([first])
    second.run(c.CancelSession("snow"))
    return [first, second, cohort_session([first, second])]


def rows() -> list[dict[str, str]]:
    first, second, third = series()
    return attendance(roster(), [third.held(), second.held(cancelled=True), first.held()], FIRST + 86400, ZONE)


def test_every_patient_of_the_roster_has_a_row_for_every_session_and_a_guest_for_the_one_they_came_to() -> None:
    found = [(r["session"], r["patient"], r["enrolment"], r["attendance"]) for r in rows()]
    assert found == [
        ("s1", "Ann Lee", "enrolled", "came"), ("s1", "Robert Diaz", "enrolled", "no_show"),
        ("s1", "Cyrus Moss", "not_yet_enrolled", "not_enrolled"), ("s1", "Deirdre Kahn", "enrolled", "came"),
        ("s1", "Wendy", "guest", "came"),
        ("s2", "Ann Lee", "enrolled", "cancelled"), ("s2", "Robert Diaz", "enrolled", "cancelled"),
        ("s2", "Cyrus Moss", "enrolled", "cancelled"), ("s2", "Deirdre Kahn", "enrolled", "cancelled"),
        ("s3", "Ann Lee", "enrolled", "upcoming"), ("s3", "Robert Diaz", "enrolled", "upcoming"),
        ("s3", "Cyrus Moss", "enrolled", "upcoming"), ("s3", "Deirdre Kahn", "left", "not_enrolled"),
    ]


def test_each_row_has_the_sessions_time_and_status_the_chart_number_and_that_patients_own_evaluation() -> None:
    by_key = {(r["session"], r["patient"]): r for r in rows()}
    ann = by_key[("s1", "Ann Lee")]
    assert (ann["session_start"], ann["session_status"], ann["chart_number"]) == ("2023-11-14 17:13", "held", "MRN-1")
    assert (ann["rating"], ann["helped"], ann["change"]) == ("4", '=HYPERLINK("http://evil.example")', "+more time")
    assert (by_key[("s1", "Wendy")]["rating"], by_key[("s1", "Wendy")]["chart_number"]) == ("5", "")
    assert by_key[("s1", "Deirdre Kahn")]["rating"] == "", "she came and gave no evaluation"
    assert [by_key[(s, "Ann Lee")]["session_status"] for s in ("s1", "s2", "s3")] == ["held", "cancelled", "upcoming"]


def test_in_the_csv_formula_like_answers_are_text_and_each_row_has_every_column() -> None:
    written = csv_text(COLUMNS, rows())
    read = list(csv.DictReader(io.StringIO(written)))
    assert len(read) == 13 and list(read[0]) == list(COLUMNS)
    assert (read[0]["helped"], read[0]["change"]) == ('\'=HYPERLINK("http://evil.example")', "'+more time")


def test_a_cohort_with_no_sessions_yet_has_no_rows() -> None:
    assert attendance(roster(), [], FIRST, ZONE) == []


def test_a_session_with_no_roster_lists_who_came() -> None:
    s = Session()
    s.join_all("Ann", "Bob")
    found = attendance(CohortRoster("co1", "Drop-in", ()), [s.held()], FIRST, ZONE)
    assert [(r["patient"], r["enrolment"], r["attendance"]) for r in found] == [
        ("Ann", "not_matched", "came"), ("Bob", "not_matched", "came")]
