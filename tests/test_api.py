"""The Python API (`trackwire.open`) on a real store built by ingest and tag, and docs/api.md's examples."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import trackwire
from conftest import FIXTURES
from trackwire.store.export import ExportError
from trackwire.store.search import QueryError

DOCS = Path(__file__).parent.parent / "docs" / "api.md"
INGEST = FIXTURES / "ingest"


@pytest.fixture(scope="module")
def built(fixture_store):
    """The folder of the session's tagged fixture store (conftest), read by this module's tests."""
    return fixture_store.parent


@pytest.fixture
def store(built):
    with trackwire.open(built / "trackwire.db") as opened:
        yield opened


def test_ingest_stores_the_good_inputs_and_reports_the_bad(tmp_path):
    with trackwire.open(tmp_path / "t.db") as store:
        report = store.ingest([INGEST / "stories.jsonl"])
    assert report.stored == {"new": 2}
    assert [p.where.rsplit(":", 1)[1] for p in report.problems] == ["3", "4", "5"]


def test_athlete_profile_is_typed_and_json_shaped(store):
    profile = store.athlete("kerr")
    assert profile.athlete.name == "Josh Kerr" and profile.athlete.country == "GBR"
    assert profile.athlete.stories == 1
    assert [r.mark for r in profile.by_event["3000m"]] == ["7:33.62"]
    (perf,) = profile.performances
    assert (perf.story_key, perf.event, perf.value, perf.unit) == ("glasgow-3000m", "3000m", 453.62, "s")
    assert json.loads(json.dumps(profile.to_json()))["athlete"]["name"] == "Josh Kerr"


def test_unknown_athlete_raises_with_suggestions(store):
    with pytest.raises(trackwire.AthleteNotFound) as caught:
        store.athlete("Josh Kirby")
    assert "Josh Kerr" in caught.value.suggestions


def test_search_gives_plain_snippets_with_highlight_offsets(store):
    (hit,) = store.search("world record", athletes=["Duplantis"])
    assert hit.key == "jump-1"
    assert [hit.snippet[s:e].lower() for s, e in hit.highlights] == ["world", "record"]
    assert "[" not in hit.snippet


def test_search_pages_with_offset(store):
    first = store.search("the", limit=1)
    second = store.search("the", limit=1, offset=1)
    assert first and second and first[0].key != second[0].key


@pytest.mark.parametrize("kwargs, message", [
    ({"event": "1500"}, "unknown event code '1500'; did you mean 1500m"),
    ({"since": "2025-06-01", "until": "2025-01-01"}, "must be before until"),
    ({"since": "last year"}, "is not a date"),
    ({"until": "2024-02-30"}, "until '2024-02-30' is no day of the calendar"),
], ids=["unknown-event", "since-after-until", "not-a-date", "no-such-day"])
def test_bad_filters_raise_one_clear_error(store, kwargs, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        store.search("win", **kwargs)


def test_stories_stream_the_export_contract(store):
    stories = {s.key: s for s in store.stories(tagged_only=True)}
    assert set(stories) == {"glasgow-3000m", "hurdles-1", "jump-1"}
    bol = stories["hurdles-1"]
    assert [(p.athlete, p.event, p.mark) for p in bol.performances] == [("Femke Bol", "400m hurdles", "52.30")]
    assert bol.quotes[0].speaker == "Femke Bol"


def test_story_by_key(store):
    assert store.story("jump-1").marks[0].value == 6.27
    assert store.story("no-such-key") is None


def test_export_checks_its_target_before_any_work(store, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        store.export("jsonl", tmp_path / "missing" / "out.jsonl")


def test_export_accepts_the_format_in_any_case(store, tmp_path):
    report = store.export("JSONL", tmp_path / "out.jsonl", event="pole vault")
    assert (report.format, report.stories) == ("jsonl", 1)
    assert json.loads((tmp_path / "out.jsonl").read_text())["key"] == "jump-1"


def test_stats_counts_what_is_stored(store):
    totals = store.stats().totals
    assert (totals.stories, totals.tagged) == (3, 3)


def _doc_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_docs_api_examples_run(built, tmp_path, monkeypatch):
    """Every ```python block of docs/api.md, in order, in one namespace, next to a copy of the store."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "trackwire.db").write_bytes((built / "trackwire.db").read_bytes())
    (work / "more-stories").mkdir()
    (work / "more-stories" / "relay.txt").write_text(
        "Relay squad named\n\nThe selectors named six sprinters for the 4x100m relay squad.\n", encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("TRACKWIRE_DB", str(work / "trackwire.db"))
    blocks = _doc_blocks()
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), namespace)  # noqa: S102  (our own documentation)
    assert (work / "tables" / "manifest.json").exists()
    assert os.path.exists(work / "trackwire.db")


@pytest.mark.parametrize("command", ["athlete", "search", "export", "ingest", "tag", "stats", "runs"])
def test_cli_command_calls_the_python_api_not_the_store(command):
    """One implementation of each query: the command goes through `store()` (`store(create=False)` for
    one that only reads), never a session of its own."""
    import inspect

    from trackwire import cli, commands_crawl, commands_query, commands_schedule  # noqa: F401

    functions = {"tag": commands_crawl.do_tag, "ingest": commands_crawl.ingest, "stats": commands_crawl.stats,
                 "runs": commands_schedule.runs, "athlete": commands_query.athlete,
                 "search": commands_query.search, "export": commands_query.export}
    source = inspect.getsource(functions[command])
    assert "store()" in source or "store(create=False)" in source
    for direct in ("trackwire.store", "read_session", "write_session", "engine()"):
        assert direct not in source
