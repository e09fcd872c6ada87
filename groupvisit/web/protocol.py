"""The wire format of the live channel: what a screen may send, and the frames it receives.

Every message type, both ways, has its heading in docs/protocol.md (a test checks).
Client messages are validated here, field by field, before any rule sees them.
"""

import json
import types
from dataclasses import MISSING, dataclass, fields
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..domain.commands import COMMAND_TYPES, Command

CLIENT_MESSAGE_TYPES = ("command", "snapshot_request", "activity")
SERVER_MESSAGE_TYPES = ("snapshot", "event", "ack", "error", "presence")
COMMAND_ID_LIMIT = 64


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
    try:
        message = json.loads(text)
    except ValueError:
        raise ProtocolError("invalid_json", "the message is not valid JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("invalid_message", "a message must be a JSON object")
    kind = message.get("type")
    if kind == "snapshot_request":
        check_keys(message, {"type"})
        return SnapshotRequest()
    if kind == "activity":
        check_keys(message, {"type"})
        return Activity()
    if kind != "command":
        raise ProtocolError("unknown_type", f"unknown message type {kind!r}: expected one of {', '.join(CLIENT_MESSAGE_TYPES)}")
    command_id = message.get("id")
    if not isinstance(command_id, str) or not 0 < len(command_id) <= COMMAND_ID_LIMIT:
        raise ProtocolError("invalid_field", f"a command needs an 'id': a string of 1 to {COMMAND_ID_LIMIT} characters")
    try:
        check_keys(message, {"type", "id", "name", "args"}, optional=frozenset({"args"}))
        return CommandMessage(command_id, build_command(message.get("name"), message.get("args", {})))
    except ProtocolError as error:
        error.command_id = command_id
        raise


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
            try:
                return float(value)
            except OverflowError:
                raise ProtocolError("invalid_field", f"{command}: {name!r} is too large") from None
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
