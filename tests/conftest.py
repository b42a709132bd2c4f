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
