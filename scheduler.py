"""Nightly runs, unattended: APScheduler 3.x with its jobs stored in the trackwire database.

The service starts paused, adds the nightly job only when none is stored
(re-adding with replace_existing=True would throw the stored next run time
away, and a night missed while the service was down would never be caught
up), then resumes. A missed night runs once on start (coalesce=True) if it
is within `misfire_grace_time` (6 hours; APScheduler's default of one second
silently skips a late run), otherwise it is recorded as missed.

Each run is `trackwire run` in a child process in its own process group
(Scrapy's reactor cannot restart inside one process), with a time limit.
SIGTERM or Ctrl-C to the service is forwarded to the running child as SIGINT
(Scrapy's clean shutdown); the service waits for it, then exits.

If the service is killed outright (SIGKILL, OOM killer), the child gets
SIGHUP from the kernel (trackwire.stopping: PR_SET_PDEATHSIG) and stops as
cleanly as it would for Ctrl-C. The child inherits the run lock's descriptor,
so a restarted service finds the lock held until the child is gone, and
records its own run as skipped instead of crawling alongside it. Records left
`running` by processes that are gone are closed as `interrupted` when the
service starts and before each run (store.runs.close_gone_runs).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from trackwire import stopping
from trackwire.stopping import PARENT_ENV

JOB_ID = "trackwire-nightly"
SKIPPED = "another nightly run was still going"
GRACE = int(timedelta(hours=6).total_seconds())
STOP_WAIT = 120  # seconds a child gets to stop cleanly before it is killed; more when TRACKWIRE_STOP_GRACE asks
log = logging.getLogger("trackwire.scheduler")
child_log = logging.getLogger("trackwire.scheduler.child")  # the child's own output, line for line

_child_lock = threading.Lock()
_child: subprocess.Popen | None = None


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says how to write it."""


def cron_trigger(expr: str, jitter: int = 600) -> CronTrigger:
    """A cron trigger from "minute hour day month weekday", run up to `jitter` seconds late.

    Weekdays are APScheduler 3's: 0 is Monday; names (mon-fri) are clearer.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ScheduleError(f"schedule {expr!r} needs five cron fields: minute hour day month weekday, "
                            f"e.g. '30 2 * * *'")
    try:
        return CronTrigger(minute=fields[0], hour=fields[1], day=fields[2], month=fields[3],
                           day_of_week=fields[4], jitter=jitter or None)
    except ValueError as exc:
        raise ScheduleError(f"schedule {expr!r}: {exc}") from None


def interval_trigger(seconds: int) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds)


class _Scheduler(BackgroundScheduler):
    """APScheduler 3 processes due jobs once more after shutdown() has stopped it: a run due at that
    moment fails to submit and its stored next run time moves on, so the run is lost. Not here."""

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


def build_scheduler(engine) -> BackgroundScheduler:
    """A scheduler whose job store is the trackwire database (writes take the lock up front)."""
    store = SQLAlchemyJobStore(engine=engine.execution_options(trackwire_write=True), tablename="scheduler_job")
    scheduler = _Scheduler(
        jobstores={"default": store}, executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": GRACE})
    scheduler.add_listener(lambda event: _on_missed(engine, event), EVENT_JOB_MISSED)
    scheduler.add_listener(lambda event: log.error("nightly run raised %r", event.exception), EVENT_JOB_ERROR)
    return scheduler


def start(scheduler: BackgroundScheduler, trigger, db: str, run_args: list[str], timeout: int):
    """Start paused; add the nightly job only if none is stored (keeping its next run time); resume.
    A stored job given another trigger, other `trackwire run` arguments or another time limit takes them."""
    scheduler.start(paused=True)
    args = [db, list(run_args), timeout]
    job = scheduler.get_job(JOB_ID)
    if job is None:
        scheduler.add_job(nightly_job, trigger, id=JOB_ID, name="trackwire nightly run", args=args)
        log.info("nightly job added: %s; %s", trigger, describe(args))
    else:
        changed = []
        if str(job.trigger) != str(trigger):
            scheduler.reschedule_job(JOB_ID, trigger=trigger)
            changed.append(f"now {trigger}")
        if list(job.args) != args:
            scheduler.modify_job(JOB_ID, args=args)
            changed.append(f"was {describe(job.args)}, now {describe(args)}")
        if changed:
            log.info("schedule changed: %s", "; ".join(changed))
        else:
            log.info("nightly job found in the store: next run %s", job.next_run_time)
    scheduler.resume()
    return scheduler.get_job(JOB_ID)


def describe(args) -> str:
    """A job's arguments as a person reads them: the command it runs and its time limit."""
    _db, run_args, timeout = args
    return f"runs `trackwire run{''.join(' ' + a for a in run_args)}` with a {timeout} s time limit"


def serve(engine, trigger, db: str, run_args: list[str], timeout: int) -> None:
    """Run the service in the foreground until SIGTERM or Ctrl-C."""
    stop = threading.Event()
    _on_signals(stop)
    _close_gone_runs(engine)
    scheduler = build_scheduler(engine)
    job = start(scheduler, trigger, db, run_args, timeout)
    log.info("scheduler running; next run %s", job.next_run_time)
    while not stop.wait(1.0):
        pass
    log.info("stopping: waiting for a running crawl to finish cleanly")
    scheduler.shutdown(wait=True)
    log.info("scheduler stopped")


def once(db: str, run_args: list[str], timeout: int) -> tuple[str, str | None]:
    """The nightly job, now, through the same code path; Ctrl-C/SIGTERM stop the child cleanly.
    Returns the run's status and its reason."""
    _on_signals(threading.Event())
    return nightly_run(db, run_args, timeout)


def _on_signals(stop: threading.Event) -> None:
    def handler(signum, _frame):
        log.warning("received %s", signal.Signals(signum).name)
        stopping.note(signum)
        stop.set()
        interrupt_child()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def interrupt_child() -> None:
    with _child_lock:
        if _child is not None and _child.poll() is None:
            os.killpg(_child.pid, signal.SIGINT)


def nightly_job(db: str, run_args: list[str], timeout: int) -> str:
    """One nightly run (`trackwire run` in a child process), recorded with its outcome; its status.
    The scheduler stores jobs by this name: keep it."""
    return nightly_run(db, run_args, timeout)[0]


def nightly_run(db: str, run_args: list[str], timeout: int) -> tuple[str, str | None]:
    """One nightly run, recorded; its status and the reason for it."""
    from trackwire.store.db import init_db, make_engine

    engine = make_engine(db)
    init_db(engine)
    try:
        with run_lock(db) as lock:
            if not lock:
                log.warning("skipped: another nightly run is still going")
                _close_run(engine, _open_run(engine), "skipped", [SKIPPED])
                return "skipped", SKIPPED
            _close_gone_runs(engine)
            run_id = _open_run(engine)
            status, reason = _run_child(db, run_args, timeout, lock)
            _close_run(engine, run_id, status, [reason] if reason else [])
            log.info("nightly run %s: %s%s", run_id, status, f" ({reason})" if reason else "")
            return status, reason
    finally:
        engine.dispose()


def _run_child(db: str, run_args: list[str], timeout: int, lock) -> tuple[str, str | None]:
    """`trackwire run` in its own session, dying with this process, holding the run lock too."""
    global _child
    cmd = [sys.executable, "-m", "trackwire", "--db", db, "run", *run_args]
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    with _child_lock:
        _child = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, env=env, pass_fds=(lock.fileno(),))
    log.info("started: trackwire run %s (pid %d)", " ".join(run_args), _child.pid)
    last = _relay(_child)
    try:
        code = _child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(_child)
        return "timeout", f"stopped after the {timeout} s time limit"
    finally:
        last.join(timeout=5)
        _child.stdout.close()
    if code == 0:
        return "ok", None
    if code in (129, 130, 143, -signal.SIGHUP, -signal.SIGINT, -signal.SIGTERM):
        return "interrupted", "stopped by a signal; what was stored is kept"
    return "failed", (getattr(last, "last_line", "") or f"exit code {code}").removeprefix("error: ")


def _relay(child: subprocess.Popen) -> threading.Thread:
    """Copy the child's output to the `trackwire.scheduler.child` log as it comes, keeping its last
    line (the error, if it failed). The CLI prints that log's lines as they are, tables included."""
    def pump():
        for line in child.stdout:
            line = line.rstrip()
            if line:
                child_log.info("%s", line)
                thread.last_line = line

    thread = threading.Thread(target=pump, daemon=True)
    thread.last_line = ""
    thread.start()
    return thread


def _stop(child: subprocess.Popen) -> None:
    """Ask the child to stop (SIGINT) and wait for it: STOP_WAIT seconds, or the crawl's stop grace
    and half a minute more to record the run, whichever is longer; then kill it."""
    from trackwire.settings import load_settings

    os.killpg(child.pid, signal.SIGINT)
    try:
        child.wait(timeout=max(STOP_WAIT, load_settings().stop_grace + 30))
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def lock_path(db: str) -> Path:
    """Where the run lock of `db` lives: beside an SQLite store (`news/trackwire.db` →
    `news/trackwire.db.nightly.lock`, so it goes where the store goes); for a server database, in the
    temporary folder, named by a digest of its URL."""
    if "://" not in db:
        path = Path(db).expanduser().resolve()
        return path.with_name(path.name + ".nightly.lock")
    key = hashlib.sha1(db.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"trackwire-nightly-{key}.lock"


@contextmanager
def run_lock(db: str) -> Iterator[IO | None]:
    """An exclusive lock per database, across processes: two services never run at once.

    Yields the locked file (a child given its descriptor holds the lock too, until it exits), or
    None when another process holds it.
    """
    with lock_path(db).open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _close_gone_runs(engine) -> None:
    from trackwire.store.db import write_session
    from trackwire.store.runs import close_gone_runs

    with write_session(engine) as session:
        closed = close_gone_runs(session)
    if closed:
        log.warning("closed as interrupted: run(s) %s, whose process was killed", ", ".join(map(str, closed)))


def _open_run(engine) -> int:
    from trackwire.store.db import write_session
    from trackwire.store.runs import start_run

    with write_session(engine) as session:
        return start_run(session, "nightly")


def _close_run(engine, run_id: int, status: str, errors: list[str]) -> None:
    """Finish the nightly record with the figures of the crawl runs it started."""
    from trackwire.store.db import write_session
    from trackwire.store.runs import finish_run, summarise_crawls

    with write_session(engine) as session:
        crawl = summarise_crawls(session, after=run_id)
        reasons = list(dict.fromkeys(errors + crawl["errors"]))  # the child's last line is often its crawl's reason
        finish_run(session, run_id, status=status, errors=reasons, stats=crawl["stats"],
                   new=crawl["new"], updated=crawl["updated"], dropped=crawl["dropped"])


def _on_missed(engine, event) -> None:
    when = event.scheduled_run_time
    log.warning("missed the run due at %s: the service was not running within the grace time", when)
    _close_run(engine, _open_run(engine), "missed",
               [f"run due at {when:%Y-%m-%d %H:%M %Z} was missed: the service was down"])


def show(engine) -> list[tuple[str, str, datetime | None, str]]:
    """The stored jobs: id, trigger, next run time and what each runs, without running anything."""
    scheduler = build_scheduler(engine)
    scheduler.start(paused=True)
    try:
        return [(job.id, str(job.trigger), job.next_run_time, describe(job.args)) for job in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)
