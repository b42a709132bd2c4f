"""Shared fixtures: the real spaCy model, a real SQLite file, a real HTTP site on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED = HERE.parent.parent / "shared"


# The suite runs on its own settings, never the developer's: the shell's TRACKWIRE_* variables are
# dropped (all but the suite's own, below), and tests run in an empty folder, where no .env is read.
SUITE_VARIABLES = {"TRACKWIRE_REQUIRE_SERVICES", "TRACKWIRE_TEST_PG", "TRACKWIRE_TEST_REDIS"}
for _name in [name for name in os.environ if name.startswith("TRACKWIRE_") and name not in SUITE_VARIABLES]:
    del os.environ[_name]


@pytest.fixture(scope="session", autouse=True)
def empty_working_folder(tmp_path_factory):
    """Every test process works in an empty folder of its own (no .env, no trackwire.db of the user's)."""
    before = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(before)


STARTED: list[subprocess.Popen] = []  # child processes tests started with `started` (see below)


def started(proc: subprocess.Popen) -> subprocess.Popen:
    """Register a child process a test started: if the test fails before the child ends, the child is
    killed and reaped after the test, not left to run into the next one."""
    STARTED.append(proc)
    return proc


@pytest.fixture(autouse=True)
def no_child_outlives_its_test():
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
        try:
            proc.communicate()  # reaps it and closes its pipes
        except (ValueError, OSError):  # a pipe the test closed or still reads in a thread
            proc.wait()


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test where that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto` (pyproject addopts): a worker per core and one more, as many tests wait on a child
    process or a local server rather than compute."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline, loaded once a session."""
    from trackwire.nlp.pipeline import shared_pipeline

    return shared_pipeline()


INGEST = FIXTURES / "ingest"


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory, nlp) -> Path:
    """The ingest fixtures stored and tagged by the real pipeline, built once a session. Tests only
    read it; one that writes works on a copy (`copy_store`)."""
    import trackwire as tw

    db = tmp_path_factory.mktemp("fixture-store") / "trackwire.db"
    with tw.open(db) as store:
        store.ingest([INGEST / "glasgow-3000m.txt", INGEST / "stories.jsonl"])
        store.tag(nlp=nlp)
    return db


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`trackwire demo` run once a session (a real crawl of the demo site, tagged): its store and output.
    Tests only read the store; one that writes works on a copy (`copy_store`)."""
    folder = tmp_path_factory.mktemp("demo")
    result = trackwire("demo", db=folder / "trackwire.db", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "trackwire.db", result


def copy_store(db: Path, folder: Path) -> Path:
    """A copy of a closed SQLite store, to change without touching the shared one."""
    target = folder / f"copy-{db.parent.name}.db"
    target.write_bytes(db.read_bytes())
    return target


def tag_texts(db: Path, folder: Path, nlp, **stories: str) -> None:
    """Write each story (headline, blank line, body) to NAME.txt, then ingest and tag them all, in this
    process with the session's pipeline (for tests of what the commands show of them)."""
    import trackwire as tw

    paths = []
    for name, text in stories.items():
        paths.append(folder / f"{name}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    with tw.open(db) as store:
        assert not store.ingest(paths).problems
        store.tag(nlp=nlp)


@pytest.fixture
def cli(db_path):
    """The real `trackwire` command in this process (Typer's CliRunner): cli(*args) -> Result, on the
    test's database unless the arguments name another --db."""
    def run(*args: str, env: dict | None = None):
        given = "--db" in args or any(a.startswith("--db=") for a in args)
        return run_app([*args] if given else ["--db", str(db_path), *args], env=env)

    return run


def run_app(args: list[str], env: dict | None = None, input: str | None = None):
    """Typer's CliRunner on the real app, in this process: a click Result."""
    from typer.testing import CliRunner

    from trackwire.cli import app, load_commands

    load_commands()
    return CliRunner().invoke(app, args, env=env, input=input, prog_name="trackwire")


def held_site(free: int, articles: int | None = None):
    """The demo site answering its first `free` article requests and holding every later one until the
    test sets `site.release`; `site.reached` is set when the first is held. A crawl is then certain to
    be part-way when the test acts: no clock, however loaded the machine."""
    import threading

    from trackwire.crawler.demo_site import DemoSite

    from trackwire.crawler.demo_site import load_articles

    class HeldSite(DemoSite):
        def __init__(self):
            super().__init__(articles=load_articles()[:articles])
            self.reached, self.release, self.lock, self.asked = threading.Event(), threading.Event(), \
                threading.Lock(), 0

        def arrived(self, path, headers):
            if not path.startswith("/news/"):
                return
            with self.lock:
                self.asked += 1
                held = self.asked > free
            if held:
                self.reached.set()
                self.release.wait(timeout=120)

    return HeldSite()


@contextmanager
def opened(url: str, migrate: bool = True):
    """An engine for `url` (migrated unless told not to), disposed however the test ends: a pool left
    open surfaces as an unraisable-exception error in whichever later test the collector runs in."""
    from trackwire.store.db import init_db, make_engine

    eng = make_engine(url)
    try:
        if migrate:
            init_db(eng)
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "trackwire.db"


# Scale-out services (issue 7). Tests that need one skip with the reason when it does not answer;
# with TRACKWIRE_REQUIRE_SERVICES=1 (CI) they fail instead.
REQUIRE_SERVICES = os.environ.get("TRACKWIRE_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("TRACKWIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TRACKWIRE_TEST_REDIS", "redis://127.0.0.1:6379/0")


def unavailable(service: str, why: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{service} is required here (TRACKWIRE_REQUIRE_SERVICES=1) but {why}", pytrace=False)
    pytest.skip(f"{service} does not answer ({why}); set TRACKWIRE_TEST_PG / TRACKWIRE_TEST_REDIS to point at one")


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a new schema of its own, dropped afterwards."""
    yield from _pg_schema()


def _pg_schema():
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(dsn, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL at {url.host}:{url.port}", str(exc).splitlines()[0])
    schema = f"tw_test_{uuid.uuid4().hex[:12]}"
    try:
        admin.execute(f"CREATE SCHEMA {schema}")
        yield url.update_query_dict({"options": f"-csearch_path={schema},public"}).render_as_string(
            hide_password=False)
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


@pytest.fixture
def redis_url():
    """A Redis URL and a key prefix of this test's own; its keys are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        unavailable(f"Redis at {REDIS_URL}", str(exc))
    prefix = f"tw_test_{uuid.uuid4().hex[:12]}"
    yield REDIS_URL, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, db_path) -> str:
    """The same test on an SQLite file and on a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(db_path)
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url):
    with opened(db_url) as eng:
        yield eng


def trackwire(*args: str, db: Path | str, cwd: Path | None = None, timeout: int = 180,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `trackwire` command in a child process (Scrapy's reactor runs once per process)."""
    full_env = {**os.environ, "TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "COLUMNS": "200",
                **(env or {})}
    return subprocess.run([sys.executable, "-m", "trackwire", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env,
                          cwd=cwd or (db.parent if isinstance(db, Path) else None))


def invoke(*args: str, db: Path | str, cwd: Path | None = None, env: dict | None = None,
           input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `trackwire` command in this process (Typer's CliRunner), with the environment and
    working folder `trackwire()` gives a child, and return what a child would: exit code, stdout,
    stderr. For commands that start no crawl and get no signal: a child costs a second or more of
    imports, and here `tag` uses the process's shared pipeline. An exception the command let out
    (a child would print its traceback) is raised."""
    full_env = {"TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "COLUMNS": "200", **(env or {})}
    folder = cwd or (db.parent if isinstance(db, Path) else None)
    before = Path.cwd()
    try:
        if folder:
            os.chdir(folder)
        result = run_app(list(args), env=full_env, input=input)
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(["trackwire", *args], result.exit_code, result.stdout, result.stderr)


# The browsing store (issue 14): stories written for these tests (tests/fixtures/web, hostile ones
# included) and the ingest fixtures, ingested and tagged for real, with two crawl runs and the health
# of three sources recorded by the crawler's own store functions. Read-only: copy it to write.
WEB_STORIES = [FIXTURES / "web" / "stories.jsonl", FIXTURES / "ingest" / "glasgow-3000m.txt",
               FIXTURES / "ingest" / "stories.jsonl"]


def build_browse_store(db: str, nlp) -> None:
    """Ingest and tag the web fixtures into `db` (a path or URL), then record two runs and three sources."""
    import trackwire
    from trackwire.store.db import write_session
    from trackwire.store.runs import finish_run, record_source, start_run

    with trackwire.open(db) as store:
        store.ingest(WEB_STORIES)
        store.tag(nlp=nlp)
        with write_session(store.engine) as session:
            first = start_run(session, "crawl")
            finish_run(session, first, status="ok", stats={"dropped": {"duplicate": 3, "no_date": 1}}, errors=[],
                       new=11, updated=0, dropped=4)
            second = start_run(session, "crawl")
            finish_run(session, second, status="failed", stats={"dropped": {"http_error": 2}},
                       errors=["<b>every source failed</b>"], new=0, updated=0, dropped=2)
            record_source(session, "wire", homepage="https://news.test/", ok=True, error=None)
            record_source(session, "courier", homepage="https://courier.test/", ok=False,
                          error="feed https://courier.test/rss answered 503 <script>alert('err')</script>")
            record_source(session, "gazette", homepage=None, ok=False, error="no article links")


@pytest.fixture(scope="session")
def browse_db(tmp_path_factory, nlp) -> Path:
    """An SQLite file holding the browsing store (see build_browse_store)."""
    db = tmp_path_factory.mktemp("browse") / "trackwire.db"
    build_browse_store(str(db), nlp)
    return db


@pytest.fixture(scope="session")
def browse_pg(nlp):
    """A PostgreSQL URL (a schema of its own) holding the browsing store (see build_browse_store)."""
    for url in _pg_schema():
        build_browse_store(url, nlp)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def browse_url(request) -> str:
    """The browsing store on SQLite, then on PostgreSQL."""
    return str(request.getfixturevalue("browse_db")) if request.param == "sqlite" \
        else request.getfixturevalue("browse_pg")
