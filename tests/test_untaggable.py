"""A story that cannot be tagged is set aside with its reason; the rest are tagged; stats shows it.
Stories longer than MAX_STORY_CHARS are refused at ingest and dropped by the crawler (counted)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime

import pytest
import spacy
from spacy.language import Language

from conftest import copy_store, invoke, trackwire
from trackwire.crawler.demo_site import DemoArticle, DemoSite, load_articles
from trackwire.store.stories import MAX_STORY_CHARS

NORMAL = {f"race-{i}": f"Kerr wins race {i}\n\nJosh Kerr won the 1500m in 3:29.{i + 10} in Oslo." for i in range(3)}


def rows(db, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def store(db, stories: dict[str, str]) -> None:
    """Stories as an earlier trackwire (with no length limit) stored them."""
    from trackwire.store.db import init_db, make_engine, write_session
    from trackwire.store.stories import StoryIn, upsert_story

    eng = make_engine(str(db))
    init_db(eng)
    with write_session(eng) as session:
        for key, text in stories.items():
            upsert_story(session, StoryIn(key=key, text=text, title=text.split("\n")[0]))
    eng.dispose()


@pytest.fixture(scope="module", params=[1, 2], ids=["one-process", "two-processes"])
def poisoned(tmp_path_factory, request):
    """Three stories and one over spaCy's max_length (1,000,000 characters), which made `tag` crash;
    tagged once a module for each number of processes. Tests only read it; one that writes copies it."""
    db_path = tmp_path_factory.mktemp("poisoned") / "trackwire.db"
    store(db_path, {**NORMAL, "results-dump": "Results\n\n" + "Kerr 3:29.38. " * 71_500})
    result = invoke("tag", "--workers", str(request.param), db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path, result


def test_tag_sets_a_story_too_long_aside_and_tags_the_rest(poisoned):
    db, result = poisoned
    assert "tagged 3 stories" in result.stdout
    assert "1 story could not be tagged (1 too_long)" in result.stderr
    assert rows(db, "SELECT key, tag_error FROM story WHERE tagged_at IS NULL") == [
        ("results-dump", "too_long: 1,001,009 characters; trackwire takes at most 100,000")]


def test_stats_counts_the_stories_set_aside(poisoned):
    db, _ = poisoned
    assert "set aside by the tagger: 1 too_long" in invoke("stats", db=db).stdout
    assert json.loads(invoke("stats", "--json", db=db).stdout)["untaggable"] == {"too_long": 1}


def test_a_story_set_aside_is_not_tried_again_by_the_same_tagger(poisoned, tmp_path):
    db = copy_store(poisoned[0], tmp_path)
    assert "nothing to tag" in invoke("tag", db=db).stdout
    assert "nothing to tag" in invoke("tag", "--retag", db=db).stdout


@Language.component("test_explodes_on_boom")
def explodes_on_boom(doc):
    if "BOOM" in doc.text:
        raise ValueError("cannot read this story")
    return doc


def test_a_story_the_pipeline_raises_on_is_set_aside_with_the_reason(engine):
    """A real spaCy pipeline (blank English, the athletics rules) with a component that raises on one
    story: that story is set aside with the error, the others in its batch are tagged."""
    from sqlalchemy import select

    from trackwire.nlp.pipeline import add_athletics
    from trackwire.store.db import read_session, write_session
    from trackwire.store.models import Story
    from trackwire.store.stories import StoryIn, upsert_story
    from trackwire.tagging import work

    texts = {**NORMAL, "broken": "Kerr again\n\nBOOM Josh Kerr won the mile."}
    with write_session(engine) as session:
        for key, text in texts.items():
            upsert_story(session, StoryIn(key=key, text=text, title=text.split("\n")[0]))
    nlp = add_athletics(spacy.blank("en"))
    nlp.add_pipe("test_explodes_on_boom", first=True)
    report = work(engine, nlp, version="blank-1", batch_size=10)
    assert (report.tagged, report.untaggable) == (3, {"tagger_error": 1})
    with read_session(engine) as session:
        assert session.execute(select(Story.key, Story.tag_error).where(Story.tagged_at.is_(None))).all() == [
            ("broken", "tagger_error: ValueError: cannot read this story")]


def test_a_story_set_aside_is_tried_again_when_the_tagger_changes(engine):
    from trackwire.store.queue import claim, set_aside
    from trackwire.store.stories import StoryIn, upsert_story
    from trackwire.store.db import write_session
    from trackwire.tagging import pending

    with write_session(engine) as session:
        upsert_story(session, StoryIn(key="k", text="Kerr\n\nJosh Kerr won.", title="Kerr"))
    (story,) = claim(engine, "w", size=1, retag=False, version="v1")
    assert set_aside(engine, "w", story, "tagger_error: ValueError: x", "v1")
    assert (pending(engine, retag=False, version="v1"), pending(engine, retag=False, version="v2")) == (0, 1)


# ---------------------------------------------------------------- the limit at the doors


def test_ingest_refuses_a_story_over_the_limit_and_stores_the_rest(db_path, tmp_path):
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text("Results\n\n" + "x" * MAX_STORY_CHARS, encoding="utf-8")
    small.write_text(NORMAL["race-0"], encoding="utf-8")
    result = invoke("ingest", str(big), str(small), db=db_path)
    assert result.returncode == 1
    assert f"skipped {big}: too_long: {MAX_STORY_CHARS + 10:,} characters; trackwire takes at most" in result.stderr
    assert rows(db_path, "SELECT key FROM story") == [("small",)]


def test_the_crawler_drops_a_page_over_the_limit_and_counts_it(db_path, tmp_path):
    huge = DemoArticle("results-dump", "Every result of the night", "Demo Desk", datetime.fromisoformat(
        "2024-08-11T21:00:00+00:00"), tuple(f"Heat {i}: Kerr 3:29.{i % 90 + 10}, Ingebrigtsen 3:30.{i % 90 + 10}, "
                                            f"Nuguse 3:31.{i % 90 + 10}." for i in range(1600)))
    with DemoSite(articles=[huge, *load_articles()[:2]]) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(), encoding="utf-8")
        result = trackwire("crawl", "--sources", str(tmp_path / "sources.toml"), db=db_path)
    assert result.returncode == 0, result.stderr
    assert "dropped, by reason: 1 too_long" in result.stdout
    assert rows(db_path, "SELECT count(*) FROM story") == [(2,)]
    assert "pages dropped in the last run: 1 too_long" in invoke("stats", db=db_path).stdout
