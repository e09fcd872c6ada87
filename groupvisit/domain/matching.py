"""Matching check-ins to the cohort's roster: the facilitator says which enrolled patient each one is.

A patient never sees a list of names: they check in with the name they like, and the console
suggests roster patients whose names look like it. One roster patient is at most one participant
of a session; re-matching a participant corrects a mistake. A participant checked in by mistake
frees their patient (`roster.apply_marked`).
"""

import re
from functools import lru_cache

from .commands import MatchParticipant
from .errors import Refused, require
from .events import Event, ParticipantMatched
from .history import Continuity
from .names import looks_alike, skeleton
from .roles import Actor
from .roster import participant
from .state import SessionState

GUEST = ""  # the patient_id of someone matched as not on the roster
MAX_SUGGESTIONS = 3
NO_LIKENESS = 3
WORD = re.compile(r"\w\w+")  # words of two letters or more: an initial alone suggests too many


def cohort_of(state: SessionState) -> Continuity:
    """What the cohort carries into this session; refused for a session outside a cohort."""
    if state.continuity is None:
        raise Refused("this session is not part of a cohort: it has no roster or library", "not_in_cohort")
    return state.continuity


def matched_to(state: SessionState, patient_id: str) -> str | None:
    """The participant matched to roster patient `patient_id`, if any."""
    return next((p.id for p in state.participants.values() if p.patient_id == patient_id), None)


def match_participant(state: SessionState, cmd: MatchParticipant, actor: Actor, now: float) -> list[Event]:
    cohort = cohort_of(state)
    person = participant(state, cmd.participant_id)
    require(person.took_part, f"{person.name} was checked in by mistake: mark them present first", "conflict")
    if cmd.patient_id != GUEST:
        entry = cohort.roster.get(cmd.patient_id)
        if entry is None:
            raise Refused(f"there is no patient {cmd.patient_id!r} on this cohort's roster", "not_on_roster")
        other = matched_to(state, cmd.patient_id)
        if other is not None and other != person.id:
            raise Refused(f"{entry.display_name} is already matched to {state.participants[other].name}: "
                          "correct that match first", "already_matched")
    require(person.patient_id != cmd.patient_id, f"{person.name} is already matched "
            + ("as a guest" if cmd.patient_id == GUEST else "to that patient"), "conflict")
    return [ParticipantMatched(person.id, cmd.patient_id, now)]


def apply_matched(state: SessionState, e: ParticipantMatched) -> None:
    person = state.participants[e.participant_id]
    if person.patient_id != e.patient_id:
        state.follow_ups.pop(person.id, None)  # it was about someone else's goal
    person.patient_id = e.patient_id


def suggestions(state: SessionState, name: str) -> list[str]:
    """The unmatched roster patients whose display or clinic name looks like `name`, best first: a name
    that looks the same, then one that starts with it, then one with a word that does (at most 3)."""
    cohort = state.continuity
    if cohort is None:
        return []
    taken = {p.patient_id for p in state.participants.values()}
    ranked: list[tuple[int, str]] = []
    for entry in cohort.roster.values():
        if entry.patient_id in taken:
            continue
        rank = min(likeness(name, other) for other in (entry.display_name, entry.clinic_name))
        if rank < NO_LIKENESS:
            ranked.append((rank, entry.patient_id))
    return [patient_id for _, patient_id in sorted(ranked, key=lambda r: r[0])[:MAX_SUGGESTIONS]]


@lru_cache(maxsize=4096)  # every staff view of every event asks again for the same names
def likeness(wanted: str, name: str) -> int:
    """0 when `name` looks the same as `wanted`, 1 when one starts with the other, 2 when a word of one starts
    a word of the other (as `names.skeleton` reads them), `NO_LIKENESS` otherwise."""
    a, b = skeleton(wanted), skeleton(name)
    if not a or not b:
        return NO_LIKENESS
    if looks_alike(wanted, name):
        return 0
    if a.startswith(b) or b.startswith(a):
        return 1
    if any(y.startswith(x) or x.startswith(y) for x in WORD.findall(a) for y in WORD.findall(b)):
        return 2
    return NO_LIKENESS
