"""A --db that cannot be used is one line naming the option and what to do; no traceback."""

from __future__ import annotations

import pytest

from conftest import invoke


@pytest.mark.parametrize("db, says", [
    ("nosuchdriver://x", "trackwire stores in SQLite or PostgreSQL, not 'nosuchdriver'"),
    ("mysql://reader:secret@127.0.0.1/news", "trackwire stores in SQLite or PostgreSQL, not 'mysql'"),
    ("postgresql+psycopg2://127.0.0.1/news", "its driver is not installed"),
    ("://", "is not a database URL"),
], ids=["unknown-engine", "mysql", "driver-missing", "garbage"])
def test_an_unusable_url_is_one_line(tmp_path, db, says):
    result = invoke("stats", db=db, cwd=tmp_path)
    assert result.returncode == 1
    assert says in result.stderr and "--db" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr


@pytest.mark.parametrize("content", [b"id,title\n1,Kerr wins\n", bytes(range(256)) * 40], ids=["csv", "binary"])
def test_a_file_that_is_not_sqlite_is_one_line_and_left_alone(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    result = invoke("stats", db=path, cwd=tmp_path)
    assert result.returncode == 1
    assert f"--db {path} is not an SQLite database" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_debug_shows_the_traceback(tmp_path):
    result = invoke("--debug", "stats", db="mysql://127.0.0.1/news", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_bare_postgresql_urls_use_the_installed_driver(cli, pg_url, scheme):
    url = pg_url.replace("postgresql+psycopg://", f"{scheme}://", 1)
    assert url.startswith(f"{scheme}://")
    result = cli("--db", url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert cli("--db", url, "stats").exit_code == 0


@pytest.mark.parametrize("command", [["stats"], ["search", "Kerr"], ["db", "status"], ["db", "upgrade"]],
                         ids=" ".join)
def test_a_cut_short_store_is_one_line(tmp_path, command):
    """A store cut short (a half-finished copy, a full disk): one line saying it is damaged, no traceback."""
    story = tmp_path / "story.txt"
    story.write_text("Kerr wins\n\nJosh Kerr won the 3000m in Glasgow.\n" * 50, encoding="utf-8")
    whole = tmp_path / "whole.db"
    assert invoke("ingest", str(story), db=whole).returncode == 0
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole.read_bytes()[:5000])
    result = invoke(*command, db=cut, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: the database file is damaged (database disk image is malformed)")
    assert len(result.stderr.strip().splitlines()) == 1
