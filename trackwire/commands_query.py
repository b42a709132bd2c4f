"""search, athlete, export."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from trackwire.cli import app, console, engine, err
from trackwire.errors import UserError
from trackwire.views import hit_json, hits_table, print_profile, profile_json


def parse_day(value: Optional[str], option: str) -> Optional[datetime]:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def resolve_athlete(session, name: str):
    from trackwire.store.search import find_athletes, suggest

    found = find_athletes(session, name)
    if not found:
        near = suggest(session, name)
        hint = f"; did you mean {', '.join(near)}?" if near else "; run `trackwire tag` if stories are untagged"
        raise UserError(f"no athlete called {name!r} in the store{hint}")
    return found


def build_filters(session, *, athletes: list[str], event: Optional[str], source: Optional[str],
                  since: Optional[str], until: Optional[str], has_quotes: bool, tagged_only: bool = False,
                  one_per_cluster: bool = False):
    from trackwire.store.filters import StoryFilter

    ids = tuple(resolve_athlete(session, name)[0].id for name in athletes)
    described = {k: v for k, v in {"athlete": athletes or None, "event": event, "source": source, "since": since,
                                   "until": until, "has_quotes": has_quotes or None,
                                   "tagged_only": tagged_only or None,
                                   "one_per_cluster": one_per_cluster or None}.items() if v}
    return StoryFilter(athlete_ids=ids, event=event, source=source, since=parse_day(since, "--since"),
                       until=parse_day(until, "--until"), has_quotes=has_quotes, tagged_only=tagged_only,
                       one_per_cluster=one_per_cluster, described=described)


Athletes = Annotated[Optional[list[str]], typer.Option("--athlete", help="only stories about this athlete (repeatable)")]
Event = Annotated[Optional[str], typer.Option(help="only stories naming this event code, e.g. 1500m")]
Source = Annotated[Optional[str], typer.Option(help="only stories from this source")]
Since = Annotated[Optional[str], typer.Option(help="published on or after YYYY-MM-DD")]
Until = Annotated[Optional[str], typer.Option(help="published before YYYY-MM-DD")]
HasQuotes = Annotated[bool, typer.Option("--has-quotes", help="only stories with quotes")]
OnePerCluster = Annotated[bool, typer.Option("--one-per-cluster", help="leave out near-duplicates of an earlier story")]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="words to find, e.g. 'world record'")],
    athlete: Athletes = None, event: Event = None, source: Source = None, since: Since = None,
    until: Until = None, has_quotes: HasQuotes = False, one_per_cluster: OnePerCluster = False,
    limit: Annotated[int, typer.Option(min=1, help="at most N stories")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Full-text search over titles and texts, best matches first, with the structured filters."""
    from trackwire.store.db import read_session
    from trackwire.store.search import search as run_search

    with read_session(engine()) as session:
        filters = build_filters(session, athletes=athlete or [], event=event, source=source, since=since,
                                until=until, has_quotes=has_quotes, one_per_cluster=one_per_cluster)
        hits = run_search(session, query, filters=filters, limit=limit)
    if as_json:
        console.print_json(json.dumps([hit_json(h) for h in hits]))
    else:
        console.print(hits_table(hits))


@app.command()
def athlete(
    name: Annotated[str, typer.Argument(help="full name, surname, any case or accents")],
    since: Since = None, until: Until = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Stories about an athlete, newest first, with what they said and what they ran."""
    from trackwire.store.db import read_session
    from trackwire.store.search import athlete_profile

    with read_session(engine()) as session:
        found = resolve_athlete(session, name)
        if len(found) > 1:
            show_candidates(name, found, as_json)
            return
        profile = athlete_profile(session, found[0], since=parse_day(since, "--since"),
                                  until=parse_day(until, "--until"))
    if as_json:
        console.print_json(json.dumps(profile_json(profile)))
    else:
        print_profile(console, profile)


def show_candidates(name: str, found, as_json: bool) -> None:
    rows = [{"name": a.name, "country": a.country, "events": (a.events or "").split(",") if a.events else [],
             "birth_year": a.birth_year} for a in found]
    if as_json:
        console.print_json(json.dumps({"ambiguous": name, "candidates": rows}))
        return
    from rich.table import Table

    table = Table(title=f"{name!r} could be any of these: give the full name")
    for col in ("name", "country", "born", "events"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["country"] or "", str(r["birth_year"] or ""), ", ".join(r["events"]))
    console.print(table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="jsonl, spacy, iob, csv, parquet, doccano or labelstudio")] = "jsonl",
    out: Annotated[Path, typer.Option(help="output file (a folder for csv and parquet)")] = Path("trackwire.jsonl"),
    athlete: Athletes = None, event: Event = None, source: Source = None, since: Since = None,
    until: Until = None, has_quotes: HasQuotes = False, one_per_cluster: OnePerCluster = False,
    tagged_only: Annotated[bool, typer.Option(help="leave out stories not tagged yet")] = False,
) -> None:
    """Write the tagged corpus, with a manifest beside it (see docs/export.md)."""
    from trackwire.store.db import read_session
    from trackwire.store.export import check_target, count_stories
    from trackwire.exporting import export as run_export

    check_target(format, out)
    eng = engine()
    with read_session(eng) as session:
        filters = build_filters(session, athletes=athlete or [], event=event, source=source, since=since,
                                until=until, has_quotes=has_quotes, tagged_only=tagged_only,
                                one_per_cluster=one_per_cluster)
        total = count_stories(session, filters)
    columns = (TextColumn(f"exporting {format}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        task = progress.add_task("export", total=total)
        n = run_export(eng, format, out, filters, on_record=lambda: progress.advance(task))
    console.print(f"wrote {n} stories to {out}")
