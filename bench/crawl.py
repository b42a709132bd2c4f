"""Crawl benchmark: trackwire's crawl against a bare Scrapy spider on the same local site.

    .venv/bin/python bench/crawl.py [--pages 1000]

A site of N article pages (the demo site's template, bodies built from its
articles' paragraphs, an RSS feed listing every page) is served on 127.0.0.1.
Both crawls run as child processes with the same Scrapy settings (trackwire's,
with no politeness delay): `trackwire crawl` (fetch, extract, store in SQLite)
and a spider that only fetches the pages. Reported: wall time, pages per
second, the ratio, and each process's peak memory (from the kernel).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from trackwire.crawler.demo_site import DemoSite, load_articles  # noqa: E402

BARE = textwrap.dedent('''
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from trackwire.crawler.feeds import feed_entries
    from trackwire.crawler.run import scrapy_settings

    class Bare(scrapy.Spider):
        name = "bare"
        fetched = 0

        async def start(self):
            yield scrapy.Request(sys.argv[1], callback=self.feed, dont_filter=True)

        def feed(self, response):
            for entry in feed_entries(response.body):
                yield scrapy.Request(entry.url, callback=self.page)

        def page(self, response):
            Bare.fetched += 1

    settings = scrapy_settings(db="unused", user_agent="bench", delay=0, obey_robots=True, timeout=3600)
    settings.set("ITEM_PIPELINES", {})
    settings.set("LOG_ENABLED", False)
    settings.set("TRACKWIRE_ENTRY_HOSTS", ["127.0.0.1"])  # as trackwire crawl sets it: the site lives there
    process = CrawlerProcess(settings)
    process.crawl(Bare)
    process.start()
    print(Bare.fetched)
''')


def site_articles(n: int):
    """n distinct articles of realistic length (6-12 paragraphs), from the demo site's paragraphs."""
    base = load_articles()
    paragraphs = [p for a in base for p in a.paragraphs]
    made = []
    for i in range(n):
        a = base[i % len(base)]
        body = tuple(paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(6 + i % 7))
        made.append(replace(a, slug=f"{a.slug}-{i}", paragraphs=body,
                            published=a.published - timedelta(hours=i)))
    return made


def run(cmd: list[str], env: dict) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out, errors = proc.stdout.read(), proc.stderr.read()
    if status != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{errors[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    articles = site_articles(args.pages)
    env = {**os.environ, "TRACKWIRE_DOWNLOAD_DELAY": "0"}
    rows = []
    with DemoSite(articles=articles) as site, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(site.sources_toml().replace(f'sitemaps = ["{site.base}/sitemap.xml"]\n', ""),
                           encoding="utf-8")
        bare = Path(tmp) / "bare_spider.py"  # a file: Scrapy reads callbacks' source
        bare.write_text(BARE, encoding="utf-8")
        bare_s, bare_mb, out = run([sys.executable, str(bare), f"{site.base}/feed.xml"], env)
        assert int(out.strip().splitlines()[-1]) == args.pages, out
        rows.append(("bare Scrapy spider (fetch only)", bare_s, bare_mb))
        db = Path(tmp) / "bench.db"
        tw_s, tw_mb, _ = run([sys.executable, "-m", "trackwire", "--db", str(db), "crawl", "--sources",
                              str(sources)], env)
        import sqlite3

        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM story").fetchone()[0]
        assert stored == args.pages, f"stored {stored} of {args.pages}"
        rows.append(("trackwire crawl (fetch, extract, store)", tw_s, tw_mb))
    print(f"\n## Crawling {args.pages:,} local article pages, no politeness delay, one request at a time per site")
    print("| crawl | seconds | pages/s | peak RSS MB | time vs bare |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, seconds, mb in rows:
        print(f"| {name} | {seconds:,.1f} | {args.pages / seconds:,.0f} | {mb:,.0f} | {seconds / bare_s:.2f}x |")


if __name__ == "__main__":
    main()
