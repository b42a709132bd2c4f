"""Shared fixtures: the real spaCy model, a real SQLite file, a real HTTP site on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
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
    from nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "trackwire.db"


@pytest.fixture
def engine(db_path):
    from store.db import init_db, make_engine

    eng = make_engine(str(db_path))
    init_db(eng)
    yield eng
    eng.dispose()


def trackwire(*args: str, db: Path, cwd: Path | None = None, timeout: int = 180,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `trackwire` command in a child process (Scrapy's reactor runs once per process)."""
    full_env = {**os.environ, "TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "COLUMNS": "200",
                **(env or {})}
    return subprocess.run([sys.executable, "-m", "trackwire", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=cwd or db.parent)
