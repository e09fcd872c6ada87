"""The wire format of the live channel: what a screen may send, and the frames it receives.

Every message type, both ways, has its heading in docs/protocol.md (a test checks).
Client messages are validated here, field by field, before any rule sees them.
"""

import json
import math
import re
import types
from dataclasses import MISSING, dataclass, fields
from itertools import accumulate
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..domain.commands import COMMAND_TYPES, Command
from ..domain.text import valid_unicode

CLIENT_MESSAGE_TYPES = ("command", "snapshot_request", "activity")
SERVER_MESSAGE_TYPES = ("snapshot", "event", "ack", "error", "presence")
COMMAND_ID_LIMIT = 64
# A command is an object holding an object (`args`); nothing deeper is ever needed. Checked before
# parsing, so a message of a thousand nested arrays never reaches the recursive parser.
DEPTH_LIMIT = 8
NUMBER_LIMIT = 32  # characters in one number: every number a screen sends is short
STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')
BRACKET = re.compile(r"[^\[\]{}]++")
STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class ProtocolError(Exception):
    """A message that is not a valid request; `code` is machine-readable, `reason` a sentence."""

    def __init__(self, code: str, reason: str, command_id: str | None = None) -> None:
        super().__init__(reason)
        self.code, self.reason, self.command_id = code, reason, command_id


@dataclass(frozen=True)
class CommandMessage:
    id: str
    command: Command


@dataclass(frozen=True)
class SnapshotRequest:
    pass


@dataclass(frozen=True)
class Activity:
    """Someone is using this screen (it was touched or typed on): it is not idle."""


ClientMessage = CommandMessage | SnapshotRequest | Activity


def parse(text: str | None) -> ClientMessage:
    """The message in a text frame (`None` for a binary frame, which is never valid)."""
    if text is None:
        raise ProtocolError("binary_frame", "send JSON in text frames, not binary ones")
    check_depth(text)
    try:
        message = json.loads(text, object_pairs_hook=unique_keys, parse_constant=BadNumber,
                             parse_int=whole_number, parse_float=finite_number)
    except ValueError:
        raise ProtocolError("invalid_json", "the message is not valid JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("invalid_message", "a message must be a JSON object")
    flaw = first_flaw(message)
    if flaw is not None:
        where, error = flaw
        error.command_id = None if where == "'id'" else usable_id(message)
        raise error
    kind = message.get("type")
    if kind == "snapshot_request":
        check_keys(message, {"type"})
        return SnapshotRequest()
    if kind == "activity":
        check_keys(message, {"type"})
        return Activity()
    if kind != "command":
        raise ProtocolError("unknown_type", f"unknown message type {kind!r}: expected one of {', '.join(CLIENT_MESSAGE_TYPES)}")
    command_id = usable_id(message)
    if command_id is None:
        raise ProtocolError("invalid_field", f"a command needs an 'id': a string of 1 to {COMMAND_ID_LIMIT} characters")
    try:
        check_keys(message, {"type", "id", "name", "args"}, optional=frozenset({"args"}))
        return CommandMessage(command_id, build_command(message.get("name"), message.get("args", {})))
    except ProtocolError as error:
        error.command_id = command_id
        raise


def usable_id(message: dict[str, Any]) -> str | None:
    """The command's id, when it is one an answer can carry."""
    command_id = message.get("id")
    if message.get("type") != "command" or not isinstance(command_id, str):
        return None
    return command_id if 0 < len(command_id) <= COMMAND_ID_LIMIT and valid_unicode(command_id) else None


def check_depth(text: str) -> None:
    """Refuse arrays and objects nested deeper than `DEPTH_LIMIT` (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= DEPTH_LIMIT:
        return  # cannot be too deep: the common case, without a scan
    brackets = BRACKET.sub("", STRING.sub("", text))
    if max(accumulate(STEP[b] for b in brackets), default=0) > DEPTH_LIMIT:
        raise ProtocolError("too_deep", f"arrays and objects nest at most {DEPTH_LIMIT} deep in a message")


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a field given twice is refused (parsers disagree on which one counts)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ProtocolError("duplicate_field", f"the field {key!r} is given twice")
        found[key] = value
    return found


@dataclass(frozen=True)
class BadNumber:
    """A number no field can take (NaN, an infinity, too many digits): kept as found, refused with its place."""

    literal: str


def whole_number(literal: str) -> int | BadNumber:
    return int(literal) if len(literal) <= NUMBER_LIMIT else BadNumber(literal)


def finite_number(literal: str) -> float | BadNumber:
    value = float(literal) if len(literal) <= NUMBER_LIMIT else math.inf
    return value if math.isfinite(value) else BadNumber(literal)


def first_flaw(value: Any, path: str = "") -> tuple[str, ProtocolError] | None:
    """Where the first string that is not valid Unicode, or number no field can take, is in the
    message (as `'args.text'`), and the error that says so."""
    where = repr(path) if path else "the message"
    if isinstance(value, str) and not valid_unicode(value):
        return where, ProtocolError("invalid_text", f"{where} holds a broken character (half of a surrogate pair, "
                                                    "as when an emoji is cut in two): send valid Unicode")
    if isinstance(value, BadNumber):
        shown = value.literal[:12] + ("…" if len(value.literal) > 12 else "")
        return where, ProtocolError("invalid_number", f"{where} is {shown}: numbers are finite (no NaN or Infinity) "
                                                      f"and at most {NUMBER_LIMIT} characters long")
    if isinstance(value, dict):
        for key, item in value.items():
            if not valid_unicode(key):
                return where, ProtocolError("invalid_text", f"a field name in {where} holds a broken character: "
                                                            "send valid Unicode")
            found = first_flaw(item, f"{path}.{key}" if path else key)
            if found:
                return found
    if isinstance(value, list):
        return next(filter(None, (first_flaw(item, f"{path}[{n}]") for n, item in enumerate(value))), None)
    return None


def check_keys(message: dict[str, Any], allowed: set[str], optional: frozenset[str] = frozenset()) -> None:
    extra = sorted(set(message) - allowed)
    if extra:
        raise ProtocolError("extra_field", f"unexpected field {extra[0]!r}")
    missing = sorted(allowed - optional - set(message))
    if missing:
        raise ProtocolError("missing_field", f"missing field {missing[0]!r}")


def build_command(name: Any, args: Any) -> Command:
    cls = COMMAND_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ProtocolError("unknown_command", f"unknown command {name!r}")
    if not isinstance(args, dict):
        raise ProtocolError("invalid_field", "'args' must be a JSON object")
    hints = get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    extra = sorted(set(args) - set(known))
    if extra:
        raise ProtocolError("extra_field", f"{name} has no field {extra[0]!r}")
    values = {}
    for field_name, spec in known.items():
        if field_name not in args:
            if spec.default is MISSING:
                raise ProtocolError("missing_field", f"{name} needs the field {field_name!r}")
            continue
        values[field_name] = checked(name, field_name, args[field_name], hints[field_name])
    return cls(**values)


TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false", type(None): "null"}


def checked(command: str, name: str, value: Any, hint: Any) -> Any:
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    for option in options:
        if option is type(None) and value is None:
            return None
        if option is bool and isinstance(value, bool):
            return value
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if option is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)  # never too large: `parse` takes numbers of at most NUMBER_LIMIT characters
        if option is str and isinstance(value, str):
            return value
    wanted = " or ".join(TYPE_NAMES[o] for o in options)
    raise ProtocolError("invalid_field", f"{command}: {name!r} must be {wanted}")


def snapshot_frame(seq: int, now: float, view: dict[str, Any]) -> dict[str, Any]:
    return {"type": "snapshot", "seq": seq, "now": now, "view": view}


def event_frame(seq: int, now: float, event: dict[str, Any] | None, view: dict[str, Any]) -> dict[str, Any]:
    return {"type": "event", "seq": seq, "now": now, "event": event, "view": view}


def ack_frame(command_id: str, seq: int, duplicate: bool = False) -> dict[str, Any]:
    """`seq` is where the command's events ended; `duplicate` when it had already run (not run again)."""
    frame: dict[str, Any] = {"type": "ack", "id": command_id, "seq": seq}
    if duplicate:
        frame["duplicate"] = True
    return frame


def error_frame(command_id: str | None, code: str, reason: str) -> dict[str, Any]:
    return {"type": "error", "id": command_id, "code": code, "reason": reason}


def presence_frame(connected: list[str]) -> dict[str, Any]:
    """For staff screens: the participants with a screen open now (not part of the log or the view)."""
    return {"type": "presence", "connected": connected}
