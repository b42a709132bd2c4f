"""Run one crawl in this process and record it: the `trackwire crawl` entry point.

Scrapy's reactor cannot be restarted, so this runs once per process; the
scheduler starts each nightly crawl as a subprocess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from trackwire.crawler import settings as default_settings
from trackwire.crawler.health import NIGHTS, NoNetwork, Pages, check_network, judge, no_network, pages
from trackwire.crawler.sources import Source
from trackwire.crawler.spiders.news import NewsSpider
from trackwire.store.db import init_db, make_engine, read_session, write_session
from trackwire.store.runs import finish_run, recent_crawl_counters, record_source, start_run


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
    no_network: bool = False  # no host could be resolved: no source was judged
    reason: str | None = None  # why the crawl failed as a whole, when it did


def scrapy_settings(*, db: str, user_agent: str, delay: float, obey_robots: bool, timeout: int,
                    download_timeout: int = 30, redis_url: str | None = None,
                    redis_prefix: str = "trackwire") -> Settings:
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
    if redis_url:  # several crawl processes share one queue and duplicate filter (crawler.frontier)
        s.set("SCHEDULER", "trackwire.crawler.frontier.RoundScheduler")
        s.set("TRACKWIRE_REDIS_URL", redis_url)
        s.set("TRACKWIRE_REDIS_PREFIX", redis_prefix)
    return s


def run_crawl(sources: list[Source], settings: Settings, *, max_articles: int | None = None) -> CrawlReport:
    engine = make_engine(settings.get("TRACKWIRE_DB"))
    init_db(engine)
    with write_session(engine) as session:
        run_id = start_run(session, "crawl")
    offline = _offline(engine, run_id, sources)
    if offline:
        return offline
    settings.set("LOG_INSTALL_ROOT_HANDLER", False)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=sources, max_articles=max_articles)
    try:
        process.start()
    finally:
        report = _finish(engine, run_id, crawler.stats.get_stats() if crawler.stats else {}, sources)
    return report


def _finish(engine, run_id: int, stats: dict, sources: list[Source]) -> CrawlReport:
    """Judge the sources, record them and the run; the report."""
    report = _report(run_id, stats, sources, _history(engine, sources, run_id))
    with write_session(engine) as session:
        for source in sources if not report.no_network else ():
            record_source(session, source.name, homepage=source.homepage,
                          ok=source.name not in report.failing, error=report.failing.get(source.name))
        errors = [NO_NETWORK] if report.no_network else [f"{n}: {why}" for n, why in report.failing.items()]
        finish_run(session, run_id, status=report.status, stats=_plain(stats, report), errors=errors,
                   new=report.new, updated=report.updated, dropped=sum(report.dropped.values()))
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
        return CrawlReport(run_id=run_id, status="failed", no_network=True, reason=str(exc))
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
    report.reason = NO_NETWORK if report.no_network else None
    for source in sources if not report.no_network else ():
        why = judge(tw, source.name, history.get(source.name, ()), judged=reason_ok(stats))
        if why:
            report.failing[source.name] = why
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        report.status = "interrupted"
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
