"""Who is on duty, one patient's estimate and moving up: scenarios on a manual clock, refusals, the views."""

import pytest

from groupvisit.domain import Actor, Phase, Role, replay
from groupvisit.domain import commands as c
from groupvisit.domain.events import ClinicianOnDuty, EstimateSet, MovedUp
from groupvisit.domain.planner import plan
from groupvisit.domain.views import view_for, visible_event
from sessionkit import FACILITATOR, NEWCOMER, PROJECTOR, T0, Session, clinician, only

DR1, DR2 = clinician(1), clinician(2)
MINUTE = 60.0
NAMES = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Joe", "Kim", "Lu"]


def queued(names: list[str], minutes: int = 120) -> tuple[Session, list[str]]:
    s = Session(minutes=minutes)
    return s, [s.request_visit(s.join(name)) for name in names]


def lanes(s: Session) -> dict[str, list[str]]:
    p = plan(s.state, s.now)
    return {m.clinician_id: [slot.encounter_id for slot in p.lane(m.clinician_id)] for m in p.clinicians}


def starts(s: Session) -> dict[str, float]:
    return {slot.encounter_id: slot.start for slot in plan(s.state, s.now).slots}


def waiting_names(s: Session) -> list[str]:
    return [row["name"] for row in view_for(s.state, DR1)["queue"]["waiting"]]


# --- on duty ------------------------------------------------------------------------

def test_a_clinician_leaving_at_minute_60_has_no_slot_after_it_and_the_plan_re_forms_when_they_go() -> None:
    s, ids = queued([f"P{n}" for n in range(1, 21)])
    s.run(c.GoOnDuty(), DR1)
    s.run(c.GoOnDuty(T0 + 60 * MINUTE), DR2)
    p = plan(s.state, s.now)
    assert [(m.clinician_id, m.until) for m in p.clinicians] == [(DR1.id, None), (DR2.id, T0 + 60 * MINUTE)]
    # 7-minute one-on-ones from 0:00: Dr 2's ninth would end at 1:03, so they see eight; Dr 1 the other twelve.
    assert [slot.end for slot in p.lane(DR2.id)] == [T0 + (7 * k) * MINUTE for k in range(1, 9)]
    assert len(p.lane(DR1.id)) == 12 and p.does_not_fit == ()
    # Minute 61, nobody called yet: Dr 2 has gone, and Dr 1 alone fits eight before the end.
    s.now = T0 + 61 * MINUTE
    s.run(c.RecordNumbers(weight=80, participant_id=s.state.encounters[ids[19]].participant_id))
    after = plan(s.state, s.now)
    assert after.lane(DR2.id) == []
    assert [slot.encounter_id for slot in after.lane(DR1.id)] == ids[:8]
    assert after.slots[0].start == T0 + 61 * MINUTE
    assert after.does_not_fit == tuple(ids[8:])
    assert after.shortfall_minutes == 4 + 11 * 7  # the ninth would end at 2:04, and eleven more after it
    warning = view_for(s.state, DR1)["queue"]["plan"]
    assert [row["until"] for row in warning["clinicians"]] == [None, T0 + 60 * MINUTE]
    assert len(warning["does_not_fit"]) == 12


def test_one_joining_late_takes_patients_from_when_they_join() -> None:
    s, ids = queued(NAMES[:8], minutes=40)
    s.run(c.GoOnDuty(), DR1)
    alone = plan(s.state, s.now)
    assert len(alone.does_not_fit) == 3  # 5 × 7 minutes fit in 40
    s.tick(10)
    s.run(c.GoOnDuty(), DR2)
    together = plan(s.state, s.now)
    late = together.lane(DR2.id)
    assert late and all(slot.start >= T0 + 10 * MINUTE for slot in late)
    assert late[0].start == T0 + 10 * MINUTE  # Dr 1's first slot began at 0:00, so 0:10 is the first free moment
    assert len(together.does_not_fit) < len(alone.does_not_fit)
    assert together.does_not_fit == ()
    since = {row["clinician_id"]: row["on_duty_since"] for row in view_for(s.state, DR1)["queue"]["plan"]["clinicians"]}
    assert since == {DR1.id: T0, DR2.id: T0 + 10 * MINUTE}


def test_going_on_duty_again_changes_when_they_leave_not_since_when_they_are_on() -> None:
    s, _ = queued(["Ann"])
    s.run(c.GoOnDuty(), DR1)
    s.tick(5)
    s.run(c.GoOnDuty(T0 + 30 * MINUTE), DR1)
    assert (s.state.duty[DR1.id].since, s.state.duty[DR1.id].until) == (T0, T0 + 30 * MINUTE)
    s.run(c.GoOnDuty(None), DR1)
    assert s.state.duty[DR1.id].until is None


def test_off_duty_means_no_slots_and_nobody_on_duty_means_nobody_fits() -> None:
    s, ids = queued(["Ann", "Bob"])
    assert [m.name for m in plan(s.state, s.now).clinicians] == ["any clinician"]
    s.run(c.GoOnDuty(), DR1)
    s.run(c.CallParticipant(ids[0], "Room 1"), DR1)
    s.refuse(c.GoOffDuty(), DR1, code="clinician_busy")
    s.run(c.StartEncounter(ids[0]), DR1)
    s.run(c.CompleteEncounter(ids[0]), DR1)
    s.run(c.GoOffDuty(), DR1)
    p = plan(s.state, s.now)
    assert p.clinicians == () and p.slots == ()
    assert p.does_not_fit == (ids[1],) and p.shortfall_minutes == 7
    assert view_for(s.state, ids_viewer(s, ids[1]))["me"]["visit"]["expected_at"] is None
    # A call after going off puts them back in the plan, as any call does.
    s.tick(1)
    s.run(c.CallParticipant(ids[1], "Room 1"), DR1)
    assert [m.clinician_id for m in plan(s.state, s.now).clinicians] == [DR1.id]


def ids_viewer(s: Session, encounter_id: str) -> Actor:
    """The device of the participant of `encounter_id`."""
    pid = s.state.encounters[encounter_id].participant_id
    return Actor(Role.PARTICIPANT, pid, s.state.participants[pid].name)


def test_a_clinician_who_called_someone_can_go_off_duty_without_having_gone_on() -> None:
    s, ids = queued(["Ann", "Bob"])
    s.run(c.CallParticipant(ids[0], "Room 1"), DR1)
    s.run(c.NotHere(ids[0]), DR1)  # their call is gone with it: nobody has called anyone now
    s.refuse(c.GoOffDuty(), DR1, code="not_on_duty")
    s.run(c.CallParticipant(ids[1], "Room 1"), DR1)
    s.run(c.NotHere(ids[1]), DR1)
    s.run(c.CallParticipant(ids[0], "Room 1"), DR1)
    s.run(c.StartEncounter(ids[0]), DR1)
    s.run(c.CompleteEncounter(ids[0]), DR1)
    s.run(c.GoOffDuty(), DR1)
    assert s.state.duty[DR1.id].name == "Dr 1"
    s.refuse(c.GoOffDuty(), DR1, code="not_on_duty")


# --- one patient's estimate ------------------------------------------------------------

def test_a_set_estimate_changes_the_later_slots_and_clearing_it_restores_them() -> None:
    s, (ann, bob, cy) = queued(["Ann", "Bob", "Cy"])
    s.run(c.GoOnDuty(), DR1)
    assert starts(s) == {ann: T0, bob: T0 + 7 * MINUTE, cy: T0 + 14 * MINUTE}
    s.run(c.SetEstimate(ann, 15), DR1)
    assert starts(s) == {ann: T0, bob: T0 + 15 * MINUTE, cy: T0 + 22 * MINUTE}
    queue = view_for(s.state, DR1)["queue"]
    assert [row["estimate_minutes"] for row in queue["waiting"]] == [15, None, None]
    assert [slot["minutes"] for slot in queue["plan"]["slots"]] == [15, 7, 7]
    s.run(c.SetEstimate(ann, None), DR1)
    assert starts(s) == {ann: T0, bob: T0 + 7 * MINUTE, cy: T0 + 14 * MINUTE}


def test_the_estimate_of_the_encounter_in_progress_says_when_its_clinician_is_free() -> None:
    s, (ann, bob) = queued(["Ann", "Bob"])
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    s.run(c.StartEncounter(ann), DR1)
    s.run(c.SetEstimate(ann, 20), DR1)
    assert starts(s) == {bob: T0 + 20 * MINUTE}


def test_an_estimate_is_refused_out_of_range_for_a_closed_encounter_and_when_unchanged() -> None:
    s, (ann,) = queued(["Ann"])
    assert s.refuse(c.SetEstimate(ann, 0), DR1, code="invalid").reason == "minutes must be between 1 and 60, not 0"
    assert s.refuse(c.SetEstimate(ann, 61.5), DR1, code="invalid").reason == (
        "minutes must be between 1 and 60, not 61.5")
    s.refuse(c.SetEstimate("e99", 5), DR1, code="not_found")
    s.run(c.SetEstimate(ann, 4.5), DR1)
    assert s.refuse(c.SetEstimate(ann, 4.5), DR1, code="conflict").reason == "Ann's estimate is already 4.5 minutes"
    s.refuse(c.SetEstimate(ann, 5), FACILITATOR, code="forbidden")
    s.run(c.WithdrawRequest(), ids_viewer(s, ann))
    assert "withdrawn" in s.refuse(c.SetEstimate(ann, 5), DR1, code="wrong_status").reason


# --- move up ----------------------------------------------------------------------

def test_move_up_puts_them_first_the_latest_moved_first_ahead_of_flagged_numbers() -> None:
    s, (ann, bob, cy, dee) = queued(["Ann", "Bob", "Cy", "Dee"])
    s.run(c.RecordNumbers(glucose=54, participant_id=s.state.encounters[bob].participant_id))
    assert waiting_names(s) == ["Bob", "Ann", "Cy", "Dee"]  # the flagged glucose first
    s.run(c.MoveUp(dee), DR1)
    s.tick(1)
    s.run(c.MoveUp(cy), DR2)
    assert waiting_names(s) == ["Cy", "Dee", "Bob", "Ann"]
    assert [row["moved_up"] for row in view_for(s.state, DR1)["queue"]["waiting"]] == [True, True, False, False]
    assert [slot.encounter_id for slot in plan(s.state, s.now).slots] == [cy, dee, bob, ann]
    assert view_for(s.state, ids_viewer(s, dee))["me"]["visit"]["position"] == 2
    assert s.refuse(c.MoveUp(cy), DR1, code="conflict").reason == "Cy is already at the front"
    s.tick(1)
    s.run(c.MoveUp(dee), DR1)  # moved again, later: first again
    assert waiting_names(s) == ["Dee", "Cy", "Bob", "Ann"]
    # Called, they are no longer "moved up": back in the queue, they go to its end like anyone else.
    s.run(c.CallParticipant(dee, "Room 1"), DR1)
    assert s.state.encounters[dee].moved_up_at is None
    s.run(c.NotHere(dee), DR1)
    assert waiting_names(s) == ["Cy", "Bob", "Ann", "Dee"]


def test_a_moved_up_patient_is_called_even_during_their_top_topic() -> None:
    s = Session()
    ann, bob = s.join_all("Ann", "Bob")
    first, second = s.request_visit(ann), s.request_visit(bob)
    s.open(Phase.AGENDA)
    sleep = s.propose("Sleep")
    s.vote(bob, sleep)
    s.open(Phase.DISCUSSION)
    assert [slot.encounter_id for slot in plan(s.state, s.now).slots] == [first, second]
    s.run(c.MoveUp(second), DR1)
    slot = plan(s.state, s.now).slots[0]
    assert (slot.encounter_id, slot.conflict) == (second, "top_topic")  # the clinician sees why


def test_undoing_a_skip_of_a_moved_up_patient_moves_them_up_again_and_a_move_up_ends_an_undo() -> None:
    s, (ann, bob, cy) = queued(["Ann", "Bob", "Cy"])
    s.run(c.MoveUp(cy), DR1)
    s.run(c.SkipEncounter(cy), DR1)
    assert waiting_names(s) == ["Ann", "Bob", "Cy"]
    s.run(c.UndoEncounter(cy), DR1)
    assert waiting_names(s) == ["Cy", "Ann", "Bob"]
    s.run(c.CallParticipant(cy, "Room 1"), DR1)
    s.run(c.UndoEncounter(cy), DR1)  # an undone call: waiting again, at the front as before
    assert waiting_names(s) == ["Cy", "Ann", "Bob"]
    s.run(c.SkipEncounter(bob), DR1)
    s.run(c.MoveUp(bob), DR2)
    s.refuse(c.UndoEncounter(bob), DR1, code="nothing_to_undo")
    assert replay(s.log) == s.state


def test_only_a_waiting_patient_can_be_moved_up_and_only_by_a_clinician() -> None:
    s, (ann,) = queued(["Ann"])
    s.refuse(c.MoveUp(ann), FACILITATOR, code="forbidden")
    s.refuse(c.MoveUp("e99"), DR1, code="not_found")
    s.run(c.CallParticipant(ann, "Room 1"), DR1)
    assert s.refuse(c.MoveUp(ann), DR1, code="wrong_status").reason == (
        "only a waiting participant can be moved up; Ann is called")


# --- refusals and who sees what ---------------------------------------------------------

def test_going_on_duty_is_refused_for_a_time_already_past_and_when_nothing_changes() -> None:
    s, _ = queued(["Ann"])
    s.tick(30)
    refused = s.refuse(c.GoOnDuty(T0 + 20 * MINUTE), DR1, code="invalid")
    assert refused.reason == "the time to leave must be later than now, not 10 minutes ago"
    s.refuse(c.GoOnDuty(s.now), DR1, code="invalid")
    s.refuse(c.GoOnDuty(), FACILITATOR, code="forbidden")
    s.run(c.GoOnDuty(), DR1)
    assert s.refuse(c.GoOnDuty(), DR1, code="conflict").reason == "you are already in the plan to the end"
    s.refuse(c.GoOffDuty(), FACILITATOR, code="forbidden")
    s.refuse(c.GoOffDuty(), DR2, code="not_on_duty")


def test_duty_events_are_for_staff_and_an_estimate_or_move_up_for_staff_and_that_patient() -> None:
    s, (ann, bob) = queued(["Ann", "Bob"])
    on = only(s.run(c.GoOnDuty(T0 + 50 * MINUTE), DR1), ClinicianOnDuty)
    estimate = only(s.run(c.SetEstimate(ann, 12), DR1), EstimateSet)
    moved = only(s.run(c.MoveUp(bob), DR1), MovedUp)
    assert (on.clinician_id, on.name, on.until, on.at) == (DR1.id, "Dr 1", T0 + 50 * MINUTE, T0)
    ann_device, bob_device = ids_viewer(s, ann), ids_viewer(s, bob)
    for event in (on, estimate, moved):
        assert visible_event(event, FACILITATOR) is not None and visible_event(event, DR2) is not None
        assert visible_event(event, PROJECTOR) is None and visible_event(event, NEWCOMER) is None
    assert visible_event(on, ann_device) is None
    assert visible_event(estimate, ann_device) is not None and visible_event(estimate, bob_device) is None
    assert visible_event(moved, bob_device) is not None and visible_event(moved, ann_device) is None
    assert replay(s.log) == s.state


def test_the_plan_is_made_as_of_the_latest_duty_move_and_estimate() -> None:
    s, _ = queued(["Ann"])
    s.tick(12)
    s.run(c.GoOnDuty(), DR1)
    assert view_for(s.state, DR1)["queue"]["plan"]["planned_at"] == T0 + 12 * MINUTE
    s.tick(3)
    s.run(c.SetEstimate(s.state.encounters["e1"].id, 9), DR1)
    assert view_for(s.state, DR1)["queue"]["plan"]["planned_at"] == T0 + 15 * MINUTE


@pytest.mark.parametrize("minutes", [1, 60, 7.5])
def test_estimates_at_the_edges_of_the_range_are_taken(minutes: float) -> None:
    s, (ann,) = queued(["Ann"])
    s.run(c.SetEstimate(ann, minutes), DR1)
    assert plan(s.state, s.now).slots[0].minutes == minutes
