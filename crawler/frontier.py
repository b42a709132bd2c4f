"""A crawl frontier shared through Redis (scrapy-redis), for several `trackwire crawl` processes.

With TRACKWIRE_REDIS_URL set, every crawl process uses `RoundScheduler`.
They share one request queue and one duplicate filter, so each page is
fetched once, by whichever process pops it.

**Rounds keep the nightly semantics.** A duplicate filter kept across nights
would block the feeds and sitemaps that must be fetched every night. Crawlers
that overlap in time therefore form a *round*: the first to start opens it,
the others join it, and the duplicate filter belongs to the round
(`{prefix}:seen:{round}`). Once the last crawler of a round has left, the
next crawl opens a new round and fetches the entry points again. Articles
already stored are skipped across rounds by the store itself (the spider
asks it before requesting a page).

Each crawler heartbeats in `{prefix}:crawlers`; one silent for
`STALE_SECONDS` is taken for dead. While any other crawler of the round is
busy (it may still push requests), an idle crawler stays open. Feed and
sitemap validators (ETag / Last-Modified) are kept in the round and written
to the store by the last crawler out, only if no crawler of the round
stopped early or died. Otherwise a 304 next night could hide articles that a
dead crawler had popped but not fetched.

robots.txt is fetched by each process for itself (Scrapy's middleware
bypasses the scheduler).

**A lost Redis ends the crawl.** Every Redis call gives up after about 45 s
at worst (10 s socket timeout, three retries with short back-off; a refused
connection fails in a second or two). The first call that fails closes the
spider with finish reason `frontier_lost`, and the crawl is recorded `failed`
with the error. Without this the engine's loop died on the exception and the
crawl waited forever at 0% CPU. What was stored stays stored; the round's
validators are not saved (the round did not finish).
"""

from __future__ import annotations

import json
import time
import uuid

from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError
from redis.retry import Retry
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

HEARTBEAT_SECONDS = 10
STALE_SECONDS = 60
BUSY_SECONDS = 60
ROUND_TTL = 2 * 24 * 3600
FRONTIER_LOST = "frontier_lost"  # the crawl's finish reason when Redis stops answering

_JOIN = """
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if #stale > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
  local r = redis.call('GET', KEYS[2])
  if r then redis.call('SET', KEYS[3] .. r, '1', 'EX', ARGV[4]) end
end
if redis.call('ZCARD', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return redis.call('GET', KEYS[2])
"""
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('ZCARD', KEYS[1])
"""


class RoundScheduler(Scheduler):
    """scrapy-redis's scheduler with rounds, heartbeats and a round-scoped duplicate filter."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = cls._server(settings)
        prefix = settings.get("TRACKWIRE_REDIS_PREFIX", "trackwire")
        instance = cls(server=server, persist=True, queue_key=f"{prefix}:requests",
                       queue_cls="scrapy_redis.queue.PriorityQueue")
        instance.prefix = prefix
        instance.me = uuid.uuid4().hex
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.url = settings.get("TRACKWIRE_REDIS_URL")
        instance.lost = None
        crawler.signals.connect(instance.on_idle, signal=signals.spider_idle)
        return instance

    @staticmethod
    def _server(settings):
        import redis

        server = redis.Redis.from_url(settings.get("TRACKWIRE_REDIS_URL"), socket_timeout=10,
                                      socket_connect_timeout=5,
                                      retry=Retry(ExponentialBackoff(cap=2.0, base=0.25), 3))
        server.ping()
        return server

    def _guard(self, call, *args, default=None):
        """`call(*args)`, or `default` once Redis is lost; the first failure closes the spider."""
        if self.lost:
            return default
        try:
            return call(*args)
        except RedisError as exc:
            self.lost = (f"lost the Redis frontier at {self.url} ({exc}); the crawl stopped, what it stored "
                         "is kept: check that Redis is running, then crawl again")
            self.stats.set_value(f"trackwire/{FRONTIER_LOST}", self.lost)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=FRONTIER_LOST)).addErrback(
                lambda _failure: None)  # already closing: nothing more to do
            return default

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def open(self, spider):
        self.spider = spider
        now = time.time()
        self.round = self.server.eval(_JOIN, 3, self.key("crawlers"), self.key("round"), self.key("incomplete:"),
                                      self.me, now, now - STALE_SECONDS, ROUND_TTL).decode()
        self.started_round = self.round == self.me
        if self.started_round:  # a new round regenerates every request from the feeds
            self.server.delete(self.key("requests"))
        self.queue = PriorityQueue(server=self.server, spider=spider, key=self.key("requests"))
        self.df = RFPDupeFilter(self.server, key=self.key(f"seen:{self.round}"))
        self.server.expire(self.df.key, ROUND_TTL)
        self.beat = now
        spider.log(f"frontier round {self.round[:8]} ({'opened' if self.started_round else 'joined'})")

    def _heartbeat(self, busy: bool) -> None:
        now = time.time()
        if busy:
            self.server.set(self.key(f"busy:{self.me}"), "1", ex=BUSY_SECONDS)
        if now - self.beat >= HEARTBEAT_SECONDS:
            self.beat = now
            self.server.eval(_JOIN, 3, self.key("crawlers"), self.key("round"), self.key("incomplete:"),
                             self.me, now, now - STALE_SECONDS, ROUND_TTL)

    def next_request(self):
        return self._guard(self._next)

    def _next(self):
        request = super().next_request()
        self._heartbeat(busy=request is not None)
        return request

    def has_pending_requests(self):
        return self._guard(super().has_pending_requests, default=False)

    def enqueue_request(self, request):
        added = self._guard(super().enqueue_request, request, default=False)
        if not added and self.stats and not self.lost:
            self.stats.inc_value("trackwire/skipped/frontier_seen")
        return added

    def on_idle(self, spider):
        """Stay open while another crawler of the round is busy: it may still push requests."""
        if self._guard(self._others_busy, default=False):
            raise DontCloseSpider

    def _others_busy(self) -> bool:
        self.server.delete(self.key(f"busy:{self.me}"))
        self._heartbeat(busy=False)
        others = [k for k in self.server.scan_iter(self.key("busy:*")) if not k.decode().endswith(self.me)]
        return bool(others or len(self.queue))

    def close(self, reason):
        """Leave the round; the last one out saves the round's validators if the round was whole.
        With Redis lost there is nothing to tell it: the heartbeat runs out and the round closes."""
        self._guard(self._leave, reason)

    def _leave(self, reason):
        validators = self.spider.validators_to_save(reason)
        incomplete = self.key(f"incomplete:{self.round}")
        saved = self.key(f"validators:{self.round}")
        if validators is None:
            self.server.set(incomplete, "1", ex=ROUND_TTL)
        elif validators:
            self.server.hset(saved, mapping={url: json.dumps(v) for url, v in validators.items()})
            self.server.expire(saved, ROUND_TTL)
        self.server.delete(self.key(f"busy:{self.me}"))
        left = self.server.eval(_LEAVE, 1, self.key("crawlers"), self.me)
        if left == 0 and not len(self.queue):
            if not self.server.exists(incomplete):
                for url, value in self.server.hgetall(saved).items():
                    self.spider.storage.remember(url.decode(), *json.loads(value))
            self.server.delete(saved, incomplete, self.df.key, self.key("round"))
