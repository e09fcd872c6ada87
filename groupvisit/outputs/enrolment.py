"""The roster as the record needs it: what the session's rules know of each patient, with what they never see."""

from dataclasses import dataclass

from ..domain.history import RosterEntry


@dataclass(frozen=True)
class Enrolment:
    """A roster patient, for an export: their `entry`, the chart number the health record matches on (None: not
    entered), when they were enrolled, and when they left the cohort (None: still enrolled)."""

    entry: RosterEntry
    chart_number: str | None
    enrolled_at: float
    left_at: float | None = None


@dataclass(frozen=True)
class CohortRoster:
    """A cohort's id and name with every patient ever on its roster, those who left included, in the roster's order."""

    cohort_id: str
    name: str
    patients: tuple[Enrolment, ...]

    def by_patient(self) -> dict[str, Enrolment]:
        return {enrolment.entry.patient_id: enrolment for enrolment in self.patients}
