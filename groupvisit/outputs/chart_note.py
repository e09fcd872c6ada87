"""The chart note: one per patient per session, for the clinician to paste into the patient's health record.

A read model of the session's log (and, for last session's goal, the cohort's earlier sessions and roster). It
names one patient only: the group part says what the group discussed and shared, never who proposed or shared
it, and the other patients present are counted, not named. It records times and facts (who, when, how long),
never how a payer might code the visit. The same parts, in the same order, make the plain text and the page.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..domain.events import Event, ParticipantMarked
from ..domain.history import HeldSession, RosterEntry, continuity, held
from ..domain.state import Cosign, Encounter, Participant, SessionState
from ..domain.summary import NOT_SEEN, action_plan, blood_pressure, glucose, weight
from ..program import clinic_time
from .report import discussed, one_on_one

VISIT_TYPE = "Shared medical appointment (group visit)"
OUTCOMES = {"done": "done", "partly": "partly done", "not_yet": "not yet"}
NOT_NAMED = "not named"


@dataclass(frozen=True)
class Line:
    """One fact: `label` and `value` ("Blood pressure", "128/82"); `item`: one of a list under the line before."""

    label: str
    value: str
    item: bool = False


@dataclass(frozen=True)
class Part:
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class ChartNote:
    session_id: str
    participant_id: str
    patient: str  # as the chart knows them: the roster's clinic name, else the name they checked in with
    parts: tuple[Part, ...]  # header, group part, individual part, co-signature
    cosign: Cosign | None


def chart_notes(session: HeldSession, log: Sequence[Event], roster: Sequence[RosterEntry],
                cohort: Sequence[HeldSession], facilitators: Sequence[str], zone: str, now: float) -> list[ChartNote]:
    """The note of everyone who took part in `session` (whose events are `log`), in check-in order, as of `now`:
    `roster` and `cohort` (its sessions, this one among them or not) give last session's goal, `facilitators`
    the names of those who ran it, `zone` the clinic's clock."""
    people = sorted(session.state.took_part(), key=lambda p: p.joined_at)
    return [chart_note(session, log, p.id, roster, cohort, facilitators, zone, now) for p in people]


def chart_note(session: HeldSession, log: Sequence[Event], participant_id: str, roster: Sequence[RosterEntry],
               cohort: Sequence[HeldSession], facilitators: Sequence[str], zone: str, now: float) -> ChartNote:
    """The note of `participant_id` (see `chart_notes`); `KeyError` if they are no participant of the session."""
    state = session.state
    person = state.participants[participant_id]
    until = state.closed_at if state.closed_at is not None else min(now, state.ends_at)
    entry = next((e for e in roster if person.patient_id and e.patient_id == person.patient_id), None)
    patient = entry.clinic_name if entry else person.name
    encounters = sorted((e for e in state.encounters.values() if e.participant_id == person.id),
                        key=lambda e: e.requested_at)
    completed = [e for e in encounters if e.status == "completed"]
    earlier = [s for s in held(list(cohort)) if s.session_id != session.session_id and s.starts_at < session.starts_at]
    parts = (header(state, person, patient, completed, facilitators, zone),
             group_part(state, until),
             individual_part(state, log, person, encounters, until, roster, earlier, zone),
             cosign_part(state.cosigns.get(person.id), zone))
    return ChartNote(state.session_id, person.id, patient, parts, state.cosigns.get(person.id))


def header(state: SessionState, person: Participant, patient: str, completed: list[Encounter],
           facilitators: Sequence[str], zone: str) -> Part:
    start = clinic_time.local(state.starts_at, zone)
    if state.closed_at is not None:
        close = clinic_time.local(state.closed_at, zone)
        time = f"{start:%H:%M}–{close:%H:%M} ({minutes(state.closed_at - state.starts_at)}, scheduled start to close)"
    else:
        time = f"from {start:%H:%M}, not closed yet (planned to end at {clinic_time.local(state.ends_at, zone):%H:%M})"
    clinicians = list(dict.fromkeys(e.clinician_name for e in completed))
    lines = [Line("Visit type", VISIT_TYPE), Line("Patient", patient)]
    if patient != person.name:
        lines.append(Line("Known in the group as", person.name))
    lines += [Line("Session", state.title + (f" ({state.cohort})" if state.cohort not in ("", state.title) else "")),
              Line("Date", f"{start:%Y-%m-%d}"), Line("Time", time),
              Line("Facilitator", ", ".join(facilitators) or "not recorded"),
              Line("Clinician", ", ".join(clinicians) or "none: not seen one-on-one")]
    return Part("Shared medical appointment", tuple(lines))


def group_part(state: SessionState, until: float) -> Part:
    others = len(state.took_part()) - 1
    lines = [Line("Patients in the group", f"{others + 1} (this patient and {others} other"
                                           f"{'' if others == 1 else 's'})")]
    topics = discussed(state, until)
    lines.append(Line("Topics discussed", "" if topics else "none"))
    lines += [Line(state.topics[tid].title, minutes(end - start), item=True) for tid, start, end in topics]
    shared = [s.text for s in state.strategies.values() if not s.hidden]
    lines.append(Line("Strategies the group shared", "" if shared else "none"))
    lines += [Line("", text, item=True) for text in shared]  # never attributed: who shared what stays in the room
    lines.append(Line("Other patients present", NOT_NAMED))
    return Part("Group part", tuple(lines))


def individual_part(state: SessionState, log: Sequence[Event], person: Participant, encounters: list[Encounter],
                    until: float, roster: Sequence[RosterEntry], earlier: list[HeldSession], zone: str) -> Part:
    def at(when: float | None) -> str:
        return "" if when is None else f"{clinic_time.local(when, zone):%H:%M}"

    lines = [Line("Checked in", at(person.joined_at))]
    if person.status == "left":
        left = [e.at for e in log if isinstance(e, ParticipantMarked) and e.participant_id == person.id
                and e.status == "left"]
        lines.append(Line("Left the session early", at(left[-1]) if left else "yes"))
    if person.patient_id == "":
        lines.append(Line("Walk-in", "not on the cohort's roster"))
    numbers = person.numbers
    facts = [(label, value) for label, value in (("Blood pressure", blood_pressure(numbers)),
                                                 ("Weight", weight(numbers)), ("Glucose", glucose(numbers))) if value]
    lines.append(Line("Numbers today (self-recorded)", "" if facts else "none recorded"))
    lines += [Line(label, value, item=True) for label, value in facts]
    if not encounters:
        lines.append(Line("One-on-one", "none requested"))
    windows = discussed(state, until)
    for enc in encounters:
        lines.append(Line("Visit request", enc.request))
        lines += encounter_lines(state, enc, windows, until, at)
    goal = state.goals.get(person.id)
    lines.append(Line("Goal (action plan)", f"{action_plan(goal)}; confidence {goal.confidence}/10; "
                                            f"{'shared with the group' if goal.shared else 'private'}"
                      if goal else "none set"))
    prior = continuity(list(roster), earlier).last_goals.get(person.patient_id) if person.patient_id else None
    follow_up = state.follow_ups.get(person.id)
    if prior is not None:
        lines.append(Line("Last session's goal", action_plan(prior.goal)))
    if follow_up is not None or prior is not None:
        lines.append(Line("How it went", "not asked today" if follow_up is None else
                          OUTCOMES.get(follow_up.outcome, follow_up.outcome)
                          + (f"; in the way: {follow_up.obstacle}" if follow_up.obstacle else "")))
    liked = [s.text for s in state.strategies.values() if person.id in s.helpful and not s.hidden]
    if liked:
        lines.append(Line("Strategies they marked “could help me”", ""))
        lines += [Line("", text, item=True) for text in liked]
    return Part("Individual part", tuple(lines))


def encounter_lines(state: SessionState, enc: Encounter, windows: list[tuple[str, float, float]], until: float,
                    at: Callable[[float | None], str]) -> list[Line]:
    if enc.status == "withdrawn":
        return [Line("Not seen today", NOT_SEEN.get(enc.withdrawn_reason, enc.withdrawn_reason))]
    if enc.called_at is None:
        return [Line("One-on-one", "waiting to be called")]
    visit = one_on_one(state, enc, windows, until)
    lines = [Line("One-on-one", "completed" if visit.completed else "not completed"),
             Line("Clinician", enc.clinician_name), Line("Room", enc.room or "not given"),
             Line("Called", at(enc.called_at)), Line("Started", at(enc.started_at) or "not recorded"),
             Line("Ended", at(enc.ended_at) or "not recorded")]
    if enc.minutes is not None:
        lines.append(Line("Minutes", f"{round(enc.minutes)}"
                                     + ("" if enc.started_at is not None else " (from the call: no start recorded)")))
    if visit.topics:
        lines.append(Line("Away from the group during", "; ".join(visit.topics)))
    lines.append(Line("Clinical note", enc.note or "none written"))
    if enc.instruction:  # what the patient was told to remember, as their take-home summary says it
        lines.append(Line("Told the patient to remember", enc.instruction))
    return lines


def cosign_part(cosign: Cosign | None, zone: str) -> Part:
    if cosign is None:
        return Part("Co-signature", (Line("Co-signed", "not yet"),))
    return Part("Co-signature", (Line("Co-signed by", f"{cosign.name} (attending)"),
                                 Line("Co-signed at", f"{clinic_time.local(cosign.at, zone):%Y-%m-%d %H:%M}")))


def minutes(seconds: float) -> str:
    n = round(seconds / 60)
    return f"{n} minute{'' if n == 1 else 's'}"


def note_text(note: ChartNote) -> str:
    """The note as plain text, what a clinician pastes into the record."""
    out: list[str] = []
    for part in note.parts:
        out += [part.title.upper()]
        for line in part.lines:
            text = line.value if not line.label else f"{line.label}: {line.value}" if line.value else f"{line.label}:"
            out.append(f"  - {text}" if line.item else text)
        out.append("")
    return "\n".join(out)
