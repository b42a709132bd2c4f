"""Crawl runs and source health, and the figures `trackwire stats` shows."""

from __future__ import annotations

import os

from sqlalchemy import func
from sqlmodel import Session, col, select

from trackwire.store.models import CrawlRun, Mark, Mention, Quote, Source, Story, utcnow
from trackwire.store.processes import gone, this_host


def start_run(session: Session, kind: str = "crawl") -> int:
    """A new `running` record of this process (host and pid, for `close_gone_runs`); its id."""
    run = CrawlRun(kind=kind, host=this_host(), pid=os.getpid())
    session.add(run)
    session.flush()
    return run.id


def close_gone_runs(session: Session) -> list[int]:
    """Close as `interrupted` the runs still `running` whose process, on this host, is gone (killed
    with SIGKILL, or the machine stopped); returns their ids. Runs of other hosts are left alone."""
    closed = []
    for run in session.exec(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.host == this_host())):
        if gone(run.host, run.pid, run.started_at):
            run.status, run.ended_at = "interrupted", utcnow()
            run.errors = [*(run.errors or []), f"its process (pid {run.pid} on {run.host}) ended without closing "
                          "the record: it was killed; what it stored is kept"]
            session.add(run)
            closed.append(run.id)
    return closed


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


def untaggable(session: Session, version: str | None = None) -> dict[str, int]:
    """Stories set aside by the tagger that last tried them (or by tagger `version`), by reason code."""
    query = select(Story.tag_error).where(col(Story.tag_error).is_not(None))
    if version is not None:
        query = query.where(Story.tagger_version == version)
    counts: dict[str, int] = {}
    for error in session.exec(query):
        code = error.split(":", 1)[0]
        counts[code] = counts.get(code, 0) + 1
    return counts


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
