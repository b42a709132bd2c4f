"""Shared fixtures: the real spaCy model, a real SQLite file, a real HTTP site on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED = HERE.parent.parent / "shared"


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test where that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def nlp():
    from trackwire.nlp.pipeline import load_pipeline

    return load_pipeline()


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
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema},public"}).render_as_string(
            hide_password=False)
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
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
    from trackwire.store.db import init_db, make_engine

    eng = make_engine(db_url)
    init_db(eng)
    yield eng
    eng.dispose()


def trackwire(*args: str, db: Path | str, cwd: Path | None = None, timeout: int = 180,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `trackwire` command in a child process (Scrapy's reactor runs once per process)."""
    full_env = {**os.environ, "TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "COLUMNS": "200",
                **(env or {})}
    return subprocess.run([sys.executable, "-m", "trackwire", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env,
                          cwd=cwd or (db.parent if isinstance(db, Path) else None))


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
