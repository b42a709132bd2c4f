"""Politeness a site asks for: robots.txt Crawl-delay, and backing off on 429 and 403.

Scrapy obeys robots.txt Allow/Disallow but not Crawl-delay, and its retry
middleware re-sends a 429 at once. This downloader middleware sits just before
the retry middleware and, per download slot (one per site):

- raises the slot's delay to the site's Crawl-delay for our user agent;
- on 429 or 503 with Retry-After, waits what the site asks (Retry-After, at
  least double the current delay, at most TRACKWIRE_MAX_BACKOFF seconds)
  before the retry middleware sends the request again;
- on 403, backs off the same way, and after TRACKWIRE_BLOCKED_AFTER 403s in a
  row stops asking that site for the rest of the run: the source is reported
  as blocked rather than hammered.

Counters: `trackwire/backoff/<host>`, `trackwire/blocked/<host>`, and per
source `trackwire/source/<name>/throttled` and `…/blocked`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from trackwire.crawler.extract import parse_date

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    when = parse_date(text)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _exact(slot) -> None:
    """No random jitter on a slot whose site asked for a wait: Scrapy's default draws between
    0.5x and 1.5x the delay, which would undercut a Crawl-delay or Retry-After half the time."""
    if hasattr(type(slot), "jitter") or "jitter" in getattr(slot, "__dataclass_fields__", {}):
        slot.jitter = 0.0
    else:  # Scrapy before 2.19
        slot.randomize_delay = False


class PoliteMiddleware:
    BACKOFF_CODES = (429, 503)

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_backoff = settings.getfloat("TRACKWIRE_MAX_BACKOFF", 120.0)
        self.blocked_after = settings.getint("TRACKWIRE_BLOCKED_AFTER", 3)
        self.crawl_delay: dict[str, float] = {}  # host -> seconds, from robots.txt
        self.floor: dict[str, float] = {}  # host -> the delay a back-off set
        self.forbidden_in_a_row: dict[str, int] = {}
        self.blocked: set[str] = set()
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if delay:
            host = urlparse_cached(request).netloc
            self.crawl_delay[host] = min(float(delay), self.max_backoff)
            log.info("%s asks for a Crawl-delay of %s s", host, delay)
            self.stats.set_value(f"trackwire/crawl_delay/{host}", self.crawl_delay[host])

    def _slot(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))

    def process_request(self, request, spider=None):
        host = urlparse_cached(request).netloc
        if host in self.blocked and not request.meta.get("dont_obey_robotstxt"):
            raise IgnoreRequest(f"{host} answered 403 {self.blocked_after} times in a row; not asking again this run")
        slot = self._slot(request)
        if slot is not None:
            wanted = max(self.crawl_delay.get(host, 0.0), self.floor.get(host, 0.0))
            if wanted and slot.delay < wanted:
                slot.delay = wanted  # AutoThrottle may have lowered it since
            if wanted:
                _exact(slot)
        return None

    def process_response(self, request, response, spider=None):
        host = urlparse_cached(request).netloc
        source = request.meta.get("source")
        if response.status == 403:
            self.forbidden_in_a_row[host] = self.forbidden_in_a_row.get(host, 0) + 1
            self._back_off(request, host, source, retry_after_seconds(response.headers.get("Retry-After")), 403)
            if self.forbidden_in_a_row[host] >= self.blocked_after and host not in self.blocked:
                self.blocked.add(host)
                self.stats.set_value(f"trackwire/blocked/{host}", self.forbidden_in_a_row[host])
                if source:
                    self.stats.set_value(f"trackwire/source/{source}/blocked",
                                         f"{host} answered HTTP 403 {self.forbidden_in_a_row[host]} times in a row")
                log.warning("%s keeps answering 403: not asking it again in this run", host)
                self._cancel_queued(request, host)
        else:
            self.forbidden_in_a_row[host] = 0
            if response.status in self.BACKOFF_CODES and (response.status == 429 or b"Retry-After" in response.headers):
                self._back_off(request, host, source, retry_after_seconds(response.headers.get("Retry-After")),
                               response.status)
        return response

    def _cancel_queued(self, request, host: str) -> None:
        """Requests already waiting in the site's download slot passed process_request before the
        block; fail them now (IgnoreRequest) instead of sending them. Relies on Scrapy's Slot.queue
        (a deque of (request, deferred)); if that changes, they are simply sent and answered 403."""
        slot = self._slot(request)
        queued = getattr(slot, "queue", None)
        if not queued:
            return
        waiting = list(queued)
        queued.clear()
        for queued_request, deferred in waiting:
            deferred.errback(IgnoreRequest(f"{host} answered 403 {self.blocked_after} times in a row; "
                                           "not asking again this run"))

    def _back_off(self, request, host: str, source: str | None, asked: float | None, status: int) -> None:
        slot = self._slot(request)
        current = slot.delay if slot is not None else 0.0
        delay = min(self.max_backoff, max(asked or 0.0, current * 2, 1.0))
        self.floor[host] = delay
        if slot is not None:
            slot.delay = delay
            _exact(slot)
        self.stats.inc_value(f"trackwire/backoff/{host}")
        self.stats.max_value(f"trackwire/backoff_delay/{host}", delay)
        if source:
            self.stats.inc_value(f"trackwire/source/{source}/throttled")
        log.warning("%s answered %s: waiting %.1f s between requests", host, status, delay)
