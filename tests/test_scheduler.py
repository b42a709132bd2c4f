"""The nightly scheduler with short triggers, real child processes, a real local site."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from conftest import started
from trackwire import scheduler as nightly
from trackwire.crawler.demo_site import DemoSite
from trackwire.store.db import init_db, make_engine

UNREACHABLE = '[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:9/rss"]\n'


@pytest.fixture
def env(monkeypatch, db_path):
    monkeypatch.setenv("TRACKWIRE_DB", str(db_path))
    monkeypatch.setenv("TRACKWIRE_DOWNLOAD_DELAY", "0")
    eng = make_engine(str(db_path))
    init_db(eng)
    yield eng
    eng.dispose()


def runs(db, kind="nightly") -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, errors FROM crawlrun WHERE kind = ? ORDER BY id", (kind,)).fetchall()


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def move_stored_run(engine, when: datetime) -> None:
    """Change the stored job's next run time with no scheduler running, as downtime would leave it."""
    store = SQLAlchemyJobStore(engine=engine, tablename="scheduler_job")
    store.start(BackgroundScheduler(), "default")
    job = store.lookup_job(nightly.JOB_ID)
    job.next_run_time = when
    store.update_job(job)


def sources(tmp_path, text: str) -> list[str]:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return ["--sources", str(path)]


def test_the_job_fires_and_runs_crawl_then_tag(env, db_path, tmp_path):
    with DemoSite() as site:
        s = nightly.build_scheduler(env)
        nightly.start(s, nightly.interval_trigger(1), str(db_path), sources(tmp_path, site.sources_toml()), 300)
        try:
            assert wait_for(lambda: any(st == "ok" for st, _ in runs(db_path)), 120)
        finally:
            s.shutdown(wait=True)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM story WHERE tagged_at IS NOT NULL").fetchone()[0] == 17
        assert conn.execute("SELECT stories_new FROM crawlrun WHERE kind='nightly' AND status='ok'").fetchone()[0] == 17


def test_a_second_start_keeps_the_stored_next_run_time(env, db_path):
    first = nightly.build_scheduler(env)
    job = nightly.start(first, nightly.cron_trigger("30 2 * * *", jitter=0), str(db_path), [], 60)
    stored = job.next_run_time
    first.shutdown(wait=False)
    second = nightly.build_scheduler(env)
    try:
        again = nightly.start(second, nightly.cron_trigger("30 2 * * *", jitter=0), str(db_path), [], 60)
        assert again.next_run_time == stored
    finally:
        second.shutdown(wait=False)


def test_a_run_missed_while_down_runs_once_on_start(env, db_path, tmp_path):
    args = sources(tmp_path, UNREACHABLE)
    first = nightly.build_scheduler(env)
    nightly.start(first, nightly.interval_trigger(3600), str(db_path), args, 60)
    first.shutdown(wait=True)
    move_stored_run(env, datetime.now(timezone.utc) - timedelta(hours=3))  # down for three hours past it
    second = nightly.build_scheduler(env)
    try:
        nightly.start(second, nightly.interval_trigger(3600), str(db_path), args, 60)
        assert wait_for(lambda: len(runs(db_path)) >= 1 and runs(db_path)[0][0] != "running", 60)
        time.sleep(2)
        assert [st for st, _ in runs(db_path)] == ["failed"]
    finally:
        second.shutdown(wait=True)


def test_an_sqlite_stores_run_lock_lives_beside_it(db_path):
    with nightly.run_lock(str(db_path)) as held:
        assert held
        assert (db_path.parent / "trackwire.db.nightly.lock").is_file()
        with nightly.run_lock(str(db_path.parent / "." / "trackwire.db")) as again:  # the same file, spelt otherwise
            assert again is None


def test_two_runs_never_overlap(env, db_path):
    with nightly.run_lock(str(db_path)) as held:
        assert held
        assert nightly.nightly_job(str(db_path), [], 60) == "skipped"
    assert runs(db_path) == [("skipped", '["another nightly run was still going"]')]


def test_a_failed_crawl_is_recorded_and_the_scheduler_keeps_going(env, db_path, tmp_path):
    s = nightly.build_scheduler(env)
    nightly.start(s, nightly.interval_trigger(1), str(db_path), sources(tmp_path, UNREACHABLE), 60)
    try:
        assert wait_for(lambda: [st for st, _ in runs(db_path)].count("failed") >= 2, 90)
        assert s.running
    finally:
        s.shutdown(wait=True)
    status, errors = runs(db_path)[0]
    assert "every source failed" in errors


def test_sigterm_during_a_crawl_stops_cleanly_and_records_it(env, db_path, tmp_path, monkeypatch):
    from conftest import held_site

    with held_site(free=3, articles=6) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        monkeypatch.setenv("TRACKWIRE_SOURCES", str(tmp_path / "sources.toml"))  # as a service's settings would
        monkeypatch.setenv("TRACKWIRE_DOWNLOAD_TIMEOUT", "1")  # held pages time out: none stored after the signal
        cmd = [sys.executable, "-m", "trackwire", "schedule", "--once", "--timeout", "120"]
        proc = started(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path))
        try:
            assert site.reached.wait(timeout=120)  # three pages answered, the fourth held
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=120)
        finally:
            site.release.set()
    assert "Traceback" not in out
    assert runs(db_path)[-1][0] == "interrupted"
    assert runs(db_path, "crawl")[-1][0] == "interrupted"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM story").fetchone()[0]
    assert stored == 3  # the pages answered before the signal, none after


def test_bad_cron_is_one_line(db_path):
    from conftest import invoke

    result = invoke("schedule", "--cron", "every night", db=db_path)
    assert result.returncode == 1 and "needs five cron fields" in result.stderr


def serve_until_running(db_path, *args: str) -> str:
    """`trackwire schedule ARGS` until it logs that it runs, then SIGTERM; everything it printed."""
    env = {**os.environ, "TRACKWIRE_DB": str(db_path)}
    proc = started(subprocess.Popen([sys.executable, "-m", "trackwire", "schedule", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    lines = []
    for line in proc.stdout:  # waits on the service's own log, no clock
        lines.append(line)
        if "scheduler running" in line:
            break
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 143, "".join(lines) + rest  # SIGTERM: stopped cleanly (docs/scheduler.md)
    return "".join(lines) + rest


def test_other_options_change_the_stored_job_and_show_says_so(db_path):
    serve_until_running(db_path, "--cron", "30 2 * * *")
    second = serve_until_running(db_path, "--cron", "0 3 * * *", "--source", "letsrun", "--timeout", "600")
    assert "schedule changed: now cron[" in second
    assert "now runs `trackwire run --source letsrun` with a 600 s time limit" in second
    from conftest import invoke

    shown = invoke("schedule", "--show", db=db_path).stdout
    assert "hour='3'" in shown and "runs `trackwire run --source letsrun` with a 600 s time limit" in shown
    assert re.search(r"; next run \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", shown.strip()), shown  # no microseconds


def test_the_same_options_keep_the_stored_job(db_path):
    serve_until_running(db_path, "--every", "3600", "--source", "letsrun")
    assert "nightly job found in the store" in serve_until_running(db_path, "--every", "3600", "--source", "letsrun")


def test_schedule_logs_no_migration_chatter(db_path):
    out = serve_until_running(db_path, "--every", "3600")
    assert "alembic" not in out and "Context impl" not in out


def test_once_relays_the_runs_output_as_it_printed_it(env, db_path, tmp_path):
    from conftest import trackwire

    path = tmp_path / "sources.toml"
    path.write_text(UNREACHABLE, encoding="utf-8")
    result = trackwire("schedule", "--once", env={"TRACKWIRE_SOURCES": str(path)}, db=db_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "crawling 1 source: gone" in lines  # the child's line, whole, with no timestamp before it
    assert "source gone failing: connection_refused at http://127.0.0.1:9/rss" in lines
    assert not any("alembic" in line or "Context impl" in line for line in lines)


@pytest.mark.parametrize("args", [["--source", "nosuch"], ["--once", "--source", "nosuch"],
                                  ["--show", "--source", "nosuch"], ["--every", "60", "--source", "letsrun",
                                                                     "--source", "nosuch"]])
def test_an_unknown_source_is_refused_before_anything_is_stored(cli, db_path, args):
    result = cli("schedule", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown source(s): nosuch; known: world_athletics")
    assert result.stderr.count("\n") == 1
    assert not db_path.exists()  # no job stored, no failed nightly run recorded


def test_cron_and_every_together_are_refused(cli, db_path):
    result = cli("schedule", "--cron", "0 4 * * *", "--every", "60")
    assert result.exit_code == 1
    assert result.stderr == "error: --cron and --every both say when to run: give one of them\n"
    assert not db_path.exists()


@pytest.mark.parametrize("extra", [["--show"], ["--once"]])
def test_a_bad_cron_is_refused_with_show_or_once_too(cli, db_path, extra):
    result = cli("schedule", "--cron", "bad cron", *extra)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: schedule 'bad cron' needs five cron fields")
    assert not db_path.exists()
