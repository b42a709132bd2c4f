"""Processes killed outright (SIGKILL) and services lost mid-run: nothing keeps working orphaned,
nothing waits in silence, every record is closed. Real child processes, real signals, a real site,
a real Redis server the test starts and kills."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from test_interrupts import DEADLINE, line_with, query, start, store_stories, tagged, wait_until
from trackwire.crawler.demo_site import DemoSite
from trackwire.store.processes import gone, this_host, worker_process


class GatedSite(DemoSite):
    """Article pages are held until the test opens the gate: a crawl is surely mid-page when it acts."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()

    def route(self, path: str):
        if any(path == a.path for a in self.articles):
            self.gate.wait(DEADLINE)
        return super().route(path)

    def articles_fetched(self) -> int:
        return sum(self.hits.get(a.path, 0) for a in self.articles)


def dead(pid: int) -> bool:
    return gone(this_host(), pid)


def scheduler_child(proc: subprocess.Popen) -> int:
    """The pid of `trackwire run`, from the scheduler's log line "started: trackwire run … (pid N)"."""
    line = line_with(proc, "started: trackwire run")
    return int(line.rsplit("(pid ", 1)[1].split(")")[0])


@pytest.fixture
def gated(tmp_path):
    with GatedSite() as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        yield site
        site.gate.set()


def kill_scheduler_mid_page(db_path, tmp_path, site) -> int:
    """Start `schedule --once`, SIGKILL it while its child is fetching a page; the child's pid."""
    env = {"TRACKWIRE_SOURCES": str(tmp_path / "sources.toml")}
    scheduler = start(db_path, "schedule", "--once", cwd=tmp_path, env=env)
    child = scheduler_child(scheduler)
    wait_until(lambda: site.articles_fetched() >= 1, "the child to ask for an article")
    scheduler.kill()
    scheduler.communicate()
    return child


def test_a_killed_schedulers_child_stops_and_holds_the_lock_until_gone(db_path, tmp_path, gated):
    from trackwire import scheduler as nightly

    child = kill_scheduler_mid_page(db_path, tmp_path, gated)
    assert not dead(child)  # still finishing the page it was given
    with nightly.run_lock(str(db_path)) as lock:
        assert lock is None
    again = start(db_path, "schedule", "--once", cwd=tmp_path, env={"TRACKWIRE_SOURCES": str(tmp_path / "sources.toml")})
    again.communicate(timeout=DEADLINE)
    assert query(db_path, "SELECT status FROM crawlrun WHERE kind = 'nightly' ORDER BY id") == [("running",), ("skipped",)]
    gated.gate.set()
    wait_until(lambda: dead(child), "the orphaned child to stop")
    assert gated.articles_fetched() < len(gated.articles)
    assert query(db_path, "SELECT status FROM crawlrun WHERE kind = 'crawl'") == [("interrupted",)]


def test_the_next_start_closes_a_killed_schedulers_record_and_fetches_no_page_twice(db_path, tmp_path, gated):
    child = kill_scheduler_mid_page(db_path, tmp_path, gated)
    gated.gate.set()
    wait_until(lambda: dead(child), "the orphaned child to stop")
    again = start(db_path, "schedule", "--once", cwd=tmp_path, env={"TRACKWIRE_SOURCES": str(tmp_path / "sources.toml")})
    out, err = again.communicate(timeout=DEADLINE)
    assert again.returncode == 0, err
    (first, errors), (second, _) = query(db_path, "SELECT status, errors FROM crawlrun WHERE kind = 'nightly' ORDER BY id")
    assert (first, second) == ("interrupted", "ok")
    assert "it was killed" in errors
    assert {a.path: gated.hits.get(a.path) for a in gated.articles} == {a.path: 1 for a in gated.articles}


def test_a_killed_crawls_record_is_closed_as_interrupted_by_the_next_crawl(db_path, tmp_path, gated):
    crawl = start(db_path, "crawl", "--sources", "sources.toml", cwd=tmp_path)
    wait_until(lambda: gated.articles_fetched() >= 1, "the crawl to ask for an article")
    crawl.kill()
    crawl.communicate()
    assert query(db_path, "SELECT status, pid FROM crawlrun") == [("running", crawl.pid)]
    gated.gate.set()
    again = start(db_path, "crawl", "--sources", "sources.toml", cwd=tmp_path)
    again.communicate(timeout=DEADLINE)
    (status, errors), (next_status, _) = query(db_path, "SELECT status, errors FROM crawlrun ORDER BY id")
    assert (status, next_status) == ("interrupted", "ok")
    assert f"pid {crawl.pid}" in errors


# ---------------------------------------------------------------- tagging processes killed


def claimants(db) -> set[str]:
    return {w for (w,) in query(db, "SELECT DISTINCT claimed_by FROM story WHERE claimed_by IS NOT NULL")}


def test_killing_tag_workers_parent_leaves_no_child_working(db_path, tmp_path):
    store_stories(db_path, 600)
    parent = start(db_path, "tag", "--workers", "2", cwd=tmp_path)
    wait_until(lambda: tagged(db_path) >= 10 and len(claimants(db_path)) == 2, "both tagging processes at work")
    children = [worker_process(w)[1] for w in claimants(db_path)]
    parent.kill()
    parent.communicate()
    wait_until(lambda: all(dead(pid) for pid in children), "the tagging processes to stop")
    assert claimants(db_path) == set()  # they gave their claims back on the way out
    assert tagged(db_path) < 600


def test_a_killed_workers_claims_are_released_at_once_by_the_next_tag(db_path, tmp_path):
    store_stories(db_path, 300)
    first = start(db_path, "tag", "--claim-seconds", "3600", cwd=tmp_path)  # its claims would hold for an hour
    wait_until(lambda: tagged(db_path) >= 1 and claimants(db_path), "the first tag at work")
    first.kill()
    first.communicate()
    assert claimants(db_path)
    second = start(db_path, "tag", cwd=tmp_path)
    out, err = second.communicate(timeout=DEADLINE)
    assert second.returncode == 0, err
    assert "waiting for" not in err
    assert tagged(db_path) == 300


def test_claims_of_a_live_worker_elsewhere_are_waited_for_and_named(db_path, tmp_path):
    """A worker on another machine cannot be judged: its claims are waited for, and the wait is shown."""
    from trackwire.nlp.pipeline import TAGGER_VERSION
    from trackwire.store.db import make_engine
    from trackwire.store.queue import claim, release

    store_stories(db_path, 5)
    eng = make_engine(str(db_path))
    claim(eng, "elsewhere:4242:abcdef", size=2, retag=False, version=TAGGER_VERSION, seconds=3600)
    tag = start(db_path, "tag", cwd=tmp_path)
    line = line_with(tag, "waiting for")
    assert line.startswith("waiting for 2 stories claimed by worker elsewhere:4242:abcdef until ")
    release(eng, "elsewhere:4242:abcdef")  # the other worker gives them back
    eng.dispose()
    out, err = tag.communicate(timeout=DEADLINE)
    assert tag.returncode == 0, err
    assert tagged(db_path) == 5


# ---------------------------------------------------------------- the Redis frontier lost mid-crawl


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port, to kill."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    wait_until(lambda: _answers(port), "redis-server to answer")
    yield proc, f"redis://127.0.0.1:{port}/0"
    proc.kill()
    proc.wait()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_a_crawl_whose_redis_dies_fails_with_the_reason(db_path, tmp_path, gated, own_redis):
    redis_proc, url = own_redis
    crawl = start(db_path, "crawl", "--sources", "sources.toml", cwd=tmp_path,
                  env={"TRACKWIRE_REDIS_URL": url, "TRACKWIRE_REDIS_PREFIX": "lost"})
    wait_until(lambda: gated.articles_fetched() >= 1, "the crawl to ask for an article")
    redis_proc.kill()
    redis_proc.wait()
    gated.gate.set()
    began = time.monotonic()
    out, err = crawl.communicate(timeout=DEADLINE)
    print(f"the crawl ended {time.monotonic() - began:.1f} s after Redis died")
    assert crawl.returncode == 1
    assert f"crawl failed: lost the Redis frontier at {url}" in err and "Traceback" not in err
    (status, errors), = query(db_path, "SELECT status, errors FROM crawlrun")
    assert status == "failed" and "lost the Redis frontier" in errors
