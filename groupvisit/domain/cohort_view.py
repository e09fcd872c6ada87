"""What the cohort's earlier sessions show on today's screens: the roster match, follow-ups, the
library and each returning patient's prior goal and numbers.

All of it is staff-only, except a participant's own follow-up (`follow_up_of` in their `me`). The
projector gets none of it; a strategy's counts (`library.counts`) are the only thing the room sees.
"""

from typing import Any

from .checkin import numbers_dict
from .follow_up import OUTCOMES, last_goal
from .goals import goal_dict
from .library import counts, on_board
from .matching import suggestions
from .state import Participant, SessionState


def given_of(state: SessionState, participant_id: str) -> dict[str, str] | None:
    given = state.follow_ups.get(participant_id)
    return None if given is None else {"outcome": given.outcome, "obstacle": given.obstacle}


def follow_up_of(state: SessionState, participant_id: str) -> dict[str, Any] | None:
    """The participant's last goal from an earlier session and how they said it went; None without one."""
    prior = last_goal(state, participant_id)
    if prior is None:
        return None
    return {"goal": goal_dict(prior.goal), "session_starts_at": prior.session_starts_at,
            "given": given_of(state, participant_id)}


def match_of(state: SessionState, person: Participant) -> dict[str, Any]:
    """A `people` row's roster fields: the match, suggestions while there is none, and the agreement flag."""
    cohort = state.continuity
    entry = cohort.roster.get(person.patient_id) if cohort is not None and person.patient_id else None
    unmatched = cohort is not None and person.patient_id is None and person.took_part  # one by mistake is not matched
    suggested = suggestions(state, person.name) if unmatched else []
    return {
        "patient_id": person.patient_id, "roster_name": entry.display_name if entry else None,
        "suggestions": [{"patient_id": patient_id, "display_name": cohort.roster[patient_id].display_name,
                         "clinic_name": cohort.roster[patient_id].clinic_name}
                        for patient_id in suggested] if cohort is not None else [],
        # A guest has signed nothing with this clinic's group; a roster patient may not have yet.
        "no_agreement": person.patient_id == "" or (entry is not None and not entry.agreement_signed),
        "follow_up": follow_up_of(state, person.id),
    }


def roster_section(state: SessionState) -> list[dict[str, Any]] | None:
    cohort = state.continuity
    if cohort is None:
        return None
    matched = {p.patient_id: p.id for p in state.participants.values() if p.patient_id}
    return [{"patient_id": e.patient_id, "display_name": e.display_name, "clinic_name": e.clinic_name,
             "participant_id": matched.get(e.patient_id)} for e in cohort.roster.values()]


def follow_ups_section(state: SessionState) -> dict[str, int] | None:
    """How the room's last goals went, as counts (never names): `waiting` are those matched to a patient with a
    last goal who have not said yet."""
    if state.continuity is None:
        return None
    tally = dict.fromkeys((*OUTCOMES, "waiting"), 0)
    for person in state.took_part():
        given = state.follow_ups.get(person.id)
        if given is not None:
            tally[given.outcome] += 1
        elif last_goal(state, person.id) is not None:
            tally["waiting"] += 1
    return tally


def library_section(state: SessionState) -> list[dict[str, Any]] | None:
    cohort = state.continuity
    if cohort is None:
        return None
    rows = []
    for entry in cohort.library:
        copy = on_board(state, entry.id)
        helpful, tried = counts(state, copy) if copy is not None else (entry.helpful, entry.tried)
        rows.append({"id": entry.id, "text": entry.text, "topic": entry.topic,
                     "session_starts_at": entry.session_starts_at, "helpful": helpful, "tried": tried,
                     "on_board": copy is not None})
    return rows


def prior_of(state: SessionState, participant_id: str) -> dict[str, Any] | None:
    """For the clinician's queue: a returning patient's last goal, its follow-up, and their numbers at the cohort's
    earlier sessions (oldest first; today's are the row's own `numbers`). None for anyone else."""
    cohort, patient_id = state.continuity, state.participants[participant_id].patient_id
    if cohort is None or not patient_id:
        return None
    prior, earlier = cohort.last_goals.get(patient_id), cohort.numbers.get(patient_id, [])
    if prior is None and not earlier:
        return None
    return {
        "goal": goal_dict(prior.goal) if prior else None,
        "session_starts_at": prior.session_starts_at if prior else None,
        "follow_up": given_of(state, participant_id),
        "numbers": [{"session_starts_at": n.session_starts_at, **(numbers_dict(n.numbers) or {})} for n in earlier],
    }
