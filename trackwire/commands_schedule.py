"""schedule and runs."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Optional

import typer
from trackwire.cli import STATE, app, console, engine, store
from trackwire.errors import UserError
from trackwire.views import runs_table


def plain_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@app.command()
def schedule(
    cron: Annotated[Optional[str], typer.Option(help="when to run, cron syntax [env: TRACKWIRE_SCHEDULE]")] = None,
    every: Annotated[Optional[int], typer.Option(min=1, help="run every N seconds instead of a cron time")] = None,
    show: Annotated[bool, typer.Option("--show", help="print the stored jobs and their next run times")] = False,
    once: Annotated[bool, typer.Option("--once", help="run the nightly job once, now, and exit")] = False,
    timeout: Annotated[Optional[int], typer.Option(min=1, help="seconds a run may take [env: TRACKWIRE_CRAWL_TIMEOUT]")] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="crawl only this source (repeatable)")] = None,
) -> None:
    """Run `trackwire run` every night, in the foreground (see docs/scheduler.md for systemd and cron)."""
    from trackwire import scheduler as nightly

    plain_logging()
    s = STATE.settings
    run_args = [arg for name in source or [] for arg in ("--source", name)]
    limit = timeout or s.crawl_timeout
    if show:
        rows = nightly.show(engine())
        if not rows:
            console.print("no job stored: start `trackwire schedule` to add the nightly job")
        for job_id, trigger, next_run in rows:
            console.print(f"{job_id}: {trigger}; next run {next_run or 'paused'}")
        return
    if once:
        status = nightly.once(s.db, run_args, limit)
        if status not in ("ok", "skipped"):
            raise UserError(f"nightly run {status}: see `trackwire runs` for the reason")
        return
    try:
        trigger = nightly.interval_trigger(every) if every else nightly.cron_trigger(cron or s.schedule)
    except nightly.ScheduleError as exc:
        raise UserError(str(exc)) from None
    nightly.serve(engine(), trigger, s.db, run_args, limit)


@app.command()
def runs(
    limit: Annotated[int, typer.Option(min=1, help="how many runs")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Crawl and nightly runs, newest first, with their outcome and reason."""
    rows = store().runs(limit)
    if as_json:
        console.print_json(json.dumps([r.to_json() for r in rows]))
        return
    console.print(runs_table(rows))
