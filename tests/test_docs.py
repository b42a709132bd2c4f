"""The README keeps up with the code (sqlite-utils' docs tests are the model): every command and
option is documented, every option the README names exists, every example command parses."""

import re
import shlex
from pathlib import Path

import pytest
import typer.main

from trackwire.cli import app, load_commands
from trackwire.cliparse import hoist_globals
from trackwire.crawler.sources import load_sources
from trackwire.ingest_lines import TEXT_FIELDS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
load_commands()
GROUP = typer.main.get_command(app)
COMMANDS = GROUP.commands
SUBCOMMANDS = sorted(f"{group} {sub}" for group, cmd in COMMANDS.items() for sub in getattr(cmd, "commands", {}))
TABLE_ROWS = [line for line in README.splitlines() if line.startswith("| `trackwire ")]


def command(path: str):
    found = GROUP
    for name in path.split():
        found = found.commands[name]
    return found


def options(cmd) -> set[str]:
    return {opt for param in cmd.params for opt in (*param.opts, *getattr(param, "secondary_opts", ()))}


@pytest.mark.parametrize("name", sorted(COMMANDS) + SUBCOMMANDS)
def test_command_is_in_the_readme(name):
    assert f"`trackwire {name}" in README


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_options_are_in_the_readme(name):
    row = next(line for line in TABLE_ROWS if line.startswith(f"| `trackwire {name}"))
    for opt in options(COMMANDS[name]):
        if opt.startswith("--") and opt not in ("--help",):
            assert opt in row, f"{name} {opt} is not in its README row"


def _row_commands() -> list[tuple[str, str]]:
    """(command path, usage as the README writes it) for each command in the README's table."""
    found = []
    for row in TABLE_ROWS:
        for usage in re.findall(r"`trackwire ([^`]+)`", row.split(" | ")[0]):
            words = usage.split()
            path = " ".join(words[:2]) if hasattr(COMMANDS[words[0]], "commands") else words[0]
            found.append((path, usage))
    return found


@pytest.mark.parametrize("path, usage", _row_commands(), ids=[p for p, _ in _row_commands()])
def test_every_option_the_readme_names_exists(path, usage):
    named = set(re.findall(r"--[a-z][a-z-]*", usage))
    assert named <= options(command(path)), f"the README names {named - options(command(path))} for {path}"


def test_every_command_takes_db_and_debug_anywhere():
    assert "--db" in options(GROUP) and "--debug" in options(GROUP)
    assert hoist_globals(["stats", "--debug", "--db", "x.db"]) == ["--debug", "--db", "x.db", "stats"]


def test_db_without_its_value_after_the_command_says_so(cli):
    result = cli("stats", "--db")
    assert result.exit_code == 2 and "Option '--db' requires an argument" in result.output


def parse(argv: list[str]) -> None:
    """Parse a command line as `trackwire` would, down to its command, without running anything."""
    cmd, name, args, ctx = GROUP, "trackwire", hoist_globals(argv), None
    while True:
        ctx = cmd.make_context(name, args, parent=ctx)
        if not hasattr(cmd, "commands"):
            return
        name, cmd, args = cmd.resolve_command(ctx, [*ctx._protected_args, *ctx.args])


def _examples() -> list[str]:
    """Every `trackwire ...` line of the README's and docs' sh blocks, comments removed."""
    lines = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            for line in block.splitlines():
                line = line.split(" #")[0].strip()
                if line.startswith("trackwire "):
                    lines.append(line)
    return lines


@pytest.mark.parametrize("example", _examples())
def test_every_example_command_parses(example):
    parse(shlex.split(example)[1:])


def test_the_examples_are_found():
    assert len(_examples()) >= 15


def test_the_readme_opens_with_setup_run_and_test_and_ci_runs_that_test_command():
    first = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split("#")[0].strip() for line in first.strip().splitlines()] == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == "make test"


def test_the_readme_documents_every_field_of_a_jsonl_line():
    section = README.split("## Ingesting files", 1)[1].split("\n## ", 1)[0]
    for field in ("key", "id", *TEXT_FIELDS):
        assert f"`{field}`" in section


def test_every_packaged_source_is_in_the_readme_table():
    table = set(re.findall(r"^\| `([a-z0-9_]+)` \|", README, re.M))
    assert {s.name for s in load_sources()} <= table
