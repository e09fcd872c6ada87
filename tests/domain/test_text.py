"""What people type: every text field of every command refuses text that shows nothing or is not valid
Unicode, and two people whose names look the same cannot both check in."""

from collections.abc import Callable
from dataclasses import MISSING, fields, replace

import pytest
from confusables import is_confusable
from hypothesis import given, settings
from hypothesis import strategies as st

from groupvisit.domain import Actor, Phase
from groupvisit.domain import commands as c
from groupvisit.domain.events import (EncounterCompleted, Event, EvaluationGiven, GoalSet, ParticipantCalled,
                                      ParticipantJoined)
from groupvisit.domain.errors import Refused
from groupvisit.domain.names import looks_alike, read_alike
from groupvisit.domain.text import clean_text, readable
from sessionkit import FACILITATOR, NEWCOMER, Session, clinician, cohort_session, only

# Text that shows nothing: zero-width spaces and joiners, the word joiner, a byte-order mark,
# variation selectors, Hangul fillers, soft hyphen, and all of them mixed with white space.
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\u2060", "\ufeff", "\ufe0f\ufe0e", "\U000e0101", "\u3164",
             "\u115f\u1160", "\uffa0", "\u00ad", " \u200b\n\u2060\t\ufeff "]
BROKEN = ["my feet \ud83d", "\ud800", "\udc00 hi", "a\udbff\udfff\ud800"]


def ready(command_type: type[c.Command]) -> tuple[Session, Actor, c.Command, Callable[[list[Event]], Event]]:
    """A session in which `command_type`'s sample command would be accepted, its sender, the command,
    and how to find, in the events it causes, the value a text field was stored as."""
    if command_type is c.CancelSession:
        s = Session()
        return s, FACILITATOR, c.CancelSession("the room flooded"), lambda events: events[0]
    if command_type is c.GiveFollowUp:
        first = cohort_session()
        before = first.join("Ann")
        first.match(before, "pat1")
        first.open(Phase.GOALS)
        first.set_goal(before)
        s = cohort_session([first])
        ann = s.join("Ann")
        s.match(ann, "pat1")
        return s, ann, c.GiveFollowUp("partly", "the rain"), lambda events: events[0]
    s = Session()
    ann = s.join("Ann")
    if command_type is c.Join:
        return s, NEWCOMER, c.Join("Bea"), lambda events: only(events, ParticipantJoined)
    if command_type is c.RequestVisit:
        return s, ann, c.RequestVisit("my feet"), lambda events: events[0]
    if command_type is c.ProposeTopic:
        return s, ann, c.ProposeTopic("Sleep"), lambda events: events[0]
    if command_type is c.EditTopic:
        s.propose("Sleep")
        return s, FACILITATOR, c.EditTopic("t1", "Sleep well"), lambda events: events[0]
    if command_type is c.CaptureStrategy:
        return s, ann, c.CaptureStrategy("Walk after dinner"), lambda events: events[0]
    if command_type is c.RenameParticipant:
        return s, FACILITATOR, c.RenameParticipant("Ann L.", ann.id), lambda events: events[0]
    if command_type is c.EditStrategy:
        s.run(c.CaptureStrategy("Walk after dinner"), ann)
        return s, FACILITATOR, c.EditStrategy("s1", "Walk after lunch"), lambda events: events[0]
    encounter = s.request_visit(ann)
    if command_type is c.CallParticipant:
        return s, clinician(), c.CallParticipant(encounter, "Room 2"), lambda events: only(events, ParticipantCalled)
    if command_type is c.CompleteEncounter:
        s.run(c.CallParticipant(encounter, "Room 2"), clinician())
        s.run(c.StartEncounter(encounter), clinician())
        return s, clinician(), c.CompleteEncounter(encounter, "Feet checked"), lambda events: only(
            events, EncounterCompleted)
    if command_type is c.SetGoal:
        s.open(Phase.GOALS)
        return s, ann, c.SetGoal("walk", "20 minutes", "after dinner", "5 days a week", 8), lambda events: only(
            events, GoalSet)
    if command_type is c.GiveEvaluation:
        s.open(Phase.WRAP_UP)
        return s, ann, c.GiveEvaluation(5, "the group", "more time"), lambda events: only(events, EvaluationGiven)
    raise AssertionError(f"no setup for {command_type.name}: add one")


def free_text_fields() -> list[tuple[type[c.Command], str]]:
    """Every field a person types into (strings that are not ids, phases, choices or units)."""
    not_typed = {"participant_id", "topic_id", "into_topic_id", "strategy_id", "encounter_id", "phase", "choice",
                 "weight_unit", "status", "patient_id", "library_id", "outcome"}
    return [(cls, spec.name) for cls in c.COMMAND_TYPES.values() for spec in fields(cls)
            if spec.type is str and spec.name not in not_typed]


TEXT_FIELDS = free_text_fields()
# Fields a client may leave out but the rules still require: a call must say where to go.
REQUIRED_WITH_A_DEFAULT = {(c.CallParticipant, "room")}


def test_the_sweep_finds_every_kind_of_typed_text() -> None:
    found = {f"{cls.name}.{name}" for cls, name in TEXT_FIELDS}
    assert {"join.display_name", "request_visit.text", "propose_topic.title", "edit_topic.title",
            "capture_strategy.text", "call_participant.room", "complete_encounter.note", "complete_encounter.instruction",
            "set_goal.what", "set_goal.how_much", "set_goal.when", "set_goal.how_often", "give_evaluation.helped",
            "give_evaluation.change", "rename_participant.display_name", "edit_strategy.text",
            "give_follow_up.obstacle", "cancel_session.reason"} == found


@pytest.mark.parametrize(("command_type", "field"), TEXT_FIELDS, ids=lambda v: getattr(v, "name", v))
def test_every_text_field_refuses_or_drops_text_that_shows_nothing(command_type: type[c.Command], field: str) -> None:
    """Required text made only of invisible characters is refused as empty; optional text is stored empty."""
    required = (next(spec for spec in fields(command_type) if spec.name == field).default is MISSING
                or (command_type, field) in REQUIRED_WITH_A_DEFAULT)
    for text in INVISIBLE:
        s, actor, command, stored = ready(command_type)
        bad = replace(command, **{field: text})
        if required:
            s.refuse(bad, actor, code="invalid")
        else:
            assert getattr(stored(s.run(bad, actor)), field) == "", f"{text!r} was kept"


@pytest.mark.parametrize(("command_type", "field"), TEXT_FIELDS, ids=lambda v: getattr(v, "name", v))
def test_every_text_field_refuses_half_a_surrogate_pair(command_type: type[c.Command], field: str) -> None:
    s, actor, command, _ = ready(command_type)
    for text in BROKEN:
        refused = s.refuse(replace(command, **{field: text}), actor, code="invalid")
        assert "broken character" in refused.reason


def test_a_whole_emoji_and_right_to_left_text_are_kept_as_typed() -> None:
    assert clean_text("walk 😀 \u05d0\u05e0\u05d4", "text", 40) == "walk 😀 אנה"
    assert clean_text("e\u0301", "text", 40) == "\u00e9", "stored composed (NFC)"
    assert clean_text("Ann\u202eeL", "a name", 40) == "AnneL", "bidi overrides are dropped from one-line text"


def test_stored_half_pairs_read_back_as_the_replacement_character() -> None:
    assert readable("my feet \ud83d") == "my feet \ufffd"
    assert readable("\ud83d\ude00 ok") == "😀 ok", "two halves stored apart are one character again"
    assert readable("fine") == "fine"


# --- names that look alike ----------------------------------------------------------------

@pytest.mark.parametrize(("first", "second"), [
    ("Ana M.", "Ana M.\u200b"),
    ("Ana M.", "Ana\u2060 M."),
    ("Ana", "An\u200ba"),
    ("Maria", "M\u0430ria"),  # Cyrillic а
    ("Walter", "WaIter"),  # capital I for l
    ("Marnie", "Mamie"),  # rn for m
    ("José", "Jose\u0301"),
    ("Ｋａｒｅｎ", "Karen"),  # full-width letters
    ("Ann Lee", "ann  lee"),
])
def test_a_name_that_looks_like_one_already_checked_in_is_refused(first: str, second: str) -> None:
    s = Session()
    s.join(first)
    refused = s.refuse(c.Join(second), NEWCOMER, code="conflict")
    assert f"already checked in as {first}" in refused.reason


@pytest.mark.parametrize("names", [
    ["👩\u200d⚕️ Ana", "Ana"],  # an emoji with a zero-width joiner, and the plain name
    ["אנה", "مريم", "Ana", "Maryam"],
    ["Ana M.", "Ana N."],
    ["Walter", "Walker"],
])
def test_names_that_look_different_all_check_in(names: list[str]) -> None:
    s = Session()
    for name in names:
        s.join(name)
    assert [p.name for p in s.state.participants.values()] == names


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=2, max_size=6))
def test_no_two_names_that_check_in_look_alike(names: list[str]) -> None:
    s = Session()
    for name in names:
        try:
            s.run(c.Join(name), NEWCOMER)
        except Refused:
            pass
    joined = [p.name for p in s.state.participants.values()]
    assert not [(a, b) for i, a in enumerate(joined) for b in joined[i + 1:] if looks_alike(a, b)]


LOOK_ALIKE_PIECES = st.sampled_from(["r", "n", "rn", "m", "l", "I", "1", "|", "i", "c", "d", "cl", "w", "vv", "v",
                                     "o", "0", "\u043e", "a", "\u0430", "e", "\u0435", " ", "ǅ", "Dž", "…", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(LOOK_ALIKE_PIECES, max_size=12), st.lists(LOOK_ALIKE_PIECES, max_size=12))
def test_names_the_confusables_library_finds_alike_are_found_alike_here_too(a: list[str], b: list[str]) -> None:
    """`read_alike` replaces the library's `is_confusable` (ten times faster on hostile names): it must
    never miss a pair the library finds, and it agrees with itself both ways round."""
    first, second = "".join(a), "".join(b)
    if is_confusable(first, second):
        assert read_alike(first, second)
    assert read_alike(first, second) == read_alike(second, first)
