"""Options shared by several commands, each with the metavar the README writes it with
(`--max-articles N`, `--since D`) and a bound on every number, so a wild value is one
line naming the option, never a traceback from deep inside."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from trackwire.limits import MAX_COUNT, MAX_LIMIT, MAX_SECONDS, MAX_WORKERS  # noqa: F401  (re-exported)
from trackwire.settings import Settings


def setting_default(name: str) -> str:
    """How help shows a default read from a TRACKWIRE_* setting: the variable, else the built-in value."""
    return f"TRACKWIRE_{name.upper()}, else {Settings.model_fields[name].default}"


Athletes = Annotated[Optional[list[str]], typer.Option("--athlete", metavar="NAME",
                                                       help="only stories about this athlete (repeatable)")]
Event = Annotated[Optional[str], typer.Option(metavar="CODE", help="only stories naming this event code, e.g. 1500m")]
Source = Annotated[Optional[list[str]], typer.Option(metavar="NAME", help="only stories from this source (one)")]


def one_source(source: list[str] | None) -> str | None:
    """The one --source given; UserError when it is given more than once (a filter takes one source)."""
    from trackwire.errors import UserError

    if source and len(set(source)) > 1:
        raise UserError(f"--source takes one source at a time (given {', '.join(source)}): run once per source")
    return source[0] if source else None
Since = Annotated[Optional[str], typer.Option(metavar="D", help="published on or after D (YYYY-MM-DD)")]
Until = Annotated[Optional[str], typer.Option(metavar="D", help="published before D (YYYY-MM-DD)")]
HasQuotes = Annotated[bool, typer.Option("--has-quotes", help="only stories with quotes")]
OnePerCluster = Annotated[bool, typer.Option("--one-per-cluster", help="leave out near-duplicates of an earlier story")]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON (docs/json.md)")]

SourcesFile = Annotated[Optional[Path], typer.Option(
    "--sources", metavar="FILE", help="sources file (TOML)", show_default="TRACKWIRE_SOURCES, else the packaged one")]
SourceNames = Annotated[Optional[list[str]], typer.Option("--source", metavar="NAME",
                                                          help="crawl only this source (repeatable)")]
MaxArticles = Annotated[Optional[int], typer.Option(min=1, max=MAX_COUNT, metavar="N",
                                                    help="fetch at most N article pages")]
Workers = Annotated[int, typer.Option(min=1, max=MAX_WORKERS, metavar="N", help="tagging processes")]
Retag = Annotated[bool, typer.Option("--retag", help="also re-tag stories tagged by an older tagger version")]


def limit_option(what: str):
    return Annotated[int, typer.Option(min=1, max=MAX_LIMIT, metavar="N", help=f"at most N {what}")]
