"""The program's tables through the store (a real SQLite file): cohorts, their schedules and rosters,
each change with its audit row in the same transaction, and a refused change writing nothing."""

import asyncio
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import given, settings, strategies as st
from sqlmodel import Session, select

from groupvisit.domain.events import SessionCancelled, SessionRescheduled, SessionScheduled
from groupvisit.domain.history import RosterEntry
from groupvisit.program.schedule import Slot
from groupvisit.store import CohortFields, PatientFields, ProgramError, Store
from groupvisit.store.program import same_person
from groupvisit.store.tables import AuditRow, PatientRow

NOW = 1_790_000_000.0
DAY = 24 * 3600.0


def by_staff(what: str, action: str = "changed") -> AuditRow:
    return AuditRow(at=NOW, role="facilitator", actor_id="u-alex", actor_name="Alex", device="test",
                    action=action, what=what)


def cohort_form(**given: str) -> dict[str, str]:
    return {"name": "Diabetes Tuesday", "condition": "Type 2 diabetes", "languages": "en, es", "kind": "series",
            "planned_sessions": "6", "session_minutes": "120", "vote_budget": "3", "timebox_minutes": "8",
            "room": "Room 4", **given}


def patient_form(**given: str) -> dict[str, str]:
    return {"clinic_name": "Ana García", "display_name": "Ana", "language": "es", "mrn": "",
            "birth_date": "", "agreement_signed_on": "", **given}


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'program.db'}")
    try:
        yield store
    finally:
        store.close()


async def a_cohort(store: Store, **given: str) -> str:
    return (await store.create_cohort(CohortFields.from_form(cohort_form(**given)), NOW, by_staff("created"))).id


def patients(store: Store) -> list[PatientRow]:
    with Session(store.engine) as db:
        return list(db.exec(select(PatientRow)))


def audit_rows(store: Store) -> list[AuditRow]:
    with Session(store.engine) as db:
        return list(db.exec(select(AuditRow)))


def test_a_cohort_form_is_read_into_its_fields_with_text_cleaned_and_languages_listed() -> None:
    fields = CohortFields.from_form(cohort_form(name="  Diabetes\n Tuesday ", languages="ES en es"))
    assert fields == CohortFields(name="Diabetes Tuesday", condition="Type 2 diabetes", languages="es,en",
                                  kind="series", planned_sessions=6, session_minutes=120, vote_budget=3,
                                  timebox_minutes=8, room="Room 4")
    assert CohortFields.from_form(cohort_form(kind="drop_in", planned_sessions="")).planned_sessions is None
    assert CohortFields(name="Walk-in group", kind="drop_in").planned_sessions is None
    assert CohortFields.from_form({"name": "Walk-in group"}) == CohortFields(name="Walk-in group")


@pytest.mark.parametrize(("field", "value", "said"), [
    ("name", "  ", "cannot be empty"),
    ("name", "x" * 81, "at most 80 characters"),
    ("kind", "weekly", "series (a closed series of sessions) or drop_in"),
    ("planned_sessions", "0", "from 1 to 52"),
    ("planned_sessions", "six", "from 1 to 52"),
    ("session_minutes", "600", "from 15 to 480"),
    ("vote_budget", "-1", "from 1 to 10"),
    ("timebox_minutes", "2.5", "from 1 to 60"),
    ("languages", "", "cannot be empty"),
    ("languages", "english", "'english' is not a language code"),
    ("room", "\ud800", "broken character"),
])
def test_a_bad_cohort_field_is_refused_by_name_in_a_sentence(field: str, value: str, said: str) -> None:
    with pytest.raises(ProgramError) as refused:
        CohortFields.from_form(cohort_form(**{field: value}))
    assert refused.value.field == field and said in refused.value.message
    assert refused.value.message[0].isupper() and refused.value.message.endswith(".")


def test_a_patient_form_is_read_into_its_fields() -> None:
    fields = PatientFields.from_form(patient_form(mrn=" 12-345/A ", birth_date="1961-04-30",
                                                  agreement_signed_on="2026-11-02", language="ES"))
    assert fields == PatientFields(clinic_name="Ana García", display_name="Ana", language="es", mrn="12-345/A",
                                   birth_date="1961-04-30", agreement_signed_on="2026-11-02")
    assert PatientFields.from_form(patient_form(left="on")).left is True


@pytest.mark.parametrize(("field", "value", "said"), [
    ("clinic_name", "", "cannot be empty"),
    ("display_name", "x" * 41, "at most 40 characters"),
    ("language", "en es", "is one language code"),
    ("mrn", "12 345", "only letters, digits"),
    ("birth_date", "30/04/1961", "is not a date written like 2027-01-13"),
    ("birth_date", "1961-02-30", "is not a date written like 2027-01-13"),
    ("birth_date", "1850-01-01", "from 1900-01-01 to today"),
    ("agreement_signed_on", "2999-01-01", "to today"),
])
def test_a_bad_patient_field_is_refused_by_name_in_a_sentence(field: str, value: str, said: str) -> None:
    with pytest.raises(ProgramError) as refused:
        PatientFields.from_form(patient_form(**{field: value}))
    assert refused.value.field == field and said in refused.value.message
    assert refused.value.message.endswith(".")


@pytest.mark.asyncio
async def test_cohorts_are_listed_by_name_and_an_archived_one_only_when_asked(store: Store) -> None:
    tuesday = await a_cohort(store, name="tuesday group")
    monday = await a_cohort(store, name="Monday group")
    archived = await store.archive_cohort(tuesday, NOW + 1, by_staff("archived"))
    assert archived.archived_at == NOW + 1
    assert [c.id for c in await store.cohorts()] == [monday]
    assert [c.name for c in await store.cohorts(include_archived=True)] == ["Monday group", "tuesday group"]
    again = await store.archive_cohort(tuesday, NOW + 2, by_staff("archived"))
    assert again.archived_at == NOW + 1, "archiving again changed when it was archived"
    assert [(r.cohort_id, r.session_id, r.what) for r in audit_rows(store)] == [
        (tuesday, None, "created"), (monday, None, "created"), (tuesday, None, "archived")]


@pytest.mark.asyncio
async def test_an_archived_cohort_refuses_every_change_and_nothing_is_written(store: Store) -> None:
    cohort_id = await a_cohort(store)
    ana = await store.enrol(cohort_id, PatientFields.from_form(patient_form()), NOW, by_staff("enrolled"))
    await store.archive_cohort(cohort_id, NOW, by_staff("archived"))
    written = len(audit_rows(store))
    attempts = [
        store.update_cohort(cohort_id, CohortFields(name="Renamed"), by_staff("edited")),
        store.enrol(cohort_id, PatientFields(clinic_name="Bo Li", display_name="Bo"), NOW, by_staff("enrolled")),
        store.update_patient(ana.id, PatientFields(clinic_name="Ana G", display_name="Ana"), by_staff("edited")),
        store.schedule_sessions(cohort_id, [Slot(NOW, NOW + 7200)], by_staff("scheduled")),
        store.create_session(title="Extra", starts_at=NOW, ends_at=NOW + 60, cohort_id=cohort_id),
        store.create_session(title="Extra", cohort="Named", starts_at=NOW, ends_at=NOW + 60, cohort_id=cohort_id),
    ]
    for attempt in attempts:
        with pytest.raises(ProgramError, match="is archived") as refused:
            await attempt
        assert refused.value.field == "cohort"
    assert (await store.cohort(cohort_id)).name == "Diabetes Tuesday"  # type: ignore[union-attr]
    assert [p.clinic_name for p in patients(store)] == ["Ana García"]
    assert await store.cohort_sessions(cohort_id) == [] and len(audit_rows(store)) == written


@pytest.mark.asyncio
async def test_editing_a_cohort_changes_its_fields_with_an_audit_row(store: Store) -> None:
    cohort_id = await a_cohort(store)
    edited = await store.update_cohort(cohort_id, CohortFields.from_form(cohort_form(room="Room 9", vote_budget="5")),
                                       by_staff("edited the cohort"))
    assert (edited.room, edited.vote_budget) == ("Room 9", 5)
    assert (await store.cohort(cohort_id)) == edited
    assert audit_rows(store)[-1].what == "edited the cohort" and audit_rows(store)[-1].cohort_id == cohort_id


@pytest.mark.asyncio
async def test_a_series_is_scheduled_at_once_each_session_with_its_code_first_event_and_audit_row(
        store: Store) -> None:
    cohort_id = await a_cohort(store, vote_budget="4", timebox_minutes="10")
    slots = [Slot(NOW + 28 * DAY * k, NOW + 28 * DAY * k + 7200) for k in (2, 0, 1)]
    made = await store.schedule_sessions(cohort_id, slots, by_staff("scheduled a session"))
    assert [(s.starts_at, s.ends_at) for s in made] == [(slot.starts_at, slot.ends_at) for slot in slots]
    listed = await store.cohort_sessions(cohort_id)
    assert [s.starts_at for s in listed] == sorted(slot.starts_at for slot in slots), "not by start"
    assert len({s.join_code for s in listed}) == 3 and all(s.cohort_id == cohort_id for s in listed)
    for row in made:
        [(seq, first)] = await store.events(row.id)
        assert seq == 1 and first == SessionScheduled(row.id, "Diabetes Tuesday", "Diabetes Tuesday", row.starts_at,
                                                      row.ends_at, row.join_code, vote_budget=4, timebox_minutes=10)
    scheduled = [(r.cohort_id, r.session_id) for r in audit_rows(store) if r.what == "scheduled a session"]
    assert scheduled == [(cohort_id, row.id) for row in made]


@pytest.mark.asyncio
async def test_a_series_with_a_slot_ending_before_it_starts_adds_nothing(store: Store) -> None:
    cohort_id = await a_cohort(store)
    with pytest.raises(ProgramError, match="end must be after its start") as refused:
        await store.schedule_sessions(cohort_id, [Slot(NOW, NOW + 60), Slot(NOW + DAY, NOW + DAY)], by_staff("s"))
    assert refused.value.field == "end"
    assert await store.cohort_sessions(cohort_id) == [] and await store.sessions() == []


@pytest.mark.asyncio
async def test_a_session_made_in_a_cohort_belongs_to_it_and_takes_its_name(store: Store) -> None:
    cohort_id = await a_cohort(store)
    session, projector_key = await store.create_session(title="Extra session", starts_at=NOW, ends_at=NOW + 60,
                                                        cohort_id=cohort_id)
    assert projector_key and session.cohort_id == cohort_id and session.cohort == "Diabetes Tuesday"
    assert [s.id for s in await store.cohort_sessions(cohort_id)] == [session.id]
    with pytest.raises(LookupError):
        await store.create_session(title="Nowhere", starts_at=NOW, ends_at=NOW + 60, cohort_id="no-such-cohort")


@pytest.mark.asyncio
async def test_the_session_row_follows_its_log_when_it_is_rescheduled_or_cancelled(store: Store) -> None:
    cohort_id = await a_cohort(store)
    moved, cancelled = await store.schedule_sessions(cohort_id, [Slot(NOW, NOW + 60), Slot(NOW + DAY, NOW + DAY + 60)],
                                                     by_staff("scheduled"))
    await store.append(moved.id, 1, [SessionRescheduled(NOW + 3600, NOW + 7200, NOW)])
    await store.append(cancelled.id, 1, [SessionCancelled("the room flooded", NOW + 5)])
    again = {s.id: s for s in await store.cohort_sessions(cohort_id)}
    assert (again[moved.id].starts_at, again[moved.id].ends_at, again[moved.id].cancelled_at) == (
        NOW + 3600, NOW + 7200, None)
    assert (again[cancelled.id].starts_at, again[cancelled.id].cancelled_at) == (NOW + DAY, NOW + 5)


@pytest.mark.asyncio
async def test_a_patient_is_enrolled_with_an_audit_row_naming_them(store: Store) -> None:
    cohort_id = await a_cohort(store)
    ana = await store.enrol(cohort_id, PatientFields.from_form(patient_form(mrn="123", birth_date="1961-04-30")),
                            NOW, by_staff("enrolled"))
    assert (ana.cohort_id, ana.clinic_name, ana.mrn, ana.birth_date, ana.enrolled_at, ana.left_at) == (
        cohort_id, "Ana García", "123", "1961-04-30", NOW, None)
    [row] = [r for r in audit_rows(store) if r.what == "enrolled"]
    assert (row.cohort_id, row.session_id, row.subject, row.action) == (cohort_id, None, ana.id, "changed")


@pytest.mark.parametrize(("first", "second", "field", "said"), [
    ({"mrn": "123"}, {"clinic_name": "Bo Li", "display_name": "Bo", "mrn": "123"}, "mrn",
     "A patient with chart number 123 is already on this roster."),
    ({"birth_date": "1961-04-30"}, {"clinic_name": "ANA  GARCÍA", "birth_date": "1961-04-30"}, "clinic_name",
     "Ana García, born 1961-04-30, is already on this roster"),
    ({}, {"clinic_name": "ana garcía"}, "clinic_name", "Ana García is already on this roster"),
    ({"mrn": "123"}, {"birth_date": ""}, "clinic_name", "Ana García is already on this roster"),
    ({}, {"mrn": "456"}, "clinic_name", "already on this roster: change their entry, or give a date of birth if"),
])
@pytest.mark.asyncio
async def test_the_same_person_twice_is_refused_and_nothing_is_written(
        store: Store, first: dict[str, str], second: dict[str, str], field: str, said: str) -> None:
    cohort_id = await a_cohort(store)
    await store.enrol(cohort_id, PatientFields.from_form(patient_form(**first)), NOW, by_staff("enrolled"))
    written = len(audit_rows(store))
    with pytest.raises(ProgramError) as refused:
        await store.enrol(cohort_id, PatientFields.from_form(patient_form(**second)), NOW, by_staff("enrolled"))
    assert refused.value.field == field and said in refused.value.message
    assert len(patients(store)) == 1 and len(audit_rows(store)) == written


@pytest.mark.parametrize(("first", "second"), [
    ({"mrn": "123"}, {"mrn": "456"}),  # two people of one name, with their own charts
    ({"birth_date": "1961-04-30"}, {"birth_date": "1975-01-02"}),
    ({"mrn": "123", "birth_date": "1961-04-30"}, {"mrn": "456", "birth_date": "1961-04-30"}),
])
@pytest.mark.asyncio
async def test_two_people_of_one_name_told_apart_are_both_enrolled(
        store: Store, first: dict[str, str], second: dict[str, str]) -> None:
    cohort_id = await a_cohort(store)
    for given in (first, second):
        await store.enrol(cohort_id, PatientFields.from_form(patient_form(**given)), NOW, by_staff("enrolled"))
    assert len(patients(store)) == 2


@pytest.mark.asyncio
async def test_one_chart_number_may_be_on_two_cohorts_rosters(store: Store) -> None:
    for name in ("Tuesday", "Thursday"):
        await store.enrol(await a_cohort(store, name=name), PatientFields.from_form(patient_form(mrn="123")), NOW,
                          by_staff("enrolled"))
    assert len(patients(store)) == 2


@pytest.mark.asyncio
async def test_a_patients_entry_is_changed_and_they_leave_and_come_back(store: Store) -> None:
    cohort_id = await a_cohort(store)
    ana = await store.enrol(cohort_id, PatientFields.from_form(patient_form(mrn="123")), NOW, by_staff("enrolled"))
    bo = await store.enrol(cohort_id, PatientFields(clinic_name="Bo Li", display_name="Bo", mrn="456"), NOW,
                           by_staff("enrolled"))
    left = await store.update_patient(ana.id, PatientFields.from_form(patient_form(mrn="123", left="on",
                                                                                   display_name="Anita")),
                                      by_staff("edited").model_copy(update={"at": NOW + 9}))
    assert (left.display_name, left.left_at) == ("Anita", NOW + 9)
    with pytest.raises(ProgramError, match="chart number 456 is already on this roster"):
        await store.update_patient(ana.id, PatientFields.from_form(patient_form(mrn="456")), by_staff("edited"))
    back = await store.update_patient(ana.id, PatientFields.from_form(patient_form(mrn="123")), by_staff("edited"))
    assert back.left_at is None and back.mrn == "123"
    assert [r.subject for r in audit_rows(store) if r.what == "edited"] == [ana.id, ana.id]
    assert bo.id != ana.id


@pytest.mark.asyncio
async def test_reading_the_roster_lists_the_enrolled_first_by_name_and_audits_each_one_shown(store: Store) -> None:
    cohort_id = await a_cohort(store)
    other = await a_cohort(store, name="Other")
    zoe = await store.enrol(cohort_id, PatientFields(clinic_name="Zoe Ng", display_name="Zoe"), NOW, by_staff("e"))
    ana = await store.enrol(cohort_id, PatientFields(clinic_name="ana Ruiz", display_name="Ana"), NOW, by_staff("e"))
    bo = await store.enrol(cohort_id, PatientFields(clinic_name="Bo Li", display_name="Bo", left=True), NOW,
                           by_staff("e"))
    await store.enrol(other, PatientFields(clinic_name="Cy Do", display_name="Cy"), NOW, by_staff("e"))
    listed = await store.roster(cohort_id, by_staff("roster", action="viewed"))
    assert [p.id for p in listed] == [ana.id, zoe.id, bo.id]
    viewed = [(r.cohort_id, r.subject, r.action) for r in audit_rows(store) if r.what == "roster"]
    assert viewed == [(cohort_id, p.id, "viewed") for p in listed]
    assert await store.patient(zoe.id, by_staff("entry", action="viewed")) == zoe
    assert [r.subject for r in audit_rows(store) if r.what == "entry"] == [zoe.id]
    assert await store.patient("nobody", by_staff("entry", action="viewed")) is None
    assert len([r for r in audit_rows(store) if r.what == "entry"]) == 1


@pytest.mark.asyncio
async def test_roster_entries_for_a_live_session_hold_no_chart_data_and_are_not_audited(store: Store) -> None:
    cohort_id = await a_cohort(store)
    ana = await store.enrol(cohort_id, PatientFields.from_form(patient_form(mrn="123", birth_date="1961-04-30",
                                                                            agreement_signed_on="2026-01-05")),
                            NOW, by_staff("e"))
    bo = await store.enrol(cohort_id, PatientFields(clinic_name="Bo Li", display_name="Bo", left=True), NOW,
                           by_staff("e"))
    written = len(audit_rows(store))
    assert await store.roster_entries(cohort_id) == [RosterEntry(ana.id, "Ana", "Ana García", "es", True)]
    assert await store.roster_entries(cohort_id, include_left=True) == [
        RosterEntry(ana.id, "Ana", "Ana García", "es", True), RosterEntry(bo.id, "Bo", "Bo Li", "en", False)]
    assert len(audit_rows(store)) == written


@pytest.mark.asyncio
async def test_a_cohorts_audit_log_holds_its_roster_and_schedule_rows_in_order(store: Store) -> None:
    cohort_id = await a_cohort(store)
    other = await a_cohort(store, name="Other")
    await store.enrol(cohort_id, PatientFields(clinic_name="Bo Li", display_name="Bo"), NOW, by_staff("enrolled"))
    await store.enrol(other, PatientFields(clinic_name="Bo Li", display_name="Bo"), NOW, by_staff("elsewhere"))
    await store.schedule_sessions(cohort_id, [Slot(NOW, NOW + 60)], by_staff("scheduled"))
    assert [r.what for r in await store.cohort_audit_log(cohort_id)] == ["created", "enrolled", "scheduled"]


people = st.tuples(st.sampled_from(["Ana García", "ana garcia", "ANA GARCÍA", "Bo Li"]),
                   st.sampled_from([None, "123", "456"]), st.sampled_from([None, "1961-04-30", "1975-01-02"]))


@settings(max_examples=25, deadline=None)
@given(attempts=st.lists(st.tuples(st.booleans(), people), min_size=1, max_size=8))
def test_no_two_entries_on_a_roster_are_the_same_person_whatever_is_enrolled_or_changed(
        attempts: list[tuple[bool, tuple[str, str | None, str | None]]]) -> None:
    """Each attempt enrols someone, or (True) changes the first entry to them; refused ones write nothing."""

    async def run(store: Store) -> list[PatientRow]:
        cohort_id = await a_cohort(store)
        for change, (name, mrn, born) in attempts:
            fields = PatientFields(clinic_name=name, display_name="P", mrn=mrn, birth_date=born)
            enrolled = patients(store)
            try:
                if change and enrolled:
                    await store.update_patient(enrolled[0].id, fields, by_staff("edited"))
                else:
                    await store.enrol(cohort_id, fields, NOW, by_staff("enrolled"))
            except ProgramError:
                assert patients(store) == enrolled, "a refused change wrote something"
        return patients(store)

    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'roster.db'}")
        try:
            rows = asyncio.run(run(store))
        finally:
            store.close()
    assert rows, "the first enrolment is never refused"
    for i, row in enumerate(rows):
        for other in rows[i + 1:]:
            fields = PatientFields(clinic_name=row.clinic_name, display_name="P", mrn=row.mrn,
                                   birth_date=row.birth_date)
            assert same_person(fields, other) is None, (row, other)


@pytest.mark.asyncio
async def test_a_join_code_already_in_use_is_drawn_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    cohort_id = await a_cohort(store)
    [first] = await store.schedule_sessions(cohort_id, [Slot(NOW, NOW + 60)], by_staff("scheduled"))
    draws = iter([first.join_code, first.join_code, "TUVWXY"])
    monkeypatch.setattr("groupvisit.store.program.new_join_code", lambda: next(draws))
    [second] = await store.schedule_sessions(cohort_id, [Slot(NOW + DAY, NOW + DAY + 60)], by_staff("scheduled"))
    assert second.join_code == "TUVWXY" and (await store.session_by_join_code(first.join_code)) == first
