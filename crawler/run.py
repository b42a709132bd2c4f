"""Run one crawl in this process and record it: the `trackwire crawl` entry point.

Scrapy's reactor cannot be restarted, so this runs once per process; the
scheduler starts each nightly crawl as a subprocess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from trackwire import stopping
from trackwire.crawler import settings as default_settings
from trackwire.crawler.frontier import FRONTIER_LOST
from trackwire.crawler.health import NIGHTS, NoNetwork, Pages, check_network, judge, no_network, pages
from trackwire.crawler.pipelines import stop_worker
from trackwire.crawler.policy import entry_hosts
from trackwire.crawler.shutdown import stop_on_signals
from trackwire.crawler.sources import Source
from trackwire.crawler.spiders.news import NewsSpider
from trackwire.store.db import init_db, make_engine, read_session, write_session
from trackwire.store.runs import close_gone_runs, finish_run, recent_crawl_counters, record_source, start_run


@dataclass
class CrawlReport:
    run_id: int
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    requested: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    failing: dict[str, str] = field(default_factory=dict)
    throttled: dict[str, str] = field(default_factory=dict)  # host -> what it answered and how long we waited
    error: str | None = None  # why the whole crawl failed, when it is not the sources' fault
    no_network: bool = False  # no host could be resolved: no source was judged (error says so)


STOP_GRACE = 10.0  # default seconds a stop (time limit, Ctrl-C, SIGTERM) may take: TRACKWIRE_STOP_GRACE


class BoundedProcess(CrawlerProcess):
    """A CrawlerProcess whose every stop ends. Scrapy's graceful stop (time limit, first Ctrl-C or
    SIGTERM) waits for the downloads in flight, and its reactor shutdown waits for that graceful
    stop: a download that never ends kept a crawl alive past its time limit and its first SIGTERM.
    Here, the stop grace (setting TRACKWIRE_STOP_GRACE, default `STOP_GRACE`) seconds after the time limit or the first signal (at once on a second
    signal), the reactor is crashed (stopped without waiting) and the worker threads stopped;
    `forced` then says why ("closespider_timeout" or "shutdown") for the run record. Every story
    already stored stays: each is its own transaction, finished before the worker thread stops."""

    forced: str | None = None

    def arm(self, timeout: float, grace: float = STOP_GRACE) -> None:
        from twisted.internet import reactor

        reactor.callLater(timeout + grace, self.force, "closespider_timeout")

    def force(self, reason: str) -> None:
        """Stop the reactor without waiting for downloads in flight (crawler.shutdown calls this
        on a second signal, and the stop grace after the first)."""
        from twisted.internet import reactor

        if reactor.running:
            self.forced = self.forced or reason
            reactor.crash()

    def finish(self) -> None:
        """After a forced stop: stop the threads the reactor's shutdown would have stopped."""
        from twisted.internet import reactor

        if self.forced:
            stop_worker()
            reactor.getThreadPool().stop()


def scrapy_settings(*, db: str, user_agent: str, delay: float, obey_robots: bool, timeout: int,
                    download_timeout: int = 30, redis_url: str | None = None,
                    redis_prefix: str = "trackwire", allow_private: bool = False,
                    stop_grace: float = STOP_GRACE) -> Settings:
    s = Settings()
    s.setmodule(default_settings, priority="project")
    s.set("TRACKWIRE_DB", db)
    s.set("USER_AGENT", user_agent)
    # Scrapy 2.19 enforces CONCURRENT_REQUESTS_PER_DOMAIN only when a delay is set: with 0 its
    # downloader hands a whole burst to one site (seen: 7 at once). A millisecond keeps one at a time.
    s.set("DOWNLOAD_DELAY", max(delay, 0.001))
    s.set("AUTOTHROTTLE_ENABLED", delay > 0)
    s.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01))
    s.set("ROBOTSTXT_OBEY", obey_robots)
    s.set("CLOSESPIDER_TIMEOUT", timeout)
    s.set("DOWNLOAD_TIMEOUT", download_timeout)
    s.set("TRACKWIRE_ALLOW_PRIVATE_ADDRESSES", allow_private)
    s.set("TRACKWIRE_STOP_GRACE", stop_grace)
    if redis_url:  # several crawl processes share one queue and duplicate filter (crawler.frontier)
        s.set("SCHEDULER", "trackwire.crawler.frontier.RoundScheduler")
        s.set("TRACKWIRE_REDIS_URL", redis_url)
        s.set("TRACKWIRE_REDIS_PREFIX", redis_prefix)
    return s


def run_crawl(sources: list[Source], settings: Settings, *, max_articles: int | None = None,
              on_start: Callable[[int], None] | None = None) -> CrawlReport:
    """Crawl `sources` in this process and record the run; `on_start(run_id)` once it is recorded.

    From before the record is opened, SIGINT/SIGTERM stop the crawl cleanly at any moment
    (crawler.shutdown): the report's status is then `interrupted`. Records of this host's crawls
    whose process is gone are closed as `interrupted` first. When no host of the entry points
    resolves, the run fails as `no_network` before Scrapy starts, and no source is judged.
    """
    settings.set("LOG_INSTALL_ROOT_HANDLER", False)
    settings.set("TRACKWIRE_ENTRY_HOSTS", entry_hosts(sources))
    process = BoundedProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    grace = settings.getfloat("TRACKWIRE_STOP_GRACE", STOP_GRACE)
    with stop_on_signals(process, crawler, grace=grace):
        engine = make_engine(settings.get("TRACKWIRE_DB"))
        init_db(engine)
        with write_session(engine) as session:
            close_gone_runs(session)
            run_id = start_run(session, "crawl")
        offline = _offline(engine, run_id, sources)
        if offline:
            return offline
        if on_start:
            on_start(run_id)
        process.crawl(crawler, sources=sources, max_articles=max_articles)
        if settings.getfloat("CLOSESPIDER_TIMEOUT"):
            process.arm(settings.getfloat("CLOSESPIDER_TIMEOUT"), grace)
        try:
            process.start(install_signal_handlers=False)
        finally:
            process.finish()
            report = _finish(engine, run_id, crawler, sources, forced=process.forced)
    return report


def _finish(engine, run_id: int, crawler, sources: list[Source], *, forced: str | None = None) -> CrawlReport:
    """Judge the sources, record them and how the crawl ended (counts, reasons); the report.
    `forced` is why the reactor was stopped without waiting (BoundedProcess), if it was."""
    try:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if forced and stats.get("finish_reason") in (None, "shutdown"):
            stats["finish_reason"] = forced
        report = _report(run_id, stats, sources, _history(engine, sources, run_id))
        with write_session(engine) as session:
            for source in sources if not report.no_network else ():
                record_source(session, source.name, homepage=source.homepage,
                              ok=source.name not in report.failing, error=report.failing.get(source.name))
            finish_run(session, run_id, status=report.status, stats=_plain(stats, report), errors=(
                [report.error] if report.error else []) + [f"{name}: {why}" for name, why in report.failing.items()],
                new=report.new, updated=report.updated, dropped=sum(report.dropped.values()))
    finally:
        engine.dispose()
    return report


NO_NETWORK = "no network: no host name could be resolved; check this machine's connection, then run again"


def _offline(engine, run_id: int, sources: list[Source]) -> CrawlReport | None:
    """A failed run when no host of the entry points resolves, before Scrapy starts; else None."""
    try:
        check_network(url for s in sources for url in (*s.feeds, *s.sitemaps))
    except NoNetwork as exc:
        with write_session(engine) as session:
            finish_run(session, run_id, status="failed", stats={}, errors=[str(exc)], new=0, updated=0, dropped=0)
        engine.dispose()
        return CrawlReport(run_id=run_id, status="failed", no_network=True, error=str(exc))
    return None


def _history(engine, sources: list[Source], run_id: int) -> dict[str, list[Pages]]:
    """Each source's new-page counts in its crawls before this one, newest first."""
    with read_session(engine) as session:
        before = recent_crawl_counters(session, [s.name for s in sources], NIGHTS - 1, before=run_id)
    return {name: [pages(counters, name) for counters in runs] for name, runs in before.items()}


def _report(run_id: int, stats: dict, sources: list[Source], history: dict[str, list[Pages]]) -> CrawlReport:
    tw = {k[len("trackwire/"):]: v for k, v in stats.items() if k.startswith("trackwire/")}
    report = CrawlReport(run_id=run_id, status="ok", new=tw.get("stories/new", 0), updated=tw.get("stories/updated", 0),
                         unchanged=tw.get("stories/unchanged", 0), requested=tw.get("articles_requested", 0))
    report.dropped = {k.split("/", 1)[1]: v for k, v in tw.items() if k.startswith("dropped/")}
    report.skipped = {k.split("/", 1)[1]: v for k, v in tw.items() if k.startswith("skipped/")}
    for key, times in tw.items():
        if key.startswith("backoff/"):
            host = key.split("/", 1)[1]
            report.throttled[host] = (f"asked to slow down {times} time(s); waited up to "
                                      f"{tw.get(f'backoff_delay/{host}', 0):.0f} s between requests")
    report.no_network = no_network(stats)
    report.error = NO_NETWORK if report.no_network else None
    for source in sources if not report.no_network else ():
        why = judge(tw, source.name, history.get(source.name, ()), judged=reason_ok(stats))
        if why:
            report.failing[source.name] = why
    reason = stats.get("finish_reason")
    if reason == "shutdown" or stopping.received():
        report.status = "interrupted"
    elif reason == FRONTIER_LOST:
        report.status, report.error = "failed", stats.get("trackwire/frontier_lost")
    elif reason == "closespider_timeout":
        report.status = "timeout"
    elif report.no_network or (sources and len(report.failing) == len(sources)):
        report.status = "failed"
    return report


def reason_ok(stats: dict) -> bool:
    """Whether the run went far enough to judge sources: a crawl stopped by Ctrl-C judges none."""
    return stats.get("finish_reason") in (None, "finished", "closespider_timeout")


def _plain(stats: dict, report: CrawlReport) -> dict:
    simple = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
    return {"scrapy": simple, "dropped": report.dropped, "skipped": report.skipped, "requested": report.requested,
            "unchanged": report.unchanged, "throttled": report.throttled, "finish_reason": stats.get("finish_reason")}
