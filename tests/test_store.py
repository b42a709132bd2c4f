"""The store on a real SQLite file."""

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from trackwire.store.db import read_session, write_session
from trackwire.store.export import story_records
from trackwire.store.models import Story
from trackwire.store.search import QueryError, athlete_profile, find_athletes, fts_query, search
from trackwire.store.stories import StoryIn, save_tags, upsert_story

TEXT = "Kerr wins in Glasgow\n\nJosh Kerr won the 3000m in 7:33.62 on Sunday.\n"


def tags_for_kerr():
    return {
        "athletes": [{"name": "Josh Kerr", "country": "GBR", "mentions": [[0, 4], [22, 31]]}],
        "people": [], "events": [{"event": "3000m", "sex": None, "indoor": True, "mentions": [[40, 45]]}],
        "marks": [{"text": "7:33.62", "value": 453.62, "unit": "s", "start": 49, "end": 56, "flags": [],
                   "wind": None}],
        "quotes": [],
        "performances": [{"athlete": "Josh Kerr", "event": "3000m", "mark": "7:33.62", "value": 453.62, "unit": "s"}],
    }


def store(engine, key="k1", text=TEXT, **kw):
    with write_session(engine) as session:
        return upsert_story(session, StoryIn(key=key, text=text, title=text.split("\n")[0], **kw))


def test_upsert_is_new_then_unchanged_then_updated(engine):
    assert store(engine) == "new"
    assert store(engine) == "unchanged"
    assert store(engine, text=TEXT + "More.\n") == "updated"
    with read_session(engine) as session:
        assert len(session.exec(select(Story)).all()) == 1


def test_changed_text_drops_old_tags_and_reindexes(engine):
    store(engine)
    with write_session(engine) as session:
        save_tags(session, 1, tags_for_kerr(), "t1")
    store(engine, text="Kerr wins in Glasgow\n\nA different body about Sørensen.\n")
    with read_session(engine) as session:
        record = next(story_records(session))
        assert record["athletes"] == [] and search(session, "Sorensen")
        assert not search(session, "7:33.62 Sunday")


def test_export_record_follows_the_contract(engine):
    store(engine, url="https://x.test/k1", published_at=datetime(2025, 2, 16, tzinfo=timezone.utc))
    with write_session(engine) as session:
        save_tags(session, 1, tags_for_kerr(), "t1")
    with read_session(engine) as session:
        record = next(story_records(session))
    assert set(record) == {"key", "url", "title", "source", "published_at", "text", "athletes", "people", "events",
                           "marks", "quotes", "performances", "spans"}
    assert record["athletes"] == [{"name": "Josh Kerr", "country": "GBR", "mentions": [[0, 4], [22, 31]]}]
    assert record["events"] == [{"event": "3000m", "sex": None, "indoor": True, "mentions": [[40, 45]]}]
    assert record["published_at"] == "2025-02-16T00:00:00Z"
    assert [s["label"] for s in record["spans"]] == ["ATHLETE", "ATHLETE", "EVENT", "MARK"]
    assert all(record["text"][s["start"]:s["end"]] for s in record["spans"])


@pytest.mark.parametrize("query", ["McLaughlin-Levrone", "Ingebrigtsen's", "AND", "OR NOT", '"quoted', "NEAR(x)"],
                         ids=["hyphen", "apostrophe", "and", "or-not", "quote", "near"])
def test_any_user_input_is_a_safe_query(engine, query):
    store(engine)
    with read_session(engine) as session:
        assert isinstance(search(session, query), list)


def test_query_with_no_words_is_a_clear_error():
    with pytest.raises(QueryError, match="nothing to search for"):
        fts_query("*")


@pytest.mark.parametrize("typed", ["josh kerr", "KERR", "Kerr", "Josh Kerr", "Kerrr"[:4], "Jsoh Kerr"],
                         ids=["lower", "upper", "surname", "full", "surname-again", "typo"])
def test_athlete_found_as_people_type_it(engine, typed):
    store(engine)
    with write_session(engine) as session:
        save_tags(session, 1, tags_for_kerr(), "t1")
    with read_session(engine) as session:
        assert [a.name for a in find_athletes(session, typed)] == ["Josh Kerr"]


@pytest.mark.parametrize("typed", ["%", "%err", "k_rr", "_", "j%", "\x00", "kerr\x00"])
def test_like_wildcards_and_nul_in_a_name_match_nobody(engine, typed):
    """`%` and `_` went into LIKE patterns as wildcards ("%" named whoever came first, "k_rr" found
    Kerr) and SQLite ends a LIKE pattern at a NUL, so "/athletes/%00" showed an arbitrary athlete."""
    store(engine)
    tags = tags_for_kerr()
    tags["athletes"].append({"name": "Faith Kipyegon", "country": "KEN", "mentions": [[0, 4]]})
    with write_session(engine) as session:
        save_tags(session, 1, tags, "t1")
    with read_session(engine) as session:
        assert find_athletes(session, typed) == []
        assert [a.name for a in find_athletes(session, "kerr")] == ["Josh Kerr"]


def kerr_renamed(engine, name: str) -> None:
    """The stored Kerr story, tagged with its athlete called `name`."""
    store(engine)
    tags = tags_for_kerr()
    tags["athletes"][0]["name"] = name
    with write_session(engine) as session:
        save_tags(session, 1, tags, "t1")


def test_accents_fold_both_ways(engine):
    kerr_renamed(engine, "Jakob Sørensen")
    with read_session(engine) as session:
        assert [a.name for a in find_athletes(session, "sorensen")] == ["Jakob Sørensen"]


@pytest.mark.parametrize("typed", ["smith", "Hudson", "hudson-smith"])
def test_either_part_of_a_double_surname_finds_the_athlete(engine, typed):
    kerr_renamed(engine, "Matthew Hudson-Smith")
    with read_session(engine) as session:
        assert [a.name for a in find_athletes(session, typed)] == ["Matthew Hudson-Smith"]


def test_profile_lists_stories_newest_first_with_performances(engine):
    store(engine, key="old", published_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    store(engine, key="new", published_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    with write_session(engine) as session:
        save_tags(session, 1, tags_for_kerr(), "t1")
        save_tags(session, 2, tags_for_kerr(), "t1")
    with read_session(engine) as session:
        (kerr,) = find_athletes(session, "Kerr")
        profile = athlete_profile(session, kerr)
    assert [s.key for s in profile.stories] == ["new", "old"]
    assert profile.stories[0].marks == [{"event": "3000m", "mark": "7:33.62", "value": 453.62, "unit": "s"}]


def test_a_store_from_before_migrations_is_brought_up_to_date_and_stamped(tmp_path):
    """A trackwire 0.1 SQLite file: no migration history, columns added since missing."""
    import sqlite3

    from trackwire.store.db import init_db, make_engine
    from trackwire.store.migrate import current, differences, head

    path = tmp_path / "old.db"
    eng = make_engine(str(path))
    init_db(eng)
    eng.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("ALTER TABLE athlete DROP COLUMN aliases")
        conn.execute("DROP INDEX ix_story_tagged_at")
        conn.execute("INSERT INTO athlete (name, fold) VALUES ('Josh Kerr', 'josh kerr')")
    eng = make_engine(str(path))
    init_db(eng)
    with read_session(eng) as session:
        assert [a.aliases for a in find_athletes(session, "Kerr")] == [""]
    with eng.connect() as conn:
        assert current(conn) == head()
    assert differences(eng) == []
    eng.dispose()
