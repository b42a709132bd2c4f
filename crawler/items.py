"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class PageItem:
    """A fetched article page; the pipelines extract it, then store it."""

    url: str  # the URL as linked from a feed or sitemap
    final_url: str  # after redirects
    source: str
    html: bytes
    fetched_at: datetime
    feed_title: str | None = None
    feed_date: datetime | None = None
    selectors: dict | None = None  # the source's CSS selectors (crawler.extract)
    timezone: str | None = None  # the source's IANA zone (crawler.dates)
    topic: str | None = None  # "athletics" when the page still needs the topic filter (crawler.topic)
    extracted: object | None = None  # crawler.extract.Extracted, set by ExtractPipeline
