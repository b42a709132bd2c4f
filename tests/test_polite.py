"""Politeness against a real local site: Crawl-delay, 429 back-off, 403 blocks (crawler/polite.py)."""

from __future__ import annotations

import json
import sqlite3
import time

from conftest import trackwire
from trackwire.crawler.demo_site import DemoSite, load_articles
from trackwire.crawler.polite import retry_after_seconds


class TimedSite(DemoSite):
    """The demo site, recording when each path was asked for; `answers` scripts status codes per path."""

    def __init__(self, articles, robots: str | None = None, answers: dict | None = None):
        super().__init__(articles=articles)
        self.times: dict[str, list[float]] = {}
        self.answers = answers or {}  # path -> list of (status, headers) used up in order
        if robots is not None:
            self.extra["/robots.txt"] = (200, "text/plain", robots.encode())

    def route(self, path):
        self.times.setdefault(path, []).append(time.monotonic())
        scripted = self.answers.get(path)
        if scripted:
            status, headers = scripted.pop(0)
            return status, "text/html", b"<html><body>slow down</body></html>", headers
        return super().route(path)


def crawl(site, tmp_path, db):
    sources = tmp_path / "sources.toml"
    sources.write_text(site.sources_toml().replace('sitemaps = ["' + site.base + '/sitemap.xml"]\n', ""),
                       encoding="utf-8")
    return trackwire("crawl", "--sources", str(sources), db=db)


def article_times(site) -> list[float]:
    paths = {a.path for a in site.articles}
    return sorted(t for p, ts in site.times.items() if p in paths for t in ts)


def test_robots_crawl_delay_spaces_the_requests(db_path, tmp_path):
    with TimedSite(load_articles()[:4], robots="User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n") as site:
        result = crawl(site, tmp_path, db_path)
    assert result.returncode == 0, result.stderr
    times = article_times(site)
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.9, gaps


def test_429_waits_what_the_site_asks_then_fetches_the_page(db_path, tmp_path):
    articles = load_articles()[:3]
    target = articles[1].path
    with TimedSite(articles, answers={target: [(429, {"Retry-After": "2"})]}) as site:
        result = crawl(site, tmp_path, db_path)
    assert result.returncode == 0, result.stderr
    assert len(site.times[target]) == 2, "the page was not asked for again"
    assert site.times[target][1] - site.times[target][0] >= 1.9
    assert "throttled us" in result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM story").fetchone()[0] == 3
        stats = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])
    host = site.base.split("//")[1]
    assert stats["scrapy"][f"trackwire/backoff/{host}"] == 1
    assert host in stats["throttled"]


def test_a_site_that_keeps_answering_403_is_left_alone_and_reported(cli, db_path, tmp_path):
    articles = load_articles()[:8]
    answers = {a.path: [(403, {})] for a in articles}
    with TimedSite(articles, answers=answers) as site:
        result = crawl(site, tmp_path, db_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert len(article_times(site)) == 3, "a blocked site was asked again"
    assert "blocked" in result.stderr
    report = cli("stats").stdout
    assert "failing demo" in report and "403" in report


def test_retry_after_reads_seconds_and_dates():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"30", now) == 30
    assert retry_after_seconds("Tue, 24 Nov 2026 12:01:00 GMT", now) == 60
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None
