"""How `trackwire` reads its command line, beyond what Typer does by itself.

- `--db` and `--debug` belong to the whole program but may be written anywhere:
  `trackwire stats --debug` means `trackwire --debug stats`.
- A word that starts with one dash and is no option of the command
  (`trackwire search -doping`) is refused with how to pass it, not read as
  a bundle of one-letter options.
- Failures inside a command become one line (cli.report_failure), under Typer's
  CliRunner as in a terminal; a command stopped by Ctrl-C or SIGTERM exits 130 or 143
  (cli.report_exit).

Everything after `--` is left alone.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from typer.core import TyperGroup

GLOBAL_FLAGS = ("--debug",)
GLOBAL_VALUES = ("--db",)
SEARCH_HINT = (". In a query, a leading dash leaves out the stories with that word, beside words to find: "
               "trackwire search \"world record -doping\"")
_WORDLIKE = re.compile(r"-[^\W\d_][\w'’-]*$")


def hoist_globals(args: list[str]) -> list[str]:
    """`args` with --db VALUE / --db=VALUE / --debug moved to the front (never past `--`)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_FLAGS or ("=" in arg and arg.split("=", 1)[0] in GLOBAL_VALUES):
            front.append(arg)
        elif arg in GLOBAL_VALUES and i + 1 < len(args):
            front += args[i:i + 2]
            i += 1
        elif arg in GLOBAL_VALUES:  # "trackwire stats --db": the program's own "requires an argument"
            return [arg]
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _target(group, args: list[str]) -> tuple[Any, list[str], list[str]]:
    """The command `args` name (after the program's own options), its names, and its arguments."""
    command, names, i = group, [], 0
    while hasattr(command, "commands"):
        while i < len(args) and args[i].startswith("-") and args[i] != "--":
            i += 2 if args[i] in GLOBAL_VALUES else 1
        if i >= len(args) or args[i] not in command.commands:
            return None, [], []
        command, i = command.commands[args[i]], i + 1
        names.append(command.name)
    return command, names, args[i:]


def stray_dash_word(command, ctx, args: list[str]) -> str | None:
    """The first argument that looks like `-word` and is no option of `command`, or None."""
    takes_value: dict[str, bool] = {}
    for param in command.get_params(ctx):
        for opt in (*param.opts, *getattr(param, "secondary_opts", ())):
            takes_value[opt] = param.param_type_name == "option" and not getattr(param, "is_flag", False)
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        name = arg.split("=", 1)[0]
        if name in takes_value:
            skip = takes_value[name] and "=" not in arg
        elif not arg.startswith("--") and _WORDLIKE.match(arg):
            return arg
    return None


class Group(TyperGroup):
    """The root `trackwire` group (see the module docstring)."""

    def main(self, args: Any = None, *posargs: Any, **kwargs: Any) -> Any:
        args = hoist_globals(list(sys.argv[1:] if args is None else args))
        if kwargs.get("standalone_mode") is False:
            return super().main(args, *posargs, **kwargs)
        from trackwire.cli import report_exit, report_failure

        try:
            return super().main(args, *posargs, **kwargs)
        except SystemExit as exc:
            sys.exit(report_exit(exc))
        except Exception as exc:  # noqa: BLE001  (the one place that turns failures into messages)
            sys.exit(report_failure(exc))

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        command, names, rest = _target(self, args)
        word = stray_dash_word(command, ctx, rest) if command is not None else None
        if word:
            name = " ".join([ctx.command_path, *names])
            hint = SEARCH_HINT if names == ["search"] else ""
            ctx.fail(f"{word} is not an option of {name}. To pass a value that starts with a dash, put -- "
                     f"before it: {name} -- {word}{hint}")
        return super().parse_args(ctx, args)
