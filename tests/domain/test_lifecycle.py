"""A session's life: scheduled, phases opened forward only, closed for good."""

import pytest

from groupvisit.domain import Phase, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import PhaseOpened, SessionClosed, TopicEnded
from sessionkit import NEWCOMER, SAMPLE_COMMANDS, T0, Session, actor_allowed, clinician


def test_a_scheduled_session_starts_in_check_in_with_its_settings() -> None:
    s = Session(minutes=90, vote_budget=4, timebox_minutes=10, goals_minutes=12, wrapup_minutes=6)
    state = s.state
    assert (state.session_id, state.join_code, state.phase, state.phase_opened_at) == (
        "s1", "JOIN42", Phase.CHECK_IN, T0)
    assert (state.starts_at, state.ends_at) == (T0, T0 + 90 * 60)
    assert (state.vote_budget, state.timebox_minutes, state.goals_minutes, state.wrapup_minutes) == (4, 10, 12, 6)
    assert state.seq == 1


def test_open_phase_moves_the_room_forward() -> None:
    s = Session()
    s.tick(15)
    assert s.open(Phase.AGENDA) == [PhaseOpened("agenda", s.now)]
    assert (s.state.phase, s.state.phase_opened_at) == (Phase.AGENDA, s.now)


def test_phases_may_be_skipped_forward() -> None:
    s = Session()
    s.open(Phase.GOALS)
    assert s.state.phase is Phase.GOALS


@pytest.mark.parametrize(("now", "back"), [
    (Phase.CHECK_IN, Phase.CHECK_IN), (Phase.AGENDA, Phase.AGENDA), (Phase.DISCUSSION, Phase.AGENDA),
    (Phase.WRAP_UP, Phase.GOALS),
])
def test_open_phase_never_goes_back_or_reopens(now: Phase, back: Phase) -> None:
    s = Session()
    if now is not Phase.CHECK_IN:
        s.open(now)
    refused = s.refuse(c.OpenPhase(back.value), code="wrong_phase")
    assert "only move forward" in refused.reason


@pytest.mark.parametrize("phase", ["closed", "lunch"])
def test_open_phase_refuses_closing_and_unknown_phases(phase: str) -> None:
    s = Session()
    s.refuse(c.OpenPhase(phase), code="invalid")


def test_close_session_is_refused_while_an_encounter_is_active() -> None:
    s = Session()
    encounter_id = s.request_visit(s.join("Ann"))
    s.run(c.CallParticipant(encounter_id, "Room 1"), clinician())
    refused = s.refuse(c.CloseSession(), code="encounter_open")
    assert "Dr 1" in refused.reason and "Ann" in refused.reason
    s.run(c.StartEncounter(encounter_id), clinician())
    s.refuse(c.CloseSession(), code="encounter_open")
    s.run(c.CompleteEncounter(encounter_id), clinician())
    assert s.run(c.CloseSession()) == [SessionClosed(s.now)]


def test_close_session_with_participants_still_waiting_needs_confirming() -> None:
    s = Session()
    s.request_visit(s.join("Ann"))
    s.request_visit(s.join("Bob"))
    refused = s.refuse(c.CloseSession(), code="needs_confirmation")
    assert "Ann, Bob" in refused.reason and "not seen" in refused.reason
    s.run(c.CloseSession(confirm=True))
    assert s.state.phase is Phase.CLOSED and s.state.closed_at == s.now


def test_closing_during_discussion_ends_the_current_topic() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    sleep = s.propose("Sleep")
    s.open(Phase.DISCUSSION)
    assert s.run(c.CloseSession()) == [TopicEnded(sleep, s.now), SessionClosed(s.now)]


@pytest.mark.parametrize("command_type", [t for t in SAMPLE_COMMANDS if Phase.CLOSED not in t.phases],
                         ids=lambda t: t.name)
def test_nothing_is_allowed_after_close(command_type: type[c.Command]) -> None:
    s = Session()
    s.run(c.CloseSession())
    refused = s.refuse(SAMPLE_COMMANDS[command_type], actor_allowed(command_type), code="session_closed")
    assert refused.reason == "the session has ended"


def test_only_co_signing_a_chart_note_or_withdrawing_it_is_allowed_after_close() -> None:
    assert [t for t in SAMPLE_COMMANDS if Phase.CLOSED in t.phases] == [c.CosignChartNote, c.WithdrawCosign]


def test_a_closed_session_replays_closed() -> None:
    s = Session()
    s.open(Phase.WRAP_UP)
    s.run(c.CloseSession())
    assert replay(s.log).phase is Phase.CLOSED


def test_opening_goals_with_agenda_topics_left_needs_confirming_and_names_them() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    s.propose("Food")
    s.propose("Feet")
    s.open(Phase.DISCUSSION)  # Sleep is being discussed; Food and Feet wait
    refused = s.refuse(c.OpenPhase("goals"), code="needs_confirmation")
    assert "“Food”, “Feet”" in refused.reason and "Sleep" not in refused.reason
    s.run(c.OpenPhase("goals", confirm=True))
    assert s.state.phase is Phase.GOALS


def test_skipping_the_agenda_altogether_names_the_proposed_topics() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    assert "“Sleep”" in s.refuse(c.OpenPhase("wrap_up"), code="needs_confirmation").reason


def test_moving_on_with_nothing_left_to_discuss_needs_no_confirmation() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    s.open(Phase.DISCUSSION)
    s.run(c.OpenPhase("goals"))  # only the current topic: it ends, nothing is skipped
    s.run(c.CloseSession())  # nobody waiting


def test_skipping_is_confirmed_once_not_again_at_wrap_up() -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.propose("Sleep")
    s.propose("Food")
    s.open(Phase.DISCUSSION)
    s.run(c.OpenPhase("goals", confirm=True))
    s.run(c.OpenPhase("wrap_up"))


# --- moving or cancelling a session before anyone came -------------------------------

def test_reschedule_moves_the_session_and_its_check_in() -> None:
    s = Session()
    s.run(c.Reschedule(T0 + 86400, T0 + 86400 + 5400))
    assert (s.state.starts_at, s.state.ends_at, s.state.phase_opened_at) == (T0 + 86400, T0 + 86400 + 5400, T0 + 86400)
    assert s.state.phase is Phase.CHECK_IN
    assert replay(s.log) == s.state


@pytest.mark.parametrize("ends_at", [T0 + 86400, T0 + 86000])
def test_reschedule_refuses_an_end_not_after_the_start(ends_at: float) -> None:
    refused = Session().refuse(c.Reschedule(T0 + 86400, ends_at), code="invalid")
    assert refused.reason == "the session must end after it starts"


def test_reschedule_to_the_time_it_has_is_a_conflict() -> None:
    Session().refuse(c.Reschedule(T0, T0 + 120 * 60), code="conflict")


@pytest.mark.parametrize("command", [c.Reschedule(T0 + 86400, T0 + 90000), c.CancelSession("snow")])
def test_once_someone_has_checked_in_the_session_cannot_be_moved_or_cancelled(command: c.Command) -> None:
    s = Session()
    s.join("Ann")
    refused = s.refuse(command, code="already_begun")
    assert refused.reason.startswith("1 person has already checked in")


@pytest.mark.parametrize("command", [c.Reschedule(T0 + 86400, T0 + 90000), c.CancelSession("snow")])
def test_a_session_past_check_in_cannot_be_moved_or_cancelled(command: c.Command) -> None:
    s = Session()
    s.open(Phase.AGENDA)
    s.refuse(command, code="wrong_phase")


def test_a_cancelled_session_is_closed_and_refuses_everything_even_join() -> None:
    s = Session()
    s.tick(-3 * 24 * 60)
    s.run(c.CancelSession("  the room flooded  "))
    assert (s.state.phase, s.state.cancelled_at, s.state.closed_at) == (Phase.CLOSED, s.now, None)
    assert s.log[-1].to_dict() == {"type": "session_cancelled", "reason": "the room flooded", "at": s.now}
    refused = s.refuse(c.Join("Ann"), NEWCOMER, code="cancelled")
    assert refused.reason == "this session was cancelled"
    for command_type, command in SAMPLE_COMMANDS.items():
        s.refuse(command, actor_allowed(command_type), code="cancelled")
    assert replay(s.log) == s.state


def test_cancelling_is_refused_with_a_reason_too_long() -> None:
    Session().refuse(c.CancelSession("x" * 201), code="too_long")
