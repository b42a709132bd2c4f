"""Real crawls of a real HTTP site on 127.0.0.1, through the `trackwire` command."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, held_site, opened, started, trackwire
from trackwire.crawler.demo_site import DemoSite, load_articles

PAGES = FIXTURES / "pages"


def rss(base: str, paths: list[str], dated: bool = True) -> bytes:
    date = "<pubDate>Tue, 01 Apr 2025 09:00:00 GMT</pubDate>" if dated else ""
    items = "".join(f"<item><title>t</title><link>{base}{p}</link>{date}</item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()


def html_page(name: str) -> tuple[int, str, bytes]:
    return 200, "text/html", (PAGES / name).read_bytes()


@pytest.fixture
def site():
    with DemoSite() as s:
        yield s


def write_sources(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def count(db, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def crawled_twice(tmp_path_factory):
    """The demo site crawled twice into one store, with what the first crawl left: (site, db, first
    result, stories and hits after the first crawl, second result). Tests only read."""
    folder = tmp_path_factory.mktemp("crawled-twice")
    db = folder / "trackwire.db"
    with DemoSite() as site:
        sources = write_sources(folder, site.sources_toml())
        first = trackwire("crawl", "--sources", str(sources), db=db)
        after_first = (count(db, "SELECT count(*) FROM story"),
                       count(db, "SELECT count(*) FROM story WHERE title = '' OR published_at IS NULL"), dict(site.hits))
        second = trackwire("crawl", "--sources", str(sources), db=db)
    return site, db, first, after_first, second


def test_crawl_stores_every_article_once(crawled_twice):
    site, _, first, (stories, incomplete, _), _ = crawled_twice
    assert first.returncode == 0, first.stderr
    assert stories == len(site.articles)
    assert incomplete == 0


def test_second_crawl_fetches_no_stored_article(cli, crawled_twice):
    site, db_path, _, (_, _, first), result = crawled_twice
    assert result.returncode == 0, result.stderr
    articles = {a.path for a in site.articles}
    assert all(site.hits[p] == first[p] for p in articles), "an article page was fetched twice"
    assert site.hits["/feed.xml"] == 2 and site.hits["/sitemap.xml"] == 2
    assert site.not_modified == {"/feed.xml": 1, "/sitemap.xml": 1}, "feed and sitemap were not asked conditionally"
    assert count(db_path, "SELECT count(*) FROM story") == len(site.articles)
    assert "failing" not in cli("stats", "--db", str(db_path)).stdout


@pytest.fixture(scope="module")
def bad_site():
    extra = {
        "/bad/no-article": html_page("no-article.html"),
        "/bad/truncated": html_page("truncated.html"),
        "/bad/latin1": (200, "text/html", (PAGES / "latin1.html").read_bytes()),
        "/bad/server-error": (500, "text/html", b"<h1>oops</h1>"),
        "/notxml/feed.xml": (200, "application/rss+xml", b"<html><body>this is not a feed</body></html>"),
    }
    with DemoSite(extra=extra) as s:
        paths = ["/bad/no-article", "/bad/truncated", "/bad/latin1", "/bad/missing", "/bad/server-error",
                 "/bad/truncated?utm_source=x", load_articles()[0].path]
        s.extra["/bad/feed.xml"] = (200, "application/rss+xml", rss(s.base, paths))
        yield s


def bad_sources(site) -> str:
    return f"""
[[source]]
name = "bad"
feeds = ["{site.base}/bad/feed.xml"]
allowed_domains = ["127.0.0.1", "demo.trackwire.test"]
article_pattern = "/(bad|news)/"

[[source]]
name = "notxml"
feeds = ["{site.base}/notxml/feed.xml"]

[[source]]
name = "unreachable"
feeds = ["http://127.0.0.1:9/feed.xml"]
"""


@pytest.fixture(scope="module")
def bad_crawl(bad_site, tmp_path_factory):
    """One real crawl of the bad site (and a source that is not XML, and one that refuses): its store
    and the command's output. Tests only read the store."""
    folder = tmp_path_factory.mktemp("bad-crawl")
    db = folder / "trackwire.db"
    result = trackwire("crawl", "--sources", str(write_sources(folder, bad_sources(bad_site))), db=db)
    return db, result


def test_bad_input_is_counted_and_the_good_pages_stored(bad_crawl):
    db_path, result = bad_crawl
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    with sqlite3.connect(db_path) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM story")}
        stats = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])
    assert {k.rsplit("/", 1)[-1] for k in keys} == {"truncated", "latin1", load_articles()[0].slug}
    assert stats["dropped"] == {"no_body": 1, "http_404": 1, "http_500": 1, "feed_not_xml": 1,
                                "connection_refused": 1}


def test_non_utf8_page_is_decoded(bad_crawl):
    with sqlite3.connect(bad_crawl[0]) as conn:
        (text,) = conn.execute("SELECT text FROM story WHERE key LIKE '%latin1'").fetchone()
    assert "Alma Sørensen won" in text


def test_failing_sources_are_reported(cli, bad_crawl):
    result = cli("stats", "--db", str(bad_crawl[0]))
    assert "failing notxml" in result.stdout and "failing unreachable" in result.stdout
    assert "failing bad" not in result.stdout


def test_every_source_unreachable_fails_with_one_line(db_path, tmp_path):
    sources = write_sources(tmp_path, '[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:9/rss"]\n')
    result = trackwire("crawl", "--sources", str(sources), db=db_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: crawl failed" in result.stderr


def test_bad_sources_file_is_one_line_error(db_path, tmp_path):
    sources = write_sources(tmp_path, '[[source]]\nname = "Bad Name"\nfeeds = ["x"]\n')
    result = trackwire("crawl", "--sources", str(sources), db=db_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") <= 1 and "lowercase letters" in result.stderr


def test_ctrl_c_keeps_what_was_stored_and_the_next_run_finishes(db_path, tmp_path):
    with held_site(free=3) as site:
        sources = write_sources(tmp_path, site.sources_toml())
        env = {**os.environ, "TRACKWIRE_DB": str(db_path), "TRACKWIRE_DOWNLOAD_DELAY": "0"}
        proc = started(subprocess.Popen([sys.executable, "-m", "trackwire", "--debug", "crawl", "--sources", str(sources)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        assert site.reached.wait(timeout=120)  # three pages answered, the fourth held
        proc.send_signal(signal.SIGINT)
        seen = []
        for line in proc.stderr:  # Scrapy's log says when the stop has reached the crawl (crawler.shutdown)
            seen.append(line)
            if "Closing spider (shutdown)" in line:
                break
        site.release.set()
        out, rest = proc.communicate(timeout=60)
        assert proc.returncode == 130, rest
        assert "Traceback" not in "".join(seen) + rest
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = conn.execute("SELECT count(*) FROM story").fetchone()[0]
            status = conn.execute("SELECT status FROM crawlrun").fetchone()[0]
            fts = conn.execute("SELECT count(*) FROM story_fts WHERE story_fts MATCH 'the'").fetchone()[0]
        assert 0 < stored < len(site.articles)
        assert status == "interrupted"
        assert fts == stored
        result = trackwire("crawl", "--sources", str(sources), db=db_path)
        assert result.returncode == 0, result.stderr
        assert count(db_path, "SELECT count(*) FROM story") == len(site.articles)


def test_max_articles_cuts_a_crawl_short_and_the_next_one_skips_no_article(site, db_path, tmp_path):
    sources = write_sources(tmp_path, site.sources_toml())
    trackwire("crawl", "--sources", str(sources), "--max-articles", "3", db=db_path)
    assert count(db_path, "SELECT count(*) FROM story") == 3
    trackwire("crawl", "--sources", str(sources), db=db_path)
    assert site.not_modified == {}
    assert count(db_path, "SELECT count(*) FROM story") == len(site.articles)


def test_the_raw_page_is_kept_compressed_for_re_extraction(site, db_path, tmp_path):
    from sqlmodel import select

    from trackwire.crawler.demo_site import render_article
    from trackwire.store.db import make_engine, read_session
    from trackwire.store.models import Story
    from trackwire.store.stories import raw_html

    trackwire("crawl", "--sources", str(write_sources(tmp_path, site.sources_toml())), "--max-articles", "1",
              db=db_path)
    engine = make_engine(str(db_path))
    with read_session(engine) as session:
        (story,) = session.exec(select(Story)).all()
        page = raw_html(story)
    engine.dispose()
    article = next(a for a in site.articles if story.key.endswith(a.path))
    assert page == render_article(article).encode() and len(story.raw_html) < len(page)


def test_one_request_at_a_time_per_site_even_with_no_delay(db_path, tmp_path):
    """Scrapy 2.19 bursts a site when DOWNLOAD_DELAY is 0 (crawler.run works around it)."""
    import threading

    lock, inflight, most = threading.Lock(), [0], [0]

    class Counting(DemoSite):
        def route(self, path):
            with lock:
                inflight[0] += 1
                most[0] = max(most[0], inflight[0])
            try:
                return super().route(path)
            finally:
                with lock:
                    inflight[0] -= 1

    with Counting(delay=0.1) as site:
        sources = write_sources(tmp_path, site.sources_toml())
        result = trackwire("crawl", "--sources", str(sources), db=db_path)  # TRACKWIRE_DOWNLOAD_DELAY=0
    assert result.returncode == 0, result.stderr
    assert count(db_path, "SELECT count(*) FROM story") == len(site.articles)
    assert most[0] == 1


WRONG_CHARSET = ("<html><head><meta charset='iso-8859-1'><title>Sørensen wins in Tórshavn</title></head><body>"
                 "<article><h1>Sørensen wins in Tórshavn</h1><p>Alma Sørensen won the 5000m at the island "
                 "meeting in Tórshavn on a cold evening, pulling clear of Åsa Lindqvist with two laps to go and "
                 "finishing in 15:32.10, a meeting record by almost four seconds. Lindqvist held on for second "
                 "place ahead of the Faroese champion, who set a personal best in the wind. The organisers said "
                 "the crowd was the biggest the stadium has seen for an athletics meeting.</p></article>"
                 "</body></html>").encode("utf-8")


class SlowSite(DemoSite):
    def route(self, path):
        if path == "/b/slow":
            time.sleep(4)
        return super().route(path)


@pytest.fixture
def battery_site():
    articles = load_articles()
    huge = b"<html><body>" + b"<p>lap after lap after lap</p>" * (20 * 1024 * 1024 // 29) + b"</body></html>"
    extra = {
        "/b/binary": (200, "text/html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 200),
        "/b/huge": (200, "text/html", huge),
        "/b/loop": (302, "text/html", b"", {"Location": "/b/loop"}),
        "/b/wrong-charset": (200, "text/html", WRONG_CHARSET),
        "/b/slow": (200, "text/html", b"<html><body>too late</body></html>"),
        "/b/undated": (200, "text/html", WRONG_CHARSET.replace(b"Alma", b"Else")),
        "/empty/feed.xml": (200, "application/rss+xml", b""),
        "/garbled/sitemap.xml": (200, "application/xml", b"<?xml version='1.0'?>\n<urlset><url><lo"),
    }
    with SlowSite(extra=extra) as s:
        b = s.base
        s.extra["/battery/feed.xml"] = (200, "application/rss+xml", rss(b, [
            "/b/binary", "/b/huge", "/b/loop", "/b/wrong-charset", "/b/slow"]))
        s.extra["/battery/undated.xml"] = (200, "application/rss+xml", rss(b, ["/b/undated"], dated=False))
        # A feed with a bare "&" and its end cut off: the items before the break are still read.
        s.extra["/broken/feed.xml"] = (200, "application/rss+xml", (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Results & reports</title>'
            f'<item><title>Night & day</title><link>{b}{articles[0].path}</link></item><item><title>cut off'
        ).encode())
        s.extra["/selfref/sitemap.xml"] = (200, "application/xml", (
            f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<sitemap><loc>{b}/selfref/sitemap.xml</loc></sitemap><sitemap><loc>{b}/selfref/child.xml</loc>'
            f'</sitemap></sitemapindex>').encode())
        s.extra["/selfref/child.xml"] = (200, "application/xml", (
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<url><loc>{b}/selfref/child.xml</loc></url><url><loc>{b}{articles[1].path}</loc></url></urlset>'
        ).encode())
        yield s


def test_bad_input_battery(cli, battery_site, db_path, tmp_path):
    """Binary, 20 MB, redirect loop, wrong charset, slow, undated, empty feed, broken XML, a sitemap index
    that lists itself: the crawl finishes, keeps the good pages, counts the bad by reason."""
    b = battery_site.base
    sources = write_sources(tmp_path, f"""
[[source]]
name = "battery"
feeds = ["{b}/battery/feed.xml", "{b}/battery/undated.xml"]
article_pattern = "/b/"

[[source]]
name = "empty"
feeds = ["{b}/empty/feed.xml"]

[[source]]
name = "broken"
feeds = ["{b}/broken/feed.xml"]
article_pattern = "/news/"

[[source]]
name = "garbled"
sitemaps = ["{b}/garbled/sitemap.xml"]

[[source]]
name = "selfref"
sitemaps = ["{b}/selfref/sitemap.xml"]
article_pattern = "/news/"
""")
    result = trackwire("crawl", "--sources", str(sources), db=db_path, env={"TRACKWIRE_DOWNLOAD_TIMEOUT": "2"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with sqlite3.connect(db_path) as conn:
        stored = {urlsplit(k).path: t for k, t in conn.execute("SELECT key, text FROM story")}
        stats = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])
    articles = load_articles()
    assert set(stored) == {"/b/wrong-charset", articles[0].path, articles[1].path}
    assert "Alma Sørensen won the 5000m" in stored["/b/wrong-charset"]
    # The two demo articles' canonical links name the demo's stable host, which neither "broken" nor
    # "selfref" lists in allowed_domains: their fetched URLs are the keys (canonical_off_source).
    assert stats["dropped"] == {"binary": 1, "too_large": 1, "redirect_loop": 1, "timeout": 1, "no_date": 1,
                                "feed_malformed": 1, "canonical_off_source": 2,
                                "sitemap_malformed": 1, "sitemap_loop": 1, "not_article_url": 1}
    assert stats["scrapy"]["trackwire/feeds_repaired"] == 1
    report = cli("stats").stdout
    assert "failing empty" in report and "failing garbled" in report
    assert "failing battery: 5 of its 6 new article pages failed" in report  # most of at least five
    assert not any(f"failing {name}" in report for name in ("broken", "selfref"))


def dead_site(paths: list[str], good: int = 0) -> DemoSite:
    """The demo site plus a source "gone" whose feed lists `good` demo articles and then `paths`, which
    answer 500 (`/gone/...`) or 404 (anything else)."""
    site = DemoSite(extra={p: (500, "text/html", b"<h1>down</h1>") for p in paths if p.startswith("/gone/")})
    links = [a.path for a in site.articles[:good]] + paths
    site.extra["/gone/feed.xml"] = (200, "application/rss+xml", rss(site.base, links))
    return site


def gone_sources(tmp_path, site, with_demo: bool = True) -> Path:
    return write_sources(tmp_path, (site.sources_toml() if with_demo else "") + f"""
[[source]]
name = "gone"
feeds = ["{site.base}/gone/feed.xml"]
article_pattern = "/(gone|news|dead)/"
""")


def store_urls(db, urls: list[str]) -> None:
    """Stories already stored at these URLs, as an earlier night's crawl leaves them."""
    from trackwire.store.db import write_session
    from trackwire.store.stories import StoryIn, upsert_story

    with opened(str(db)) as eng, write_session(eng) as session:
        for url in urls:
            upsert_story(session, StoryIn(key=url, url=url, title="t", text=f"t\n\nbody of {url}", source="gone"))


def test_one_dead_link_among_stored_stories_is_a_counted_drop(cli, db_path, tmp_path):
    """The nightly case of issue 16: 3 stories stored, 1 new link that answers 404."""
    with dead_site(["/dead/link"], good=3) as site:
        store_urls(db_path, [site.base + a.path for a in site.articles[:3]])
        sources = write_sources(tmp_path, f"""
[[source]]
name = "gone"
feeds = ["{site.base}/gone/feed.xml"]
article_pattern = "/(news|dead)/"
""")
        result = trackwire("crawl", "--sources", str(sources), db=db_path)
    assert result.returncode == 0, result.stderr
    assert "crawl run 1: ok" in result.stdout and "dropped, by reason: 1 http_404" in result.stdout
    assert "failing" not in result.stderr + cli("stats").stdout


def test_most_of_five_new_pages_failing_is_a_failing_source(db_path, tmp_path):
    with dead_site(["/gone/a", "/gone/b", "/gone/c"], good=2) as site:
        result = trackwire("crawl", "--sources", str(gone_sources(tmp_path, site, with_demo=False)), db=db_path)
    assert "2 new" in result.stdout
    assert "source gone failing: 3 of its 5 new article pages failed (last: http_500" in result.stderr


def test_fewer_than_five_new_pages_all_failing_once_is_not_yet_failing(cli, db_path, tmp_path):
    with dead_site(["/gone/a", "/gone/b", "/gone/c"]) as site:
        result = trackwire("crawl", "--sources", str(gone_sources(tmp_path, site)), db=db_path)
    assert result.returncode == 0, result.stderr
    assert "failing" not in cli("stats").stdout


def test_every_new_page_failing_three_crawls_in_a_row_is_a_failing_source(cli, db_path, tmp_path):
    with dead_site(["/gone/a"]) as site:
        sources = gone_sources(tmp_path, site)
        reports = [cli("stats").stdout for _ in range(3)
                   if trackwire("crawl", "--sources", str(sources), db=db_path).returncode == 0]
    assert ["failing gone" in r for r in reports] == [False, False, True]
    assert "every new article page failed on 3 crawls in a row (last: http_500" in reports[-1]


NO_NETWORK = """
[[source]]
name = "a"
feeds = ["https://feeds.trackwire.invalid/rss"]

[[source]]
name = "b"
sitemaps = ["https://www.trackwire.invalid/sitemap.xml"]
"""


@pytest.mark.parametrize("command", [["crawl"], ["sources", "check"], ["run"]], ids=" ".join)
def test_no_network_is_one_line_and_judges_no_source(cli, db_path, tmp_path, command):
    """Every host fails DNS (.invalid never resolves): one line, no source called broken."""
    sources = write_sources(tmp_path, NO_NETWORK)
    result = trackwire(*command, "--sources", str(sources), db=db_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("error: no network: none of the 2 host name(s) could be "
                                                     "resolved")
    assert "broken" not in result.stdout + result.stderr and "failing" not in result.stderr
    assert "failing" not in cli("stats").stdout


def test_no_network_is_the_reason_of_the_nightly_run(cli, db_path, tmp_path):
    sources = write_sources(tmp_path, NO_NETWORK)
    result = trackwire("schedule", "--once", env={"TRACKWIRE_SOURCES": str(sources)}, db=db_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("error: nightly run failed: no network: ")
    runs = json.loads(cli("runs", "--json").stdout)
    assert [(r["kind"], r["status"], r["errors"][0][:11]) for r in runs] == [
        ("crawl", "failed", "no network:"), ("nightly", "failed", "no network:")]
    assert len(runs[1]["errors"]) == 1  # the child's reason and its crawl's are one reason, said once


def test_nothing_answering_and_only_dns_failures_is_no_network():
    from trackwire.crawler.health import DNS_ERROR, no_network

    assert no_network({f"downloader/exception_type_count/{DNS_ERROR}": 4})
    assert not no_network({f"downloader/exception_type_count/{DNS_ERROR}": 4, "downloader/response_count": 1})
    assert not no_network({f"downloader/exception_type_count/{DNS_ERROR}": 3,
                           "downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError": 1})


def test_run_still_tags_what_is_waiting_when_the_crawl_fails(cli, db_path, tmp_path):
    """A dead source (a closed port on 127.0.0.1): the crawl fails, the story ingested before is tagged."""
    story = tmp_path / "kerr.txt"
    story.write_text("Kerr wins in Glasgow\n\nJosh Kerr won the 3000m in 7:40.23 on Sunday.\n", encoding="utf-8")
    assert cli("ingest", str(story)).exit_code == 0
    sources = write_sources(tmp_path, '[[source]]\nname = "gone"\nfeeds = ["http://127.0.0.1:9/rss"]\n')
    result = trackwire("run", "--sources", str(sources), db=db_path,
                       env={"TRACKWIRE_ALLOW_PRIVATE_ADDRESSES": "true"})
    assert result.returncode == 1
    assert "tagged 1 story" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("error: crawl failed")
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["totals"]["tagged"] == 1 and stats["runs"][0]["status"] == "failed"
    assert cli("athlete", "Kerr").exit_code == 0
