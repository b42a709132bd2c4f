"""The queries behind the web pages (`trackwire.browse`), on the real browsing store of conftest,
on SQLite and on PostgreSQL where it runs."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy.exc import InternalError, OperationalError

import trackwire
from trackwire.store.search import QueryError


@pytest.fixture
def store(browse_url):
    with trackwire.open(browse_url) as opened:
        yield opened


@pytest.fixture
def lite(browse_db):
    with trackwire.open(browse_db) as opened:
        yield opened


def test_overview_counts_what_is_stored(store):
    home = store.overview()
    assert (home.totals.stories, home.totals.tagged) == (13, 13)


def test_overview_lists_the_newest_stories_first(store):
    assert [s.key for s in store.overview(latest=3).latest] == [
        "bol-2025-zurich", "mondo-2025-stockholm-copy", "mondo-2025-stockholm"]


def test_overview_ranks_athletes_of_the_thirty_days_before_the_newest_story(store):
    home = store.overview()
    assert home.mentioned_until.date().isoformat() == "2025-08-20"
    assert [(a.name, a.country, a.stories) for a in home.most_mentioned] == [("Femke Bol", "NED", 1)]


def test_overview_window_grows_with_days(store):
    names = [(a.name, a.stories) for a in store.overview(days=90).most_mentioned]
    assert names == [("Femke Bol", 6), ("Armand Duplantis", 2)]


def test_overview_window_ends_at_now_when_it_is_earlier(store):
    home = store.overview(now=datetime(2024, 5, 1, tzinfo=timezone.utc))
    assert [a.name for a in home.most_mentioned] == ["Armand Duplantis"]


def test_overview_shows_runs_and_failing_sources(store):
    home = store.overview()
    assert [r.status for r in home.runs] == ["failed", "ok"]
    assert [f.name for f in home.failing_sources] == ["courier", "gazette"]


def test_search_page_counts_every_match_not_just_the_page(store):
    page = store.search_page("world record", limit=1)
    assert (page.total, len(page.hits)) == (4, 1)


def test_search_page_pages_through_the_matches(store):
    keys = [store.search_page("world record", limit=1, offset=i).hits[0].key for i in range(4)]
    assert len(set(keys)) == 4


def test_search_page_facets_count_events_sources_and_athletes(store):
    facets = {name: [(f.value, f.count) for f in values] for name, values in store.search_page("world record").facets.items()}
    assert facets == {"event": [("pole vault", 4)],
                      "source": [("courier", 2), ("ingest", 1), ("wire", 1)],
                      "athlete": [("Armand Duplantis", 4), ("Femke Bol", 2)]}


def test_a_facet_narrows_the_search_to_its_count(store):
    page = store.search_page("world record")
    bol = next(f for f in page.facets["athlete"] if f.value == "Femke Bol")
    narrowed = store.search_page("world record", athletes=[bol.value])
    assert narrowed.total == bol.count == len(narrowed.hits)


def test_search_page_with_no_match_has_no_facets(store):
    page = store.search_page("steeplechase")
    assert (page.total, page.hits, page.facets) == (0, [], {})


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": 501}, {"offset": -1}], ids=["zero", "too-many", "negative"])
def test_search_page_refuses_bad_paging(lite, kwargs):
    with pytest.raises(QueryError, match="limit must be 1 to 500"):
        lite.search_page("bol", **kwargs)


def test_the_query_filter_counts_what_search_finds(store):
    assert store.count(query="world record") == 4
    assert store.count(query="world record", source="wire") == 1


def test_story_detail_lists_near_duplicates(store):
    detail = store.story_detail("mondo-2025-stockholm")
    assert [s.key for s in detail.near_duplicates] == ["mondo-2025-stockholm-copy"]
    assert detail.story.performances[0].mark == "6.28m"


def test_story_detail_of_a_story_without_copies(lite):
    assert lite.story_detail("bol-2023-rome").near_duplicates == []


def test_story_detail_of_an_unknown_key_is_none(lite):
    assert lite.story_detail("no-such-story") is None


def test_history_adds_up_drops_by_reason(store):
    history = store.history()
    assert history.dropped == {"duplicate": 3, "http_error": 2, "no_date": 1}
    assert history.runs[0].dropped_by_reason == {"http_error": 2}


def test_history_puts_failing_sources_first(store):
    assert [(s.name, s.status) for s in store.history().sources] == [
        ("courier", "failing"), ("gazette", "failing"), ("wire", "ok")]


def test_progression_dates_each_mark_and_marks_the_bests(lite):
    (hurdles,) = lite.athlete("Femke Bol").progressions
    assert hurdles.event == "400m hurdles" and hurdles.lower_is_better
    assert [p.mark for p in hurdles.points] == ["52.43", "51.45", "52.15", "52.30", "52.10", "52.60"]
    assert (hurdles.personal_best.mark, hurdles.season, hurdles.season_best.mark) == ("51.45", 2025, "52.10")


def test_progression_of_a_field_event_is_higher_is_better(lite):
    (vault,) = lite.athlete("Duplantis").progressions
    assert not vault.lower_is_better and vault.personal_best.mark == "6.28m"


def test_progression_keeps_a_restated_mark_at_its_first_story(lite):
    (vault,) = lite.athlete("Duplantis").progressions
    assert [(p.mark, p.story_key) for p in vault.points] == [("6.24m", "mondo-2024-xiamen"),
                                                             ("6.28m", "mondo-2025-stockholm")]


def test_progression_points_carry_their_story_title(lite):
    (vault,) = lite.athlete("Duplantis").progressions
    assert vault.points[0].story_title == "Duplantis clears 6.24m in Xiamen"


def test_download_jsonl_streams_the_export_contract(store):
    lines = list(store.download("jsonl", query="world record", source="courier"))
    assert sorted(json.loads(line)["key"] for line in lines) == ["mondo-2024-xiamen", "mondo-2025-stockholm-copy"]


def test_download_csv_has_a_header_and_a_row_per_story(store):
    rows = list(csv.reader(io.StringIO("".join(store.download("csv", athletes=["Duplantis"])))))
    assert rows[0][:3] == ["key", "url", "title"] and len(rows) == 1 + 4


def test_download_csv_defuses_spreadsheet_formulas(lite, tmp_path):
    db = tmp_path / "t.db"
    (tmp_path / "f.jsonl").write_text(json.dumps({"key": "f1", "title": "=HYPERLINK(\"http://x.test\")",
                                                  "body": "Nothing here."}) + "\n", encoding="utf-8")
    with trackwire.open(db) as store:
        store.ingest([tmp_path / "f.jsonl"])
        (_, row) = csv.reader(io.StringIO("".join(store.download("csv"))))
    assert row[2] == "'=HYPERLINK(\"http://x.test\")"


def test_download_refuses_an_unknown_format_before_any_line(lite):
    with pytest.raises(QueryError, match="choose csv or jsonl"):
        lite.download("xlsx")


def test_download_checks_its_filters_before_any_line(lite):
    with pytest.raises(QueryError, match="unknown event code"):
        lite.download("csv", event="1500")


OperationalErrors = (OperationalError, InternalError)  # SQLite's query_only; PostgreSQL's read-only transaction


def test_a_read_only_store_reads(browse_url):
    with trackwire.open(browse_url, read_only=True) as store:
        assert store.count() == 13


def test_a_read_only_store_refuses_writes(browse_url, tmp_path):
    (tmp_path / "new.txt").write_text("A headline\n\nA body.\n", encoding="utf-8")
    with trackwire.open(browse_url, read_only=True) as store, pytest.raises(OperationalErrors):
        store.ingest([tmp_path / "new.txt"])


def test_a_read_only_store_must_exist(tmp_path):
    from trackwire.store.db import DatabaseError

    with pytest.raises(DatabaseError, match="no store at"):
        trackwire.open(tmp_path / "missing.db", read_only=True).count()
    assert not (tmp_path / "missing.db").exists()


def test_facets_past_the_sample_count_the_newest_stories(store):
    page = store.search_page("bol", facet_sample=3)
    assert page.total > 3 and page.facets_over == 3
    assert sum(f.count for f in page.facets["source"]) == 3


def test_facets_within_the_sample_count_every_story(store):
    page = store.search_page("bol")
    assert page.facets_over == page.total == sum(f.count for f in page.facets["source"])
