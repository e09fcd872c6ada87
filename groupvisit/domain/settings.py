"""The planner's settings of a session, chosen per cohort: the minutes a one-on-one is expected to take,
the self-recorded numbers that flag a patient (and so move them up the queue), and the units the room
records its numbers in. They come with the session's first event (`SessionScheduled`)."""

from dataclasses import asdict, dataclass, fields
from typing import Any

GLUCOSE_UNITS = ("mg/dL", "mmol/L")  # the default first
WEIGHT_UNITS = ("lb", "kg")
# The flags' glucose thresholds when a cohort does not choose its own: (low, high) in each unit.
GLUCOSE_THRESHOLDS = {"mg/dL": (70.0, 300.0), "mmol/L": (3.9, 16.7)}
# What a home meter can read, in each unit: a reading outside is a typing mistake.
GLUCOSE_RANGES = {"mg/dL": (20.0, 600.0), "mmol/L": (1.1, 33.3)}
MG_DL_PER_MMOL_L = 18.0  # glucose: the clinical conversion between the two units


@dataclass(frozen=True)
class PlannerSettings:
    """One cohort's settings, as its sessions hold them (`SessionState.settings`)."""

    minutes_per_patient: float = 7.0
    systolic_high: int = 180  # flagged at or above
    diastolic_high: int = 110  # flagged at or above
    glucose_low: float = 70.0  # flagged below, in `glucose_unit`
    glucose_high: float = 300.0  # flagged above, in `glucose_unit`
    glucose_unit: str = "mg/dL"
    weight_unit: str = "lb"

    @classmethod
    def of(cls, record: object) -> "PlannerSettings":
        """The settings a record holds in fields of the same names (the scheduling event, a cohort's row)."""
        return cls(**{f.name: getattr(record, f.name) for f in fields(cls)})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def glucose_in(value: float, unit: str, wanted: str) -> float:
    """A glucose reading in `unit`, expressed in `wanted`."""
    if unit == wanted:
        return value
    return value * MG_DL_PER_MMOL_L if wanted == "mg/dL" else value / MG_DL_PER_MMOL_L
