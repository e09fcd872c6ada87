"""A patient's take-home summary: what they leave with, in their own language, from one session's log.

A read model like the others: their action plan with its confidence, the strategies they marked "could help me",
what the clinician wants them to remember from the one-on-one (the encounter's instruction, never its clinical
note), their numbers today beside last session's, and when and where the next session is. It holds nothing of
any other patient: no names but those of strategy authors who shared openly, no numbers, no goals.
"""

from dataclasses import dataclass

from babel.dates import format_date, format_time

from ..domain.history import Continuity, PriorNumbers, RosterEntry
from ..domain.state import Goal, Numbers, Participant, SessionState
from ..program import clinic_time


@dataclass(frozen=True)
class TakeHomeStrategy:
    text: str
    by: str | None  # who shared it: a name, "" for their own, None when anonymous or written up by staff


@dataclass(frozen=True)
class NextSession:
    """The cohort's next session that is not cancelled, as the patient reads it: `day` and `time` in the clinic's
    zone and their language."""

    starts_at: float
    day: str
    time: str
    room: str


@dataclass(frozen=True)
class TakeHome:
    participant_id: str
    name: str
    language: str
    session_title: str
    session_day: str  # the day of this session, in their language
    goal: Goal | None
    strategies: tuple[TakeHomeStrategy, ...]
    instructions: tuple[str, ...]  # from each completed one-on-one that gave one, in order
    today: Numbers | None
    last: Numbers | None  # their numbers at the latest earlier session of the cohort that recorded any
    last_day: str  # that session's day, in their language ("" without)
    next_session: NextSession | None


def summary_language(person: Participant, roster: dict[str, RosterEntry], room_languages: list[str],
                     supported: list[str]) -> str:
    """The language a patient's summary is printed in when staff print it: the roster's preferred language
    of the patient they were matched to, if it is one of `supported`; else the room's first supported
    language (the cohort's, or `supported[0]` outside a cohort). The language their device used is not
    known to the server (it stays in the device's cookie), so it cannot be asked here; the patient's own
    screen prints in its language."""
    entry = roster.get(person.patient_id or "")
    if entry is not None and entry.language in supported:
        return entry.language
    return next((code for code in room_languages if code in supported), supported[0])


def day_text(at: float, zone: str, language: str) -> str:
    return format_date(clinic_time.local(at, zone), "full", locale=language)


def time_text(at: float, zone: str, language: str) -> str:
    return format_time(clinic_time.local(at, zone), "short", locale=language)


def take_home(state: SessionState, participant_id: str, cohort: Continuity | None, next_session: NextSession | None,
              zone: str, language: str) -> TakeHome:
    """The summary of `participant_id` (who took part in the session folded as `state`; `KeyError` otherwise).
    `cohort` is what earlier sessions carry into this one (None outside a cohort), `next_session` what the
    schedule says comes next (`next_session_of`)."""
    person = state.participants[participant_id]
    if not person.took_part:
        raise KeyError(participant_id)
    strategies = tuple(
        TakeHomeStrategy(s.text, "" if s.author_id == participant_id
                         else None if s.anonymous or s.author_id not in state.participants
                         else state.participants[s.author_id].name)
        for s in state.strategies.values() if participant_id in s.helpful and not s.hidden)
    own = sorted((e for e in state.encounters.values() if e.participant_id == participant_id),
                 key=lambda e: e.requested_at)
    instructions = tuple(e.instruction for e in own if e.status == "completed" and e.instruction)
    last = last_numbers(cohort, person.patient_id)
    return TakeHome(
        participant_id, person.name, language, state.title, day_text(state.starts_at, zone, language),
        state.goals.get(participant_id), strategies, instructions, person.numbers,
        last.numbers if last else None, day_text(last.session_starts_at, zone, language) if last else "",
        next_session)


def last_numbers(cohort: Continuity | None, patient_id: str | None) -> PriorNumbers | None:
    """A roster patient's numbers from the latest earlier session that has them; a guest or someone not yet
    matched has none (they may not be the same person next time)."""
    if cohort is None or not patient_id:
        return None
    earlier = cohort.numbers.get(patient_id, [])
    return earlier[-1] if earlier else None


def next_session_of(sessions: list[tuple[float, bool]], after: float, room: str, zone: str,
                    language: str) -> NextSession | None:
    """The first of the cohort's `sessions` (each its start and whether it is cancelled) that starts after
    `after` and is not cancelled, held in `room`; None when the schedule has no more."""
    starts = min((at for at, cancelled in sessions if at > after and not cancelled), default=None)
    if starts is None:
        return None
    return NextSession(starts, day_text(starts, zone, language), time_text(starts, zone, language), room)
