"""A session's life: scheduled (and perhaps moved or cancelled before anyone came), its phases opened
in order, then closed for good."""

from .agenda import fix_agenda, ranked
from .commands import CancelSession, CloseSession, OpenPhase, Reschedule
from .discussion import end_current
from .errors import Refused, require
from .events import (EncounterWithdrawn, Event, PhaseOpened, SessionCancelled, SessionClosed, SessionRescheduled, SessionScheduled,
                     TopicStarted)
from .phases import Phase
from .views import queue_order
from .roles import Actor
from .settings import PlannerSettings
from .state import Encounter, SessionState
from .text import clean_text

OPENABLE = (Phase.AGENDA, Phase.DISCUSSION, Phase.GOALS, Phase.WRAP_UP)
REASON_LIMIT = 200


def open_phase(state: SessionState, cmd: OpenPhase, actor: Actor, now: float) -> list[Event]:
    try:
        target = Phase(cmd.phase)
    except ValueError:
        raise Refused(f"there is no phase {cmd.phase!r}", "invalid") from None
    require(target.rank > state.phase.rank,
            f"the session is already in {state.phase.label}: phases only move forward", "wrong_phase")
    require(target in OPENABLE, f"{target.label} cannot be opened: use close_session to end the session", "invalid")
    skipped = skipped_topics(state) if target.rank >= Phase.GOALS.rank else []
    if skipped and not cmd.confirm:
        raise Refused(f"{len(skipped)} {'topic has' if len(skipped) == 1 else 'topics have'} not been discussed: "
                      f"{titles(skipped)}. Opening {target.label} skips {'it' if len(skipped) == 1 else 'them'}",
                      "needs_confirmation")
    events: list[Event] = end_current(state, now)
    if target is Phase.DISCUSSION:
        agenda = fix_agenda(state, now)
        events.append(agenda)
    events.append(PhaseOpened(target.value, now))
    if target is Phase.DISCUSSION and agenda.topic_ids:
        events.append(TopicStarted(agenda.topic_ids[0], agenda.minutes[0], now))
    return events


def skipped_topics(state: SessionState) -> list[str]:
    """The titles of the topics moving on to goals leaves undiscussed: the agenda's pending ones
    or, before the agenda is fixed, every open topic (none once past discussion: that was confirmed)."""
    if state.phase.rank > Phase.DISCUSSION.rank:
        return []
    if state.phase is Phase.DISCUSSION:
        return [state.topics[item.topic_id].title for item in state.agenda if item.status == "pending"]
    return [t.title for t in ranked(state)]


def titles(texts: list[str]) -> str:
    return ", ".join(f"“{text}”" for text in texts)


def close_session(state: SessionState, cmd: CloseSession, actor: Actor, now: float) -> list[Event]:
    busy = next((e for e in state.encounters.values() if e.active), None)
    if busy is not None:
        who = state.participants[busy.participant_id].name
        raise Refused(f"{busy.clinician_name} still has an encounter with {who} open: "
                      "complete it or send them back to the queue first", "encounter_open")
    waiting = [state.participants[e.participant_id].name for e in queue_order(state)]
    if waiting and not cmd.confirm:
        raise Refused(f"{len(waiting)} still {'waits' if len(waiting) == 1 else 'wait'} for a one-on-one: "
                      f"{', '.join(waiting)}. Closing records them as not seen", "needs_confirmation")
    not_seen = [EncounterWithdrawn(e.id, e.participant_id, why_not_seen(e), now) for e in queue_order(state)]
    return [*end_current(state, now), *not_seen, SessionClosed(now)]


def why_not_seen(enc: Encounter) -> str:
    """Why a request still waiting at close was not seen, for the record: not_here_twice (called twice and
    not there), skipped (passed over last), or out_of_time."""
    if enc.returned_as.count("not_here") >= 2:
        return "not_here_twice"
    return "skipped" if enc.returned_as[-1:] == ("skipped",) else "out_of_time"


def not_begun(state: SessionState, doing: str) -> None:
    """The schedule may change only before anyone has come: after that the session is the record of a meeting."""
    if state.participants:
        n = len(state.participants)
        raise Refused(f"{n} {'person has' if n == 1 else 'people have'} already checked in: the session cannot be "
                      f"{doing} now", "already_begun")


def reschedule(state: SessionState, cmd: Reschedule, actor: Actor, now: float) -> list[Event]:
    not_begun(state, "moved")
    require(cmd.ends_at > cmd.starts_at, "the session must end after it starts", "invalid")
    require((cmd.starts_at, cmd.ends_at) != (state.starts_at, state.ends_at), "the session is already at that time",
            "conflict")
    return [SessionRescheduled(cmd.starts_at, cmd.ends_at, now)]


def cancel_session(state: SessionState, cmd: CancelSession, actor: Actor, now: float) -> list[Event]:
    not_begun(state, "cancelled")
    return [SessionCancelled(clean_text(cmd.reason, "the reason", REASON_LIMIT, required=False), now)]


def apply_scheduled(state: SessionState, e: SessionScheduled) -> None:
    state.session_id, state.title, state.cohort = e.session_id, e.title, e.cohort
    state.starts_at, state.ends_at, state.join_code = e.starts_at, e.ends_at, e.join_code
    state.vote_budget, state.timebox_minutes = e.vote_budget, e.timebox_minutes
    state.goals_minutes, state.wrapup_minutes = e.goals_minutes, e.wrapup_minutes
    state.settings = PlannerSettings.of(e)
    state.phase_opened_at = e.starts_at


def apply_phase_opened(state: SessionState, e: PhaseOpened) -> None:
    state.phase, state.phase_opened_at = Phase(e.phase), e.at


def apply_closed(state: SessionState, e: SessionClosed) -> None:
    state.phase, state.closed_at = Phase.CLOSED, e.at


def apply_rescheduled(state: SessionState, e: SessionRescheduled) -> None:
    state.starts_at, state.ends_at = e.starts_at, e.ends_at
    state.phase_opened_at = e.starts_at  # check-in opens when the session starts, as when it was scheduled


def apply_cancelled(state: SessionState, e: SessionCancelled) -> None:
    state.phase, state.cancelled_at = Phase.CLOSED, e.at
