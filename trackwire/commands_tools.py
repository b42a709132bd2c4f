"""demo and eval."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

import trackwire
from trackwire import stopping
from trackwire.cli import STATE, app, console, err
from trackwire.errors import UserError
from trackwire.options import Since, Until
from trackwire.views import plural


PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY")


@app.command()
def demo() -> None:
    """The whole job offline: serve the bundled news site, crawl it, tag it, show what came out."""
    from trackwire.crawler.demo_site import DemoSite
    from trackwire.cli import store
    from trackwire.commands_crawl import do_crawl, do_tag

    with DemoSite(stable=True) as site, tempfile.TemporaryDirectory() as tmp, through_proxy(site.proxy):
        sources = Path(tmp) / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        STATE.settings.download_delay = 0.0
        err.print(f"serving the demo site {site.base} from {site.proxy}")
        do_crawl(sources, [], None)
    do_tag(False, 1)
    summarise([s.to_json() for s in store().stories(tagged_only=True)])


@contextmanager
def through_proxy(proxy: str) -> Iterator[None]:
    """HTTP requests of this process go through `proxy` (Scrapy reads http_proxy when a crawl starts)."""
    saved = {k: os.environ.get(k) for k in PROXY_VARIABLES}
    os.environ.update({"http_proxy": proxy, "HTTP_PROXY": proxy, "no_proxy": "", "NO_PROXY": ""})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def summarise(records: list[dict]) -> None:
    counts: dict[str, int] = {}
    for r in records:
        for a in r["athletes"]:
            counts[a["name"]] = counts.get(a["name"], 0) + 1
    table = Table(title=f"{len(records)} stories stored and tagged: most mentioned athletes")
    table.add_column("athlete")
    table.add_column("stories", justify="right")
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        table.add_row(name, str(n))
    console.print(table)
    quote = next((q for r in records for q in r["quotes"] if q["speaker"]), None)
    if quote:
        console.print(f"A quote: “{quote['text']}” — {quote['speaker']}")
    top = max(counts, key=counts.get) if counts else "Kerr"
    console.print(Text.assemble("Next, try: ", (runnable("athlete", top.split()[-1]), "bold"), "  or  ",
                                (runnable("search", "world record"), "bold")))
    console.print(Text.assemble("See it all in a web browser: ", (runnable("serve"), "bold"),
                                ", then open http://127.0.0.1:8000/"))


def runnable(*args: str) -> str:
    """A trackwire command line that works pasted as printed: `trackwire` where that name runs this
    very trackwire, else the path of this environment's script; with --db (first, as the README
    writes it) unless the store is the default."""
    import shlex
    import shutil
    import sys

    script = Path(sys.executable).parent / "trackwire"
    found = shutil.which("trackwire")
    if found and script.exists() and os.path.samefile(found, script):
        program = ["trackwire"]
    elif script.exists():  # absolute, as the README promises: it runs from any folder
        program = [str(script.absolute())]
    else:
        program = [sys.executable, "-m", "trackwire"]
    db = STATE.settings.db
    where = ["--db", db] if Path(db).expanduser().resolve() != Path("trackwire.db").resolve() else []
    return shlex.join([*program, *where, *args])


@app.command(name="eval")
def evaluate_cmd(
    gold: Annotated[Path, typer.Argument(metavar="GOLD.jsonl", help="gold JSONL in the tagging guide's format")],
    baseline: Annotated[bool, typer.Option("--baseline", help="also score the stock model alone, in the same run")
                        ] = False,
    errors: Annotated[Optional[Path], typer.Option(metavar="FILE", help="write every error, one a line, to this file")
                      ] = None,
) -> None:
    """Score the tagger against hand-annotated articles (the tagging guide's measures)."""
    from trackwire.evaluation import (baseline_predictions, check_errors_file, read_gold, score_table,
                                      trackwire_predictions)

    if errors:
        check_errors_file(errors)  # before any work: scoring takes minutes
    rows = read_gold(gold)
    imported = imported_athletes()
    if imported:
        console.print(f"with the {plural(len(imported), 'athlete')} imported into {STATE.settings.db} "
                      "(trackwire registry list)")
    runs = {"trackwire": trackwire_predictions(rows, STATE.settings.spacy_model, imported)}
    if baseline:
        runs["stock model"] = baseline_predictions(rows, STATE.settings.spacy_model)
    table, problems = score_table(rows, runs)
    console.print(table)
    if errors:
        from trackwire.nlp.evaluate import HEADER

        errors.write_text("\n".join([HEADER, *problems]) + "\n", encoding="utf-8")
        console.print(f"{len(problems)} errors written to {errors}")


def imported_athletes() -> list:
    """The athletes imported into the store --db names, if that store exists: eval tags as the
    store's taggers do. A store that does not exist yet is not made for it: eval runs with none,
    unless --db named it on the command line (a misspelt --db is refused in one line)."""
    from trackwire.store.db import DatabaseError, no_store
    from trackwire.store.migrate import SchemaError

    db = STATE.settings.db
    if "://" not in db and not Path(db).expanduser().is_file():
        if STATE.db_given:
            raise UserError(no_store(db))
        return []
    try:
        with trackwire.open(db, settings=STATE.settings, read_only=True) as store:
            from trackwire.tagging import imported_athletes as rows

            return rows(store.engine)
    except (DatabaseError, SchemaError):
        return []


@app.command()
def reextract(
    source: Annotated[Optional[list[str]], typer.Option("--source", metavar="NAME",
                                                        help="only this source's stories (repeatable)")] = None,
    since: Since = None,
    until: Until = None,
    sources: Annotated[Optional[Path], typer.Option(
        "--sources", metavar="FILE", help="sources file (TOML), for selectors and time zones",
        show_default="TRACKWIRE_SOURCES, else the packaged one")] = None,
) -> None:
    """Extract the stored pages again with today's extraction; update the stories that changed.

    A story keeps its key and source; a changed text loses its tags and is tagged again by the
    next `trackwire tag`. Ctrl-C stops it: what was updated stays.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from trackwire.cli import store
    from trackwire.commands_crawl import chosen_sources

    registry = {s.name: s for s in chosen_sources(sources, [])}
    columns = (TextColumn("re-extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        task = progress.add_task("reextract", total=None)
        report = store().reextract(sources=tuple(source or ()), since=since, until=until, registry=registry,
                                   on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    failed = ", ".join(f"{k} {v}" for k, v in sorted(report.failed.items(), key=lambda kv: -kv[1]))
    console.print(f"re-extracted {report.done} of {report.total} stored pages: {report.updated} updated "
                  f"({report.requeued} queued for tagging), {report.unchanged} unchanged, "
                  f"{sum(report.failed.values())} failed" + (f" ({failed})" if failed else ""))
    if report.interrupted:
        err.print(Text.assemble(("re-extraction interrupted", "yellow"),
                                ": the stories updated so far are kept; run it again"))
        raise typer.Exit(stopping.exit_code())
