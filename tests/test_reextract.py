"""`trackwire reextract` over a store crawled for real, on SQLite and PostgreSQL.

The store is made as an older extraction would have left it: the demo site is
crawled once (a real crawl), its stories copied into each test's store and
tagged, then one story's text is rewritten the way the old extraction stored
it (its last paragraph lost, the headline repeated as the first paragraph).
Its raw page is the page as served.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, select

from conftest import invoke, trackwire
from trackwire.crawler.demo_site import DemoSite
from trackwire.reextraction import reextract
from trackwire.store.db import make_engine, read_session, write_session
from trackwire.store.models import Mention, Story
from trackwire.store.stories import StoryIn, content_hash, raw_html, upsert_story


def old_text(story: Story) -> str:
    """The text an older extraction stored: headline twice, last paragraph lost."""
    paragraphs = story.text.split("\n\n")
    return "\n\n".join([story.title, *paragraphs[:-1]])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> list[StoryIn]:
    """Five demo articles crawled for real into a SQLite store, read back as the crawler stored them."""
    tmp = tmp_path_factory.mktemp("reextract")
    with DemoSite() as site:
        sources = tmp / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        result = trackwire("crawl", "--sources", str(sources), "--max-articles", "5", db=tmp / "crawl.db")
        assert result.returncode == 0, result.stderr
    crawl = make_engine(str(tmp / "crawl.db"))
    with read_session(crawl) as session:
        stories = [StoryIn(key=r.key, text=r.text, title=r.title, url=r.url, source=r.source, author=r.author,
                           published_at=r.published_at, fetched_at=r.fetched_at, language=r.language,
                           raw_html=raw_html(r)) for r in session.exec(select(Story).order_by(Story.id))]
    crawl.dispose()
    return stories


@pytest.fixture
def store(engine, crawled):
    """The crawled stories in `engine`'s store (SQLite or PostgreSQL), every one tagged, story 2 as an older
    extraction left it."""
    with write_session(engine) as session:
        for story in crawled:
            upsert_story(session, story)
    with write_session(engine) as session:
        for row in session.exec(select(Story)).all():
            row.tagged_at, row.tagger_version = row.fetched_at, "t1"
            session.add(Mention(story_id=row.id, start=0, end=4, label="PERSON", text=row.text[:4], name="x"))
            if row.id == 2:
                row.text = old_text(row)
                row.content_hash = content_hash(row.text)
            session.add(row)
    with read_session(engine) as session:
        before = {r.id: (r.key, r.source, r.url, r.text, r.tagged_at) for r in session.exec(select(Story))}
    return before


def snapshot(engine) -> dict:
    with read_session(engine) as session:
        rows = {r.id: (r.key, r.source, r.url, r.text, r.tagged_at) for r in session.exec(select(Story))}
        tagged = {m.story_id for m in session.exec(select(Mention))}
    return {"rows": rows, "tagged": tagged}


def test_the_story_an_older_extraction_cut_is_restored_and_requeued(engine, store):
    report = reextract(engine)
    after = snapshot(engine)
    key, source, url, text_now, tagged_at = after["rows"][2]
    assert (key, source, url) == store[2][:3]
    assert text_now.count(text_now.split("\n\n")[0]) == 1 and len(text_now) > len(store[2][3])
    assert tagged_at is None and 2 not in after["tagged"]
    assert (report.total, report.updated, report.requeued, report.unchanged, report.failed) == (5, 1, 1, 4, {})


def test_the_other_stories_are_untouched(engine, store):
    reextract(engine)
    after = snapshot(engine)
    assert {i: r for i, r in after["rows"].items() if i != 2} == {i: r for i, r in store.items() if i != 2}
    assert after["tagged"] == set(store) - {2}


def test_only_the_named_sources_are_read(engine, store):
    report = reextract(engine, sources=("elsewhere",))
    assert (report.total, snapshot(engine)["rows"]) == (0, store)


def test_a_run_interrupted_mid_transaction_leaves_the_store_consistent(engine, store, db_url):
    """Ctrl-C while story 2's new text is flushed but not committed: that story stays as it was."""
    def interrupt(session, _context):
        if any(isinstance(o, Story) and o.id == 2 for o in session.dirty | session.new):
            raise KeyboardInterrupt

    event.listen(Session, "after_flush", interrupt)
    try:
        report = reextract(engine)
    finally:
        event.remove(Session, "after_flush", interrupt)
    assert report.interrupted and report.updated == 0
    assert snapshot(engine)["rows"] == store
    if db_url.startswith("postgresql"):
        return
    with sqlite3.connect(db_url) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        fts = conn.execute("SELECT count(*) FROM story_fts WHERE story_fts MATCH 'the'").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM story WHERE text LIKE '% the %'").fetchone()[0]
    assert fts == stored


def test_an_interrupted_run_keeps_what_it_updated(engine, store):
    def stop_after_story_2(done, total):
        if snapshot(engine)["rows"][2][4] is None:
            raise KeyboardInterrupt

    report = reextract(engine, on_progress=stop_after_story_2)
    assert report.interrupted and report.updated == 1 and report.done == 2
    assert snapshot(engine)["rows"][2][4] is None


def test_the_command_reports_the_counts(engine, store, db_url):
    result = invoke("reextract", db=db_url)
    assert result.returncode == 0, result.stderr
    assert "re-extracted 5 of 5 stored pages: 1 updated (1 queued for tagging), 4 unchanged, 0 failed" in result.stdout


def test_a_page_that_no_longer_extracts_is_counted_and_kept(engine, store):
    with write_session(engine) as session:
        session.exec(text("UPDATE story SET raw_html = :page WHERE id = 3"),
                     params={"page": __import__("zlib").compress(b"<html><body><nav>menu</nav></body></html>")})
    report = reextract(engine)
    assert report.failed == {"no_body": 1}
    assert snapshot(engine)["rows"][3] == store[3]
