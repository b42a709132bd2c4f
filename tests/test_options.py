"""The command line itself: global options anywhere, help, one-line refusals of bad values (issue 16,
"Options and messages"). Through Typer's CliRunner on a real store, or a child process where the
terminal, the environment or Scrapy's reactor matter."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer.main

from conftest import trackwire
from trackwire.cli import app, load_commands

load_commands()
COMMANDS = typer.main.get_command(app).commands
EVERY_COMMAND = sorted([name] if not hasattr(cmd, "commands") else [name, sub]
                       for name, cmd in COMMANDS.items() for sub in getattr(cmd, "commands", {None: 0}))
EVERY_COMMAND = [[part for part in parts if part] for parts in EVERY_COMMAND]


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_taken_before_or_after_the_command(cli, tmp_path, where):
    other = tmp_path / "other.db"
    args = ["--db", str(other), "db", "upgrade"] if where == "before" else ["db", "upgrade", "--db", str(other)]
    assert cli(*args).exit_code == 0
    assert other.exists()


def test_db_with_equals_after_a_subcommand(cli, tmp_path):
    other = tmp_path / "other.db"
    assert cli("db", "upgrade", f"--db={other}").exit_code == 0
    result = cli("db", "status", f"--db={other}")
    assert result.exit_code == 0 and str(other) in result.stdout


def test_debug_after_the_command_shows_the_traceback(cli, tmp_path):
    result = cli("stats", "--debug", "--db", str(tmp_path / "missing" / "t.db"))
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "database folder" in result.stderr


def test_without_debug_a_failure_is_one_line(cli, tmp_path):
    result = cli("stats", "--db", str(tmp_path / "missing" / "t.db"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_after_double_dash_debug_is_a_value_not_the_option(cli, fixture_store):
    result = cli("search", "--db", str(fixture_store), "--", "--debug")
    assert "'--debug' only excludes words" in result.stderr and "Traceback" not in result.stderr


def test_debug_shows_scrapys_log(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:9/rss"]\n', encoding="utf-8")
    result = trackwire("crawl", "--sources", str(sources), "--debug", db=tmp_path / "t.db")
    assert "[scrapy.core.engine] INFO: Spider opened" in result.stderr
    assert "Connection refused" in result.stderr


@pytest.mark.parametrize("args, shown", [
    (["search", "-doping"], "trackwire search -- -doping"),
    (["athlete", "-Kerr"], "trackwire athlete -- -Kerr"),
    (["sources", "check", "-bbc"], "trackwire sources check -- -bbc"),
], ids=["search", "athlete", "subcommand"])
def test_a_leading_dash_word_says_how_to_pass_it(cli, args, shown):
    result = cli(*args)
    assert result.exit_code == 2
    assert f"{args[-1]} is not an option of" in result.stderr and shown in result.stderr


def test_a_leading_dash_search_explains_exclusion(cli):
    assert 'a leading dash leaves out the stories with that word' in cli("search", "-doping").stderr


def test_a_negative_number_is_still_a_value(cli):
    result = cli("search", "x", "--limit", "-3")
    assert result.exit_code == 2 and "--limit" in result.stderr and "not an option" not in result.stderr


@pytest.mark.parametrize("args, option", [
    (["search", "x", "--limit", "99999999999999999999"], "--limit"),
    (["runs", "--limit", "0"], "--limit"),
    (["crawl", "--max-articles", "99999999999999999999"], "--max-articles"),
    (["tag", "--workers", "100000"], "--workers"),
    (["worker", "--batch", "0"], "--batch"),
    (["schedule", "--every", "99999999999999999999"], "--every"),
], ids=["search-limit", "runs-limit", "max-articles", "workers", "batch", "every"])
def test_a_number_out_of_range_is_one_line_naming_the_option(cli, args, option):
    result = cli(*args)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["search", "win", "--event", "1500"], "unknown event code '1500'; did you mean 1500m"),
    (["search", "win", "--since", "2025-06-01", "--until", "2025-01-01"], "must be before until"),
    (["export", "--event", "long jum"], "did you mean long jump"),
], ids=["unknown-event", "since-after-until", "export-event"])
def test_a_bad_filter_is_one_line(cli, fixture_store, args, message):
    result = cli(*args, "--db", str(fixture_store))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1


def test_export_format_in_capitals_is_taken(cli, fixture_store, tmp_path):
    out = tmp_path / "out.jsonl"
    result = cli("export", "--format", "JSONL", "--out", str(out), "--db", str(fixture_store))
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text().splitlines()) == 3


def test_export_to_a_path_under_a_file_names_the_file(cli, fixture_store, tmp_path):
    (tmp_path / "plain").write_text("x")
    result = cli("export", "--out", str(tmp_path / "plain" / "x.jsonl"), "--db", str(fixture_store))
    assert result.exit_code == 1
    assert f"{tmp_path / 'plain'} is a file, not a folder" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder whatever its mode")
def test_export_to_an_unwritable_folder_fails_before_any_work(cli, fixture_store, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = cli("export", "--out", str(locked / "x.jsonl"), "--db", str(fixture_store))
    assert result.exit_code == 1 and "is not writable" in result.stderr
    assert list(locked.iterdir()) == []


def test_export_to_a_read_only_place_fails_before_any_work(cli, fixture_store):
    """/sys refuses new files even to root: the check writes a probe, it does not trust the mode bits."""
    result = cli("export", "--out", "/sys/trackwire-test.jsonl", "--db", str(fixture_store))
    assert result.exit_code == 1
    assert "cannot write /sys/trackwire-test.jsonl: folder /sys is not writable" in result.stderr
    assert ".part" not in result.stderr


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_help_shows_no_value_for_flags_and_names_every_value(cli, command):
    """A flag shows no value (<bool>); an option's value has a name (N, NAME, D, FILE, ...), as the README
    writes it, not a type such as <int range>."""
    result = cli(*command, "--help")
    assert result.exit_code == 0
    options = [line for line in result.stdout.splitlines() if line.lstrip().startswith("-")]
    assert options and not [line for line in options if re.search(r"<[a-z]", line)], result.stdout
    assert "<bool>" not in result.stdout


@pytest.mark.parametrize("command, shown", [
    (["worker"], "TRACKWIRE_TAG_BATCH, else 32"),
    (["schedule"], "TRACKWIRE_CRAWL_TIMEOUT, else 3600"),
    (["schedule"], "TRACKWIRE_SCHEDULE, else 30 2 * * *"),
    (["crawl"], "TRACKWIRE_SOURCES, else the packaged one"),
], ids=["batch", "timeout", "cron", "sources"])
def test_help_shows_defaults_read_from_settings(cli, command, shown):
    assert shown in " ".join(cli(*command, "--help").stdout.split())


def _piped(*args: str, db) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run([sys.executable, "-m", "trackwire", "--db", str(db), *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_an_error_in_a_pipe_stays_on_one_line(tmp_path):
    deep = tmp_path / ("a-folder-with-a-long-name-" * 4) / "t.db"
    result = _piped("stats", db=deep)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and len(result.stderr) > 120


def test_stats_first_line_in_a_pipe_is_whole(tmp_path):
    assert _piped("db", "upgrade", db=tmp_path / "t.db").returncode == 0
    first = _piped("stats", db=tmp_path / "t.db").stdout.splitlines()[0]
    assert first.startswith("stories: 0") and first.endswith("marks: 0")


def test_version_prints_the_package_and_tagger_versions(cli, db_path):
    from importlib.metadata import version

    from trackwire.nlp.version import tagger_version

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"trackwire {version('trackwire')} (tagger {tagger_version()})\n"
    assert not db_path.exists()
