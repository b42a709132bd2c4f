"""Feeds and sitemaps as publishers really send them (issue 13), through real crawls of a local site.

Each source below stands for one kind; one crawl reads them all. The article
pages are the demo site's (words written for trackwire), served at the paths
the feeds name, or the shared cases copied into fixtures/cases.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from conftest import FIXTURES, invoke, trackwire
from trackwire.crawler.demo_site import DemoSite, load_articles, render_article
from trackwire.crawler.feeds import feed_entries, sitemap_entries

CASES = FIXTURES / "cases"
ARTICLES = load_articles()
URLSET = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'


def page(n: int, base: str, path: str, *, dated: bool = True) -> tuple[int, str, bytes]:
    """Demo article n at `path`, its canonical link there; without any date when not `dated`."""
    a = ARTICLES[n]
    html = render_article(a, base).replace(f"{base}{a.path}", f"{base}{path}")
    if not dated:
        html = html.replace(a.published.isoformat(), "").replace(f"{a.published:%d %B %Y}", "")
    return 200, "text/html; charset=utf-8", html.encode()


def rss_item(link: str, date: str = "Tue, 01 Apr 2025 09:00:00 GMT", title: str = "Athletics") -> str:
    return f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"


def rss(*items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{"".join(items)}</channel></rss>'.encode()


def urls(*locs: str) -> bytes:
    return URLSET.format("".join(f"<url><loc>{u}</loc><lastmod>2025-04-01T09:00:00Z</lastmod></url>"
                                 for u in locs)).encode()


@dataclass
class Crawled:
    site: DemoSite
    stories: dict  # source -> {path: row}
    stats: dict
    stats_out: str


SOURCES = """
[[source]]
name = "{name}"
{entry} = ["{base}{path}"]
{extra}
"""


def kinds(b: str, port: str) -> dict[str, tuple[str, str, dict, str]]:
    """Source name -> (entry kind, entry path, routes, extra TOML)."""
    big = gzip.compress(b" " * (60 * 1024 * 1024))  # 60 MB un-gzipped: over the 50 MB limit
    return {
        "relative": ("feeds", "/athletics/feed.xml", {
            "/athletics/feed.xml": (200, "application/rss+xml", (CASES / "f01_rss_relative_links.xml").read_bytes()),
            "/athletics/2024/05/kerr-oslo": (200, "text/html", (CASES / "e04_sidebar_time_first.html").read_bytes()),
        }, ""),
        "protocol_relative": ("feeds", "/pr/feed.xml", {
            "/pr/feed.xml": (200, "application/rss+xml", rss(rss_item(f"//127.0.0.1:{port}/pr/a"))),
            "/pr/a": page(0, b, "/pr/a")}, ""),
        "cdata": ("feeds", "/cd/feed.xml", {
            "/cd/feed.xml": (200, "application/rss+xml", rss(rss_item("<![CDATA[ /cd/a ]]>"))),
            "/cd/a": page(1, b, "/cd/a")}, ""),
        "xml_base": ("feeds", "/xb/atom.xml", {
            "/xb/atom.xml": (200, "application/atom+xml", (
                f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{b}/xb/stories/">'
                '<title>x</title><entry xml:base="2025/"><title>Athletics</title><link href="a"/>'
                '<published>2025-04-01T09:00:00Z</published></entry></feed>').encode()),
            "/xb/stories/2025/a": page(2, b, "/xb/stories/2025/a")}, ""),
        "gzip_no_encoding": ("sitemaps", "/gz/sitemap.xml.gz", {
            "/gz/sitemap.xml.gz": (200, "application/gzip", gzip.compress(urls(f"{b}/gz/a"))),
            "/gz/a": page(3, b, "/gz/a")}, ""),
        "gzip_plain_name": ("sitemaps", "/gp/sitemap.xml", {
            "/gp/sitemap.xml": (200, "application/xml", gzip.compress(urls(f"{b}/gp/a"))),
            "/gp/a": page(4, b, "/gp/a")}, ""),
        "gzip_twice": ("sitemaps", "/g2/sitemap.xml.gz", {
            "/g2/sitemap.xml.gz": (200, "application/x-gzip", gzip.compress(gzip.compress(urls(f"{b}/g2/a"))),
                                   {"Content-Encoding": "gzip"}),
            "/g2/a": page(5, b, "/g2/a")}, ""),
        "gzip_bomb": ("sitemaps", "/gb/sitemap.xml.gz", {"/gb/sitemap.xml.gz": (200, "application/gzip", big)}, ""),
        "encoded_bomb": ("sitemaps", "/eb/sitemap.xml", {
            "/eb/sitemap.xml": (200, "application/xml", big, {"Content-Encoding": "gzip"})}, ""),
        "news_title": ("sitemaps", "/nt/sitemap.xml", {
            "/nt/sitemap.xml": (200, "application/xml", (CASES / "f06_sitemap_image_title.xml").read_bytes().replace(
                b"https://news.example.org/athletics/2024/05/kerr-oslo", f"{b}/nt/a".encode())),
            "/nt/a": page(6, b, "/nt/a")}, 'topic = "athletics"'),
        "named_zone": ("feeds", "/nz/feed.xml", {
            "/nz/feed.xml": (200, "application/rss+xml", rss(rss_item(f"{b}/nz/a", "Thu, 30 May 2024 21:40:00 CEST"))),
            "/nz/a": page(7, b, "/nz/a", dated=False)}, ""),
        "irish_zone": ("feeds", "/iz/feed.xml", {
            "/iz/feed.xml": (200, "application/rss+xml", rss(rss_item(f"{b}/iz/a", "Thu, 30 May 2024 21:40:00 IST"))),
            "/iz/a": page(8, b, "/iz/a", dated=False)}, 'timezone = "Europe/Dublin"'),
        "bad_links": ("feeds", "/bl/feed.xml", {
            "/bl/feed.xml": (200, "application/rss+xml", rss(rss_item("mailto:desk@example.org"),
                                                              rss_item("https:///no-host"), rss_item(f"{b}/bl/a"))),
            "/bl/a": page(9, b, "/bl/a")}, ""),
        "binary_feed": ("feeds", "/bf/feed.xml", {
            "/bf/feed.xml": (200, "application/rss+xml", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 40)}, ""),
        "empty_feed": ("feeds", "/ef/feed.xml", {"/ef/feed.xml": (200, "application/rss+xml", b"")}, ""),
        "binary_sitemap": ("sitemaps", "/bs/sitemap.xml", {
            "/bs/sitemap.xml": (200, "application/xml", bytes(range(256)) * 40)}, ""),
        "empty_sitemap": ("sitemaps", "/es/sitemap.xml", {"/es/sitemap.xml": (200, "application/xml", b"  \n")}, ""),
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Crawled:
    tmp = tmp_path_factory.mktemp("feeds")
    with DemoSite(articles=[]) as site:
        port = site.base.rsplit(":", 1)[1]
        toml = []
        for name, (entry, path, routes, extra) in kinds(site.base, port).items():
            site.extra.update(routes)
            toml.append(SOURCES.format(name=name, entry=entry, base=site.base, path=path, extra=extra))
        sources = tmp / "sources.toml"
        sources.write_text("".join(toml), encoding="utf-8")
        db = tmp / "trackwire.db"
        result = trackwire("crawl", "--sources", str(sources), db=db)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        with sqlite3.connect(db) as conn:
            conn.row_factory = sqlite3.Row
            stories: dict = {}
            for r in conn.execute("SELECT key, source, title, published_at FROM story"):
                stories.setdefault(r["source"], {})[r["key"].replace(site.base, "")] = dict(r)
            stats = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])
        yield Crawled(site, stories, stats, invoke("stats", db=db).stdout)


@pytest.mark.parametrize("source,path", [
    ("relative", "/athletics/2024/05/kerr-oslo"), ("protocol_relative", "/pr/a"), ("cdata", "/cd/a"),
    ("xml_base", "/xb/stories/2025/a"), ("gzip_no_encoding", "/gz/a"), ("gzip_plain_name", "/gp/a"),
    ("gzip_twice", "/g2/a"), ("news_title", "/nt/a"), ("bad_links", "/bl/a"),
], ids=["relative", "protocol-relative", "cdata", "xml-base", "gzip-no-content-encoding", "gzip-plain-name",
        "gzip-twice", "news-title-not-image-title", "good-link-beside-bad-ones"])
def test_the_linked_article_is_stored(crawled, source, path):
    assert set(crawled.stories.get(source, {})) == {path}


def test_the_shared_relative_feed_case_gives_the_article_date(crawled):
    row = crawled.stories["relative"]["/athletics/2024/05/kerr-oslo"]
    assert row["published_at"].startswith("2024-05-30 21:40")


@pytest.mark.parametrize("source,expected", [("named_zone", "2024-05-30 19:40"), ("irish_zone", "2024-05-30 20:40")],
                         ids=["cest", "ist-with-source-zone"])
def test_a_feed_date_with_a_named_zone_is_the_right_instant(crawled, source, expected):
    (row,) = crawled.stories[source].values()
    assert row["published_at"].startswith(expected)


@pytest.mark.parametrize("reason,n", [("feed_malformed", 2), ("sitemap_malformed", 3), ("bad_scheme", 2)],
                         ids=["feeds", "sitemaps", "links"])
def test_unreadable_documents_and_bad_links_are_counted(crawled, reason, n):
    assert crawled.stats["dropped"].get(reason) == n


@pytest.mark.parametrize("name,why", [("binary_feed", "binary data"), ("empty_feed", "empty document"),
                                      ("binary_sitemap", "binary data"), ("empty_sitemap", "empty document"),
                                      ("gzip_bomb", "over 50 MB"), ("encoded_bomb", "too_large")],
                         ids=["binary-feed", "empty-feed", "binary-sitemap", "empty-sitemap", "gzip-bomb",
                              "content-encoding-bomb"])
def test_an_unreadable_source_is_failing_with_its_reason(crawled, name, why):
    line = next((x for x in crawled.stats_out.splitlines() if f"failing {name}:" in x), "")
    assert why in line, crawled.stats_out


# The shared cases through the parsers, with the README's right result.

def test_shared_case_relative_links_resolve_against_the_feed_url():
    feed = (CASES / "f01_rss_relative_links.xml").read_bytes()
    (entry,) = feed_entries(feed, "https://tw.example/athletics/feed.xml")
    assert entry.url == "https://tw.example/athletics/2024/05/kerr-oslo"


def test_shared_case_the_news_title_is_the_entry_title():
    sitemap = (CASES / "f06_sitemap_image_title.xml").read_bytes()
    (entry,), _ = sitemap_entries(sitemap, "https://news.example.org/s.xml")
    assert (entry.title, entry.published) == ("Kerr storms to Oslo 1500m win",
                                              datetime(2024, 5, 30, 21, 40, tzinfo=timezone.utc))


def test_shared_case_gzipped_sitemap_is_read():
    (entry,), _ = sitemap_entries((CASES / "f07_sitemap_gzip.xml.gz").read_bytes(), "https://news.example.org/s.xml.gz")
    assert entry.url == "https://news.example.org/athletics/2024/05/kerr-oslo"


def test_an_atom_link_in_an_rss_item_is_the_item_link():
    feed = rss('<item xmlns:atom="http://www.w3.org/2005/Atom"><title>x</title><atom:link href="/a/1"/></item>')
    (entry,) = feed_entries(feed, "https://tw.example/feed.xml")
    assert entry.url == "https://tw.example/a/1"


def test_a_guid_that_is_not_a_permalink_is_not_a_link():
    feed = rss('<item><title>x</title><guid isPermaLink="false">story/1001</guid></item>')
    assert feed_entries(feed, "https://tw.example/feed.xml") == []
