"""search, athlete, export."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

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
    from store.search import find_athletes, suggest

    found = find_athletes(session, name)
    if not found:
        near = suggest(session, name)
        hint = f"; did you mean {', '.join(near)}?" if near else "; run `trackwire tag` if stories are untagged"
        raise UserError(f"no athlete called {name!r} in the store{hint}")
    return found


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="words to find, e.g. 'world record'")],
    athlete: Annotated[Optional[list[str]], typer.Option(help="only stories about this athlete (repeatable)")] = None,
    since: Annotated[Optional[str], typer.Option(help="published on or after YYYY-MM-DD")] = None,
    until: Annotated[Optional[str], typer.Option(help="published before YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option(min=1, help="at most N stories")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Full-text search over titles and texts, best matches first."""
    from store.db import read_session
    from store.search import search as run_search

    with read_session(engine()) as session:
        ids = []
        for name in athlete or []:
            found = resolve_athlete(session, name)
            ids.append(found[0].id)
        hits = run_search(session, query, athlete_ids=ids, since=parse_day(since, "--since"),
                          until=parse_day(until, "--until"), limit=limit)
    if as_json:
        console.print_json(json.dumps([hit_json(h) for h in hits]))
    else:
        console.print(hits_table(hits))


@app.command()
def athlete(
    name: Annotated[str, typer.Argument(help="full name, surname, any case or accents")],
    since: Annotated[Optional[str], typer.Option(help="published on or after YYYY-MM-DD")] = None,
    until: Annotated[Optional[str], typer.Option(help="published before YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Stories about an athlete, newest first, with what they said and what they ran."""
    from store.db import read_session
    from store.search import athlete_profile

    with read_session(engine()) as session:
        found = resolve_athlete(session, name)
        if len(found) > 1 and not as_json:
            others = ", ".join(a.name for a in found[1:6])
            err.print(f"[yellow]{name!r} is ambiguous[/yellow]: showing {found[0].name}; also {others}")
        profile = athlete_profile(session, found[0], since=parse_day(since, "--since"),
                                  until=parse_day(until, "--until"))
    if as_json:
        console.print_json(json.dumps(profile_json(profile)))
    else:
        print_profile(console, profile)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    out: Annotated[Path, typer.Option(help="output file")] = Path("trackwire.jsonl"),
    tagged_only: Annotated[bool, typer.Option(help="leave out stories not tagged yet")] = False,
) -> None:
    """Write the tagged corpus (see docs/export.md for the JSONL contract)."""
    from store.db import read_session
    from store.export import check_target, story_records, write_jsonl

    check_target(format, out)
    with read_session(engine()) as session:
        with Progress(SpinnerColumn(), TextColumn("{task.completed} stories"), console=err,
                      disable=not err.is_terminal) as progress:
            task = progress.add_task("export")

            def counted():
                for record in story_records(session, tagged_only=tagged_only):
                    progress.advance(task)
                    yield record

            n = write_jsonl(counted(), out)
    console.print(f"wrote {n} stories to {out}")
