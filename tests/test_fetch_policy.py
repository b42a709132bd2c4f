"""Fetch only what a source allows; no source overwrites another (issue 15). Real crawls of two real
HTTP servers on 127.0.0.1: `home`, where the sources live, and `other`, on another port, which no
source may reach unless it names it. `other` counts every request it gets."""

from __future__ import annotations

import json
import signal
import sqlite3
from dataclasses import dataclass

import pytest

from conftest import started, trackwire
from trackwire.crawler.demo_site import DemoArticle, DemoSite, load_articles, render_article

ARTICLES = load_articles()
HUGE_JSONLD = {"@type": "NewsArticle", "headline": "x", "articleBody": "lap " * 3_500_000}  # 14 MB of JSON-LD


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Athletics {i}</title><link><![CDATA[{u}]]></link>"
                    f"<pubDate>Tue, 01 Apr 2025 09:00:00 GMT</pubDate></item>" for i, u in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()


def sitemap_index(children: list[str]) -> bytes:
    return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children) + "</sitemapindex>").encode()


def urlset(urls: list[str]) -> bytes:
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc><lastmod>2025-04-01T09:00:00Z</lastmod></url>" for u in urls)
            + "</urlset>").encode()


def article(a: DemoArticle, canonical: str, ld: str | None = None) -> tuple[int, str, bytes]:
    """A demo article page whose canonical link is `canonical`; `ld` replaces its JSON-LD."""
    page = render_article(a).replace(f'href="https://demo.trackwire.test{a.path}"', f'href="{canonical}"')
    if ld is not None:
        start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
        page = page[:start] + ld + page[page.index("</script>", start):]
    return 200, "text/html; charset=utf-8", page.encode()


@dataclass
class Crawled:
    home: DemoSite
    other: DemoSite
    stories: dict  # path of the key on home or other -> row
    dropped: dict
    canary: str


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Crawled:
    tmp = tmp_path_factory.mktemp("policy")
    with DemoSite(articles=[]) as home, DemoSite(articles=[]) as other:
        h, o, oport = home.base, other.base, other.base.rsplit(":", 1)[1]
        for path in ("/o/a2", "/o/child.xml", "/o/landing", "/pt/a1", "/sm/a2", "/be/copy", "/ga/copy",
                     "/ga/feed.xml", "/be/feed.xml"):
            other.extra.setdefault(path, (200, "text/html", b"<html><body>should never be fetched</body></html>"))
        home.extra.update({
            # nodomains: a source with no allowed_domains
            "/nd/feed.xml": (200, "application/rss+xml", rss([
                "file:///etc/passwd", f"ftp://127.0.0.1:{oport}/x", "javascript:alert(1)", f"{h}/nd/a1",
                f"{o}/o/a2", "http://169.254.169.254/latest/meta-data/", f"http://127.0.0.2:{oport}/o/a2"])),
            "/nd/a1": article(ARTICLES[0], f"{h}/nd/a1"),
            # sitemapper: an index whose children and entries point elsewhere
            "/sm/index.xml": (200, "application/xml", sitemap_index([
                f"{h}/sm/child.xml", f"{o}/o/child.xml", "http://169.254.169.254/sm.xml", "file:///etc/hosts"])),
            "/sm/child.xml": (200, "application/xml", urlset([f"{h}/sm/a1", f"{o}/sm/a2"])),
            "/sm/a1": article(ARTICLES[1], f"{h}/sm/a1"),
            # redirector: redirects off the source and to the local disk are not followed
            "/rd/feed.xml": (200, "application/rss+xml", rss([f"{h}/rd/go-other", f"{h}/rd/go-file",
                                                              f"{h}/rd/go-home"])),
            "/rd/go-other": (302, "text/html", b"", {"Location": f"{o}/o/landing"}),
            "/rd/go-file": (302, "text/html", b"", {"Location": "file:///etc/passwd"}),
            "/rd/go-home": (302, "text/html", b"", {"Location": f"{h}/rd/a1"}),
            "/rd/a1": article(ARTICLES[2], f"{h}/rd/a1"),
            # ported: allowed_domains names host:port
            "/pt/feed.xml": (200, "application/rss+xml", rss([f"{o}/pt/a1", f"{h}/pt/a2",
                                                              "http://127.0.0.1:6379/pt/x",
                                                              "http://localhost:6379/pt/y"])),
            "/pt/a2": article(ARTICLES[4], f"{h}/pt/a2"),
            # alpha owns /al/story; beta (on other) and gamma copy it with a canonical link to it
            "/al/feed.xml": (200, "application/rss+xml", rss([f"{h}/al/story"])),
            "/al/story": article(ARTICLES[5], f"{h}/al/story"),
            # deep and huge JSON-LD
            "/ld/feed.xml": (200, "application/rss+xml", rss([f"{h}/ld/deep", f"{h}/ld/huge"])),
            "/ld/deep": article(ARTICLES[7], f"{h}/ld/deep", ld="[" * 100_000 + "]" * 100_000),
            "/ld/huge": article(ARTICLES[8], f"{h}/ld/huge", ld=json.dumps(HUGE_JSONLD)),
        })
        other.extra.update({
            "/pt/a1": article(ARTICLES[3], f"{o}/pt/a1"),
            "/be/feed.xml": (200, "application/rss+xml", rss([f"{o}/be/copy"])),
            "/be/copy": article(ARTICLES[6], f"{h}/al/story"),
            "/ga/feed.xml": (200, "application/rss+xml", rss([f"{o}/ga/copy"])),
            "/ga/copy": article(ARTICLES[6], f"{h}/al/story"),
        })
        sources = tmp / "sources.toml"
        sources.write_text(f"""
[[source]]
name = "alpha"
feeds = ["{h}/al/feed.xml"]
allowed_domains = ["127.0.0.1"]

[[source]]
name = "nodomains"
feeds = ["{h}/nd/feed.xml"]

[[source]]
name = "sitemapper"
sitemaps = ["{h}/sm/index.xml"]
allowed_domains = ["127.0.0.1"]

[[source]]
name = "redirector"
feeds = ["{h}/rd/feed.xml"]
allowed_domains = ["127.0.0.1"]

[[source]]
name = "ported"
feeds = ["{h}/pt/feed.xml"]
allowed_domains = ["127.0.0.1:{oport}"]

[[source]]
name = "beta"
feeds = ["{o}/be/feed.xml"]

[[source]]
name = "gamma"
feeds = ["{o}/ga/feed.xml"]
allowed_domains = ["127.0.0.1:{h.rsplit(':', 1)[1]}"]

[[source]]
name = "bigld"
feeds = ["{h}/ld/feed.xml"]
""", encoding="utf-8")
        db = tmp / "trackwire.db"
        first = trackwire("crawl", "--sources", str(sources), "--source", "alpha", db=db)
        assert first.returncode == 0, first.stderr
        other.hits.clear()
        result = trackwire("crawl", "--sources", str(sources), db=db)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        canary = trackwire("sources", "check", "sitemapper", "--sources", str(sources), db=db)
        with sqlite3.connect(db) as conn:
            conn.row_factory = sqlite3.Row
            stories = {r["key"].replace(h, "home:").replace(o, "other:"): dict(r) for r in conn.execute(
                "SELECT key, url, source, title, text FROM story")}
            dropped = json.loads(conn.execute("SELECT stats FROM crawlrun ORDER BY id DESC").fetchone()[0])["dropped"]
        yield Crawled(home, other, stories, dropped, canary.stdout + canary.stderr)


def test_only_the_allowed_pages_are_stored(crawled):
    assert set(crawled.stories) == {"home:/al/story", "home:/nd/a1", "home:/sm/a1", "home:/rd/a1", "other:/pt/a1",
                                    "home:/pt/a2", "other:/be/copy", "home:/ld/deep", "home:/ld/huge"}


def test_the_other_server_gets_only_what_a_source_names(crawled):
    """Only `ported` names other's port, and beta and gamma live there."""
    assert crawled.other.hits.keys() <= {"/pt/a1", "/be/feed.xml", "/be/copy", "/ga/feed.xml", "/ga/copy",
                                         "/robots.txt"}


@pytest.mark.parametrize("reason,n", [("bad_scheme", 5), ("off_domain", 5), ("private_address", 4)],
                         ids=["bad-scheme", "off-domain", "private-address"])
def test_each_refusal_is_counted(crawled, reason, n):
    assert crawled.dropped.get(reason) == n


def test_no_local_file_is_read(crawled):
    assert not any("root:" in s["text"] or "localhost" in s["text"] for s in crawled.stories.values())


def test_an_allowed_redirect_is_followed(crawled):
    assert crawled.stories["home:/rd/a1"]["source"] == "redirector"
    assert crawled.home.hits.get("/rd/go-other") == 1 and "/o/landing" not in crawled.other.hits


def test_a_canonical_link_to_another_source_does_not_take_its_story(crawled):
    story = crawled.stories["home:/al/story"]
    assert (story["source"], story["title"]) == ("alpha", ARTICLES[5].title)
    assert crawled.stories["other:/be/copy"]["source"] == "beta"
    assert crawled.dropped.get("canonical_off_source") == 1


def test_a_source_never_overwrites_another_sources_story(crawled):
    """gamma names home's port, so its copy's canonical link is its to use: the key is alpha's story,
    which the store refuses to hand over."""
    assert crawled.stories["home:/al/story"]["text"].startswith(ARTICLES[5].title)
    assert crawled.dropped.get("owned_by_other_source") == 1


@pytest.mark.parametrize("path,reason", [("/ld/deep", "jsonld_too_deep"), ("/ld/huge", "jsonld_too_large")],
                         ids=["deep", "huge"])
def test_refused_jsonld_keeps_the_page_and_is_counted(crawled, path, reason):
    a = ARTICLES[7] if path == "/ld/deep" else ARTICLES[8]
    assert crawled.stories[f"home:{path}"]["text"].endswith(a.paragraphs[-1])
    assert crawled.dropped.get(reason) == 1


def test_the_canary_fetches_no_child_sitemap_off_the_source(crawled):
    assert "off_domain" in crawled.canary and "private_address" in crawled.canary
    assert "/o/child.xml" not in crawled.other.hits


def test_nothing_else_is_dropped(crawled):
    expected = {"bad_scheme", "off_domain", "private_address", "canonical_off_source", "owned_by_other_source",
                "jsonld_too_deep", "jsonld_too_large", "not_article_url"}
    assert set(crawled.dropped) <= expected, crawled.dropped


# Names that resolve to loopback (DNS rebinding), ftp links, and crawls that must end.

def loopback_name() -> str:
    """A host name other than localhost that this machine resolves to 127.x (from /etc/hosts)."""
    import socket
    from pathlib import Path

    for line in Path("/etc/hosts").read_text().splitlines():
        fields = line.split("#")[0].split()
        for name in fields[1:] if fields and fields[0].startswith("127.") else []:
            if "localhost" in name:
                continue
            try:
                if socket.gethostbyname(name).startswith("127."):
                    return name
            except OSError:
                continue
    pytest.skip("no name other than localhost resolves to 127.x here (/etc/hosts)")


@pytest.fixture
def rebind_site():
    with DemoSite(articles=[]) as site:
        name = loopback_name()
        link = f"http://{name}:{site.base.rsplit(':', 1)[1]}/rb/a1"
        site.extra["/rb/feed.xml"] = (200, "application/rss+xml", rss([link]))
        site.extra["/rb/a1"] = article(ARTICLES[0], link)
        yield site, name


def crawl_rebind(site, name, tmp_path, env=None):
    port = site.base.rsplit(":", 1)[1]
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "rebind"\nfeeds = ["{site.base}/rb/feed.xml"]\n'
                       f'allowed_domains = ["{name}:{port}"]\n', encoding="utf-8")
    db = tmp_path / "trackwire.db"
    result = trackwire("crawl", "--sources", str(sources), db=db, env=env)
    with sqlite3.connect(db) as conn:
        dropped = json.loads(conn.execute("SELECT stats FROM crawlrun").fetchone()[0])["dropped"]
    return result, dropped


def test_a_name_resolving_to_a_private_address_is_not_fetched(rebind_site, tmp_path):
    site, name = rebind_site
    result, dropped = crawl_rebind(site, name, tmp_path)
    assert "/rb/a1" not in site.hits
    assert dropped.get("private_address") == 1, (dropped, result.stderr)


@pytest.mark.parametrize("enabled", [True, False], ids=["proxy-on", "proxy-off"])
def test_the_resolver_trusts_the_proxy_the_environment_names(monkeypatch, enabled):
    """`trackwire demo` crawls http://demo.trackwire.test through a proxy on 127.0.0.1: Scrapy resolves the
    proxy's own address through the guarded resolver, which lets it through (the names asked of the proxy
    are the proxy's to resolve). Other private addresses stay refused."""
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from twisted.internet.error import DNSLookupError

    from trackwire.crawler.guard import GuardedResolver

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    settings = Settings({"TRACKWIRE_ENTRY_HOSTS": ["demo.trackwire.test"], "HTTPPROXY_ENABLED": enabled})
    resolver = GuardedResolver.from_crawler(SimpleNamespace(settings=settings), reactor=None)
    assert resolver.homes == ({"demo.trackwire.test", "127.0.0.1"} if enabled else {"demo.trackwire.test"})
    with pytest.raises(DNSLookupError, match="private address"):
        resolver._check("10.0.0.1", "intranet.example")


def test_the_setting_lets_a_source_reach_private_addresses(rebind_site, tmp_path):
    site, name = rebind_site
    result, dropped = crawl_rebind(site, name, tmp_path, env={"TRACKWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    assert site.hits.get("/rb/a1") == 1 and "private_address" not in dropped, (dropped, result.stderr)


def test_an_ftp_link_is_dropped_before_any_connection(tmp_path):
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    with listener, DemoSite(articles=[]) as site:
        port = listener.getsockname()[1]
        site.extra["/ftp/feed.xml"] = (200, "application/rss+xml", rss([f"ftp://127.0.0.1:{port}/results.txt"]))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "ftp"\nfeeds = ["{site.base}/ftp/feed.xml"]\n', encoding="utf-8")
        result = trackwire("crawl", "--sources", str(sources), db=tmp_path / "t.db", timeout=120)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert "dropped, by reason: 1 bad_scheme" in result.stdout, result.stdout + result.stderr


@pytest.fixture
def hanging_site():
    """A site whose article page never answers (until the test ends); `asked` is set when it is requested."""
    import threading

    asked, release = threading.Event(), threading.Event()

    class Hanging(DemoSite):
        def route(self, path):
            if path == "/hang/a1":
                asked.set()
                release.wait(300)
            return super().route(path)

    with Hanging(articles=[]) as site:
        site.extra["/hang/feed.xml"] = (200, "application/rss+xml", rss([f"{site.base}/hang/a1"]))
        site.asked = asked
        yield site
        release.set()


def run_status(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status FROM crawlrun").fetchone()[0]


def test_the_crawl_timeout_ends_a_crawl_stuck_on_a_download(hanging_site, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "hang"\nfeeds = ["{hanging_site.base}/hang/feed.xml"]\n', encoding="utf-8")
    db = tmp_path / "t.db"
    result = trackwire("crawl", "--sources", str(sources), db=db, timeout=120,
                       env={"TRACKWIRE_CRAWL_TIMEOUT": "1", "TRACKWIRE_DOWNLOAD_TIMEOUT": "600",
                            "TRACKWIRE_STOP_GRACE": "1"})
    assert hanging_site.asked.is_set()
    assert result.returncode == 1 and "time limit" in result.stderr
    assert run_status(db) == "timeout"


def crawl_and_signal(site, tmp_path, signals: tuple[int, ...]):
    """Crawl `site` in a child process; once its hanging page is asked for, send it `signals`.

    Two different signals are never merged by the kernel, and Python runs pending handlers in
    signal-number order, so (SIGTERM, SIGINT) reach Scrapy as a first and a second signal."""
    import os
    import subprocess
    import sys

    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "hang"\nfeeds = ["{site.base}/hang/feed.xml"]\n', encoding="utf-8")
    db = tmp_path / "t.db"
    env = {**os.environ, "TRACKWIRE_DB": str(db), "TRACKWIRE_DOWNLOAD_DELAY": "0", "TRACKWIRE_DOWNLOAD_TIMEOUT": "600"}
    if len(signals) == 1:  # the download never ends: a short stop grace ends the crawl. With two signals the
        env["TRACKWIRE_STOP_GRACE"] = "1"  # second must end it, not the grace: that keeps the default 10 s
    proc = started(subprocess.Popen([sys.executable, "-m", "trackwire", "crawl", "--sources", str(sources)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    assert site.asked.wait(60)
    for signum in signals:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err, run_status(db)


def test_one_sigterm_ends_a_crawl_stuck_on_a_download(hanging_site, tmp_path):
    """SIGTERM exits 143 (128 + 15), after the stop grace at most."""
    returncode, err, status = crawl_and_signal(hanging_site, tmp_path, (signal.SIGTERM,))
    assert (returncode, status) == (143, "interrupted"), err


def test_a_second_signal_ends_it_recorded_interrupted(hanging_site, tmp_path):
    returncode, err, status = crawl_and_signal(hanging_site, tmp_path, (signal.SIGTERM, signal.SIGINT))
    assert (returncode, status) == (130, "interrupted"), err
