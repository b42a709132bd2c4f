"""A store that is not there: commands that only read refuse it in one line naming it (a misspelt
--db must not make an empty store and report nothing); commands that write make it."""

from __future__ import annotations

import pytest

from conftest import opened

READS = [["stats"], ["athlete", "Kerr"], ["search", "world record"], ["export", "--out", "{tmp}/out.jsonl"],
         ["runs"], ["db", "status"], ["registry", "list"], ["registry", "remove", "Josh Kerr"],
         ["eval", "{gold}"]]


@pytest.mark.parametrize("command", READS, ids=lambda c: " ".join(c[:2]))
def test_a_read_command_refuses_a_missing_sqlite_file(cli, tmp_path, command):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "Kerr wins\\n\\nJosh Kerr won.", "athletes": [], "events": [], '
                    '"marks": [], "quotes": [], "performances": []}\n', encoding="utf-8")
    missing = tmp_path / "trakwire.db"
    args = [a.format(tmp=tmp_path, gold=gold) for a in command]
    result = cli("--db", str(missing), *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"error: no store at {missing}: check --db / TRACKWIRE_DB, or make one with "
                             "`trackwire ingest`, `trackwire crawl` or `trackwire demo`\n")
    assert not missing.exists()
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("command", [["db", "upgrade"], ["ingest", "{story}"], ["registry", "import", "{csv}"]],
                         ids=lambda c: " ".join(c[:2]))
def test_a_write_command_makes_the_store(cli, tmp_path, command):
    story = tmp_path / "story.txt"
    story.write_text("Kerr wins\n\nJosh Kerr won the 1500m in Glasgow.\n", encoding="utf-8")
    csv = tmp_path / "athletes.csv"
    csv.write_text("name,country\nAda Runner,GBR\n", encoding="utf-8")
    db = tmp_path / "new.db"
    result = cli("--db", str(db), *[a.format(story=story, csv=csv) for a in command])
    assert result.exit_code == 0, result.output
    assert db.exists()
    assert cli("--db", str(db), "stats").exit_code == 0


@pytest.mark.parametrize("command", [["stats"], ["runs"], ["search", "record"], ["registry", "list"]],
                         ids=lambda c: c[0])
def test_a_read_command_on_an_empty_postgresql_database_says_to_upgrade_or_ingest(cli, pg_url, command):
    result = cli("--db", pg_url, *command)
    assert result.exit_code == 1, result.output
    assert "holds no trackwire store yet: run `trackwire db upgrade`" in result.stderr
    assert result.stderr.count("\n") == 1
    with opened(pg_url, migrate=False) as eng:  # nothing was made in it
        from sqlalchemy import inspect

        assert inspect(eng).get_table_names() == []


def test_the_python_api_refuses_a_missing_store_only_when_asked(tmp_path):
    import trackwire
    from trackwire.store.db import DatabaseError

    with trackwire.open(tmp_path / "gone.db", create=False) as store, pytest.raises(DatabaseError, match="no store at"):
        store.count()
    assert not (tmp_path / "gone.db").exists()
    with trackwire.open(tmp_path / "new.db") as store:
        assert store.count() == 0
