"""The canary: is each source still crawlable? `trackwire sources check` runs this.

For every source it fetches the entry points (feeds, sitemaps, one level of a
sitemap index), counts the article links the source's patterns accept, then
fetches one article and extracts it. A source is *broken* when no entry point
answers, no article link is found, or the article lacks a title, a date or a
body; *incomplete* when only the author is missing (some publishers print
none). Nothing is stored: this is what a user runs after a site redesign.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from trackwire import stopping
from trackwire.crawler.extract import NotAnArticle, canonical_url, extract
from trackwire.crawler.feeds import NotXML, feed_entries, sitemap_entries
from trackwire.crawler.health import NoNetwork, check_network, no_network
from trackwire.crawler.policy import entry_hosts
from trackwire.crawler.shutdown import stop_on_signals
from trackwire.crawler.sources import Source
from trackwire.crawler.spiders.news import LINK_REFUSALS, failure_reason, policies, unwanted_link

MAX_CHILD_SITEMAPS = 3


@dataclass
class SourceCheck:
    name: str
    entry_points: int = 0
    reachable: int = 0
    links: int = 0  # article links the source's patterns (and topic filter) accept
    article_url: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    body_words: int = 0
    body: str = ""  # the extracted body, for the report to show how it starts
    problems: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # links the fetch policy refused, by reason

    @property
    def status(self) -> str:
        if not self.reachable or not self.links or not (self.title and self.published_at and self.body_words):
            return "broken"
        return "incomplete" if not self.author else "ok"

    def missing(self) -> list[str]:
        if not self.article_url:
            return []
        fields = {"title": self.title, "date": self.published_at, "author": self.author, "body": self.body_words}
        return [name for name, value in fields.items() if not value]


class CheckSpider(scrapy.Spider):
    name = "check"

    def __init__(self, sources: list[Source], results: dict[str, SourceCheck], **kwargs):
        super().__init__(**kwargs)
        self.sources = sources
        self.results = results
        self.policies: dict = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.policies = policies(self.sources, self.settings)
        for source in self.sources:
            result = self.results.setdefault(source.name, SourceCheck(source.name))
            for url in source.feeds:
                result.entry_points += 1
                yield self._request(url, source, self.parse_feed)
            for url in source.sitemaps:
                result.entry_points += 1
                yield self._request(url, source, self.parse_sitemap, depth=0)

    def _request(self, url: str, source: Source, callback, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True,
                              cb_kwargs={"source": source, **kwargs},
                              meta={"source": source.name, "entry_point": kwargs.get("depth", 0) == 0})

    def parse_feed(self, response, source: Source):
        result = self.results[source.name]
        result.reachable += 1
        try:
            entries = feed_entries(response.body, response.url, source.timezone)
        except NotXML as exc:
            result.problems.append(f"feed {response.url} is not a feed: {exc}")
            return
        yield from self._links(source, entries)

    def parse_sitemap(self, response, source: Source, depth: int):
        result = self.results[source.name]
        if depth == 0:
            result.reachable += 1
        try:
            pages, children = sitemap_entries(response.body, response.url, source.timezone)
        except NotXML as exc:
            result.problems.append(f"sitemap {response.url} is not a sitemap: {exc}")
            return
        yield from self._links(source, pages)
        if depth == 0:
            for child in children[:MAX_CHILD_SITEMAPS]:
                refused = self.policies[source.name].refusal(child)
                if refused:
                    result.problems.append(f"child sitemap {child} refused: {refused}")
                else:
                    yield self._request(child, source, self.parse_sitemap, depth=1)

    def _links(self, source: Source, entries):
        result = self.results[source.name]
        for entry in entries:
            unwanted = unwanted_link(source, entry, self.policies[source.name])
            if unwanted in LINK_REFUSALS and unwanted != "not_article_url":
                result.refused[unwanted] = result.refused.get(unwanted, 0) + 1
            if unwanted:
                continue
            url = canonical_url(entry.url)
            result.links += 1
            if result.article_url is None:
                result.article_url = url
                yield scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                                     cb_kwargs={"source": source}, meta={"source": source.name})

    def parse_article(self, response, source: Source):
        result = self.results[source.name]
        if not isinstance(response, scrapy.http.TextResponse):
            result.problems.append(f"article {response.url} is not HTML")
            return
        try:
            article = extract(response.body, response.url, source.selectors or None, timezone=source.timezone)
        except NotAnArticle as exc:
            result.problems.append(f"no article extracted: {exc}")
            return
        if article.url != canonical_url(response.url) and not self.policies[source.name].owns(article.url):
            result.problems.append(f"canonical link {article.url} is not on the source's hosts: ignored "
                                   "(canonical_off_source); add its host to allowed_domains if it is the site's")
        result.title, result.published_at, result.author = article.title, article.published_at, article.author
        result.body_words = len(article.body.split())
        result.body = article.body

    def failed(self, failure):
        result = self.results[failure.request.meta["source"]]
        result.problems.append(f"{failure_reason(failure)} at {failure.request.url}")


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped the check: no source may be judged on half a check."""


def check_sources(sources: list[Source], settings: Settings) -> list[SourceCheck]:
    """Run the canary over `sources` in this process (Scrapy's reactor: once per process).
    Raises NoNetwork rather than judge every source broken when no host resolves."""
    check_network(url for s in sources for url in (*s.feeds, *s.sitemaps))
    results: dict[str, SourceCheck] = {}
    settings.set("ITEM_PIPELINES", {})
    settings.set("LOG_INSTALL_ROOT_HANDLER", False)
    settings.set("TRACKWIRE_ENTRY_HOSTS", entry_hosts(sources))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CheckSpider)
    with stop_on_signals(process, crawler):
        process.crawl(crawler, sources=sources, results=results)
        process.start(install_signal_handlers=False)
    if stopping.received() or (crawler.stats and crawler.stats.get_value("finish_reason") == "shutdown"):
        raise Interrupted
    if crawler.stats and no_network(crawler.stats.get_stats()):
        raise NoNetwork(())
    checked = [results.get(s.name, SourceCheck(s.name)) for s in sources]
    for result in checked:
        result.problems += [f"{n} link(s) refused by the fetch policy: {reason}"
                            for reason, n in result.refused.items()]
    return checked
