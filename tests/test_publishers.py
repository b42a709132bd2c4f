"""Every packaged source, crawled against a local copy of its publisher (tests/publishers.py).

The sources are the shipped ones (crawler/sources.toml) with only their host
moved to 127.0.0.1, so the real URL patterns, topic filter and selectors run.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import ExitStack
from datetime import datetime, timezone

import pytest

from conftest import shared, started, trackwire
from trackwire.crawler.feeds import feed_entries
from trackwire.crawler.topic import classify
from publishers import PublisherSite, packaged_sources, publishers, relocated, to_toml

BOILERPLATE = ["Privacy notice", "Leave a Reply", "Most read", "Related", "Get the newsletter", "Latest news",
               "Share", "Picture agency"]


@pytest.fixture(scope="module")
def sites():
    packaged = packaged_sources()
    pubs = publishers()
    assert {p.source for p in pubs} == set(packaged), "every shipped source needs a local copy here"
    with ExitStack() as stack:
        yield [stack.enter_context(PublisherSite(p, packaged[p.source])) for p in pubs]


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    """One crawl of every publisher's copy; the store and the run's stats."""
    tmp = tmp_path_factory.mktemp("publishers")
    sources = tmp / "sources.toml"
    sources.write_text(to_toml([relocated(s.source, s.base) for s in sites]), encoding="utf-8")
    db = tmp / "trackwire.db"
    result = trackwire("crawl", "--sources", str(sources), db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["key"]: dict(r) for r in conn.execute("SELECT key, source, title, author, published_at, text "
                                                        "FROM story")}
        stats = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])
    return rows, stats, sources, db


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("name", [p.source for p in publishers()])
def test_each_publisher_yields_complete_articles(name, sites, crawled):
    rows, _, _, _ = crawled
    site = next(s for s in sites if s.publisher.source == name)
    for path, article in site.urls.items():
        row = rows.get(site.base + path)
        assert row is not None, f"{name}: {path} not stored; stored: {sorted(rows)}"
        assert row["source"] == name
        assert row["title"] == article.title
        assert row["author"] == article.author
        assert _utc(row["published_at"]) == article.published.astimezone(timezone.utc)
        for paragraph in article.paragraphs:
            assert paragraph in row["text"], f"{name}: paragraph missing from the body"
        for chrome in BOILERPLATE:
            assert chrome not in row["text"], f"{name}: page chrome {chrome!r} in the body"


@pytest.mark.parametrize("name", [p.source for p in publishers()])
def test_videos_galleries_forums_and_profiles_are_never_fetched(name, sites, crawled):
    site = next(s for s in sites if s.publisher.source == name)
    assert site.publisher.skipped_paths
    assert all(site.hits.get(p, 0) == 0 for p in site.publisher.skipped_paths), site.hits


def test_general_feed_keeps_athletics_and_counts_the_rest(sites, crawled):
    rows, stats, _, _ = crawled
    site = next(s for s in sites if s.publisher.source == "bbc_sport")
    assert all(site.hits.get(path, 0) == 0 for path, _, _ in site.publisher.off_topic)
    assert sum(r["source"] == "bbc_sport" for r in rows.values()) == len(site.urls)
    assert stats["dropped"]["non_athletics"] == len(site.publisher.off_topic)


# The topic filter on real BBC feeds (../shared/feeds), labelled by hand: which items are athletics
# stories. Items are named by their URL's last segment.
BBC_2024_ATHLETICS = {"cp81x1k1yjno", "c20lmy6rn7no", "cjdk5nl7nryo", "c8jl7mwwgr1o", "clyn29v1j70o",
                      "c75n67qen07o", "czdp1jlj22po", "cvg53jejr0qo"}


@pytest.mark.parametrize("feed, athletics", [
    ("bbc_news_rss_2024-08-08.xml", BBC_2024_ATHLETICS),
    ("bbc_sport_rss_2019-08-14.xml", set()),
    ("espn_top_rss_2019-08-14.xml", set()),
])
def test_topic_filter_on_real_feeds(feed, athletics):
    path = shared("feeds", feed)
    entries = feed_entries(path.read_bytes())
    assert len(entries) >= 20
    kept = {e.url.rstrip("/").rsplit("/", 1)[-1] for e in entries if classify(e.title, e.summary, e.url).athletics}
    assert kept == athletics


@pytest.mark.parametrize("title, summary, url, expected", [
    ("Marathon swimming goes ahead in the river", "The open water event starts at dawn", "/sport/olympics/1", False),
    ("Silver in the 400m freestyle", "A late surge in the pool", "/sport/olympics/2", False),
    ("A night of upsets", "Noah Lyles is beaten over 100m", "/sport/olympics/3", True),
    ("Anything at all", None, "https://www.bbc.co.uk/sport/athletics/articles/c123", True),
    ("Kerr wins 1,500m", None, "https://www.bbc.co.uk/sport/football/articles/c123", False),
    ("Parkour athlete races a police dog", "Who is quicker over the course?", "/sport/av/football/4", False),
])
def test_topic_filter_rules(title, summary, url, expected):
    assert classify(title, summary, url).athletics is expected


def test_sources_check_passes_on_every_publisher(sites, crawled):
    _, _, sources, db = crawled
    result = trackwire("sources", "check", "--sources", str(sources), db=db)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("│ ")}
    for site in sites:
        assert " ok " in lines[site.publisher.source], lines[site.publisher.source]


def test_sources_check_shows_the_extracted_values(sites, crawled):
    """The article's title, date, author and the start of its body, as extracted: not only what is missing."""
    rows, _, sources, db = crawled
    result = trackwire("sources", "check", "letsrun", "--sources", str(sources), db=db)
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("│ letsrun ")]
    cells = [cell.strip() for cell in line.split("│")[1:-1]]
    story = next(r for r in rows.values() if r["source"] == "letsrun" and r["title"].startswith(cells[4][:30]))
    assert cells[5].startswith(story["published_at"][:10]) and cells[6] == story["author"]
    body = story["text"].split("\n\n", 1)[1].split()
    assert cells[7].startswith(f"{len(body)} words: {' '.join(body[:3])}")


def test_sources_check_fails_loudly_on_a_redesign(tmp_path):
    """A moved feed and an article page whose markup lost the story: both sources broken, exit 1."""
    packaged = packaged_sources()
    by_name = {p.source: p for p in publishers()}
    with PublisherSite(by_name["athletics_weekly"], packaged["athletics_weekly"]) as moved, \
            PublisherSite(by_name["usatf"], packaged["usatf"]) as redesigned, \
            PublisherSite(by_name["letsrun"], packaged["letsrun"]) as fine:
        del moved.extra["/feed/"]
        for path in redesigned.urls:
            redesigned.extra[path] = (200, "text/html", b"<html><body><div id='app'></div>"
                                      b"<script src='/bundle.js'></script></body></html>")
        sources = tmp_path / "sources.toml"
        sources.write_text(to_toml([relocated(s.source, s.base) for s in (moved, redesigned, fine)]),
                           encoding="utf-8")
        result = trackwire("sources", "check", "--sources", str(sources), db=tmp_path / "t.db")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "2 sources broken: athletics_weekly, usatf" in result.stderr
    assert "http_404" in result.stderr and "no article" in result.stderr
    status = {line.split()[1]: line.split()[3] for line in result.stdout.splitlines()
              if line.startswith("│ ") and line.split()[1] != "│"}
    assert status == {"athletics_weekly": "broken", "usatf": "broken", "letsrun": "ok"}


def test_sources_check_interrupted_judges_nothing(tmp_path):
    """Ctrl-C while the article is still downloading: exit 130, and no source called broken."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from trackwire.crawler.demo_site import DemoSite

    asked, release = threading.Event(), threading.Event()

    class HeldSite(DemoSite):
        def arrived(self, path, headers):
            if path.startswith("/news/"):  # the article stays in download until the test lets it go
                asked.set()
                release.wait(timeout=120)

    with HeldSite() as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        proc = started(subprocess.Popen([sys.executable, "-m", "trackwire", "--db", str(tmp_path / "t.db"), "sources", "check",
                                 "--sources", str(sources), "--debug"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "TRACKWIRE_DOWNLOAD_DELAY": "0"}))
        try:
            assert asked.wait(timeout=120)
            proc.send_signal(signal.SIGINT)
            seen = []
            for line in proc.stderr:  # Scrapy's log says when the stop has reached the crawl (crawler.shutdown)
                seen.append(line)
                if "Closing spider (shutdown)" in line:
                    break
            release.set()  # only then may the article's download end
            out, rest = proc.communicate(timeout=60)
            err = "".join(seen) + rest
        finally:
            release.set()
    assert proc.returncode == 130, err
    assert "check interrupted" in err and "broken" not in out + err and "Traceback" not in err
