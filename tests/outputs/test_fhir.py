"""The FHIR bundle of a session, from hand-built logs: parsed back with fhir.resources, every reference resolved."""

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.sessionkit import MONTH, ROSTER, T0, Session, clinician, cohort_session, patient
from groupvisit.domain import Phase, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import EvaluationGiven, GoalSet, NumbersRecorded, ParticipantJoined, VisitRequested
from groupvisit.domain.history import HeldSession
from groupvisit.outputs.enrolment import CohortRoster, Enrolment
from groupvisit.outputs.fhir import session_bundle
from support.fhir import by_url, of_type, read_back

ZONE = ZoneInfo("America/New_York")
CHART = {"pat1": "MRN-1", "pat3": "MRN-3"}  # Bob (pat2) and Dee (pat4) have no chart number on the roster
LEFT_COHORT = T0 - MONTH // 2  # Dee left the cohort before this session


def roster() -> CohortRoster:
    return CohortRoster("co1", "Tuesday group", tuple(
        Enrolment(entry, CHART.get(entry.patient_id), T0 - 2 * MONTH,
                  LEFT_COHORT if entry.patient_id == "pat4" else None) for entry in ROSTER))


def bundle_of(held: HeldSession, cohort: CohortRoster | None = None) -> dict[str, Any]:
    return read_back(session_bundle(held, cohort, ZONE).model_dump_json())


def held_session() -> Session:
    """Ann is seen; Bob asks for a one-on-one and goes home early; Wendy walks in (a guest, not on the roster);
    Vic checks in but is never matched and waits all session, never called; Dee (left the cohort) does not come;
    someone checked in by mistake."""
    s = cohort_session()
    ann, bob, wendy, vic, mistake = s.join_all("Ann", "Bob", "Wendy", "Vic", "Mistaken Max")
    s.match(ann, "pat1")
    s.match(bob, "pat2")
    s.match(wendy, "")
    s.run(c.MarkParticipant("mistake", mistake.id))
    s.run(c.RecordNumbers(bp_systolic=132, bp_diastolic=84, weight=81.5, weight_unit="kg", glucose=140), ann)
    s.run(c.RecordNumbers(glucose=98), wendy)
    ann_visit = s.request_visit(ann, "my feet")
    s.request_visit(bob, "my pills")
    s.request_visit(vic, "sleep")
    s.tick(15)
    s.open(Phase.AGENDA)
    s.open(Phase.DISCUSSION)
    s.run(c.CallParticipant(ann_visit, "Exam 1"), clinician(1))
    s.tick(1)
    s.run(c.StartEncounter(ann_visit), clinician(1))
    s.tick(8)
    s.run(c.CompleteEncounter(ann_visit, "feet fine"), clinician(1))
    s.run(c.MarkParticipant("left", bob.id))
    s.tick(60)
    s.open(Phase.GOALS)
    s.set_goal(ann, "walk", confidence=6)
    s.set_goal(wendy, "cook at home", confidence=9, shared=True)
    s.open(Phase.WRAP_UP)
    s.run(c.GiveEvaluation(5, "the other patients", "more time"), ann)
    s.run(c.GiveEvaluation(3, "", ""), wendy)
    s.tick(5)
    s.run(c.CloseSession(confirm=True))
    return s


def encounter_of(data: dict[str, Any], patient_url: str) -> dict[str, Any]:
    (found,) = [r for r in of_type(data, "Encounter") if r.get("subject", {}).get("reference") == patient_url]
    return found


def patient_named(data: dict[str, Any], text: str) -> str:
    (url,) = [url for url, r in by_url(data).items() if r["resourceType"] == "Patient"
              and any(name["text"] == text for name in r["name"])]
    return url


def local(at: float) -> str:
    return datetime.fromtimestamp(at, ZONE).isoformat()


def test_the_cohort_is_a_group_of_its_roster_and_each_roster_patient_a_patient_with_their_chart_number() -> None:
    data = bundle_of(held_session().held(), roster())
    (group,) = of_type(data, "Group")
    assert group["name"] == "Tuesday group" and group["type"] == "person" and group["actual"] is True
    members = [by_url(data)[m["entity"]["reference"]] for m in group["member"]]
    assert [m["identifier"][-1]["value"] for m in members] == ["pat1", "pat2", "pat3", "pat4"]
    assert [m.get("inactive", False) for m in group["member"]] == [False, False, False, True], "Dee left the cohort"
    assert group["member"][3]["period"]["end"] == local(LEFT_COHORT)
    ann = members[0]
    assert ann["identifier"][0]["type"]["coding"][0]["code"] == "MR" and ann["identifier"][0]["value"] == "MRN-1"
    assert {(n["use"], n["text"]) for n in ann["name"]} == {("official", "Ann Lee"), ("usual", "Ann")}
    assert all(i["type"]["coding"][0]["code"] != "MR" for i in members[1]["identifier"] if "type" in i), \
        "no chart number, no MR identifier"
    assert ann["communication"][0]["language"]["coding"][0]["code"] == "en"


def test_a_guest_and_an_unmatched_check_in_are_patients_with_only_their_display_name() -> None:
    data = bundle_of(held_session().held(), roster())
    for name in ("Wendy", "Vic"):
        patient = by_url(data)[patient_named(data, name)]
        assert patient == {"resourceType": "Patient", "name": [{"text": name}]}
    assert "Mistaken Max" not in json.dumps(data), "someone checked in by mistake is in no export"


def test_each_patient_has_an_encounter_part_of_the_sessions_whose_period_is_their_one_on_one() -> None:
    s = held_session()
    data = bundle_of(s.held(), roster())
    (session,) = [r for r in of_type(data, "Encounter") if "partOf" not in r]
    session_url = next(url for url, r in by_url(data).items() if r == session)
    assert session["status"] == "finished" and session["class"]["code"] == "AMB"
    assert session["period"] == {"start": local(s.state.starts_at), "end": local(s.state.closed_at or 0)}
    assert by_url(data)[session["subject"]["reference"]]["resourceType"] == "Group"
    patients = [r for r in of_type(data, "Encounter") if "partOf" in r]
    assert len(patients) == 4 and all(r["partOf"]["reference"] == session_url for r in patients)

    [ann_visit] = [e for e in s.state.encounters.values() if e.request == "my feet"]
    ann = encounter_of(data, patient_named(data, "Ann Lee"))
    assert ann["status"] == "finished"
    assert ann["period"] == {"start": local(ann_visit.started_at or 0), "end": local(ann_visit.ended_at or 0)}
    assert ann["length"] == {"value": 8, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"}
    assert ann["reasonCode"] == [{"text": "my feet"}]
    [seen_by] = ann["participant"]
    assert seen_by["type"][0]["coding"][0]["code"] == "PPRF"
    assert by_url(data)[seen_by["individual"]["reference"]]["name"] == [{"text": "Dr 1"}]

    bob = encounter_of(data, patient_named(data, "Robert Diaz"))  # went home early, his request not seen
    assert bob["status"] == "finished" and "period" not in bob and "participant" not in bob
    assert bob["reasonCode"] == [{"text": "my pills"}]
    vic = encounter_of(data, patient_named(data, "Vic"))  # waited all session: never called, never completed
    assert vic["status"] == "finished" and "period" not in vic and "length" not in vic
    assert [p["name"] for p in of_type(data, "Practitioner")] == [[{"text": "Dr 1"}]], "only who called someone"


def test_a_one_on_one_under_way_is_in_progress_from_its_start_with_no_end_yet() -> None:
    s = cohort_session()
    ann, vic = s.join_all("Ann", "Vic")
    s.match(ann, "pat1")
    visit = s.request_visit(ann)
    s.request_visit(vic)
    s.run(c.CallParticipant(visit, "Exam 2"), clinician(2))
    s.tick(2)
    s.run(c.StartEncounter(visit), clinician(2))
    s.tick(3)
    data = bundle_of(s.held(), roster())
    ann_encounter = encounter_of(data, patient_named(data, "Ann Lee"))
    assert ann_encounter["status"] == "in-progress"
    assert ann_encounter["period"] == {"start": local(s.state.encounters[visit].started_at or 0)}
    assert "length" not in ann_encounter
    assert encounter_of(data, patient_named(data, "Vic"))["status"] == "arrived", "waiting, with no clinician yet"
    (session,) = [r for r in of_type(data, "Encounter") if "partOf" not in r]
    assert session["status"] == "in-progress" and "end" not in session["period"]


def test_the_numbers_are_vital_signs_observations_with_loinc_codes_performed_by_the_patient() -> None:
    data = bundle_of(held_session().held(), roster())
    ann = patient_named(data, "Ann Lee")
    observations = {o["code"]["coding"][0]["code"]: o for o in of_type(data, "Observation")
                    if o["subject"]["reference"] == ann}
    assert set(observations) == {"85354-9", "29463-7", "2339-0"}
    for observation in observations.values():
        assert observation["status"] == "final" and observation["performer"] == [{"reference": ann}]
        assert observation["category"][0]["coding"][0]["code"] == "vital-signs"
        assert observation["encounter"]["reference"] in by_url(data)
    components = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in observations["85354-9"]["component"]}
    assert components == {"8480-6": {"value": 132, "unit": "mmHg", "system": "http://unitsofmeasure.org",
                                     "code": "mm[Hg]"},
                          "8462-4": {"value": 84, "unit": "mmHg", "system": "http://unitsofmeasure.org",
                                     "code": "mm[Hg]"}}
    assert observations["85354-9"]["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/bp"]
    assert observations["29463-7"]["valueQuantity"] == {"value": 81.5, "unit": "kg",
                                                        "system": "http://unitsofmeasure.org", "code": "kg"}
    assert observations["2339-0"]["valueQuantity"]["value"] == 140
    assert observations["2339-0"]["valueQuantity"]["code"] == "mg/dL"
    wendy = patient_named(data, "Wendy")
    assert [o["code"]["coding"][0]["code"] for o in of_type(data, "Observation")
            if o["subject"]["reference"] == wendy] == ["2339-0"], "only what she recorded"


def test_a_glucose_in_mmol_per_litre_has_the_molar_loinc_code_and_its_unit() -> None:
    s = cohort_session()
    ann = s.join("Ann")
    s.record([NumbersRecorded(participant_id=ann.id, bp_systolic=None, bp_diastolic=None, weight=None,
                              weight_unit="kg", glucose=6, recorded_by=ann.id, at=s.now)])
    numbers = s.state.participants[ann.id].numbers
    assert numbers is not None
    # The unit as check-in will record it once numbers carry one (issue 12: `NumbersRecorded.glucose_unit`).
    setattr(numbers, "glucose_unit", "mmol/L")
    [glucose] = of_type(bundle_of(s.held(), roster()), "Observation")
    assert glucose["code"]["coding"][0]["code"] == "15074-8"
    assert glucose["valueQuantity"] == {"value": 6, "unit": "mmol/L", "system": "http://unitsofmeasure.org",
                                        "code": "mmol/L"}


def test_a_goal_is_the_action_plan_expressed_by_the_patient_with_its_parts_and_confidence() -> None:
    data = bundle_of(held_session().held(), roster())
    ann = patient_named(data, "Ann Lee")
    (goal,) = [g for g in of_type(data, "Goal") if g["subject"]["reference"] == ann]
    assert goal["lifecycleStatus"] == "active" and goal["expressedBy"] == {"reference": ann}
    assert goal["description"] == {"text": "walk, 20 minutes, after dinner, 5 days a week"}
    (plan,) = goal["extension"]
    assert {e["url"]: e.get("valueString", e.get("valueInteger")) for e in plan["extension"]} == {
        "what": "walk", "howMuch": "20 minutes", "when": "after dinner", "howOften": "5 days a week", "confidence": 6}
    assert len(of_type(data, "Goal")) == 2, "Wendy's too: a shared goal is one like any other"


def test_each_evaluation_answers_the_questionnaire_the_bundle_holds() -> None:
    data = bundle_of(held_session().held(), roster())
    (form,) = of_type(data, "Questionnaire")
    assert [item["linkId"] for item in form["item"]] == ["rating", "helped", "change"]
    answers = {by_url(data)[r["subject"]["reference"]]["name"][0]["text"]:
               {i["linkId"]: i["answer"][0].get("valueInteger", i["answer"][0].get("valueString")) for i in r["item"]}
               for r in of_type(data, "QuestionnaireResponse")}
    assert answers == {"Ann Lee": {"rating": 5, "helped": "the other patients", "change": "more time"},
                       "Wendy": {"rating": 3}}, "questions left unanswered are left out"
    assert all(r["status"] == "completed" and r["author"] == r["subject"]
               for r in of_type(data, "QuestionnaireResponse"))


def test_the_same_log_gives_the_same_bundle() -> None:
    s = held_session()
    again = HeldSession(s.state.session_id, s.state.starts_at, s.state.ends_at, False, replay(s.log))
    assert session_bundle(again, roster(), ZONE).model_dump_json() == session_bundle(s.held(), roster(), ZONE) \
        .model_dump_json()


def test_the_next_session_of_the_cohort_names_its_patients_and_the_group_by_the_same_full_urls() -> None:
    first = held_session()
    second = cohort_session([first])
    ann = second.join("Ann")
    second.match(ann, "pat1")
    one, two = bundle_of(first.held(), roster()), bundle_of(second.held(), roster())
    shared = set(by_url(one)) & set(by_url(two))
    assert patient_named(one, "Ann Lee") in shared and of_type(one, "Group") == of_type(two, "Group")
    assert encounter_of(one, patient_named(one, "Ann Lee")) != encounter_of(two, patient_named(two, "Ann Lee"))


def test_a_session_outside_a_cohort_has_no_group_and_its_patients_only_their_names() -> None:
    s = Session()
    s.join_all("Ann", "Bob")
    data = bundle_of(s.held())
    assert of_type(data, "Group") == []
    assert [p["name"] for p in of_type(data, "Patient")] == [[{"text": "Ann"}], [{"text": "Bob"}]]
    (session,) = [r for r in of_type(data, "Encounter") if "partOf" not in r]
    assert "subject" not in session


def test_a_cancelled_session_is_a_cancelled_encounter_over_the_schedules_times() -> None:
    s = cohort_session()
    s.run(c.CancelSession("the room flooded"))
    data = bundle_of(s.held(cancelled=True), roster())
    (session,) = of_type(data, "Encounter")
    assert session["status"] == "cancelled"
    assert session["period"] == {"start": local(s.state.starts_at), "end": local(s.state.ends_at)}


# Hostile and edge text: lone surrogates never get past the edge; emoji, right-to-left scripts and very long text do.
EMOJI = "Glucosa 🩸 bien 👩🏽‍⚕️🇲🇽"
RTL = "مريض \u202eסוכרת\u202c ‏abc‎"
LONG = "a note that goes on " * 500  # 10,000 characters
FORMULA = '=HYPERLINK("http://evil.example","x")'


def test_hostile_and_very_long_text_comes_back_from_the_bundle_exactly_as_written() -> None:
    s = cohort_session()
    s.record([ParticipantJoined("p1", EMOJI, s.now), ParticipantJoined("p2", RTL, s.now)])
    s.run(c.MatchParticipant("p1", "pat1"))
    s.record([VisitRequested("e1", "p1", LONG, s.now), VisitRequested("e2", "p2", FORMULA, s.now),
              GoalSet("p1", LONG, EMOJI, RTL, FORMULA, 7, False, s.now),
              EvaluationGiven("p2", 4, RTL + LONG, EMOJI, s.now)])
    hostile = CohortRoster("co1", RTL, (Enrolment(patient("pat1", EMOJI, RTL + EMOJI, language="ar"), FORMULA,
                                                  T0 - MONTH),))
    assert len(LONG) == 10_000
    text = session_bundle(s.held(), hostile, ZONE).model_dump_json()
    data = read_back(text)
    ann, other = patient_named(data, RTL + EMOJI), patient_named(data, RTL)
    assert by_url(data)[ann]["identifier"][0]["value"] == FORMULA, "JSON is no spreadsheet: kept as typed"
    assert of_type(data, "Group")[0]["name"] == RTL
    assert encounter_of(data, ann)["reasonCode"] == [{"text": LONG}]
    assert encounter_of(data, other)["reasonCode"] == [{"text": FORMULA}]
    (goal,) = of_type(data, "Goal")
    assert goal["description"]["text"] == f"{LONG}, {EMOJI}, {RTL}, {FORMULA}"
    (response,) = of_type(data, "QuestionnaireResponse")
    assert [i["answer"][0].get("valueString") for i in response["item"]] == [None, RTL + LONG, EMOJI]
    assert json.loads(text) == data and EMOJI in text and RTL in text, "written as the characters, not escapes"
