"""A small athletics news site, served on 127.0.0.1 for `trackwire demo` and the tests.

Articles are written for trackwire (facts from public results; sentences and
quotes invented for the demo). Each page carries NewsArticle JSON-LD inside
an @graph with the author as an @id reference, OpenGraph tags and a canonical
link, as a WordPress/Yoast publisher's pages do; the site has an RSS feed, a
Google News sitemap and robots.txt.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass
from email.utils import format_datetime
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/news/{self.published:%Y/%m}/{self.slug}"

    @property
    def text(self) -> str:
        return self.title + "\n\n" + "\n\n".join(self.paragraphs)


def load_articles() -> list[DemoArticle]:
    folder = resources.files("trackwire.crawler.demo_site").joinpath("articles")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".md"):
            continue
        head, _, body = entry.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        found.append(DemoArticle(entry.name[:-3], meta["title"], meta["author"],
                                 datetime.fromisoformat(meta["date"]),
                                 tuple(p.strip() for p in body.split("\n\n") if p.strip())))
    return sorted(found, key=lambda a: a.published, reverse=True)


CANONICAL_BASE = "https://demo.trackwire.test"
CANONICAL_HOST = "demo.trackwire.test"  # in the demo source's allowed_domains: its canonical links are its own;
# with DemoSite(stable=True) (`trackwire demo`) also the address it is crawled at


def render_article(a: DemoArticle, base: str = CANONICAL_BASE) -> str:
    """The page; `base` is the canonical site address, the same on every port."""
    url = base + a.path
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": url + "#article", "headline": a.title, "url": url,
         "datePublished": a.published.isoformat(), "author": {"@id": base + "/#/person/demo-desk"},
         "publisher": {"@id": base + "/#organization"}, "inLanguage": "en-GB"},
        {"@type": "Person", "@id": base + "/#/person/demo-desk", "name": a.author},
        {"@type": "Organization", "@id": base + "/#organization", "name": "Trackwire Demo News"},
    ]}
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{html.escape(a.title)} | Trackwire Demo News</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(a.title)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{a.published.isoformat()}">
<script type="application/ld+json">{json.dumps(graph)}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/results/">Results</a></nav></header>
<main><article><h1>{html.escape(a.title)}</h1>
<p class="byline">By {html.escape(a.author)} · <time datetime="{a.published.isoformat()}">{a.published:%d %B %Y}</time></p>
<div class="article-body">
{body}
</div></article>
<aside><h2>Most read</h2><ul><li><a href="/">Subscribe to our newsletter</a></li></ul></aside></main>
<footer><p>Trackwire Demo News is a test site.</p></footer></body></html>"""


def render_feed(articles: list[DemoArticle], base: str) -> str:
    items = "".join(f"""
    <item><title><![CDATA[{a.title}]]></title><link>{base}{a.path}?utm_source=rss</link>
      <guid isPermaLink="false">{a.slug}</guid><pubDate>{format_datetime(a.published)}</pubDate></item>"""
                    for a in articles)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Trackwire Demo News: athletics</title><link>{base}/</link>
<description>Athletics news for the trackwire demo</description>{items}
</channel></rss>"""


def render_sitemap(articles: list[DemoArticle], base: str) -> str:
    urls = "".join(f"""
  <url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>Trackwire Demo News</news:name>
    <news:language>en</news:language></news:publication>
    <news:publication_date>{a.published.isoformat()}</news:publication_date>
    <news:title>{html.escape(a.title)}</news:title></news:news></url>""" for a in articles)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}
</urlset>"""


ROBOTS = "User-agent: *\nDisallow: /private/\n"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that hangs up (a crawler refusing a 20 MB page) is not the server's error."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class DemoSite:
    """The site on a free port of 127.0.0.1, in a background thread.

    `extra` maps a path to (status, content type, body[, headers]) for test pages;
    `hits` counts requests per path so tests can see what was fetched.

    With `stable=True` (`trackwire demo`) the site's address is http://demo.trackwire.test, the
    same every time, and the server on 127.0.0.1 is the HTTP proxy that answers for it: what a
    crawl stores keeps an address that never changes, not a temporary port. Crawl it with
    `proxy` as the HTTP proxy (`http_proxy`).
    """

    def __init__(self, extra: dict[str, tuple[int, str, bytes]] | None = None,
                 articles: list[DemoArticle] | None = None, delay: float = 0.0, stable: bool = False):
        self.articles = articles if articles is not None else load_articles()
        self.delay = delay  # seconds each article page takes, to test interruptions
        self.extra = dict(extra or {})
        self.hits: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}  # 304 answers per path
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.host = CANONICAL_HOST if stable else "127.0.0.1"
        self.base = f"http://{CANONICAL_HOST}" if stable else self.proxy
        self.canonical = self.base if stable else CANONICAL_BASE
        # poll_interval: how long shutdown() may wait; the default half second, paid by every test that
        # starts a site, added up to seconds of the suite
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def __enter__(self) -> "DemoSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def arrived(self, path: str, headers) -> None:
        """Called with every request before it is answered, in the request's own thread: a test may
        hold a request here until something else has happened."""

    def route(self, path: str) -> tuple[int, str, bytes]:
        if path in self.extra:
            return self.extra[path]
        pages = {a.path: a for a in self.articles}
        if path in pages:
            time.sleep(self.delay)
            return 200, "text/html; charset=utf-8", render_article(pages[path], self.canonical).encode()
        if path == "/feed.xml":
            return 200, "application/rss+xml", render_feed(self.articles, self.base).encode()
        if path == "/sitemap.xml":
            return 200, "application/xml", render_sitemap(self.articles, self.base).encode()
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS.encode()
        return 404, "text/html", b"<html><body><h1>Not found</h1></body></html>"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                path = urlsplit(self.path).path  # "/feed.xml", or "http://host/feed.xml" asked of a proxy
                site.hits[path] = site.hits.get(path, 0) + 1
                site.arrived(path, self.headers)
                status, ctype, body, *more = site.route(path)
                headers = more[0] if more else {}
                etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    site.not_modified[path] = site.not_modified.get(path, 0) + 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status == 200:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def sources_toml(self, name: str = "demo") -> str:
        return f"""[[source]]
name = "{name}"
homepage = "{self.base}/"
feeds = ["{self.base}/feed.xml"]
sitemaps = ["{self.base}/sitemap.xml"]
allowed_domains = {json.dumps(sorted({self.host, CANONICAL_HOST}))}
article_pattern = "/news/\\\\d{{4}}/\\\\d{{2}}/"
"""
