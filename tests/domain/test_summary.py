"""The record of each one-on-one in the chart summary, and why a request still waiting at close was not seen."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from groupvisit.domain import commands as c
from groupvisit.domain.events import EncounterWithdrawn
from groupvisit.domain.summary import chart_summary
from sessionkit import Session, clinician

CHICAGO = ZoneInfo("America/Chicago")


def test_a_completed_one_on_one_is_recorded_with_its_call_start_end_minutes_clinician_and_room() -> None:
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    doc = clinician()
    s.run(c.CallParticipant(visit, "Exam room 2"), doc)
    s.tick(2)
    s.run(c.StartEncounter(visit), doc)
    s.tick(9.6)
    s.run(c.CompleteEncounter(visit, "Feet checked"), doc)
    row = chart_summary(s.state, CHICAGO)[0]
    assert (row["clinician"], row["room"], row["encounter_minutes"]) == (doc.name, "Exam room 2", "10")
    # The session starts at T0; Chicago is five or six hours behind UTC: the clinic's clock, not the server's.
    called = s.state.encounters[visit].called_at
    assert called is not None
    assert row["encounter_called"] == datetime.fromtimestamp(called, UTC).astimezone(CHICAGO).strftime("%Y-%m-%d %H:%M")
    assert row["encounter_called"] != datetime.fromtimestamp(called, UTC).strftime("%Y-%m-%d %H:%M")


def close_with_waiting(s: Session) -> dict[str, str]:
    """Close the session with people still waiting: each one's reason, by name."""
    events = s.run(c.CloseSession(confirm=True))
    names = {p.id: p.name for p in s.state.participants.values()}
    return {names[e.participant_id]: e.reason for e in events if isinstance(e, EncounterWithdrawn)}


def test_at_close_each_request_still_waiting_says_why_it_was_not_seen() -> None:
    s = Session()
    ann, bob, cy = s.join_all("Ann", "Bob", "Cy")
    visits = {who.name: s.request_visit(who) for who in (ann, bob, cy)}
    doc = clinician()
    for _ in range(2):  # Ann is called twice and not there either time
        s.run(c.CallParticipant(visits["Ann"], "Room 1"), doc)
        s.run(c.NotHere(visits["Ann"]), doc)
    s.run(c.SkipEncounter(visits["Bob"]), doc)
    assert close_with_waiting(s) == {"Ann": "not_here_twice", "Bob": "skipped", "Cy": "out_of_time"}
    assert {row["participant"]: row["encounter"] for row in chart_summary(s.state, CHICAGO)} == {
        "Ann": "not seen: not here when called, twice", "Bob": "not seen: skipped", "Cy": "not seen: ran out of time"}


def test_an_undone_not_here_does_not_count_towards_not_here_twice() -> None:
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    doc = clinician()
    s.run(c.CallParticipant(visit, "Room 1"), doc)
    s.run(c.NotHere(visit), doc)
    s.run(c.CallParticipant(visit, "Room 1"), doc)
    s.run(c.NotHere(visit), doc)
    s.run(c.UndoEncounter(visit), doc)  # a mistake: she was there
    s.run(c.NotHere(visit), doc)  # …then she stepped out after all: that is the second time, not the third
    s.run(c.SkipEncounter(visit), doc)
    assert close_with_waiting(s) == {"Ann": "not_here_twice"}


def test_a_skip_undone_leaves_the_reason_to_the_time() -> None:
    s = Session()
    ann = s.join("Ann")
    visit = s.request_visit(ann)
    doc = clinician()
    s.run(c.SkipEncounter(visit), doc)
    s.run(c.UndoEncounter(visit), doc)
    assert close_with_waiting(s) == {"Ann": "out_of_time"}
