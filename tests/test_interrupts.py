"""The first Ctrl-C or SIGTERM stops every command cleanly: exit 130 or 143, the run recorded
`interrupted`, what was stored kept. Real commands in child processes, real signals, a real site."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing

import pytest

from conftest import started
from trackwire.crawler.demo_site import DemoSite

DEADLINE = 120  # seconds any wait may take before the test fails; nothing waits for it to pass


def query(db, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def wait_until(predicate, what: str, seconds: float = DEADLINE) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def line_with(proc: subprocess.Popen, text: str, seconds: float = DEADLINE) -> str:
    """The first line of `proc`'s stderr containing `text`; the process is killed and the test fails
    if none comes within `seconds`. The lines before it are read and dropped."""
    found: list[str] = []

    def first() -> None:
        for line in proc.stderr:
            if text in line:
                found.append(line)
                return

    reader = threading.Thread(target=first, daemon=True)
    reader.start()
    reader.join(seconds)
    if not found:
        proc.kill()
        proc.communicate()
        pytest.fail(f"no line with {text!r} within {seconds} s")
    return found[0]


def start(db, *args: str, cwd, env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "COLUMNS": "200", **(env or {})}
    return started(subprocess.Popen([sys.executable, "-m", "trackwire", *args], env=env, cwd=cwd, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE))


def store_stories(db, n: int) -> None:
    """n short stories the tagger has work in, stored through the library (as an earlier crawl would)."""
    from trackwire.store.db import init_db, make_engine, write_session
    from trackwire.store.stories import StoryIn, upsert_story

    eng = make_engine(str(db))
    init_db(eng)
    with write_session(eng) as session:
        for i in range(n):
            body = (f"Josh Kerr won the 1500m in Oslo in 3:{29 + i % 9}.{i % 90 + 10:02d} on day {i}. "
                    f"\"It was a good day,\" said Kerr after race {i}.")
            upsert_story(session, StoryIn(key=f"stored-{i}", title=f"Kerr wins race {i}", text=f"Kerr wins race {i}\n\n{body}"))
    eng.dispose()


def stored(db) -> int:
    try:
        return query(db, "SELECT count(*) FROM story")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def crawl_ended(db) -> bool:
    try:
        return any(status != "running" for (status,) in query(db, "SELECT status FROM crawlrun WHERE kind = 'crawl'"))
    except sqlite3.OperationalError:  # not created yet
        return False


def tagged(db) -> int:
    return query(db, "SELECT count(*) FROM story WHERE tagged_at IS NOT NULL")[0][0]


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"])
def test_a_signal_in_the_tag_phase_of_run_stops_it(db_path, tmp_path, signum, code):
    store_stories(db_path, 400)
    with DemoSite() as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        proc = start(db_path, "run", "--sources", "sources.toml", cwd=tmp_path)
        wait_until(lambda: crawl_ended(db_path), "the crawl to end")
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == code, err
    assert "interrupted" in err and "Traceback" not in err
    assert "tagged" not in out
    assert tagged(db_path) < 400 + len(site.articles)
    assert query(db_path, "SELECT count(*) FROM story WHERE claimed_by IS NOT NULL") == [(0,)]
    assert query(db_path, "SELECT status FROM crawlrun") == [("ok",)]


def test_ctrl_c_as_a_crawl_starts_stops_it_without_tracebacks(db_path, tmp_path):
    """Before Scrapy has installed its handlers (the reactor starting), as well as after."""
    with DemoSite(delay=1.0) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        proc = start(db_path, "crawl", "--sources", "sources.toml", cwd=tmp_path)
        line_with(proc, "crawling")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Unhandled error" not in err
    assert "crawl interrupted" in err
    (status, new), = query(db_path, "SELECT status, stories_new FROM crawlrun")
    assert status == "interrupted" and new < len(site.articles)


def test_sigterm_mid_crawl_exits_143_and_keeps_what_was_stored(db_path, tmp_path):
    with DemoSite(delay=0.3) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        proc = start(db_path, "crawl", "--sources", "sources.toml", cwd=tmp_path)
        wait_until(lambda: stored(db_path) >= 2, "two stories stored")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 143, err
    assert query(db_path, "SELECT status FROM crawlrun") == [("interrupted",)]
    assert 2 <= query(db_path, "SELECT count(*) FROM story")[0][0] < len(site.articles)
    assert query(db_path, "PRAGMA integrity_check") == [("ok",)]


def test_ctrl_c_during_the_demo_ends_it_with_no_summary(db_path, tmp_path):
    """Whether it lands in the demo's crawl or in its tagging, the demo stops there: no tracebacks,
    no summary of an empty store, exit 130."""
    proc = start(db_path, "demo", cwd=tmp_path)
    line_with(proc, "crawling")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Unhandled error" not in err
    assert "stories stored and tagged" not in out
    assert ("ok", 0) not in query(db_path, "SELECT status, stories_new FROM crawlrun")


def test_sigterm_to_the_scheduler_in_the_tag_phase_records_the_night_interrupted(db_path, tmp_path):
    store_stories(db_path, 400)
    with DemoSite() as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        proc = start(db_path, "schedule", "--once", cwd=tmp_path,
                     env={"TRACKWIRE_SOURCES": str(tmp_path / "sources.toml")})
        wait_until(lambda: crawl_ended(db_path), "the crawl to end")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 143, err
    assert query(db_path, "SELECT status FROM crawlrun WHERE kind = 'nightly'") == [("interrupted",)]
    assert tagged(db_path) < 400 + len(site.articles)
