"""TRACKWIRE_* settings: a bad value is one line naming the variable, its value and what it must
be, exit 2, on every path (a command, serve, the scheduler), with nothing stored."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("variable, value, says", [
    ("TRACKWIRE_DOWNLOAD_DELAY", "abc", "error: TRACKWIRE_DOWNLOAD_DELAY 'abc' is not a number"),
    ("TRACKWIRE_OBEY_ROBOTS", "maybe", "error: TRACKWIRE_OBEY_ROBOTS 'maybe' is not true or false"),
    ("TRACKWIRE_TAG_BATCH", "1.5", "error: TRACKWIRE_TAG_BATCH '1.5' is not a whole number"),
    ("TRACKWIRE_TAG_BATCH", "0", "error: TRACKWIRE_TAG_BATCH '0' must be at least 1"),
    ("TRACKWIRE_DOWNLOAD_DELAY", "-1", "error: TRACKWIRE_DOWNLOAD_DELAY '-1' must be at least 0"),
    ("TRACKWIRE_DOWNLOAD_DELAY", "inf", "error: TRACKWIRE_DOWNLOAD_DELAY 'inf' must be a finite number"),
    ("TRACKWIRE_CRAWL_TIMEOUT", "0", "error: TRACKWIRE_CRAWL_TIMEOUT '0' must be more than 0"),
    ("TRACKWIRE_SOURCES", "/nonexistent/sources.toml", "error: TRACKWIRE_SOURCES '/nonexistent/sources.toml' does not exist"),
    ("TRACKWIRE_SOURCES", "/", "error: TRACKWIRE_SOURCES '/' is not a file"),
    ("TRACKWIRE_DB", "", "error: TRACKWIRE_DB '' is empty: give an SQLite file"),
    ("TRACKWIRE_STOP_GRACE", "0", "error: TRACKWIRE_STOP_GRACE '0' must be more than 0:"),
    ("TRACKWIRE_STOP_GRACE", "7200", "error: TRACKWIRE_STOP_GRACE '7200' must be at most 3600:"),
    ("TRACKWIRE_SCHEDULE", "bad", "error: TRACKWIRE_SCHEDULE 'bad' is not a cron expression"),
    ("TRACKWIRE_REDIS_URL", "notaurl", "error: TRACKWIRE_REDIS_URL 'notaurl' is not a Redis URL"),
])
@pytest.mark.parametrize("command", [["stats"], ["serve", "--port", "0"], ["schedule", "--show"],
                                     ["schedule", "--once"]])
def test_a_bad_setting_is_one_line_naming_it(cli, db_path, variable, value, says, command):
    result = cli(*command, env={variable: value})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(says) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "ValidationError" not in result.stderr
    assert not db_path.exists()


def test_a_bad_setting_shows_the_traceback_with_debug(cli):
    result = cli("stats", "--debug", env={"TRACKWIRE_DOWNLOAD_DELAY": "abc"})
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "TRACKWIRE_DOWNLOAD_DELAY 'abc' is not a number" in result.stderr


def test_the_python_api_names_the_variable_too(monkeypatch, db_path):
    import trackwire
    from trackwire.settings import SettingsError

    monkeypatch.setenv("TRACKWIRE_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(SettingsError, match="TRACKWIRE_DOWNLOAD_TIMEOUT 'soon' is not a whole number"):
        trackwire.open(db_path)


def test_a_misspelt_variable_is_named_with_the_setting_it_resembles(tmp_path):
    from conftest import invoke

    result = invoke("stats", db=tmp_path / "t.db", cwd=tmp_path,
                    env={"TRACKWIRE_STOPGRACE": "5", "TRACKWIRE_COLOUR": "red"})
    assert result.stderr.splitlines()[:2] == [
        "warning: TRACKWIRE_COLOUR is not a trackwire setting (README: Settings); it is ignored",
        "warning: TRACKWIRE_STOPGRACE is not a trackwire setting; did you mean TRACKWIRE_STOP_GRACE?"]
