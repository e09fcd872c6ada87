"""What the cohort's earlier sessions show today: to whom, and never to the wall or another patient."""

import json
from typing import Any

import pytest

from groupvisit.domain import Actor, Phase, Role
from groupvisit.domain import commands as c
from groupvisit.domain.events import (FollowUpGiven, ParticipantMatched, SessionCancelled, StrategyCaptured,
                                      StrategyTried)
from groupvisit.domain.views import view_for, visible_event
from sessionkit import (FACILITATOR, PROJECTOR, ROSTER, T0, Session, clinician, cohort_session, keys_in, patient,
                        strings_in)

SECRET = "SECRET"
COHORT_KEYS = {"roster", "follow_ups", "library", "prior", "follow_up", "suggestions", "roster_name", "patient_id",
               "no_agreement", "my_tried", "obstacle", "clinic_name"}


def month_one() -> Session:
    s = cohort_session()
    ann, bob = s.join_all("Ann", "Bob")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.run(c.RecordNumbers(bp_systolic=151, bp_diastolic=97), ann)
    s.open(Phase.DISCUSSION)
    salad = s.capture("Order the salad first", by=ann)
    s.run(c.MarkHelpful(salad), bob)
    s.run(c.MarkTried(salad, True), bob)
    s.open(Phase.GOALS)
    s.set_goal(ann, what=f"{SECRET}: Ann walks after dinner")
    s.set_goal(bob, what=f"{SECRET}: Bob swaps soda for water")
    s.run(c.CloseSession())
    return s


class Today:
    """Month two: Ann and Bob come back, Cyrus has not been matched yet, Eve is a guest."""

    def __init__(self) -> None:
        self.s = s = cohort_session([month_one()])
        self.ann, self.bob, self.cyrus, self.eve = s.join_all("Ann", "Bob", "Cyrus", "Eve")
        s.match(self.ann, "pat1")
        s.match(self.bob, "pat2")
        s.match(self.eve, "")
        s.run(c.RecordNumbers(bp_systolic=139, bp_diastolic=88), self.ann)
        s.request_visit(self.ann)
        s.run(c.GiveFollowUp("partly", f"{SECRET}: Ann's knee"), self.ann)

    def view(self, viewer: Actor) -> dict[str, Any]:
        result = view_for(self.s.state, viewer)
        json.dumps(result)
        return result

    def person(self, name: str) -> dict[str, Any]:
        return next(row for row in self.view(FACILITATOR)["people"] if row["name"] == name)


@pytest.fixture
def today() -> Today:
    return Today()


def test_a_returning_patient_sees_their_last_goal_and_their_follow_up(today: Today) -> None:
    follow_up = today.view(today.ann)["me"]["follow_up"]
    assert follow_up["goal"]["what"] == f"{SECRET}: Ann walks after dinner"
    assert follow_up["session_starts_at"] == T0
    assert follow_up["given"] == {"outcome": "partly", "obstacle": f"{SECRET}: Ann's knee"}
    bob = today.view(today.bob)["me"]["follow_up"]
    assert (bob["goal"]["what"], bob["given"]) == (f"{SECRET}: Bob swaps soda for water", None)


@pytest.mark.parametrize("who", ["cyrus", "eve"])
def test_no_follow_up_for_someone_unmatched_or_a_guest(today: Today, who: str) -> None:
    assert today.view(getattr(today, who))["me"]["follow_up"] is None


def test_a_participant_never_sees_anothers_last_goal_or_follow_up(today: Today) -> None:
    bobs = today.view(today.bob)
    assert [t for t in strings_in(bobs) if SECRET in t] == [f"{SECRET}: Bob swaps soda for water"]
    for other in (today.cyrus, today.eve):
        assert [t for t in strings_in(today.view(other)) if SECRET in t] == []
        assert not {"roster", "follow_ups", "library", "prior", "suggestions"} & keys_in(today.view(other))


def test_the_projector_holds_none_of_it(today: Today) -> None:
    wall = today.view(PROJECTOR)
    assert [t for t in strings_in(wall) if SECRET in t] == []
    assert not COHORT_KEYS & keys_in(wall)
    assert not {e.clinic_name for e in ROSTER} & set(strings_in(wall))


def test_people_rows_carry_the_match_and_its_flags(today: Today) -> None:
    ann, cyrus, eve = today.person("Ann"), today.person("Cyrus"), today.person("Eve")
    assert (ann["patient_id"], ann["roster_name"], ann["suggestions"], ann["no_agreement"]) == (
        "pat1", "Ann", [], False)
    assert ann["follow_up"]["given"]["outcome"] == "partly"
    assert (cyrus["patient_id"], cyrus["roster_name"], cyrus["no_agreement"]) == (None, None, False)
    assert cyrus["suggestions"] == [{"patient_id": "pat3", "display_name": "Cy", "clinic_name": "Cyrus Moss"}]
    assert (eve["patient_id"], eve["roster_name"], eve["suggestions"], eve["no_agreement"]) == ("", None, [], True)
    today.s.match(today.cyrus, "pat3")
    assert today.person("Cyrus")["no_agreement"] is True, "Cy has no confidentiality agreement on file"


def test_suggestions_rank_look_alikes_then_prefixes_then_words_and_skip_matched_patients() -> None:
    roster = [patient("r1", "Bob"), patient("r2", "Mary Ann", "Mary Smith"), patient("r3", "Annette"),
              patient("r4", "Ann", "Ann Lee"), patient("r5", "Jo", "Annie Jones"), patient("r6", "Ann B")]
    s = cohort_session(roster=roster)
    first, typo = s.join_all("Аnn", "Ann M")  # the first "А" is Cyrillic: it looks like Ann
    rows = {row["id"]: row for row in view_for(s.state, FACILITATOR)["people"]}
    assert [x["patient_id"] for x in rows[first.id]["suggestions"]] == ["r4", "r3", "r5"]
    s.match(first, "r4")
    rows = {row["id"]: row for row in view_for(s.state, FACILITATOR)["people"]}
    assert [x["patient_id"] for x in rows[typo.id]["suggestions"]] == ["r2", "r3", "r5"]


def test_the_roster_section_says_who_is_matched_to_whom(today: Today) -> None:
    roster = today.view(clinician())["roster"]
    assert [(r["patient_id"], r["display_name"], r["clinic_name"], r["participant_id"]) for r in roster] == [
        ("pat1", "Ann", "Ann Lee", today.ann.id), ("pat2", "Bob", "Robert Diaz", today.bob.id),
        ("pat3", "Cy", "Cyrus Moss", None), ("pat4", "Dee", "Deirdre Kahn", None)]


def test_follow_ups_are_counted_for_staff(today: Today) -> None:
    assert today.view(FACILITATOR)["follow_ups"] == {"done": 0, "partly": 1, "not_yet": 0, "waiting": 1}
    today.s.run(c.GiveFollowUp("done"), today.bob)
    assert today.view(clinician())["follow_ups"] == {"done": 1, "partly": 1, "not_yet": 0, "waiting": 0}


def test_the_library_and_a_brought_strategy_count_across_sessions(today: Today) -> None:
    (row,) = today.view(FACILITATOR)["library"]
    assert row == {"id": "s1:s1", "text": "Order the salad first", "topic": "", "session_starts_at": T0,
                   "helpful": 1, "tried": 1, "on_board": False}
    today.s.run(c.BringStrategy("s1:s1"))
    today.s.run(c.MarkTried("s1", True), today.ann)
    (row,) = today.view(FACILITATOR)["library"]
    assert (row["helpful"], row["tried"], row["on_board"]) == (1, 2, True)
    for viewer in (today.ann, today.bob, PROJECTOR):
        (strategy,) = today.view(viewer)["strategies"]
        assert (strategy["helpful"], strategy["tried"]) == (1, 2)
    assert [s["my_tried"] for s in (today.view(today.ann)["strategies"][0], today.view(today.bob)["strategies"][0])
            ] == [True, False]


def test_the_queue_shows_a_returning_patients_prior_goal_follow_up_and_numbers(today: Today) -> None:
    (row,) = today.view(clinician())["queue"]["waiting"]
    prior = row["prior"]
    assert prior["goal"]["what"] == f"{SECRET}: Ann walks after dinner"
    assert prior["session_starts_at"] == T0
    assert prior["follow_up"] == {"outcome": "partly", "obstacle": f"{SECRET}: Ann's knee"}
    assert [(n["session_starts_at"], n["bp_systolic"]) for n in prior["numbers"]] == [(T0, 151)]
    assert row["numbers"]["bp_systolic"] == 139, "today's numbers stay the row's own"


def test_outside_a_cohort_the_cohort_sections_are_empty() -> None:
    s = Session()
    ann = s.join("Ann")
    s.request_visit(ann)
    view = view_for(s.state, FACILITATOR)
    assert (view["roster"], view["follow_ups"], view["library"]) == (None, None, None)
    (row,) = view["people"]
    assert (row["patient_id"], row["roster_name"], row["suggestions"], row["no_agreement"], row["follow_up"]) == (
        None, None, [], False, None)
    assert view["queue"]["waiting"][0]["prior"] is None
    assert view_for(s.state, ann)["me"]["follow_up"] is None


def test_the_cohorts_private_events_reach_only_staff_and_their_subject(today: Today) -> None:
    log = today.s.log
    private = [next(e for e in log if isinstance(e, kind)) for kind in (ParticipantMatched, FollowUpGiven)]
    for event in private:
        assert getattr(event, "participant_id") == today.ann.id
        assert visible_event(event, PROJECTOR) is None
        assert visible_event(event, today.bob) is None
        assert visible_event(event, today.ann) == visible_event(event, FACILITATOR) == event.to_dict()


def test_who_tried_a_strategy_is_personal_and_a_cancellation_is_for_staff() -> None:
    s = Session()
    ann = s.join("Ann")
    (tried,) = s.run(c.MarkTried(s.capture("Walk"), True), ann)
    assert isinstance(tried, StrategyTried)
    assert visible_event(tried, PROJECTOR) == {"type": "strategy_tried", "strategy_id": "s1", "helped": True}
    assert visible_event(tried, ann) == tried.to_dict()
    cancelled = SessionCancelled("snow", T0)
    assert visible_event(cancelled, PROJECTOR) is None
    assert visible_event(cancelled, Actor(Role.PARTICIPANT, "p1", "Ann")) is None
    assert visible_event(cancelled, FACILITATOR) == cancelled.to_dict()


def test_a_brought_strategy_reaches_the_wall_with_its_origin_and_no_author(today: Today) -> None:
    (brought,) = today.s.run(c.BringStrategy("s1:s1"))
    assert isinstance(brought, StrategyCaptured)
    wall = visible_event(brought, PROJECTOR)
    assert wall is not None and (wall["origin"], wall["author_id"]) == ("s1:s1", "")


def test_no_suggestions_for_a_check_in_by_mistake(today: Today) -> None:
    assert today.person("Cyrus")["suggestions"]
    today.s.run(c.MarkParticipant("mistake", today.cyrus.id))
    assert today.person("Cyrus")["suggestions"] == []
