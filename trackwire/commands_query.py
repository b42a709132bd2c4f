"""search, athlete, export: thin over `trackwire.api.Store`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from trackwire.cli import app, console, err, store
from trackwire.options import (AsJson, Athletes, Event, HasQuotes, OnePerCluster, Since, Source, Until, one_source,
                               limit_option)
from trackwire.views import plural, print_candidates, print_hits, print_profile


def print_json(data) -> None:
    console.print_json(json.dumps(data))


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="words to find, e.g. 'world record'")],
    athlete: Athletes = None, event: Event = None, source: Source = None, since: Since = None,
    until: Until = None, has_quotes: HasQuotes = False, one_per_cluster: OnePerCluster = False,
    limit: limit_option("stories") = 20, as_json: AsJson = False,
) -> None:
    """Full-text search over titles and texts, best matches first, with the structured filters.

    Web-search syntax: words, "quoted phrases", `or` between alternatives, -word to leave out
    stories with that word. Case, accents and possessives ('s) do not matter.
    """
    hits = store(create=False).search(query, athletes=athlete or [], event=event, source=one_source(source),
                                      since=since, until=until, has_quotes=has_quotes,
                                      one_per_cluster=one_per_cluster, limit=limit)
    if as_json:
        print_json([h.to_json() for h in hits])
    else:
        print_hits(console, hits)


@app.command()
def athlete(
    name: Annotated[str, typer.Argument(metavar="NAME", help="full name, surname, any case or accents")],
    since: Since = None, until: Until = None, as_json: AsJson = False,
) -> None:
    """Stories about an athlete, newest first, with what they said and what they ran."""
    from trackwire.api import AmbiguousAthlete

    try:
        profile = store(create=False).athlete(name, since=since, until=until)
    except AmbiguousAthlete as many:
        if as_json:
            print_json({"ambiguous": name, "candidates": [c.to_json() for c in many.candidates]})
        else:
            print_candidates(console, name, many.candidates)
        return
    if as_json:
        print_json(profile.to_json())
    else:
        print_profile(console, profile, dated=since is not None or until is not None)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                        help="jsonl, spacy, iob, csv, parquet, doccano or labelstudio")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option(
        metavar="PATH", help="output file (a folder for csv, parquet and spacy); - for standard output "
                             "(jsonl, iob, doccano, labelstudio; no manifest)",
        show_default="trackwire-export.FORMAT, a folder trackwire-export-FORMAT for csv, parquet and spacy")] = None,
    athlete: Athletes = None, event: Event = None, source: Source = None, since: Since = None,
    until: Until = None, has_quotes: HasQuotes = False, one_per_cluster: OnePerCluster = False,
    tagged_only: Annotated[bool, typer.Option("--tagged-only", help="leave out stories not tagged yet")] = False,
) -> None:
    """Write the tagged corpus, with a manifest beside it (see docs/export.md)."""
    filters = dict(athletes=athlete or [], event=event, source=one_source(source), since=since, until=until,
                   has_quotes=has_quotes, one_per_cluster=one_per_cluster, tagged_only=tagged_only)
    from trackwire.api import Store

    fmt, out = Store.check_export(format, out)  # a bad format or path is refused before the store is opened
    s = store(create=False)
    total = s.count(**filters)
    columns = (TextColumn(f"exporting {format.lower()}", markup=False), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        task = progress.add_task("export", total=total)
        report = s.export(fmt, out, on_record=lambda: progress.advance(task), **filters)
    if report.manifest is None:  # the stories went to standard output: it carries them alone
        err.print(f"wrote {plural(report.stories, 'story', 'stories')} to standard output")
    else:
        console.print(f"wrote {plural(report.stories, 'story', 'stories')} to {out}")
