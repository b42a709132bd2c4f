"""The `trackwire` command. Each command is a thin layer over crawler/, nlp/ and store/."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from trackwire import stopping
from trackwire.cliparse import Group
from trackwire.errors import explain
from trackwire.settings import Settings, load_settings, unknown_variables

# rich_markup_mode=None: help and usage errors as plain text (no markup read from help strings,
# no boxes wrapped at 80 columns in a pipe).
app = typer.Typer(cls=Group, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Athletics news in, tagged data out: crawl, tag, store, search, export.\n\n"
                       "--db and --debug may be given before or after the command's name.")
# Nothing printed is ever read as rich markup or emoji codes: story text, titles, names, paths
# and messages may hold "[bold]" or ":fire:". Styles are set with Text and style=.
console = Console(markup=False, emoji=False, highlight=False)
err = Console(stderr=True, markup=False, emoji=False, highlight=False)


def fit_to_output() -> None:
    """Wrap only on a terminal: in a pipe or a file, one line stays one line."""
    for c in (console, err):
        piped = not c.is_terminal
        c.soft_wrap = piped
        c.width = 100_000 if piped else None  # tables at their natural width in a file


@dataclass
class State:
    settings: Settings
    debug: bool = False
    db_given: bool = False


STATE = State(settings=Settings.model_construct())


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option(metavar="PATH_OR_URL",
                                              help="SQLite file or PostgreSQL URL (env TRACKWIRE_DB)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks and Scrapy's log")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=lambda value: print_version(value),
                                          help="print trackwire's version and its tagger's, then exit")] = False,
) -> None:
    fit_to_output()
    ctx.call_on_close(close_store)
    STATE.debug = debug  # a bad setting shows its traceback with --debug too
    settings = load_settings()
    for line in unknown_variables():
        err.print(Text.assemble(("warning", "yellow"), f": {line}"))
    if db is not None and not db.strip():
        from trackwire.errors import UserError

        raise UserError("--db is empty: give an SQLite file (trackwire.db) or a PostgreSQL URL")
    if db:
        settings.db = db
    STATE.settings, STATE.debug, STATE.db_given = settings, debug, bool(db)
    if debug:
        ctx.call_on_close(_debug_logging())


def print_version(wanted: bool) -> None:
    """--version: the package's version and the tagger version of TRACKWIRE_SPACY_MODEL, then exit."""
    if not wanted:
        return
    from importlib.metadata import version

    from trackwire.nlp.version import tagger_version

    console.print(f"trackwire {version('trackwire')} (tagger {tagger_version(load_settings().spacy_model)})")
    raise typer.Exit()


def _debug_logging():
    """--debug: every library's log (Scrapy's included) on stderr, until the command ends; returns
    what undoes it."""
    import logging

    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    saved = root.level, alembic.level
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    alembic.setLevel(logging.WARNING)  # a line per plugin on every database opened

    def undo() -> None:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        alembic.setLevel(saved[1])

    return undo


def engine():
    """The engine of the store the command works on (made and migrated once per command)."""
    return store().engine


_STORE: list = []


def store(create: bool = True):
    """The `trackwire.api.Store` every command works through, for --db / TRACKWIRE_DB. Commands that
    only read pass `create=False`: a store that is not there is refused in one line, not made."""
    from trackwire.api import Store

    if not _STORE or _STORE[0].settings is not STATE.settings or _STORE[0].create != create:
        close_store()
        _STORE[:] = [Store(settings=STATE.settings, create=create)]
    return _STORE[0]


def close_store() -> None:
    """Close the command's store (its connections) when the command ends."""
    while _STORE:
        _STORE.pop().close()


def report_failure(exc: BaseException) -> int:
    """A failure as one line on stderr (a traceback too with --debug, or for a bug); the exit code:
    1, or 130/143 when a Ctrl-C or SIGTERM is what ended the command (trackwire.stopping)."""
    if isinstance(exc, KeyboardInterrupt):
        say_interrupted()
        return stopping.exit_code(exc)
    message = explain(exc)
    if STATE.debug or message is None:
        traceback.print_exception(exc)
    if message is None:
        err.print(Text.assemble(("error", "red"), ": unexpected failure (above); please report it with the "
                                "command you ran"))
    else:
        err.print(Text.assemble(("error", "red"), f": {message}"))
    return stopping.exit_code() if stopping.received() else getattr(exc, "exit_code", 1)


def report_exit(exc: SystemExit) -> int | str | None:
    """The exit status of a command that ended with SystemExit: 130 or 143 after a Ctrl-C or SIGTERM
    (with the interrupted line when no command said what it kept), else the command's own."""
    if interrupted_unannounced(exc):
        say_interrupted()
    return stopping.exit_code() if stopping.received() is not None else exc.code


def say_interrupted() -> None:
    err.print(Text.assemble(("interrupted", "yellow"), ": what was already stored is kept; "
                            "run the command again to finish"))


def interrupted_unannounced(exc: SystemExit) -> bool:
    """Whether Typer turned a Ctrl-C or SIGTERM into exit 130 before any command said what it kept."""
    caught = exc.__context__
    return isinstance(caught, typer.Exit) and isinstance(caught.__cause__, KeyboardInterrupt)


def load_commands() -> None:
    from trackwire import (commands_crawl, commands_query, commands_registry, commands_scale,  # noqa: F401
                           commands_schedule, commands_sources, commands_tools, commands_web)


def main() -> None:
    """Entry point: run the app (failures become one line in cliparse.Group); Ctrl-C and SIGTERM
    stop it cleanly with 130 or 143 (trackwire.stopping)."""
    stopping.raise_on_signals()
    stopping.die_with_parent_from_env()
    load_commands()
    app()
