"""What each screen may see: the projector, a participant, staff; and each one's copy of an event."""

import json
from dataclasses import dataclass
from typing import Any

import pytest

from groupvisit.domain import Actor, Phase
from groupvisit.domain import commands as c
from groupvisit.domain.events import (EncounterCompleted, Event, NumbersRecorded, StrategyCaptured, TopicProposed,
                                      VisitRequested, VoteCast)
from groupvisit.domain.views import queue_order, view_for, visible_event
from sessionkit import FACILITATOR, PROJECTOR, Session, clinician, keys_in, strings_in, walk

SECRET = "SECRET"  # every private text in the full session below contains it
ANN_NUMBERS = c.RecordNumbers(bp_systolic=131, bp_diastolic=87, weight=88.8, glucose=187)
PRIVATE_KEYS = {"numbers", "request", "note", "goal", "evaluation", "visit", "confidence", "room",
                "clinician_name", "bp_systolic", "bp_diastolic", "weight", "glucose"}
DR1 = clinician(1)


@dataclass
class FullSession:
    s: Session
    ann: Actor
    bob: Actor
    cy: Actor
    ann_topic: str  # proposed anonymously by Ann
    ann_strategy: str  # shared anonymously by Ann


def full_session() -> FullSession:
    """A session through wrap-up in which every kind of private data has been entered."""
    s = Session()
    ann, bob, cy = s.join_all("Ann", "Bob", "Cy")
    s.run(ANN_NUMBERS, ann)
    s.request_visit(ann, f"{SECRET}: Ann's foot ulcer")
    bob_visit = s.request_visit(bob, f"{SECRET}: Bob's low moods")
    s.open(Phase.AGENDA)
    ann_topic = s.propose("Feeling ashamed", by=ann, anonymous=True)
    s.vote(bob, ann_topic)
    s.vote(ann, s.propose("Sleep", by=bob))
    s.open(Phase.DISCUSSION)
    ann_strategy = s.capture("Tell one friend", by=ann, anonymous=True)
    for command in (c.CallParticipant(bob_visit, f"room {SECRET}"), c.StartEncounter(bob_visit),
                    c.CompleteEncounter(bob_visit, f"{SECRET}: PHQ-2 positive")):
        s.run(command, DR1)
    s.open(Phase.GOALS)
    s.set_goal(ann, what=f"{SECRET}: swim twice a week")
    s.set_goal(bob, what="walk after dinner", shared=True)
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(5, f"{SECRET}: Bob's story", f"{SECRET}: more time"), ann)
    return FullSession(s, ann, bob, cy, ann_topic, ann_strategy)


@pytest.fixture(scope="module")
def full() -> FullSession:
    return full_session()


def view(full: FullSession, viewer: Actor) -> dict[str, Any]:
    result = view_for(full.s.state, viewer)
    json.dumps(result)  # every view is plain JSON
    return result


def secrets_in(tree: Any) -> list[str]:
    return [text for text in strings_in(tree) if SECRET in text]


def ann_numbers_in(tree: Any) -> list[str]:
    values = {ANN_NUMBERS.bp_systolic, ANN_NUMBERS.bp_diastolic, ANN_NUMBERS.weight, ANN_NUMBERS.glucose}
    return [path for path, _, value in walk(tree)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value in values]


# --- the projector ------------------------------------------------------------------

def test_the_projector_view_has_no_people_queue_or_me_sections(full: FullSession) -> None:
    projector = view(full, PROJECTOR)
    assert not {"people", "queue", "me"} & set(projector)
    assert [p["name"] for p in projector["participants"]] == ["Ann", "Bob", "Cy"]  # display names only


def test_the_projector_view_holds_no_private_data_anywhere(full: FullSession) -> None:
    projector = view(full, PROJECTOR)
    assert secrets_in(projector) == []
    assert keys_in(projector) & PRIVATE_KEYS == set()
    assert ann_numbers_in(projector) == []


def test_the_staff_view_holds_the_private_data_the_projector_must_not(full: FullSession) -> None:
    """The control for the test above: the same walk finds the data where it belongs."""
    staff = view(full, DR1)
    assert {"people", "queue"} <= set(staff)
    assert len(secrets_in(staff)) >= 5
    assert keys_in(staff) & PRIVATE_KEYS
    assert ann_numbers_in(staff)


def test_shared_goals_are_shown_to_the_room_and_private_ones_are_not(full: FullSession) -> None:
    assert view(full, PROJECTOR)["shared_goals"] == [
        {"name": "Bob", "what": "walk after dinner", "how_much": "20 minutes", "when": "after dinner",
         "how_often": "5 days a week"}]


# --- a participant ------------------------------------------------------------------

def test_a_participant_sees_their_own_private_data(full: FullSession) -> None:
    me = view(full, full.ann)["me"]
    assert me["numbers"]["bp_systolic"] == 131
    assert me["visit"]["request"] == f"{SECRET}: Ann's foot ulcer"
    assert me["goal"]["what"] == f"{SECRET}: swim twice a week"
    assert me["evaluation"]["rating"] == 5


def test_a_participant_sees_no_one_elses_private_data(full: FullSession) -> None:
    cy_view = view(full, full.cy)
    assert secrets_in(cy_view) == []
    assert ann_numbers_in(cy_view) == []
    assert not {"people", "queue", "participants"} & set(cy_view)
    bob_view = view(full, full.bob)
    assert sorted(secrets_in(bob_view)) == [f"{SECRET}: Bob's low moods", f"room {SECRET}"]  # his own visit only


def test_a_participant_sees_their_own_votes_only(full: FullSession) -> None:
    rows = {row["id"]: row for row in view(full, full.bob)["topics"]}
    assert rows[full.ann_topic]["my_votes"] == 1
    assert all(row["my_votes"] == 0 for topic_id, row in rows.items() if topic_id != full.ann_topic)


# --- anonymity ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["bob", "projector", "facilitator"])
def test_anonymous_topics_and_strategies_show_no_author_to_others(full: FullSession, who: str) -> None:
    viewer = {"bob": full.bob, "projector": PROJECTOR, "facilitator": FACILITATOR}[who]
    seen = view(full, viewer)
    topic = next(row for row in seen["topics"] if row["id"] == full.ann_topic)
    strategy = next(row for row in seen["strategies"] if row["id"] == full.ann_strategy)
    assert topic["by"] is None and topic["anonymous"] is True
    assert strategy["by"] is None
    assert topic.get("mine", False) is False and strategy.get("mine", False) is False


def test_the_author_of_an_anonymous_topic_or_strategy_sees_it_as_theirs(full: FullSession) -> None:
    seen = view(full, full.ann)
    topic = next(row for row in seen["topics"] if row["id"] == full.ann_topic)
    strategy = next(row for row in seen["strategies"] if row["id"] == full.ann_strategy)
    assert (topic["by"], topic["mine"]) == ("Ann", True)
    assert (strategy["by"], strategy["mine"]) == ("Ann", True)


def test_named_topics_show_their_author_to_everyone(full: FullSession) -> None:
    rows = view(full, PROJECTOR)["topics"]
    assert next(row for row in rows if row["title"] == "Sleep")["by"] == "Bob"


# --- visible_event ------------------------------------------------------------------

def events_of_session(s: Session, kind: type[Event]) -> list[Any]:
    return [e for e in s.log if isinstance(e, kind)]


def events_of(full: FullSession, kind: type[Event]) -> list[Any]:
    return events_of_session(full.s, kind)


@pytest.mark.parametrize("kind", [NumbersRecorded, VisitRequested])
def test_private_events_reach_only_staff_and_their_subject(full: FullSession, kind: type[Event]) -> None:
    event = next(e for e in events_of(full, kind) if e.participant_id == full.ann.id)
    assert visible_event(event, PROJECTOR) is None
    assert visible_event(event, full.bob) is None
    assert visible_event(event, full.ann) == event.to_dict()
    assert visible_event(event, FACILITATOR) == event.to_dict()
    assert visible_event(event, DR1) == event.to_dict()


def test_every_private_event_is_hidden_from_the_projector(full: FullSession) -> None:
    private = [e for e in full.s.log if e.audience == "private"]
    assert {type(e).__name__ for e in private} >= {"NumbersRecorded", "VisitRequested", "ParticipantCalled",
                                                   "EncounterCompleted", "GoalSet", "EvaluationGiven"}
    assert [visible_event(e, PROJECTOR) for e in private] == [None] * len(private)


def test_the_clinicians_note_reaches_staff_only(full: FullSession) -> None:
    (completed,) = events_of(full, EncounterCompleted)
    assert completed.participant_id == full.bob.id
    bobs_copy = visible_event(completed, full.bob)
    assert bobs_copy is not None and "note" not in bobs_copy
    assert visible_event(completed, DR1) == completed.to_dict()
    assert visible_event(completed, PROJECTOR) is None


def test_who_voted_is_removed_for_everyone_but_the_voter_and_staff(full: FullSession) -> None:
    vote = next(e for e in events_of(full, VoteCast) if e.participant_id == full.bob.id)
    for other in (PROJECTOR, full.ann):
        assert visible_event(vote, other) == {"type": "vote_cast", "topic_id": vote.topic_id}
    assert visible_event(vote, full.bob) == vote.to_dict()
    assert visible_event(vote, FACILITATOR) == vote.to_dict()


def test_an_anonymous_proposal_hides_its_proposer_from_others(full: FullSession) -> None:
    proposed = next(e for e in events_of(full, TopicProposed) if e.topic_id == full.ann_topic)
    for other in (PROJECTOR, full.bob, FACILITATOR):
        seen = visible_event(proposed, other)
        assert seen is not None and seen["proposer_id"] == "" and seen["title"] == "Feeling ashamed"
    assert visible_event(proposed, full.ann) == proposed.to_dict()


def test_an_anonymous_strategy_hides_its_author_from_others(full: FullSession) -> None:
    captured = next(e for e in events_of(full, StrategyCaptured) if e.strategy_id == full.ann_strategy)
    for other in (PROJECTOR, full.bob, FACILITATOR):
        seen = visible_event(captured, other)
        assert seen is not None and (seen["author_id"], seen["captured_by"]) == ("", "")
    assert visible_event(captured, full.ann) == captured.to_dict()


def test_a_strategy_staff_captured_for_nobody_shows_no_one_as_its_author() -> None:
    s = Session()
    bob = s.join("Bob")
    s.capture("Keep fruit in view")  # anonymous, since it is nobody's
    (captured,) = events_of_session(s, StrategyCaptured)
    for viewer in (PROJECTOR, bob):
        seen = visible_event(captured, viewer)
        assert seen is not None and (seen["author_id"], seen["captured_by"]) == ("", "")
    assert view_for(s.state, PROJECTOR)["strategies"][0]["by"] is None


# --- the queue's order --------------------------------------------------------------

def test_queue_order_puts_someone_whose_top_topic_is_under_discussion_behind_the_others() -> None:
    s = Session()
    ann, bob, cy = s.join_all("Ann", "Bob", "Cy")
    s.open(Phase.AGENDA)
    sleep, food = s.propose("Sleep"), s.propose("Food")
    s.vote(ann, sleep, times=2)
    s.vote(ann, food)
    s.vote(bob, food)
    visits = {}
    for who in (ann, bob, cy):
        visits[who.id] = s.request_visit(who)
        s.tick(1)
    s.open(Phase.DISCUSSION)
    assert s.current_topic() == sleep
    assert [e.participant_id for e in queue_order(s.state)] == [bob.id, cy.id, ann.id]
    assert view_for(s.state, DR1)["queue"]["waiting"][-1]["in_top_topic"] is True
    s.run(c.NextTopic())  # Food: Bob's top topic, not Ann's
    assert [e.participant_id for e in queue_order(s.state)] == [ann.id, cy.id, bob.id]
    # A patient's place is the plan's: Cy, who voted for neither, before Ann, who voted for Food too.
    assert [view_for(s.state, who)["me"]["visit"]["position"] for who in (cy, ann, bob)] == [1, 2, 3]


def test_queue_order_is_first_come_first_served_outside_discussion() -> None:
    s = Session()
    people = s.join_all("Ann", "Bob", "Cy")
    for who in reversed(people):
        s.request_visit(who)
        s.tick(1)
    assert [e.participant_id for e in queue_order(s.state)] == [p.id for p in reversed(people)]


# --- the agenda's plan --------------------------------------------------------------

def test_the_agenda_plans_pending_topics_after_the_current_one_and_flags_what_does_not_fit() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    for title in ("Sleep", "Food", "Stress"):
        s.propose(title)
    s.now = s.state.goals_at - 12 * 60  # room for 8 + 4 minutes
    s.open(Phase.DISCUSSION)
    agenda = view_for(s.state, PROJECTOR)["agenda"]
    current, food, stress = agenda["items"]
    assert current["status"] == "current" and "planned_start" not in current
    assert (food["planned_start"], food["planned_end"], food["fits"]) == (s.now + 8 * 60, s.state.goals_at, True)
    assert (stress["planned_start"], stress["fits"]) == (s.state.goals_at, False)
    assert agenda["current"]["next_extension_minutes"] == 4


def test_an_extension_moves_every_pending_topic_by_its_minutes() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    for title in ("Sleep", "Food"):
        s.propose(title)
    s.open(Phase.DISCUSSION)
    before = view_for(s.state, PROJECTOR)["agenda"]["items"][1]["planned_start"]
    s.tick(8)
    s.run(c.ExtendTopic())
    after = view_for(s.state, PROJECTOR)["agenda"]
    assert after["items"][1]["planned_start"] == before + 4 * 60
    assert after["predicted_end"] == before + 12 * 60


def test_rewording_a_hidden_strategy_reaches_only_staff() -> None:
    s = Session()
    ann = s.join("Ann")
    walk = s.capture("Walk with a friend", by=ann)
    s.run(c.HideStrategy(walk))
    (edited,) = s.run(c.EditStrategy(walk, "Walk with a friend, reworded"))
    assert visible_event(edited, PROJECTOR) is None and visible_event(edited, ann) is None
    assert visible_event(edited, FACILITATOR) is not None
    assert not any("reworded" in text for text in strings_in(view_for(s.state, PROJECTOR)))
