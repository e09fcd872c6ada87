"""README's commands work as typed in a fresh shell: each program is named by a path in the project
(the virtualenv the set-up commands make, or scripts/), never as if a virtualenv were activated."""

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# Programs a fresh shell has without the project's virtualenv.
SYSTEM = {"python3", "printf"}


def shell_blocks() -> list[list[str]]:
    """The command lines of README's ```sh blocks, comments dropped, in order."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README, flags=re.S | re.M)
    return [[line.split("  #")[0].strip() for line in block.splitlines() if line.strip()] for block in blocks]


def programs(line: str) -> list[str]:
    """The program each command of a line runs (after `&&`, `|` and environment assignments; in `VAR=$(...)`,
    the one it substitutes)."""
    found = []
    for command in re.split(r"&&|\|", line):
        words = shlex.split(command)
        while re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            value = words.pop(0).split("=", 1)[1]
            if value.startswith("$("):
                words.insert(0, value[2:])
        found.append(words[0])
    return found


def test_readme_opens_with_the_two_set_up_commands() -> None:
    first, second = shell_blocks()[:2]
    assert first == ["python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/groupvisit demo"]
    assert second == ["scripts/test"]


def test_every_command_in_readme_names_a_program_a_fresh_shell_finds() -> None:
    lines = [line for block in shell_blocks() for line in block]
    assert len(lines) > 10, "README's commands were not found"
    unrunnable = [(line, program) for line in lines for program in programs(line)
                  if program not in SYSTEM and not (ROOT / program).is_file()]
    assert not unrunnable, f"needs an activated virtualenv or a missing file: {unrunnable}"
