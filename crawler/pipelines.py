"""Extract, then store. Both run off Scrapy's reactor thread, in one worker thread of their own.

One thread, not Twisted's pool of ten: extraction and storage are CPU work under
the GIL, and ten threads fighting for it (and for SQLite's write lock) slowed
the reactor's downloads more than they helped (bench/crawl.py: 2.9x the time
of a bare fetch with the pool, 2.3x with one thread). DNS look-ups keep
Twisted's pool to themselves.

Every page dropped on the way increments `trackwire/dropped/<reason>` in the
crawl stats; `trackwire stats` shows those counters.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from trackwire.crawler.dates import best_date
from trackwire.crawler.extract import NotAnArticle, canonical_url, extract
from trackwire.crawler.policy import Policy
from trackwire.crawler.storage import Storage
from trackwire.crawler.topic import classify
from trackwire.store.stories import too_long


_pool: ThreadPool | None = None


def in_worker(fn, *args, **kwargs):
    """Run `fn` in the pipelines' worker thread; a Deferred of its result."""
    from twisted.internet import reactor  # here: importing it at module level would install a reactor

    global _pool
    if _pool is None:
        _pool = ThreadPool(minthreads=1, maxthreads=1, name="trackwire-pipeline")
        _pool.start()
        reactor.addSystemEventTrigger("during", "shutdown", stop_worker)
    return deferToThreadPool(reactor, _pool, fn, *args, **kwargs)


def stop_worker() -> None:
    """Stop the worker thread once its current job is done (at reactor shutdown, or after a crash)."""
    global _pool
    if _pool is not None:
        _pool.stop()
        _pool = None


def count(crawler, key: str, n: int = 1) -> None:
    crawler.stats.inc_value(f"trackwire/{key}", n)


def dropped(crawler, source: str, reason: str) -> None:
    """A page of `source` not stored, for `reason`: counted overall and for the source."""
    count(crawler, f"dropped/{reason}")
    count(crawler, f"source/{source}/dropped")
    crawler.stats.set_value(f"trackwire/source/{source}/last_drop", reason)


def own_key(article, item, policy: Policy | None) -> bool:
    """Keep the page's canonical link as the story's key only when it is on the source's own hosts
    (crawler.policy); otherwise the fetched URL is the key. True when the canonical link was kept."""
    fetched = canonical_url(item.final_url)
    if article.url == fetched or policy is None or policy.owns(article.url):
        return True
    article.url = fetched
    return False


class ExtractPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.policies: dict[str, Policy] | None = None

    def policy(self, source: str) -> Policy | None:
        if self.policies is None:
            self.policies = getattr(self.crawler.spider, "policies", None) or {}
        return self.policies.get(source)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        try:
            article = await deferred_to_future(in_worker(extract, item.html, item.final_url, item.selectors,
                                                               timezone=item.timezone))
        except NotAnArticle as exc:
            dropped(self.crawler, item.source, exc.reason)
            count(self.crawler, f"source/{item.source}/failed")
            raise DropItem(str(exc)) from None
        except Exception as exc:  # noqa: BLE001  (a page must never vanish uncounted)
            dropped(self.crawler, item.source, "extract_error")
            raise DropItem(f"{item.url}: extraction failed ({type(exc).__name__}: {exc})") from None
        for reason in article.refused:  # JSON-LD not read (crawler.jsonld); the page itself goes on
            count(self.crawler, f"dropped/{reason}")
        if item.topic and not classify(article.title, article.body[:1500], item.url).athletics:
            dropped(self.crawler, item.source, "non_athletics")
            count(self.crawler, f"source/{item.source}/filtered")  # rightly left out: not a failure
            raise DropItem(f"{item.url}: not an athletics story")
        article.published_at = best_date(article.published_at, item.feed_date, article.day_only)
        if article.published_at is None:  # neither the page nor its feed entry dates it
            dropped(self.crawler, item.source, "no_date")
            count(self.crawler, f"source/{item.source}/failed")
            raise DropItem(f"{item.url}: no publication date on the page or in the feed")
        if not article.title and item.feed_title:
            article.title = item.feed_title
        if not own_key(article, item, self.policy(item.source)):
            count(self.crawler, "dropped/canonical_off_source")
        if too_long(article.text):  # a results dump or a merged live blog (store.stories.MAX_STORY_CHARS)
            dropped(self.crawler, item.source, "too_long")
            raise DropItem(f"{item.url}: {too_long(article.text)}")
        item.extracted = article
        return item


class StorePipeline:
    def __init__(self, crawler, db: str):
        self.crawler = crawler
        self.storage = Storage(db)
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("TRACKWIRE_DB"))

    async def process_item(self, item):
        article = item.extracted
        if article.url in self.seen:
            count(self.crawler, "dropped/duplicate_in_run")
            count(self.crawler, f"source/{item.source}/filtered")
            raise DropItem(f"{article.url}: already stored in this run")
        self.seen.add(article.url)
        status = await deferred_to_future(in_worker(
            self.storage.save, article, key_url=canonical_url(item.url), source=item.source,
            html=item.html, fetched_at=item.fetched_at))
        if status == "refused":  # the key is another source's story: a crawl never changes it
            dropped(self.crawler, item.source, "owned_by_other_source")
            count(self.crawler, f"source/{item.source}/filtered")
            raise DropItem(f"{article.url}: stored under another source; left alone")
        count(self.crawler, f"stories/{status}")
        count(self.crawler, f"source/{item.source}/stored")
        return item

    def close_spider(self):
        self.storage.close()
