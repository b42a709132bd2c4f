"""worker, db: running trackwire across machines (docs/scale-out.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from trackwire.cli import STATE, app, console, err, store
from trackwire.commands_crawl import ClaimSeconds, once_each
from trackwire.store.queue import CLAIM_SECONDS

db_app = typer.Typer(no_args_is_help=True, help="Database schema: status and migrations.")
app.add_typer(db_app, name="db")


@app.command()
def worker(
    until_empty: Annotated[bool, typer.Option(help="stop once nothing is left to tag")] = False,
    poll: Annotated[float, typer.Option(min=0.1, help="seconds between looks for new stories")] = 10.0,
    batch: Annotated[Optional[int], typer.Option(min=1, help="stories claimed at a time "
                                                            "[default: TRACKWIRE_TAG_BATCH]")] = None,
    claim_seconds: ClaimSeconds = CLAIM_SECONDS,
    retag: Annotated[bool, typer.Option(help="also re-tag stories tagged by an older tagger version")] = False,
) -> None:
    """Tag stories from the shared queue, on any machine that reaches the database (Ctrl-C stops cleanly)."""
    import time

    from trackwire.commands_crawl import load_nlp
    from trackwire.tagging import waiting_lines, work, worker_id

    s = store()
    nlp = load_nlp()
    name = worker_id()
    err.print(f"worker {name} started; claims expire {claim_seconds} s after its last write")
    last = [0.0]
    say = once_each()

    def progress(report) -> None:
        if time.monotonic() - last[0] >= 5:
            last[0] = time.monotonic()
            err.print(f"worker {name}: {report.tagged} tagged")

    try:
        report = work(s.engine, nlp, worker=name, version=s.tagger_version, retag=retag,
                      batch_size=batch or STATE.settings.tag_batch, claim_seconds=claim_seconds,
                      until_empty=until_empty, poll=poll, on_done=progress,
                      on_wait=lambda queue: [say(line) for line in waiting_lines(queue)])
    except KeyboardInterrupt:
        err.print(f"[yellow]worker {name} stopped[/yellow]: its unfinished claims were released")
        raise typer.Exit(130)
    console.print(f"worker {name}: tagged {report.tagged} stories"
                  + (f"; {report.given_up} went to other workers" if report.given_up else "")
                  + "".join(f"; {n} set aside ({code})" for code, n in report.untaggable.items()))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to this trackwire's schema (back up a shared database first)."""
    from trackwire.store.db import make_engine
    from trackwire.store.migrate import upgrade

    before, after = upgrade(make_engine(STATE.settings.db))
    if before == after:
        console.print(f"the database is already at revision {after}")
    else:
        console.print(f"migrated the database from revision {before or '(empty)'} to {after}")


@db_app.command("status")
def db_status() -> None:
    """Show the database's schema revision, the one this trackwire needs, and any drift from the models."""
    from trackwire.store.db import make_engine
    from trackwire.store.migrate import current, differences, head, known_revisions

    eng = make_engine(STATE.settings.db)
    with eng.connect() as conn:
        found = current(conn)
    console.print(f"database: {eng.url.render_as_string(hide_password=True)}")
    if found and found not in known_revisions():
        console.print(f"revision: {found}: made by a newer trackwire (this one knows up to {head()}); "
                      "upgrade trackwire to use it")
        return
    console.print(f"revision: {found or '(none: empty or made before migrations)'}; this trackwire needs {head()}")
    if found:
        drift = differences(eng)
        console.print("schema matches the models" if not drift else f"schema differs from the models: {drift}")
