"""The wire format: `protocol.parse` checks every client message field by field, and the frame builders."""

import json
import types
from dataclasses import MISSING, fields
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupvisit.domain import commands as c
from groupvisit.domain.commands import COMMAND_TYPES, Command
from groupvisit.web import protocol
from groupvisit.web.protocol import CommandMessage, ProtocolError, SnapshotRequest, parse

PROTOCOL_CODES = {"invalid_json", "invalid_message", "unknown_type", "invalid_field", "missing_field",
                  "extra_field", "unknown_command", "invalid_number", "duplicate_field", "too_deep", "invalid_text"}


def command(name: Any, args: Any = None, command_id: Any = "c-42", **extra: Any) -> str:
    message = {"type": "command", "id": command_id, "name": name, **extra}
    if args is not None:
        message["args"] = args
    return json.dumps(message)


def refused(text: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse(text)
    return caught.value


# --- what parses ----------------------------------------------------------------------

def test_command_parses_into_its_dataclass_with_its_id() -> None:
    assert parse(command("cast_vote", {"topic_id": "t2"})) == CommandMessage("c-42", c.CastVote("t2"))


def test_every_field_of_a_command_is_carried_over() -> None:
    args = {"what": "Walk", "how_much": "20 minutes", "when": "after dinner", "how_often": "daily",
            "confidence": 8, "shared": True}
    assert parse(command("set_goal", args)).command == c.SetGoal(**args)  # type: ignore[union-attr]


def test_left_out_fields_take_their_defaults() -> None:
    message = parse(command("record_numbers", {"glucose": 140}))
    assert message == CommandMessage("c-42", c.RecordNumbers(glucose=140))
    assert message.command == c.RecordNumbers(None, None, None, "kg", 140, "")  # type: ignore[union-attr]


def test_args_may_be_left_out_when_no_field_is_required() -> None:
    assert parse(command("next_topic")) == CommandMessage("c-42", c.NextTopic())


def test_whole_number_for_a_decimal_field_becomes_a_float() -> None:
    weight = parse(command("record_numbers", {"weight": 80})).command.weight  # type: ignore[union-attr]
    assert (weight, type(weight)) == (80.0, float)


def test_null_is_accepted_where_a_field_is_optional() -> None:
    parsed = parse(command("record_numbers", {"bp_systolic": None, "glucose": 99}))
    assert parsed.command == c.RecordNumbers(bp_systolic=None, glucose=99)  # type: ignore[union-attr]


def test_command_id_of_64_characters_is_accepted() -> None:
    assert parse(command("next_topic", command_id="x" * 64)).id == "x" * 64  # type: ignore[union-attr]


def test_snapshot_request_parses() -> None:
    assert parse('{"type": "snapshot_request"}') == SnapshotRequest()


# --- what is refused, with which code -------------------------------------------------

@pytest.mark.parametrize("text", ["", "{", "not json", '{"type": "command",}', "{'type': 'command'}"])
def test_invalid_json_is_refused_without_an_id(text: str) -> None:
    error = refused(text)
    assert (error.code, error.command_id) == ("invalid_json", None)
    assert "JSON" in error.reason


@pytest.mark.parametrize("text", ["[]", '["command"]', '"command"', "3", "null", "true"])
def test_a_message_that_is_not_an_object_is_refused(text: str) -> None:
    error = refused(text)
    assert (error.code, error.command_id) == ("invalid_message", None)
    assert "object" in error.reason


def test_unknown_message_type_is_refused_naming_it() -> None:
    error = refused('{"type": "subscribe", "id": "c-42"}')
    assert (error.code, error.command_id) == ("unknown_type", None)
    assert "'subscribe'" in error.reason


def test_message_without_a_type_is_an_unknown_type() -> None:
    error = refused('{"id": "c-42", "name": "next_topic"}')
    assert (error.code, error.command_id) == ("unknown_type", None)
    assert "None" in error.reason


def test_unknown_command_is_refused_naming_it() -> None:
    error = refused(command("launch_rocket"))
    assert (error.code, error.command_id) == ("unknown_command", "c-42")
    assert "'launch_rocket'" in error.reason


@pytest.mark.parametrize("name", [5, None, ["cast_vote"], {"cast_vote": 1}])
def test_command_name_that_is_not_a_string_is_an_unknown_command(name: Any) -> None:
    error = refused(command(name, {"topic_id": "t1"}))
    assert (error.code, error.command_id) == ("unknown_command", "c-42")


def test_command_without_an_id_is_refused_naming_the_id() -> None:
    error = refused('{"type": "command", "name": "next_topic"}')
    assert (error.code, error.command_id) == ("invalid_field", None)
    assert "'id'" in error.reason


@pytest.mark.parametrize("command_id", ["", "x" * 65, 7, None, True, ["c-42"], {"id": "c-42"}],
                         ids=["empty", "65-characters", "number", "null", "bool", "list", "object"])
def test_command_id_must_be_a_string_of_1_to_64_characters(command_id: Any) -> None:
    error = refused(command("next_topic", command_id=command_id))
    assert (error.code, error.command_id) == ("invalid_field", None)
    assert "'id'" in error.reason and "64" in error.reason


def test_command_without_a_name_is_refused_naming_it() -> None:
    error = refused('{"type": "command", "id": "c-42", "args": {}}')
    assert (error.code, error.command_id) == ("missing_field", "c-42")
    assert "'name'" in error.reason


def test_extra_top_level_field_is_refused_naming_it() -> None:
    error = refused(command("next_topic", {}, priority="high"))
    assert (error.code, error.command_id) == ("extra_field", "c-42")
    assert "'priority'" in error.reason


@pytest.mark.parametrize("args", [[], "topic_id=t1", 3, None], ids=["list", "string", "number", "null"])
def test_args_must_be_an_object(args: Any) -> None:
    text = json.dumps({"type": "command", "id": "c-42", "name": "cast_vote", "args": args})
    error = refused(text)
    assert (error.code, error.command_id) == ("invalid_field", "c-42")
    assert "'args'" in error.reason


def test_missing_required_field_is_refused_naming_the_command_and_field() -> None:
    error = refused(command("merge_topics", {"topic_id": "t4"}))
    assert (error.code, error.command_id) == ("missing_field", "c-42")
    assert "merge_topics" in error.reason and "'into_topic_id'" in error.reason


def test_extra_field_in_args_is_refused_naming_it() -> None:
    error = refused(command("cast_vote", {"topic_id": "t1", "weight": 3}))
    assert (error.code, error.command_id) == ("extra_field", "c-42")
    assert "cast_vote" in error.reason and "'weight'" in error.reason


@pytest.mark.parametrize("attribute", ["name", "roles", "phases"])
def test_class_attributes_of_a_command_are_not_fields(attribute: str) -> None:
    error = refused(command("cast_vote", {"topic_id": "t1", attribute: "participant"}))
    assert (error.code, error.command_id) == ("extra_field", "c-42")
    assert f"'{attribute}'" in error.reason


VALID_ARGS: dict[str, dict[str, Any]] = {
    "set_vote_budget": {"budget": 3},
    "cast_vote": {"topic_id": "t1"},
    "propose_topic": {"title": "Sleep"},
    "record_numbers": {"glucose": 120},
    "share_goal": {"shared": True},
}

WRONG_TYPES = [
    # (command, field, value, what the reason says is wanted)
    ("set_vote_budget", "budget", "3", "a whole number"),
    ("set_vote_budget", "budget", True, "a whole number"),
    ("set_vote_budget", "budget", 3.0, "a whole number"),
    ("set_vote_budget", "budget", None, "a whole number"),
    ("cast_vote", "topic_id", 5, "a string"),
    ("cast_vote", "topic_id", None, "a string"),
    ("cast_vote", "topic_id", ["t1"], "a string"),
    ("cast_vote", "topic_id", {"id": "t1"}, "a string"),
    ("propose_topic", "anonymous", "yes", "true or false"),
    ("propose_topic", "anonymous", 1, "true or false"),
    ("propose_topic", "anonymous", None, "true or false"),
    ("share_goal", "shared", 0, "true or false"),
    ("record_numbers", "weight", True, "a number or null"),
    ("record_numbers", "weight", "80", "a number or null"),
    ("record_numbers", "bp_systolic", 128.5, "a whole number or null"),
    ("record_numbers", "glucose", False, "a number or null"),
    ("record_numbers", "weight_unit", None, "a string"),
]


@pytest.mark.parametrize(("name", "field", "value", "wanted"), WRONG_TYPES,
                         ids=[f"{n}.{f}={json.dumps(v)}" for n, f, v, _ in WRONG_TYPES])
def test_wrong_json_type_is_refused_naming_the_field_and_the_type_wanted(name: str, field: str, value: Any,
                                                                         wanted: str) -> None:
    error = refused(command(name, {**VALID_ARGS[name], field: value}))
    assert (error.code, error.command_id) == ("invalid_field", "c-42")
    assert error.reason == f"{name}: '{field}' must be {wanted}"


@pytest.mark.parametrize("text", [
    command("launch_rocket"),
    command("cast_vote", {}),
    command("cast_vote", {"topic_id": 1}),
    command("cast_vote", {"topic_id": "t1", "extra": 1}),
    command("cast_vote", []),
    command("cast_vote", {"topic_id": "t1"}, sent_at=1),
    '{"type": "command", "id": "c-42"}',
], ids=["unknown-command", "missing-field", "wrong-type", "extra-arg", "args-not-object", "extra-key", "no-name"])
def test_errors_found_after_the_id_was_read_carry_it(text: str) -> None:
    assert refused(text).command_id == "c-42"


@pytest.mark.parametrize("text", [
    "{", "[1]", '{"type": "subscribe", "id": "c-42"}', '{"type": "command", "id": 42, "name": "next_topic"}',
    '{"type": "snapshot_request", "id": "c-42"}',
], ids=["invalid-json", "not-object", "unknown-type", "invalid-id", "snapshot-request"])
def test_errors_found_before_a_valid_id_was_read_carry_none(text: str) -> None:
    assert refused(text).command_id is None


@pytest.mark.parametrize("extra", [{"id": "c-42"}, {"since": 3}, {"args": {}}])
def test_snapshot_request_with_extra_keys_is_refused_naming_the_key(extra: dict[str, Any]) -> None:
    error = refused(json.dumps({"type": "snapshot_request", **extra}))
    (key,) = extra
    assert (error.code, error.command_id) == ("extra_field", None)
    assert f"'{key}'" in error.reason


def test_protocol_error_reads_as_its_reason() -> None:
    error = refused(command("launch_rocket"))
    assert str(error) == error.reason == "unknown command 'launch_rocket'"


def test_whole_number_too_large_for_a_decimal_field_is_a_protocol_error() -> None:
    error = refused('{"type": "command", "id": "c-42", "name": "record_numbers", "args": {"weight": 1' + "0" * 400 + "}}")
    assert (error.code, error.command_id) == ("invalid_number", "c-42")
    assert "'args.weight'" in error.reason


# --- frames ---------------------------------------------------------------------------

def test_snapshot_frame_carries_seq_now_and_the_whole_view() -> None:
    view = {"session": {"phase": "agenda"}, "topics": []}
    assert protocol.snapshot_frame(7, 1790000720.0, view) == {
        "type": "snapshot", "seq": 7, "now": 1790000720.0, "view": view}


def test_event_frame_carries_the_event_and_the_changed_sections() -> None:
    event = {"type": "vote_cast", "topic_id": "t1"}
    assert protocol.event_frame(8, 1790000731.5, event, {"topics": []}) == {
        "type": "event", "seq": 8, "now": 1790000731.5, "event": event, "view": {"topics": []}}


def test_event_frame_for_an_event_the_screen_may_not_see_has_a_null_event() -> None:
    frame = protocol.event_frame(9, 0.0, None, {})
    assert json.loads(json.dumps(frame))["event"] is None


def test_ack_frame_names_the_command_and_its_last_seq() -> None:
    assert protocol.ack_frame("c-42", 8) == {"type": "ack", "id": "c-42", "seq": 8}


def test_error_frame_carries_id_code_and_reason() -> None:
    assert protocol.error_frame("c-42", "no_votes_left", "no votes left") == {
        "type": "error", "id": "c-42", "code": "no_votes_left", "reason": "no votes left"}
    assert json.dumps(protocol.error_frame(None, "invalid_json", "x")).startswith('{"type": "error", "id": null')


def test_frame_builders_make_exactly_the_server_message_types() -> None:
    frames = [protocol.snapshot_frame(1, 0.0, {}), protocol.event_frame(1, 0.0, None, {}),
              protocol.ack_frame("c", 1), protocol.error_frame(None, "invalid_json", "x"),
              protocol.presence_frame(["p1"])]
    assert [f["type"] for f in frames] == list(protocol.SERVER_MESSAGE_TYPES)


# --- every command, generically ---------------------------------------------------------

def options(hint: Any) -> tuple[Any, ...]:
    return get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)


def test_every_command_field_has_a_type_the_validator_knows() -> None:
    unknown = [f"{name}.{field}: {hint}" for name, cls in COMMAND_TYPES.items()
               for field, hint in get_type_hints(cls).items() if field in {f.name for f in fields(cls)}
               for option in options(hint) if option not in protocol.TYPE_NAMES]
    assert unknown == []


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
@settings(max_examples=40)  # per command: 25 commands, about a thousand messages in all
@given(data=st.data())
def test_arbitrary_json_args_parse_into_the_command_or_raise_protocol_error(name: str, data: st.DataObject) -> None:
    cls = COMMAND_TYPES[name]
    names = [f.name for f in fields(cls)]
    keys = st.sampled_from(names) | st.text(max_size=8) if names else st.text(max_size=8)
    args = data.draw(st.dictionaries(keys, JSON_VALUES, max_size=len(names) + 1), label="args")
    text = json.dumps({"type": "command", "id": "h1", "name": name, "args": args})
    try:
        message = parse(text)
    except ProtocolError as error:
        assert error.code in PROTOCOL_CODES and error.command_id == "h1"
    else:
        assert isinstance(message, CommandMessage) and type(message.command) is cls and message.id == "h1"


def well_typed(hint: Any) -> st.SearchStrategy[Any]:
    # Numbers a screen can send: finite, and short enough to be read (docs/protocol.md, "Numbers").
    strategies = {str: st.text(max_size=30), bool: st.booleans(), int: st.integers(1 - 10**31, 10**31 - 1),
                  float: st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**63), 2**63),
                  type(None): st.none()}
    return st.one_of(*(strategies[option] for option in options(hint)))


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
@given(data=st.data())
def test_well_typed_args_always_parse_into_an_equal_command(name: str, data: st.DataObject) -> None:
    cls: type[Command] = COMMAND_TYPES[name]
    hints = get_type_hints(cls)
    args = {}
    for spec in fields(cls):
        if spec.default is MISSING or data.draw(st.booleans(), label=f"give {spec.name}"):
            args[spec.name] = data.draw(well_typed(hints[spec.name]), label=spec.name)
    message = parse(json.dumps({"type": "command", "id": "h1", "name": name, "args": args}))
    expected = {k: float(v) if float in options(hints[k]) and isinstance(v, int) and not isinstance(v, bool) else v
                for k, v in args.items()}
    assert message == CommandMessage("h1", cls(**expected))
