"""The README keeps up with the code: every command, option and source is documented."""

import re
from pathlib import Path

import pytest
import typer.main

from trackwire.crawler.sources import load_sources
from trackwire import (commands_crawl, commands_query, commands_scale, commands_schedule,  # noqa: F401
                       commands_tools, commands_web)
from trackwire.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands


SUBCOMMANDS = sorted(f"{group} {sub}" for group, cmd in COMMANDS.items() for sub in getattr(cmd, "commands", {}))


@pytest.mark.parametrize("name", sorted(COMMANDS) + SUBCOMMANDS)
def test_command_is_in_the_readme(name):
    assert f"`trackwire {name}" in README


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_options_are_in_the_readme(name):
    row = next(line for line in README.splitlines() if line.startswith(f"| `trackwire {name}"))
    for param in COMMANDS[name].params:
        for opt in param.opts:
            if opt.startswith("--") and opt not in ("--help",):
                assert opt in row, f"{name} {opt} is not in its README row"


def test_every_packaged_source_is_in_the_readme_table():
    table = set(re.findall(r"^\| `([a-z0-9_]+)` \|", README, re.M))
    assert {s.name for s in load_sources()} <= table
