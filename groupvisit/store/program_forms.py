"""What staff type for a cohort or a patient, checked once for the staff pages and the command line:
`CohortFields.from_form` and `PatientFields.from_form` give the checked fields or raise `ProgramError`,
naming the field in a sentence for the person. Checks that need the other rows are the store's (program.py)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.checkin import NAME_LIMIT
from ..domain.errors import Refused
from ..domain.settings import GLUCOSE_RANGES, GLUCOSE_THRESHOLDS, GLUCOSE_UNITS, WEIGHT_UNITS, PlannerSettings
from ..domain.text import clean_text
from ..program.clinic_time import parse_date
from ..program.schedule import MOST_SESSIONS, ScheduleError

DEFAULTS = PlannerSettings()  # a new cohort's planner settings: one source, the domain's

KINDS = ("series", "drop_in")
LANGUAGE = re.compile(r"[a-z]{2,3}")  # an ISO 639 code: "en", "es", "yue"
MOST_LANGUAGES = 5
WHOLE = re.compile(r"\d{1,6}")
DECIMAL = re.compile(r"\d{1,4}([.,]\d{1,2})?")  # 7, 7.5, 3,9
MRN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]*")  # chart numbers: letters, digits, dots, dashes, slashes
MRN_LIMIT = 32
TEXT_LIMIT = 80  # a cohort's name, condition and room; a patient's clinic name
EARLIEST_BIRTH = date(1900, 1, 1)


class ProgramError(ValueError):
    """Input a cohort, schedule or roster cannot take: `field` names the input, `message` is a whole
    sentence for the person who typed it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def text_field(form: Mapping[str, str], field: str, what: str, limit: int, *, required: bool = True,
               default: str = "") -> str:
    try:
        return clean_text(form.get(field, default), what, limit, required=required)
    except Refused as refused:
        raise ProgramError(field, sentence(refused.reason)) from None


def whole_field(form: Mapping[str, str], field: str, what: str, low: int, high: int, default: int) -> int:
    """A whole number from `low` to `high`; `default` when the form does not send the field."""
    text = form.get(field, str(default)).strip()
    if not WHOLE.fullmatch(text) or not low <= int(text) <= high:
        raise ProgramError(field, f"{what} must be a whole number from {low} to {high}.")
    return int(text)


def decimal_field(form: Mapping[str, str], field: str, what: str, low: float, high: float, default: float) -> float:
    """A number from `low` to `high`, with up to two decimals; `default` when the form does not send the field."""
    text = form.get(field, f"{default:g}").strip()
    if not DECIMAL.fullmatch(text) or not low <= float(text.replace(",", ".")) <= high:
        raise ProgramError(field, f"{what} must be a number from {low:g} to {high:g}, like {default:g}.")
    return float(text.replace(",", "."))


def choice_field(form: Mapping[str, str], field: str, what: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, the first when the form does not send the field."""
    text = form.get(field, choices[0]).strip()
    if text not in choices:
        raise ProgramError(field, f"{what} must be {' or '.join(choices)}, not {text!r}.")
    return text


def planner_fields(typed: Mapping[str, str]) -> PlannerSettings:
    """The planner's settings of a cohort; one left out or empty takes its default. The glucose thresholds'
    are those of the glucose unit chosen (70 and 300 mg/dL, 3.9 and 16.7 mmol/L), so switching the unit
    alone needs nothing else."""
    form = {field: text for field, text in typed.items() if text.strip()}
    defaults = PlannerSettings()
    unit = choice_field(form, "glucose_unit", "The glucose unit", GLUCOSE_UNITS)
    meter = GLUCOSE_RANGES[unit]
    low, high = GLUCOSE_THRESHOLDS[unit]
    systolic = whole_field(form, "systolic_high", "The flagged top blood pressure", 90, 260, defaults.systolic_high)
    diastolic = whole_field(form, "diastolic_high", "The flagged bottom blood pressure", 50, 160,
                            defaults.diastolic_high)
    if diastolic >= systolic:
        raise ProgramError("diastolic_high", "The flagged bottom blood pressure must be below the top one.")
    glucose_low = decimal_field(form, "glucose_low", f"Glucose low (in {unit})", *meter, low)
    glucose_high = decimal_field(form, "glucose_high", f"Glucose high (in {unit})", *meter, high)
    if glucose_high <= glucose_low:
        raise ProgramError("glucose_high", f"Glucose high must be above glucose low ({glucose_low:g} {unit}).")
    return PlannerSettings(
        minutes_per_patient=decimal_field(form, "minutes_per_patient", "The minutes per one-on-one", 1, 60,
                                          defaults.minutes_per_patient),
        systolic_high=systolic, diastolic_high=diastolic, glucose_low=glucose_low, glucose_high=glucose_high,
        glucose_unit=unit, weight_unit=choice_field(form, "weight_unit", "The weight unit", WEIGHT_UNITS))


def date_field(form: Mapping[str, str], field: str, what: str, earliest: date) -> str | None:
    """An optional date, not in the future, as ISO text."""
    text = form.get(field, "").strip()
    if not text:
        return None
    try:
        day = parse_date(text, field)
    except ScheduleError as error:
        raise ProgramError(field, f"{what}: {error.message}") from None
    if not earliest <= day <= date.today():
        raise ProgramError(field, f"{what} must be from {earliest.isoformat()} to today, not {day.isoformat()}.")
    return day.isoformat()


def language_codes(form: Mapping[str, str], field: str, what: str, most: int) -> list[str]:
    codes = list(dict.fromkeys(form.get(field, "en").replace(",", " ").lower().split()))
    if not codes:
        raise ProgramError(field, f"{what} cannot be empty: give a language code like en or es.")
    wrong = next((code for code in codes if not LANGUAGE.fullmatch(code)), None)
    if wrong is not None:
        raise ProgramError(field, f"{what}: {wrong!r} is not a language code like en or es.")
    if len(codes) > most:
        raise ProgramError(field, f"{what} is one language code like en or es." if most == 1
                           else f"{what} can be at most {most} language codes.")
    return codes


@dataclass(frozen=True)
class CohortFields:
    """What staff choose for a cohort; its sessions are made with these defaults."""

    name: str
    condition: str = ""
    languages: str = "en"  # comma-separated codes
    kind: str = "series"
    planned_sessions: int | None = 6  # None for a drop-in group
    session_minutes: int = 120
    vote_budget: int = 3
    timebox_minutes: int = 8
    room: str = ""
    # The planner's settings of its sessions: minutes per one-on-one, the flags, the units (PlannerSettings' defaults).
    minutes_per_patient: float = DEFAULTS.minutes_per_patient
    systolic_high: int = DEFAULTS.systolic_high
    diastolic_high: int = DEFAULTS.diastolic_high
    glucose_low: float = DEFAULTS.glucose_low
    glucose_high: float = DEFAULTS.glucose_high
    glucose_unit: str = DEFAULTS.glucose_unit
    weight_unit: str = DEFAULTS.weight_unit

    def __post_init__(self) -> None:
        if self.kind == "drop_in" and self.planned_sessions is not None:  # the default is a series'
            object.__setattr__(self, "planned_sessions", None)

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> "CohortFields":
        """The fields from a form (or the command line); `ProgramError` naming the first bad one.
        A field the form leaves out takes its default."""
        kind = form.get("kind", "series").strip()
        if kind not in KINDS:
            raise ProgramError("kind", "The kind must be series (a closed series of sessions) or drop_in.")
        planned = (whole_field(form, "planned_sessions", "The number of sessions", 1, MOST_SESSIONS, 6)
                   if kind == "series" else None)
        return cls(name=text_field(form, "name", "the cohort's name", TEXT_LIMIT),
                   condition=text_field(form, "condition", "the condition", TEXT_LIMIT, required=False),
                   languages=",".join(language_codes(form, "languages", "The room's languages", MOST_LANGUAGES)),
                   kind=kind, planned_sessions=planned,
                   session_minutes=whole_field(form, "session_minutes", "A session's length in minutes", 15, 480,
                                               120),
                   vote_budget=whole_field(form, "vote_budget", "The votes each person has", 1, 10, 3),
                   timebox_minutes=whole_field(form, "timebox_minutes", "The minutes for each topic", 1, 60, 8),
                   room=text_field(form, "room", "the room", TEXT_LIMIT, required=False),
                   **planner_fields(form).to_dict())


@dataclass(frozen=True)
class PatientFields:
    """What staff record of a patient on a cohort's roster. `left` takes them off the roster (kept for
    the record); dates are ISO text."""

    clinic_name: str
    display_name: str
    language: str = "en"
    mrn: str | None = None
    birth_date: str | None = None
    agreement_signed_on: str | None = None
    left: bool = False

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> "PatientFields":
        """The fields from a form (or the command line); `ProgramError` naming the first bad one."""
        mrn = text_field(form, "mrn", "the chart number", MRN_LIMIT, required=False)
        if mrn and not MRN.fullmatch(mrn):
            raise ProgramError("mrn", f"The chart number {mrn!r} can hold only letters, digits, dots, dashes "
                                      "and slashes.")
        return cls(clinic_name=text_field(form, "clinic_name", "the name the clinic knows them by", TEXT_LIMIT),
                   display_name=text_field(form, "display_name", "the name for the room", NAME_LIMIT),
                   language=language_codes(form, "language", "The preferred language", 1)[0],
                   mrn=mrn or None,
                   birth_date=date_field(form, "birth_date", "The date of birth", EARLIEST_BIRTH),
                   agreement_signed_on=date_field(form, "agreement_signed_on",
                                                  "The date the confidentiality agreement was signed",
                                                  EARLIEST_BIRTH),
                   left=form.get("left", "").strip().lower() in ("1", "on", "yes", "true"))
