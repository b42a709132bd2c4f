"""worker, db: running trackwire across machines (docs/scale-out.md)."""

from __future__ import annotations

import time
from typing import Annotated, Optional

import typer
from rich.text import Text

from trackwire import stopping
from trackwire.cli import STATE, app, console, err, store
from trackwire.commands_crawl import ClaimSeconds, once_each
from trackwire.options import MAX_SECONDS, Retag, setting_default
from trackwire.store.queue import CLAIM_SECONDS
from trackwire.views import plural

db_app = typer.Typer(no_args_is_help=True, help="Database schema: status and migrations.")
app.add_typer(db_app, name="db")


@app.command()
def worker(
    until_empty: Annotated[bool, typer.Option("--until-empty", help="stop once nothing is left to tag")] = False,
    poll: Annotated[float, typer.Option(min=0.1, max=MAX_SECONDS, metavar="S",
                                        help="seconds between looks for new stories")] = 10.0,
    batch: Annotated[Optional[int], typer.Option(min=1, max=10_000, metavar="N", help="stories claimed at a time",
                                                 show_default=setting_default("tag_batch"))] = None,
    claim_seconds: ClaimSeconds = CLAIM_SECONDS,
    retag: Retag = False,
) -> None:
    """Tag stories from the shared queue, on any machine that reaches the database (Ctrl-C stops cleanly)."""
    from trackwire.commands_crawl import load_nlp
    from trackwire.tagging import waiting_lines, work, worker_id

    s = store()
    nlp = load_nlp()
    name = worker_id()
    err.print(f"worker {name} started; claims expire {claim_seconds} s after its last write")
    say = once_each()
    try:
        report = work(s.engine, nlp, worker=name, version=s.tagger_version, retag=retag,
                      batch_size=batch or STATE.settings.tag_batch, claim_seconds=claim_seconds,
                      until_empty=until_empty, poll=poll, on_done=progress(name),
                      on_wait=lambda queue: [say(line) for line in waiting_lines(queue)])
    except KeyboardInterrupt:
        err.print(Text.assemble((f"worker {name} stopped", "yellow"), ": its unfinished claims were released"))
        raise typer.Exit(stopping.exit_code())
    console.print(f"worker {name}: tagged {plural(report.tagged, 'story', 'stories')} in all"
                  + (f"; {report.given_up} went to other workers" if report.given_up else "")
                  + "".join(f"; {n} set aside ({code})" for code, n in report.untaggable.items()))


def progress(name: str):
    """What a worker prints as it goes: a running total, every 5 s at most (the first after 5 s)."""
    last = [time.monotonic()]

    def show(report) -> None:
        if time.monotonic() - last[0] >= 5:
            last[0] = time.monotonic()
            err.print(f"worker {name}: {plural(report.tagged, 'story', 'stories')} tagged so far")

    return show


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to this trackwire's schema (back up a shared database first)."""
    from trackwire.store.db import make_engine
    from trackwire.store.migrate import upgrade

    eng = make_engine(STATE.settings.db)
    try:
        before, after = upgrade(eng)
    finally:  # a refused upgrade leaves no connection open either
        eng.dispose()
    if before == after:
        console.print(f"the database is already at revision {after}")
    else:
        console.print(f"migrated the database from revision {before or '(empty)'} to {after}")


@db_app.command("status")
def db_status() -> None:
    """Show the database's schema revision, the one this trackwire needs, and any drift from the models."""
    from trackwire.store.db import make_engine
    from trackwire.store.migrate import current, head

    eng = make_engine(STATE.settings.db, must_exist=True)
    try:
        with eng.connect() as conn:
            found = current(conn)
        _describe(eng, found, head())
    finally:
        eng.dispose()


def _describe(eng, found: str | None, needed: str) -> None:
    from trackwire.store.migrate import differences, known_revisions

    console.print(f"database: {eng.url.render_as_string(hide_password=True)}")
    if found and found not in known_revisions():
        console.print(f"revision: {found}: made by a newer trackwire (this one knows up to {needed}); "
                      "upgrade trackwire to use it")
        return
    console.print(f"revision: {found or '(none: empty or made before migrations)'}; this trackwire needs {needed}")
    if found != needed:
        console.print("run `trackwire db upgrade` to bring it to this schema" +
                      (" (back it up first if other machines share it)" if found else ""))
    else:
        drift = differences(eng)
        console.print("schema matches the models" if not drift else f"schema differs from the models: {drift}")
