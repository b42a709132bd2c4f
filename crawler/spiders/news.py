"""The generic news spider: feeds and sitemaps to article pages, for every source."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from urllib.parse import urljoin

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from trackwire.crawler.extract import canonical_url
from trackwire.crawler.feeds import NotXML, feed_entries, sitemap_entries
from trackwire.crawler.guard import REFUSED_NAMES, Refused
from trackwire.crawler.items import PageItem
from trackwire.crawler.pipelines import dropped
from trackwire.crawler.policy import Policy, host_port
from trackwire.crawler.sources import Source
from trackwire.crawler.storage import Storage
from trackwire.crawler.topic import classify

MAX_SITEMAP_DEPTH = 3


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: list[Source], max_articles: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sources = sources
        self.max_articles = max_articles
        self.scheduled: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        self.validators: dict[str, tuple[str, str | None, str | None]] = {}
        self.storage: Storage | None = None
        self.policies: dict[str, Policy] = {}

    @property
    def shared_frontier(self) -> bool:
        return bool(self.settings.get("TRACKWIRE_REDIS_URL"))

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"trackwire/{key}", n)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.storage = Storage(self.settings.get("TRACKWIRE_DB"))
        self.policies = policies(self.sources, self.settings)
        for source in self.sources:
            for url in source.feeds:
                yield self._entry_request(url, source, self.parse_feed)
            for url in source.sitemaps:
                self.sitemaps_seen.add(url)
                yield self._entry_request(url, source, self.parse_sitemap, depth=0)

    def validators_to_save(self, reason: str) -> dict[str, tuple[str | None, str | None]] | None:
        """Feed and sitemap validators safe to keep, or None when this run was not whole.

        Only a run that finished without a --max-articles cut may keep them, and
        only for sources without errors: after an interrupted run or a failed
        page, a 304 next time would hide those articles for good."""
        stats = self.crawler.stats
        if reason != "finished" or stats.get_value("trackwire/skipped/max_articles"):
            return None
        return {url: (etag, last_modified) for url, (source, etag, last_modified) in self.validators.items()
                if not stats.get_value(f"trackwire/source/{source}/errors")}

    def closed(self, reason: str) -> None:
        if self.storage is None:
            return
        if not self.shared_frontier:  # a shared frontier saves them when its round ends (crawler.frontier)
            for url, (etag, last_modified) in (self.validators_to_save(reason) or {}).items():
                self.storage.remember(url, etag, last_modified)
        self.storage.close()

    def _entry_request(self, url: str, source: Source, callback, **kwargs) -> scrapy.Request:
        """Feeds and sitemaps: fetched every run, conditionally (ETag / Last-Modified). With a shared
        frontier, once per round: its duplicate filter lasts one round (crawler.frontier)."""
        self.count(f"source/{source.name}/entry_points")
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=not self.shared_frontier,
                              headers=self.storage.validators(url), cb_kwargs={"source": source, **kwargs},
                              meta={"source": source.name, "entry_point": True, "handle_httpstatus_list": [304]})

    def _unchanged(self, response, source: Source) -> bool:
        """True for a 304; otherwise keep the validators, saved only if the whole run goes well."""
        self.count(f"source/{source.name}/entry_responses")
        if response.status == 304:
            self.count("skipped/not_modified")
            self.count(f"source/{source.name}/not_modified")
            return True
        header = response.headers.get
        self.validators[response.url] = (source.name, (header("ETag") or b"").decode() or None,
                                         (header("Last-Modified") or b"").decode() or None)
        return False

    def parse_feed(self, response, source: Source):
        if self._unchanged(response, source):
            return
        try:
            entries = feed_entries(response.body, response.url, source.timezone)
        except NotXML as exc:
            self.count(f"dropped/feed_{exc.reason}")
            self._source_error(source, f"feed {response.url}: {exc}")
            return
        if getattr(entries, "repaired", False):
            self.count("feeds_repaired")
        self.count(f"source/{source.name}/entries", len(entries))
        yield from self._articles(entries, source)

    def parse_sitemap(self, response, source: Source, depth: int):
        if self._unchanged(response, source):
            return
        try:
            pages, children = sitemap_entries(response.body, response.url, source.timezone)
        except NotXML as exc:
            self.count(f"dropped/sitemap_{exc.reason}")
            self._source_error(source, f"sitemap {response.url}: {exc}")
            return
        for child in children:
            refused = self.policies[source.name].refusal(child)
            if refused or child in self.sitemaps_seen or depth >= MAX_SITEMAP_DEPTH:
                self.count(f"dropped/{refused or 'sitemap_loop'}")
                continue
            self.sitemaps_seen.add(child)
            yield self._entry_request(child, source, self.parse_sitemap, depth=depth + 1)
        self.count(f"source/{source.name}/entries", len(pages))
        yield from self._articles(pages, source)

    def _articles(self, entries, source: Source):
        wanted = []
        for entry in entries:
            unwanted = unwanted_link(source, entry, self.policies[source.name])
            url = None if unwanted else canonical_url(entry.url)
            if unwanted in LINK_REFUSALS:
                self.count(f"dropped/{unwanted}")
            elif unwanted:
                dropped(self.crawler, source.name, unwanted)
            elif url in self.scheduled:
                self.count("skipped/duplicate_link")
            else:
                self.scheduled.add(url)
                wanted.append((url, entry))
        known = self.storage.known([u for u, _ in wanted]) if wanted else set()
        for url, entry in wanted:
            if url in known:
                self.count("skipped/already_stored")
                continue
            if self.max_articles is not None and self.crawler.stats.get_value("trackwire/articles_requested", 0) >= self.max_articles:
                self.count("skipped/max_articles")
                continue
            self.count("articles_requested")
            self.count(f"source/{source.name}/requested")
            # Not filtered again here (self.scheduled and the store already did): Scrapy's filter would
            # also swallow a redirect loop without a word, where we want it counted.
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                                 dont_filter=not self.shared_frontier,
                                 cb_kwargs={"source": source, "entry": entry}, meta={"source": source.name})

    def parse_article(self, response, source: Source, entry):
        if not isinstance(response, scrapy.http.TextResponse):
            self.count("dropped/not_html")
            self.count(f"source/{source.name}/failed")
            return
        yield PageItem(url=canonical_url(entry.url), final_url=response.url, source=source.name,
                       html=response.body, fetched_at=datetime.now(timezone.utc),
                       feed_title=entry.title, feed_date=entry.published, selectors=source.selectors or None,
                       timezone=source.timezone,
                       topic=source.topic if source.topic and not entry.title else None)

    def failed(self, failure):
        request = failure.request
        source = request.meta.get("source", "?")
        reason = failure_reason(failure)
        reason = self._refused_as(failure, reason)
        self.count(f"dropped/{reason}")
        self.count(f"source/{source}/errors")
        if request.callback == self.parse_article:  # an article page this crawler fetched, lost
            self.count(f"source/{source}/failed")
        self.crawler.stats.set_value(f"trackwire/source/{source}/last_error", f"{reason} at {request.url}")

    def _refused_as(self, failure, reason: str) -> str:
        """The fetch policy's reason behind a failure, when there is one: a host name crawler.guard
        would not resolve, or a redirect Scrapy would not follow (to file:, ftp:, ...)."""
        request = failure.request
        if reason == "dns_error" and (host_port(request.url) or ("", "", 0))[1] in REFUSED_NAMES:
            return "private_address"
        if reason.startswith("http_3") and request.meta.get("source") in self.policies:
            location = failure.value.response.headers.get("Location")
            if location:
                target = urljoin(request.url, location.decode("latin-1"))
                return self.policies[request.meta["source"]].refusal(target) or reason
        return reason

    def _source_error(self, source: Source, message: str) -> None:
        self.count(f"source/{source.name}/errors")
        self.crawler.stats.set_value(f"trackwire/source/{source.name}/last_error", message)


LINK_REFUSALS = ("bad_scheme", "private_address", "off_domain", "not_article_url")


def policies(sources: list[Source], settings) -> dict[str, Policy]:
    """Each source's fetch policy (crawler.policy), by name."""
    allow = settings.getbool("TRACKWIRE_ALLOW_PRIVATE_ADDRESSES")
    return {s.name: Policy.of(s, allow_private=allow) for s in sources}


def unwanted_link(source: Source, entry, policy: Policy) -> str | None:
    """Why a feed or sitemap link is not one the source may fetch as an article, or None when it is:
    the fetch policy's refusal (bad_scheme, private_address, off_domain), not_article_url, non_athletics.

    A link of a general feed (`topic`) is judged on its headline and summary here; one
    without a headline is judged after extraction (crawler.pipelines)."""
    refused = policy.refusal(entry.url)
    if refused:
        return refused
    url = canonical_url(entry.url)
    if not source.is_article_url(url):
        return "not_article_url"
    if source.topic and entry.title and not classify(entry.title, entry.summary, url).athletics:
        return "non_athletics"
    return None


def failure_reason(failure) -> str:
    """A download failure as a counter name: http_404, dns_error, timeout, …"""
    if failure.check(Refused):
        return failure.value.reason
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(IgnoreRequest):
        message = str(failure.value)
        if "robots.txt" in message:
            return "robots_forbidden"
        if "redirections" in message:
            return "redirect_loop"
        if "DOWNLOAD_MAXSIZE" in message:  # a Content-Encoding bomb, stopped while decompressing
            return "too_large"
        return "blocked" if "403" in message else "ignored"
    if failure.check(DownloadCancelledError) and "max size" in str(failure.value):
        return "too_large"
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "dns_error"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
        return "connection_refused"
    if failure.check(ResponseDataLossError):
        return "truncated_response"
    if failure.check(DownloadFailedError):
        return "download_failed"
    return type(failure.value).__name__.lower()
