"""docs/protocol.md is tested: every message type, command, event, view section, error
code and close code in the code has its place in the document, and the document names
nothing the code no longer has. Its JSON examples are checked against the code too."""

import ast
import inspect
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from groupvisit.domain import Actor, Role, replay
from groupvisit.domain.commands import COMMAND_TYPES
from groupvisit.domain.errors import Refused
from groupvisit.domain.events import EVENT_TYPES, ParticipantJoined, SessionScheduled, event_from_dict
from groupvisit.domain.phases import OPEN, Phase
from groupvisit.domain.views import view_for
from groupvisit.settings import Settings
from groupvisit.web import protocol
from groupvisit.web.sockets import CLOSE_ENDED, CLOSE_REFUSED

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "protocol.md"
PACKAGE = ROOT / "groupvisit"

HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
NAMED = re.compile(r"`([a-z_]+)`")
JSON_BLOCK = re.compile(r"^```json\n(.*?)^```", re.MULTILINE | re.DOTALL)
TABLE_ROW = re.compile(r"^\| `([^`]+)` \| (.+?) \|$", re.MULTILINE)
ANY_PHASE = "any but closed"


@dataclass
class Heading:
    level: int
    title: str
    part: str  # the title of the level-2 heading it is under
    body: str  # its text up to the next heading

    @property
    def name(self) -> str | None:
        match = NAMED.fullmatch(self.title)
        return match[1] if match else None


def headings(text: str) -> list[Heading]:
    """Every heading outside code blocks, with the text that follows it."""
    found: list[tuple[int, str, str, list[str]]] = []
    part, in_code = "", False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (match := HEADING.match(line)):
            level, title = len(match[1]), match[2]
            part = title if level == 2 else part
            found.append((level, title, part, []))
            continue
        if found:
            found[-1][3].append(line)
    return [Heading(level, title, part, "\n".join(lines)) for level, title, part, lines in found]


DOC_HEADINGS = headings(DOC.read_text(encoding="utf-8"))

# What must have a heading: (where, heading level, the names the code defines).
KINDS = {
    "client-messages": ("Client messages", 3, set(protocol.CLIENT_MESSAGE_TYPES)),
    "server-frames": ("Server frames", 3, set(protocol.SERVER_MESSAGE_TYPES)),
    "commands": ("Commands", 4, set(COMMAND_TYPES)),
    "events": ("Events", 4, set(EVENT_TYPES)),
}


def documented(part: str, level: int) -> dict[str, Heading]:
    return {h.name: h for h in DOC_HEADINGS if h.name and h.part == part and h.level == level}


def section(part: str, level: int, name: str) -> Heading:
    found = documented(part, level).get(name)
    assert found is not None, f"docs/protocol.md has no {'#' * level} `{name}` heading under ## {part}"
    return found


def part_body(part: str) -> str:
    return "\n".join(f"{h.title}\n{h.body}" for h in DOC_HEADINGS if h.part == part)


def example(heading: Heading) -> dict[str, object]:
    blocks = JSON_BLOCK.findall(heading.body)
    assert len(blocks) == 1, f"{heading.title} should have exactly one JSON example, it has {len(blocks)}"
    value = json.loads(blocks[0])
    assert isinstance(value, dict), f"the example under {heading.title} is not a JSON object"
    return value


def table(part: str) -> dict[str, str]:
    return {name: rest for name, rest in TABLE_ROW.findall(part_body(part))}


# --- every type has its heading, and no heading outlives its type ------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_every_type_in_the_code_has_a_heading(kind: str) -> None:
    part, level, names = KINDS[kind]
    missing = sorted(names - set(documented(part, level)))
    assert not missing, (f"docs/protocol.md has no heading for these {kind}: {', '.join(missing)} "
                         f"(add a heading like '{'#' * level} `{missing[0]}`' under '## {part}' for each)")


@pytest.mark.parametrize("kind", KINDS)
def test_no_heading_for_a_type_the_code_no_longer_has(kind: str) -> None:
    part, level, names = KINDS[kind]
    stale = sorted(set(documented(part, level)) - names)
    assert not stale, f"docs/protocol.md documents {kind} the code does not have (stale docs): {', '.join(stale)}"


def test_every_named_heading_is_at_the_level_and_place_of_its_kind() -> None:
    places = {(part, level) for part, level, _ in KINDS.values()}
    misplaced = [f"{'#' * h.level} {h.title} (under ## {h.part})" for h in DOC_HEADINGS
                 if h.name and (h.part, h.level) not in places]
    assert not misplaced, "headings named like a message type, but not where any kind of type goes: " + "; ".join(misplaced)


def test_no_type_has_two_headings() -> None:
    names = [(h.part, h.name) for h in DOC_HEADINGS if h.name]
    twice = sorted({f"{name} (## {part})" for part, name in names if names.count((part, name)) > 1})
    assert not twice, f"documented twice: {', '.join(twice)}"


# --- the examples are real messages ----------------------------------------------------

def test_every_json_example_is_valid_json() -> None:
    for block in JSON_BLOCK.findall(DOC.read_text(encoding="utf-8")):
        try:
            json.loads(block)
        except ValueError as error:
            pytest.fail(f"a JSON example in docs/protocol.md does not parse ({error}):\n{block}")


@pytest.mark.parametrize("kind", ["client-messages", "server-frames"])
def test_message_type_examples_have_their_own_type(kind: str) -> None:
    part, level, names = KINDS[kind]
    wrong = {name: example(section(part, level, name)).get("type") for name in sorted(names)}
    assert {name: found for name, found in wrong.items() if found != name} == {}


def test_client_message_examples_parse() -> None:
    parsed = {name: protocol.parse(json.dumps(example(section("Client messages", 3, name))))
              for name in protocol.CLIENT_MESSAGE_TYPES}
    assert isinstance(parsed["command"], protocol.CommandMessage)
    assert isinstance(parsed["snapshot_request"], protocol.SnapshotRequest)


def test_server_frame_examples_have_exactly_the_keys_the_builders_send() -> None:
    built = {
        "snapshot": protocol.snapshot_frame(1, 0.0, {}),
        "event": protocol.event_frame(1, 0.0, None, {}),
        "ack": protocol.ack_frame("c1", 1),
        "error": protocol.error_frame(None, "invalid_json", "reason"),
        "presence": protocol.presence_frame(["p1"]),
    }
    assert set(built) == set(protocol.SERVER_MESSAGE_TYPES), "a frame builder is missing from this test"
    mismatched = {name: sorted(set(example(section("Server frames", 3, name))) ^ set(frame))
                  for name, frame in built.items()}
    assert {name: keys for name, keys in mismatched.items() if keys} == {}


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
def test_command_example_parses_into_its_command(name: str) -> None:
    message = protocol.parse(json.dumps(example(section("Commands", 4, name))))
    assert isinstance(message, protocol.CommandMessage)
    assert type(message.command) is COMMAND_TYPES[name]


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_event_example_has_exactly_the_event_fields(name: str) -> None:
    data = example(section("Events", 4, name))
    cls = EVENT_TYPES[name]
    expected = {"type", *(f.name for f in fields(cls))}
    assert set(data) == expected, f"{name}: missing {sorted(expected - set(data))}, extra {sorted(set(data) - expected)}"
    assert type(event_from_dict(data)) is cls


# --- what the doc says about each command and event is what the code does ---------------

COMMAND_FACTS = re.compile(r"^Roles: (.+?)\. Phases: (.+?)\. Emits: (.+?)\.$", re.MULTILINE)
EVENT_FACTS = re.compile(r"^Audience: (\w+)\.(?: Personal: (.+?)\.)?(?: Staff only: (.+?)\.)?$", re.MULTILINE)


def command_facts(name: str) -> tuple[set[str], set[str], list[str]]:
    match = COMMAND_FACTS.search(section("Commands", 4, name).body)
    assert match, f"{name}: no line 'Roles: … Phases: … Emits: ….' in its section"
    roles, phases, emits = match.groups()
    phase_names = {p.value for p in OPEN} if phases == ANY_PHASE else set(phases.split(", "))
    return set(roles.split(", ")), phase_names, NAMED.findall(emits)


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
def test_command_roles_and_phases_match_the_code(name: str) -> None:
    roles, phases, _ = command_facts(name)
    cls = COMMAND_TYPES[name]
    assert (roles, phases) == ({r.value for r in cls.roles}, {p.value for p in cls.phases})


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
def test_command_emits_only_event_types_that_exist(name: str) -> None:
    _, _, emits = command_facts(name)
    assert emits, f"{name}: its Emits list is empty"
    assert [e for e in emits if e not in EVENT_TYPES] == []


@pytest.mark.parametrize("name", sorted(COMMAND_TYPES))
def test_every_command_field_is_described(name: str) -> None:
    body = section("Commands", 4, name).body
    undescribed = [f.name for f in fields(COMMAND_TYPES[name]) if f"`{f.name}`" not in body]
    assert undescribed == [], f"{name}: fields never named in its section: {', '.join(undescribed)}"


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_event_audience_and_hidden_fields_match_the_code(name: str) -> None:
    match = EVENT_FACTS.search(section("Events", 4, name).body)
    assert match, f"{name}: no line 'Audience: everyone|private.' in its section"
    audience, personal, staff_only = match.groups()
    cls = EVENT_TYPES[name]
    documented_facts = (audience, NAMED.findall(personal or ""), NAMED.findall(staff_only or ""))
    assert documented_facts == (cls.audience, list(cls.personal), list(getattr(cls, "staff_only", ())))


# --- view sections, error codes, close codes -------------------------------------------

def views_by_role() -> dict[str, set[str]]:
    state = replay([SessionScheduled("s1", "Group", "Cohort", 0.0, 7200.0, "ABC123"),
                    ParticipantJoined("p1", "Ann", 60.0)])
    viewers = {Role.FACILITATOR: Actor(Role.FACILITATOR, "f1", "Alex"), Role.CLINICIAN: Actor(Role.CLINICIAN, "d1", "Sam"),
               Role.PARTICIPANT: Actor(Role.PARTICIPANT, "p1", "Ann"), Role.PROJECTOR: Actor(Role.PROJECTOR)}
    return {role.value: set(view_for(state, viewer)) for role, viewer in viewers.items()}


def test_view_section_table_matches_what_each_role_receives() -> None:
    header = re.search(r"^\| section \| (.+?) \|$", part_body("View sections"), re.MULTILINE)
    assert header, "the view sections table needs a header '| section | role | … |'"
    roles = header[1].split(" | ")
    documented_views: dict[str, set[str]] = {role: set() for role in roles}
    for name, cells in table("View sections").items():
        for role, cell in zip(roles, cells.split(" | "), strict=True):
            assert cell in ("yes", "no"), f"view section {name}, {role}: write yes or no, not {cell!r}"
            if cell == "yes":
                documented_views[role].add(name)
    assert documented_views == views_by_role()


def test_every_view_section_is_described() -> None:
    body = part_body("View sections")
    every = set().union(*views_by_role().values())
    assert sorted(name for name in every if f"- **`{name}`**" not in body) == []


def error_codes_in_code() -> set[str]:
    """Every constant code passed to Refused, require or ProtocolError anywhere in the package,
    and Refused's default."""
    position = {"Refused": 1, "require": 2, "ProtocolError": 0}
    codes = {inspect.signature(Refused).parameters["code"].default}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if func not in position:
                continue
            args = [*node.args[position[func]:position[func] + 1], *(k.value for k in node.keywords if k.arg == "code")]
            codes.update(a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return codes


def test_error_code_scan_finds_codes_from_each_layer() -> None:
    codes = error_codes_in_code()
    assert {"invalid_json", "unknown_command", "wrong_phase", "not_found", "busy", "refused"} <= codes


def test_every_error_code_the_server_sends_is_in_the_table() -> None:
    missing = sorted(error_codes_in_code() - set(table("Error codes")))
    assert not missing, f"error codes missing from the table under ## Error codes: {', '.join(missing)}"


def test_no_error_code_in_the_table_that_the_code_no_longer_sends() -> None:
    stale = sorted(set(table("Error codes")) - error_codes_in_code())
    assert not stale, f"error codes in docs/protocol.md that nothing raises any more: {', '.join(stale)}"


def test_the_servers_own_close_codes_are_documented() -> None:
    assert {str(CLOSE_REFUSED), str(CLOSE_ENDED)} <= set(table("Close codes"))


# --- what a client writer needs beyond the message types ---------------------------------

DOC_TEXT = " ".join(DOC.read_text(encoding="utf-8").split())


def test_the_unknown_type_row_names_every_client_message_type() -> None:
    row = table("Error codes")["unknown_type"]
    assert [t for t in protocol.CLIENT_MESSAGE_TYPES if f"`{t}`" not in row] == []


def test_the_limits_the_doc_gives_are_the_codes() -> None:
    assert f"nest at most **{protocol.DEPTH_LIMIT}** deep" in DOC_TEXT
    assert f"a number is at most {protocol.NUMBER_LIMIT} characters long" in DOC_TEXT
    assert f"only while the log has at most {Settings().outgoing_limit // 2} events" in DOC_TEXT


def test_binary_frames_are_answered_and_the_connection_kept_as_the_doc_says() -> None:
    assert "answers one with a `binary_frame` error and keeps the connection" in DOC_TEXT
    assert "drops a connection that sends one" not in DOC_TEXT
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.parse(None)
    assert refused.value.code == "binary_frame"


def test_the_http_forms_are_documented_with_their_fields_answers_and_cookie() -> None:
    forms = next(h for h in DOC_HEADINGS if h.title == "The HTTP forms").body
    login = next(line for line in forms.split("\n- ") if line.startswith("**`POST /login`**"))
    join = next(line for line in forms.split("\n- ") if line.startswith("**`POST /join`**"))
    assert all(f"`{field}`" in login for field in ("username", "password", "csrf", "next"))
    assert all(f"`{field}`" in join for field in ("code", "display_name", "csrf", "shared_device", "language"))
    assert all(f"`{status}`" in join for status in (303, 400, 404, 410, 429))
    assert "`gv_csrf` cookie" in forms and "`400`" in forms and "`403`" in forms
