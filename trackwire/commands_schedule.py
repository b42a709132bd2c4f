"""schedule and runs."""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated, Optional

import typer

from trackwire.cli import STATE, app, console, engine, store
from trackwire.errors import UserError
from trackwire.options import MAX_SECONDS, AsJson, SourceNames, limit_option, setting_default
from trackwire.views import print_runs


def plain_logging() -> None:
    """The service's log: its own lines timestamped; a run's output (tables too) as the run printed it."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("apscheduler", "alembic"):  # alembic says "Context impl ..." on every database opened
        logging.getLogger(noisy).setLevel(logging.WARNING)
    child = logging.getLogger("trackwire.scheduler.child")
    if not child.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        child.addHandler(handler)
        child.propagate = False


@app.command()
def schedule(
    cron: Annotated[Optional[str], typer.Option(metavar="EXPR", help="when to run, cron syntax",
                                                show_default=setting_default("schedule"))] = None,
    every: Annotated[Optional[int], typer.Option(min=1, max=MAX_SECONDS, metavar="SECONDS",
                                                 help="run every SECONDS instead of a cron time")] = None,
    show: Annotated[bool, typer.Option("--show", help="print the stored job, what it runs and when")] = False,
    once: Annotated[bool, typer.Option("--once", help="run the nightly job once, now, and exit")] = False,
    timeout: Annotated[Optional[int], typer.Option(min=1, max=MAX_SECONDS, metavar="S", help="seconds a run may take",
                                                   show_default=setting_default("crawl_timeout"))] = None,
    source: SourceNames = None,
) -> None:
    """Run `trackwire run` every night, in the foreground (see docs/scheduler.md for systemd and cron).

    A stored job started again with other options (--cron, --every, --source, --timeout) takes them.
    """
    from trackwire import scheduler as nightly

    from trackwire.commands_crawl import chosen_sources

    if cron is not None and every is not None:
        raise UserError("--cron and --every both say when to run: give one of them")
    if source:
        chosen_sources(None, source)  # unknown names are refused as `crawl` refuses them, before anything is stored
    plain_logging()
    s = STATE.settings
    run_args = [arg for name in source or [] for arg in ("--source", name)]
    limit = timeout or s.crawl_timeout
    try:  # a bad --cron or --every is refused whatever else was asked (--show, --once too)
        trigger = nightly.interval_trigger(every) if every else nightly.cron_trigger(cron or s.schedule)
    except nightly.ScheduleError as exc:
        raise UserError(str(exc)) from None
    if show:
        return show_jobs(nightly.show(engine()))
    if once:
        return run_once(nightly, run_args, limit)
    nightly.serve(engine(), trigger, s.db, run_args, limit)
    return None


def run_once(nightly, run_args: list[str], limit: int) -> None:
    status, reason = nightly.once(STATE.settings.db, run_args, limit)
    if status not in ("ok", "skipped"):
        raise UserError(f"nightly run {status}: {reason or 'see `trackwire runs`'}")


def show_jobs(rows) -> None:
    if not rows:
        console.print("no job stored: start `trackwire schedule` to add the nightly job")
    from trackwire.store.times import iso_utc

    for job_id, trigger, next_run, what in rows:
        when = iso_utc(next_run.replace(microsecond=0)) if next_run else "paused"  # the jitter's microseconds say nothing
        console.print(f"{job_id}: {trigger}; {what}; next run {when}")


@app.command()
def runs(limit: limit_option("runs") = 20, as_json: AsJson = False) -> None:
    """Crawl and nightly runs, newest first, with their outcome and reason."""
    rows = store(create=False).runs(limit)
    if as_json:
        console.print_json(json.dumps([r.to_json() for r in rows]))
        return
    print_runs(console, rows)
