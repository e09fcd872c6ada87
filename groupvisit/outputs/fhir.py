"""A session as one FHIR R4B Bundle (type collection) for the health record: a read model of the session's log, the
cohort's roster and the schedule, built and validated with fhir.resources' R4B models (the closest it has to R4).

- `Group`: the cohort, its members from the roster (each with when they were enrolled; those who left, inactive).
- `Patient`: every roster patient (the chart number as an "MR" identifier where known, the clinic's name as the
  official name, the name they prefer in the room as the usual one, their language); a guest or an unmatched
  check-in who took part gets a Patient with only the display name they gave.
- `Encounter`: one for the session (its Group as subject, the schedule's start, its close as end) and one per
  patient who took part, `partOf` it, whose `period` is their one-on-one (from its start, or its call if it never
  started, to its end) and whose reason is what they asked to talk about.
- `Practitioner`: each clinician who called someone, a participant of the session's and of that patient's encounter.
- `Observation`: the numbers the patient recorded, the patient as performer (self-monitoring: they measured them,
  whoever typed them in). See `numbers`.
- `Goal`: the action plan. See `goal`.
- `QuestionnaireResponse`: each evaluation, answering the `Questionnaire` of the wrap-up, which the bundle holds.

Every fullUrl is a urn:uuid made (uuid5) from the ids of what it stands for, so the same log, roster and schedule
give the same bundle, and a roster patient, a clinician or the cohort keeps its fullUrl from one session's bundle to
the next. References are to those fullUrls; the questionnaire is named by its canonical url, also in the bundle.

Times are on the clinic's clock (`zone`), to the second. Left out: the clinician's note on the one-on-one (R4B's
Encounter has no element for it: it belongs in the chart note, a document) and anyone checked in by mistake.
"""

import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.duration import Duration
from fhir.resources.R4B.encounter import Encounter, EncounterParticipant
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.group import Group, GroupMember
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient, PatientCommunication
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption
from fhir.resources.R4B.questionnaireresponse import (QuestionnaireResponse, QuestionnaireResponseItem,
                                                      QuestionnaireResponseItemAnswer)
from fhir.resources.R4B.reference import Reference

from ..domain import state as s
from ..domain.evaluation import ANSWER_LIMIT
from ..domain.history import HeldSession
from .enrolment import CohortRoster, Enrolment

NAMESPACE = uuid.UUID("a09eab55-003f-49cc-946c-3d4ff2cb4dd2")  # of every fullUrl's uuid5: never change it
# Names (not addresses) for this project's identifiers, extensions and questionnaire: it publishes no profiles.
CANONICAL = "https://groupvisit.example/fhir"
ACTION_PLAN = f"{CANONICAL}/StructureDefinition/action-plan"
EVALUATION = f"{CANONICAL}/Questionnaire/session-evaluation"
EVALUATION_VERSION = "1"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
LANGUAGE = "urn:ietf:bcp:47"
PROFILE = "http://hl7.org/fhir/StructureDefinition/"

# What a glucose meter reads, by the unit it was recorded in: the mass and the molar LOINC code for blood glucose.
GLUCOSE = {"mg/dL": ("2339-0", "Glucose [Mass/volume] in Blood"),
           "mmol/L": ("15074-8", "Glucose [Moles/volume] in Blood")}
WEIGHT = {"kg": "kg", "lb": "[lb_av]"}  # UCUM's code for each weight unit the check-in takes

# An Encounter's `class` is a Python keyword: fhir.resources takes it as `class_fhir`, a name mypy's view of the
# model (by alias) does not know, hence the two `type: ignore[call-arg]` where an Encounter is made.
AMBULATORY = Coding(system=ACT_CODE, code="AMB", display="ambulatory")
SESSION_TYPE = "Shared medical appointment (group visit)"
PATIENT_TYPE = "Shared medical appointment: one patient's part (the group and their one-on-one)"


def urn(*names: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(names))}"


def to(url: str) -> Reference:
    return Reference(reference=url)


def coded(system: str, code: str, display: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=system, code=code, display=display)], text=display)


def quantity(value: float, code: str, unit: str) -> Quantity:
    return Quantity(value=Decimal(f"{value:g}"), unit=unit, system=UCUM, code=code)  # as recorded, not a binary float


class Assembly:
    """The bundle's entries as they are made, by fullUrl, in the order they are added."""

    def __init__(self, session: HeldSession, zone: ZoneInfo) -> None:
        self.session, self.zone = session, zone
        self.entries: dict[str, DomainResource] = {}

    def at(self, at: float) -> datetime:
        return datetime.fromtimestamp(int(at), self.zone)

    def period(self, start: float | None, end: float | None) -> Period | None:
        if start is None and end is None:
            return None
        return Period(start=None if start is None else self.at(start), end=None if end is None else self.at(end))

    def add(self, url: str, resource: DomainResource) -> Reference:
        assert url not in self.entries, f"two resources made for {url}"
        self.entries[url] = resource
        return to(url)

    def of_participant(self, person: s.Participant, *names: str) -> str:
        return urn("session", self.session.session_id, "participant", person.id, *names)


def session_bundle(session: HeldSession, cohort: CohortRoster | None, zone: ZoneInfo) -> Bundle:
    """The session of `session` (its log's fold and the schedule's times) in the cohort `cohort` (None: in none),
    times on the clinic's clock `zone`."""
    state = session.state
    made = Assembly(session, zone)
    roster = cohort.by_patient() if cohort is not None else {}
    if cohort is not None:
        made.add(urn("cohort", cohort.cohort_id), group(cohort, made))
        for enrolment in cohort.patients:
            made.add(urn("patient", enrolment.entry.patient_id), roster_patient(enrolment))
    people = sorted(state.took_part(), key=lambda p: (p.joined_at, p.id))
    patients = {person.id: patient_of(person, roster, made) for person in people}
    clinicians = {clinician_id: made.add(urn("staff", clinician_id), Practitioner(
        identifier=[Identifier(system=f"{CANONICAL}/staff", value=clinician_id)], name=[HumanName(text=name)]))
        for clinician_id, name in clinicians_of(state)}
    session_encounter = made.add(urn("session", session.session_id), Encounter(  # type: ignore[call-arg]
        identifier=[Identifier(system=f"{CANONICAL}/session", value=session.session_id)],
        status=session_status(session), class_fhir=AMBULATORY,
        type=[CodeableConcept(text=SESSION_TYPE)],
        subject=to(urn("cohort", cohort.cohort_id)) if cohort is not None else None,
        period=session_period(session, made),
        participant=[EncounterParticipant(type=[coded(PARTICIPATION, "PART", "Participation")], individual=ref)
                     for ref in clinicians.values()] or None))
    for person in people:
        encounter = made.add(made.of_participant(person, "encounter"),
                             patient_encounter(person, patients[person.id], session_encounter, clinicians, made))
        for name, observation in numbers(person, patients[person.id], encounter, made):
            made.add(made.of_participant(person, name), observation)
        if (plan := state.goals.get(person.id)) is not None:
            made.add(made.of_participant(person, "goal"), goal(plan, patients[person.id], made))
        if (answers := state.evaluations.get(person.id)) is not None:
            made.add(made.of_participant(person, "evaluation"),
                     evaluation(answers, patients[person.id], encounter, made))
    if any(person.id in state.evaluations for person in people):
        made.add(urn("questionnaire", EVALUATION, EVALUATION_VERSION), questionnaire())
    return Bundle(id=urn("bundle", session.session_id).removeprefix("urn:uuid:"), type="collection",
                  identifier=Identifier(system=f"{CANONICAL}/session-bundle", value=session.session_id),
                  entry=[BundleEntry(fullUrl=url, resource=resource) for url, resource in made.entries.items()])


def group(cohort: CohortRoster, made: Assembly) -> Group:
    return Group(
        identifier=[Identifier(system=f"{CANONICAL}/cohort", value=cohort.cohort_id)], type="person", actual=True,
        name=cohort.name or None,
        member=[GroupMember(entity=to(urn("patient", e.entry.patient_id)),
                            period=made.period(e.enrolled_at, e.left_at),
                            inactive=True if e.left_at is not None else None) for e in cohort.patients] or None)


def roster_patient(enrolment: Enrolment) -> Patient:
    entry = enrolment.entry
    chart = [Identifier(use="usual", type=coded(IDENTIFIER_TYPE, "MR", "Medical record number"),
                        value=enrolment.chart_number)] if enrolment.chart_number else []
    return Patient(
        identifier=[*chart, Identifier(system=f"{CANONICAL}/patient", value=entry.patient_id)],
        name=[HumanName(use="official", text=entry.clinic_name), HumanName(use="usual", text=entry.display_name)],
        communication=[PatientCommunication(language=CodeableConcept(coding=[Coding(system=LANGUAGE,
                                                                                    code=entry.language)]),
                                            preferred=True)])


def patient_of(person: s.Participant, roster: dict[str, Enrolment], made: Assembly) -> Reference:
    """The Patient who came as `person`: their roster entry's, or (a guest, never matched) one of their own."""
    if person.patient_id and person.patient_id in roster:
        return to(urn("patient", person.patient_id))
    return made.add(made.of_participant(person, "patient"), Patient(name=[HumanName(text=person.name)]))


def clinicians_of(state: s.SessionState) -> list[tuple[str, str]]:
    """Every clinician who called someone, by id, in the order of their first call."""
    first: dict[str, str] = {}
    for called in sorted((e for e in state.encounters.values() if e.clinician_id and e.called_at is not None),
                         key=lambda e: (e.called_at, e.id)):
        first.setdefault(called.clinician_id, called.clinician_name)
    return list(first.items())


def session_status(session: HeldSession) -> str:
    state = session.state
    if session.cancelled:
        return "cancelled"
    if state.closed_at is not None:
        return "finished"
    return "in-progress" if state.participants else "planned"


def session_period(session: HeldSession, made: Assembly) -> Period | None:
    """From the schedule's start to the close; a session not held (yet) has the schedule's end."""
    state = session.state
    end = state.closed_at if state.closed_at is not None else (
        session.ends_at if session.cancelled or not state.participants else None)
    return made.period(session.starts_at, end)


def one_on_one(state: s.SessionState, person: s.Participant) -> s.Encounter | None:
    """The participant's latest request for a one-on-one, as the chart summary reads it."""
    return max((e for e in state.encounters.values() if e.participant_id == person.id),
               key=lambda e: e.requested_at, default=None)


def patient_encounter(person: s.Participant, patient: Reference, session: Reference,
                      clinicians: dict[str, Reference], made: Assembly) -> Encounter:
    """The patient's part of the session: in progress while their one-on-one is; finished once it is done, they
    went home or the session closed; arrived (here, not with a clinician) until then."""
    state = made.session.state
    visit = one_on_one(state, person)
    if visit is not None and visit.active:
        status = "in-progress"
    elif state.closed_at is not None or person.status == "left" or (visit is not None and visit.status == "completed"):
        status = "finished"
    else:
        status = "arrived"
    began = None if visit is None else visit.started_at if visit.started_at is not None else visit.called_at
    when = made.period(began, visit.ended_at if visit is not None and began is not None else None)
    minutes = None if visit is None else visit.minutes
    seen_by = clinicians.get(visit.clinician_id) if visit is not None else None
    return Encounter(  # type: ignore[call-arg]
        identifier=[Identifier(system=f"{CANONICAL}/participant", value=f"{state.session_id}/{person.id}")],
        status=status, class_fhir=AMBULATORY,
        type=[CodeableConcept(text=PATIENT_TYPE)], subject=patient, partOf=session, period=when,
        length=None if minutes is None else Duration(value=Decimal(round(minutes)), unit="min", system=UCUM,
                                                     code="min"),
        reasonCode=[CodeableConcept(text=visit.request)] if visit is not None and visit.request else None,
        participant=[EncounterParticipant(type=[coded(PARTICIPATION, "PPRF", "primary performer")],
                                          individual=seen_by, period=when)] if seen_by is not None else None)


def numbers(person: s.Participant, patient: Reference, encounter: Reference,
            made: Assembly) -> Iterator[tuple[str, Observation]]:
    """The numbers `person` recorded, as vital-signs Observations with LOINC codes. Blood pressure and weight claim
    FHIR's vital-sign profiles (bp, bodyweight); glucose only the vital-signs category, as the issue asks of a
    self-monitored number: no core profile covers it (the vital signs value set has no glucose code). Its code
    follows the unit it was recorded in (2339-0 for mg/dL, 15074-8 for mmol/L)."""
    recorded = person.numbers
    if recorded is None:
        return

    def observed(code: CodeableConcept, profile: str | None, value: Quantity | None = None,
                 component: list[ObservationComponent] | None = None) -> Observation:
        return Observation(
            meta=Meta(profile=[PROFILE + profile]) if profile else None, status="final",
            category=[coded(CATEGORY, "vital-signs", "Vital Signs")], code=code, subject=patient, encounter=encounter,
            effectiveDateTime=made.at(recorded.at), performer=[patient], valueQuantity=value, component=component)

    if recorded.bp_systolic is not None and recorded.bp_diastolic is not None:
        yield "blood-pressure", observed(
            coded(LOINC, "85354-9", "Blood pressure panel with all children optional"), "bp", component=[
                ObservationComponent(code=coded(LOINC, "8480-6", "Systolic blood pressure"),
                                     valueQuantity=quantity(recorded.bp_systolic, "mm[Hg]", "mmHg")),
                ObservationComponent(code=coded(LOINC, "8462-4", "Diastolic blood pressure"),
                                     valueQuantity=quantity(recorded.bp_diastolic, "mm[Hg]", "mmHg"))])
    if recorded.weight is not None:
        yield "weight", observed(coded(LOINC, "29463-7", "Body weight"), "bodyweight",
                                 quantity(recorded.weight, WEIGHT[recorded.weight_unit], recorded.weight_unit))
    if recorded.glucose is not None:
        unit: str = getattr(recorded, "glucose_unit", "mg/dL")
        code, display = GLUCOSE[unit]
        yield "glucose", observed(coded(LOINC, code, display), None, quantity(recorded.glucose, unit, unit))


def goal(plan: s.Goal, patient: Reference, made: Assembly) -> Goal:
    """The action plan as the patient set it: its description the whole plan in words, `lifecycleStatus` active,
    expressed by the patient, its four parts and the patient's confidence (0-10) in one complex extension.

    Confidence is an extension and not an Observation: it qualifies this plan as stated, the way the action-plan
    shape defines it (below 7, rework the plan), rather than being a finding about the patient; there is no LOINC
    code for it, so an Observation would carry a local code and a `focus` on the Goal, two resources to keep in
    step for one number; and an extension that is not a modifier is safe for a receiver that does not know it to
    ignore, keeping the plan's text in `description`."""
    parts = (("what", plan.what), ("howMuch", plan.how_much), ("when", plan.when), ("howOften", plan.how_often))
    return Goal(
        lifecycleStatus="active", description=CodeableConcept(text=", ".join(part for _, part in parts)),
        subject=patient, expressedBy=patient, startDate=made.at(plan.at).date(),
        extension=[Extension(url=ACTION_PLAN, extension=[
            *(Extension(url=name, valueString=part) for name, part in parts),
            Extension(url="confidence", valueInteger=plan.confidence)])])


RATING = "How was today's session for you? (1 poor, 2 fair, 3 OK, 4 good, 5 great)"
HELPED = "What helped?"
CHANGE = "What should change?"


def evaluation(answers: s.Evaluation, patient: Reference, encounter: Reference,
               made: Assembly) -> QuestionnaireResponse:
    """The patient's own answers (unanswered questions left out, as FHIR asks)."""
    given: list[tuple[str, str, QuestionnaireResponseItemAnswer]] = [
        ("rating", RATING, QuestionnaireResponseItemAnswer(valueInteger=answers.rating))]
    given += [(link, text, QuestionnaireResponseItemAnswer(valueString=answer))
              for link, text, answer in (("helped", HELPED, answers.helped), ("change", CHANGE, answers.change))
              if answer]
    return QuestionnaireResponse(
        questionnaire=f"{EVALUATION}|{EVALUATION_VERSION}", status="completed", subject=patient,
        encounter=encounter, authored=made.at(answers.at), author=patient, source=patient,
        item=[QuestionnaireResponseItem(linkId=link, text=text, answer=[answer]) for link, text, answer in given])


def questionnaire() -> Questionnaire:
    """The wrap-up's evaluation, as every participant's screen asks it."""
    return Questionnaire(
        url=EVALUATION, version=EVALUATION_VERSION, name="SessionEvaluation", title="How did today go?",
        status="active", subjectType=["Patient"], item=[
            QuestionnaireItem(linkId="rating", text=RATING, type="integer", required=True,
                              answerOption=[QuestionnaireItemAnswerOption(valueInteger=n) for n in range(1, 6)]),
            QuestionnaireItem(linkId="helped", text=HELPED, type="text", maxLength=ANSWER_LIMIT),
            QuestionnaireItem(linkId="change", text=CHANGE, type="text", maxLength=ANSWER_LIMIT)])
