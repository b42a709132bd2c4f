"""Crawl runs and source health, and the figures `trackwire stats` shows."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from trackwire.store.models import CrawlRun, Mark, Mention, Quote, Source, Story, utcnow


def start_run(session: Session, kind: str = "crawl") -> int:
    run = CrawlRun(kind=kind)
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, *, status: str, stats: dict, errors: list[str],
               new: int, updated: int, dropped: int) -> None:
    run = session.get(CrawlRun, run_id)
    run.ended_at = utcnow()
    run.status = status
    run.stats = stats
    run.errors = errors
    run.stories_new = new
    run.stories_updated = updated
    run.pages_dropped = dropped
    session.add(run)


def record_source(session: Session, name: str, *, homepage: str | None, ok: bool, error: str | None) -> None:
    row = session.exec(select(Source).where(Source.name == name)).first() or Source(name=name)
    row.homepage = homepage or row.homepage
    row.last_crawl_at = utcnow()
    row.last_status = "ok" if ok else "failing"
    row.last_error = None if ok else error
    row.failing_runs = 0 if ok else row.failing_runs + 1
    session.add(row)


def recent_runs(session: Session, limit: int = 5) -> list[CrawlRun]:
    return list(session.exec(select(CrawlRun).order_by(col(CrawlRun.id).desc()).limit(limit)))


def recent_crawl_counters(session: Session, names: list[str], runs: int, *, before: int) -> dict[str, list[dict]]:
    """For each source, the `trackwire/...` counters (prefix removed) of its last `runs` crawls that
    ran to their end before run `before`, newest first. A crawl of a source counted its entry points."""
    found: dict[str, list[dict]] = {name: [] for name in names}
    if runs <= 0:
        return found
    query = (select(CrawlRun.stats).where(CrawlRun.kind == "crawl", CrawlRun.id < before,
                                          col(CrawlRun.status).in_(("ok", "failed")))
             .order_by(col(CrawlRun.id).desc()).limit(50 * runs))
    for stats in session.exec(query):
        counters = {k[len("trackwire/"):]: v for k, v in ((stats or {}).get("scrapy") or {}).items()
                    if k.startswith("trackwire/")}
        for name in names:
            if len(found[name]) < runs and f"source/{name}/entry_points" in counters:
                found[name].append(counters)
    return found


def failing_sources(session: Session) -> list[Source]:
    return list(session.exec(select(Source).where(Source.last_status == "failing").order_by(Source.name)))


def totals(session: Session) -> dict[str, int]:
    def count(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return {
        "stories": count(Story),
        "tagged": count(Story, col(Story.tagged_at).is_not(None)),
        "athletes": session.exec(select(func.count(func.distinct(Mention.athlete_id)))
                                 .where(col(Mention.athlete_id).is_not(None))).one(),
        "quotes": count(Quote),
        "marks": count(Mark),
    }


def drop_counts(session: Session, runs: int = 1) -> dict[str, int]:
    """Dropped pages by reason over the last `runs` crawl runs."""
    merged: dict[str, int] = {}
    for run in recent_runs(session, runs):
        for reason, n in (run.stats or {}).get("dropped", {}).items():
            merged[reason] = merged.get(reason, 0) + n
    return dict(sorted(merged.items(), key=lambda kv: -kv[1]))


def summarise_crawls(session: Session, *, after: int) -> dict:
    """New/updated/dropped counts, per-source figures and errors of the crawl runs after run `after`."""
    crawls = session.exec(select(CrawlRun).where(CrawlRun.id > after, CrawlRun.kind == "crawl")).all()
    per_source: dict[str, dict[str, int]] = {}
    for run in crawls:
        for key, value in ((run.stats or {}).get("scrapy") or {}).items():
            parts = key.split("/")
            if len(parts) == 4 and parts[:2] == ["trackwire", "source"] and isinstance(value, int):
                entry = per_source.setdefault(parts[2], {})
                entry[parts[3]] = entry.get(parts[3], 0) + value
    return {
        "new": sum(r.stories_new for r in crawls),
        "updated": sum(r.stories_updated for r in crawls),
        "dropped": sum(r.pages_dropped for r in crawls),
        "errors": [e for r in crawls for e in (r.errors or [])],
        "stats": {"crawl_runs": [r.id for r in crawls], "sources": per_source},
    }


def last_successful(session: Session, kind: str | None = None) -> CrawlRun | None:
    query = select(CrawlRun).where(CrawlRun.status == "ok")
    if kind:
        query = query.where(CrawlRun.kind == kind)
    return session.exec(query.order_by(col(CrawlRun.id).desc()).limit(1)).first()
