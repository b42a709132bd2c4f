"""The `trackwire` command. Each command is a thin layer over crawler/, nlp/ and store/."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from trackwire import stopping
from trackwire.errors import explain
from trackwire.settings import Settings

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  help="Athletics news in, tagged data out: crawl, tag, store, search, export.")
console = Console()
err = Console(stderr=True)


@dataclass
class State:
    settings: Settings
    debug: bool = False


STATE = State(settings=Settings.model_construct())


@app.callback()
def main_options(
    db: Annotated[Optional[str], typer.Option(help="SQLite file or SQLAlchemy URL [env: TRACKWIRE_DB]")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks and Scrapy's log")] = False,
) -> None:
    settings = Settings()
    if db:
        settings.db = db
    STATE.settings, STATE.debug = settings, debug


def engine():
    """The engine of the store the command works on (made and migrated once per command)."""
    return store().engine


_STORE: list = []


def store():
    """The `trackwire.api.Store` every command works through, for --db / TRACKWIRE_DB."""
    from trackwire.api import Store

    if not _STORE or _STORE[0].settings is not STATE.settings:
        _STORE[:] = [Store(settings=STATE.settings)]
    return _STORE[0]


def main() -> None:
    """Entry point: run the app; known failures become one line and a non-zero exit; Ctrl-C and
    SIGTERM stop it cleanly with 130 or 143 (trackwire.stopping)."""
    stopping.raise_on_signals()
    stopping.die_with_parent_from_env()
    from trackwire import (commands_crawl, commands_query, commands_scale, commands_schedule,  # noqa: F401
                           commands_tools, commands_web)

    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        if stopping.received() is None:
            raise
        if _interrupted_unannounced(exc):
            err.print("[yellow]interrupted[/yellow]: what was already stored is kept; run the command again to finish")
        sys.exit(stopping.exit_code())
    except Exception as exc:  # noqa: BLE001  (the one place that turns failures into messages)
        message = explain(exc)
        if STATE.debug or message is None:
            traceback.print_exc()
            if message is None:
                err.print("[red]error[/red]: unexpected failure (above); please report it with the command you ran")
                sys.exit(1)
        err.print(f"[red]error[/red]: {message}")
        sys.exit(stopping.exit_code() if stopping.received() else 1)


def _interrupted_unannounced(exc: SystemExit) -> bool:
    """Whether Typer turned a Ctrl-C or SIGTERM into exit 130 before any command said what it kept."""
    caught = exc.__context__
    return isinstance(caught, typer.Exit) and isinstance(caught.__cause__, KeyboardInterrupt)


def path_arg(help_text: str):
    return Annotated[Path, typer.Argument(help=help_text)]
