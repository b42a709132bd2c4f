"""sources list, sources check."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from trackwire import stopping
from trackwire.cli import app, console, err
from trackwire.commands_crawl import chosen_sources, crawl_settings
from trackwire.errors import UserError
from trackwire.options import SourcesFile
from trackwire.views import plural
from trackwire.views_crawl import print_check

sources_app = typer.Typer(no_args_is_help=True, help="The publishers trackwire crawls: list them, check them.")
app.add_typer(sources_app, name="sources")


@sources_app.command("list")
def sources_list(sources: SourcesFile = None) -> None:
    """The sources and their entry points."""
    table = Table()
    for col in ("name", "entry points", "notes"):
        table.add_column(col)
    for src in chosen_sources(sources, []):
        notes = [f"topic: {src.topic}"] if src.topic else []
        notes += [f"selectors: {', '.join(src.selectors)}"] if src.selectors else []
        table.add_row(src.name, "\n".join(src.feeds + src.sitemaps), "; ".join(notes))
    console.print(table)


@sources_app.command("check")
def sources_check(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[NAME]...",
                                                         help="sources to check (default: all)")] = None,
    sources: SourcesFile = None,
) -> None:
    """Fetch each source's entry points and one article; exit 1 if a source is broken.

    The canary to run after a site redesign: reachable entry points, article links
    found, and the article's title, date, author and the start of its body as extracted.
    """
    from trackwire.crawler.check import Interrupted, check_sources

    chosen = chosen_sources(sources, names or [])
    err.print(f"checking {plural(len(chosen), 'source')}: {', '.join(x.name for x in chosen)}")
    try:
        results = check_sources(chosen, crawl_settings())
    except Interrupted:
        err.print(Text.assemble(("check interrupted", "yellow"), ": no source judged; run it again to the end"))
        raise typer.Exit(stopping.exit_code()) from None
    print_check(console, results)
    for r in results:
        for problem in r.problems:
            err.print(Text.assemble((r.name, "red"), f": {problem}"))
    broken = [r.name for r in results if r.status == "broken"]
    if broken:
        raise UserError(f"{plural(len(broken), 'source')} broken: {', '.join(broken)}; see the problems above, "
                        "then fix their entry points, patterns or selectors in the sources file")
