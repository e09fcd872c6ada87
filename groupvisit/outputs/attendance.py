"""A cohort's attendance and evaluations across its series, one row per patient per session, for the clinic's
quality reports: a read model of the sessions' logs, the roster and the schedule."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..domain.history import HeldSession, is_over, mark
from ..domain.state import Participant, SessionState
from .enrolment import CohortRoster, Enrolment

COLUMNS = ("session", "session_start", "session_status", "patient", "chart_number", "enrolment", "attendance",
           "rating", "helped", "change")


def attendance(cohort: CohortRoster, sessions: list[HeldSession], now: float, zone: ZoneInfo) -> list[dict[str, str]]:
    """For each session of `sessions` (the cohort's, cancelled ones included) by when it starts: a row for every
    patient on the roster (in its order), then one for each guest or unmatched check-in who took part, by when
    they checked in. `enrolment` says where they stood at that session (enrolled, not_yet_enrolled, left, guest,
    not_matched); `attendance` came, no_show, cancelled, upcoming, or not_enrolled for a session they were not
    enrolled for and did not come to; the evaluation's rating and answers are theirs, when they gave one."""
    rows = []
    roster = cohort.by_patient()
    for session in sorted(sessions, key=lambda held: (held.starts_at, held.session_id)):
        state = session.state
        came = {person.patient_id: person for person in state.took_part() if person.patient_id}
        starts = datetime.fromtimestamp(session.starts_at, UTC).astimezone(zone)
        status = "cancelled" if session.cancelled else "held" if is_over(session, now) else "upcoming"
        of_session = {"session": session.session_id, "session_start": f"{starts:%Y-%m-%d %H:%M}",
                      "session_status": status}
        for enrolment in cohort.patients:
            person = came.get(enrolment.entry.patient_id)
            standing = standing_at(enrolment, session)
            attended = mark(session, enrolment.entry.patient_id, now)
            if standing != "enrolled" and person is None and attended != "cancelled":
                attended = "not_enrolled"
            rows.append({**of_session, "patient": enrolment.entry.clinic_name,
                         "chart_number": enrolment.chart_number or "", "enrolment": standing, "attendance": attended,
                         **answers(state, person)})
        others = [p for p in state.took_part() if not p.patient_id or p.patient_id not in roster]
        for person in sorted(others, key=lambda p: (p.joined_at, p.id)):
            rows.append({**of_session, "patient": person.name, "chart_number": "",
                         "enrolment": "guest" if person.patient_id == "" else "not_matched", "attendance": "came",
                         **answers(state, person)})
    return rows


def answers(state: SessionState, person: Participant | None) -> dict[str, str]:
    """The evaluation `person` gave at the session of `state`, if any."""
    given = state.evaluations.get(person.id) if person is not None else None
    if given is None:
        return {"rating": "", "helped": "", "change": ""}
    return {"rating": str(given.rating), "helped": given.helped, "change": given.change}


def standing_at(enrolment: Enrolment, session: HeldSession) -> str:
    """Where the patient stood on the roster at `session`: enrolled by its end, and not gone before it began."""
    if enrolment.enrolled_at > session.ends_at:
        return "not_yet_enrolled"
    if enrolment.left_at is not None and enrolment.left_at <= session.starts_at:
        return "left"
    return "enrolled"
