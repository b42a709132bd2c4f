"""Store rows to the typed records of `trackwire.records`: one place for each shape."""

from __future__ import annotations

from trackwire.progression import progressions
from trackwire.records import (AthleteProfile, AthleteStory, AthleteSummary, CoMention, DatedPerformance,
                               PerformanceRow, Run, SearchHit, SourceHealth, StoryListing)


def summary(a, stories: int) -> AthleteSummary:
    """An `Athlete` row and its story count as an `AthleteSummary`."""
    return AthleteSummary(name=a.name, country=a.country, sex=a.sex, birth_year=a.birth_year,
                          events=a.events.split(",") if a.events else [],
                          aliases=[x for x in (a.aliases or "").split("|") if x], stories=stories)


def profile(p, total: int) -> AthleteProfile:
    """A `store.search.Profile` as an `AthleteProfile`, with its progressions."""
    stories = [AthleteStory(key=s.key, title=s.title, url=s.url, source=s.source, published_at=s.published_at,
                            quotes=s.quotes, performances=[PerformanceRow(**m) for m in s.marks])
               for s in p.stories]
    performances = [DatedPerformance(**row) for row in p.performances]
    return AthleteProfile(
        athlete=summary(p.athlete, total), stories=stories, performances=performances,
        by_event={event: [PerformanceRow(**{k: r[k] for k in ("event", "mark", "value", "unit")}) for r in rows]
                  for event, rows in p.by_event().items()},
        co_mentioned=[CoMention(name=n, stories=c) for n, c in p.co_mentioned],
        progressions=progressions(performances))


def run(r) -> Run:
    """A `CrawlRun` row as a `Run`."""
    dropped = (r.stats or {}).get("dropped") or {}
    return Run(id=r.id, kind=r.kind, status=r.status, started_at=r.started_at, ended_at=r.ended_at,
               new=r.stories_new, updated=r.stories_updated, dropped=r.pages_dropped,
               dropped_by_reason=dict(sorted(dropped.items(), key=lambda kv: -kv[1])), errors=list(r.errors or []))


def source(s) -> SourceHealth:
    """A `Source` row as a `SourceHealth`."""
    return SourceHealth(name=s.name, status=s.last_status, since_runs=s.failing_runs, error=s.last_error,
                        last_crawl_at=s.last_crawl_at)


def listing(row) -> StoryListing:
    """A row of `store.browse.LISTING` columns as a `StoryListing`."""
    return StoryListing(key=row.key, title=row.title, url=row.url, source=row.source, published_at=row.published_at)


def hit(h) -> SearchHit:
    """A `store.search.Hit` as a `SearchHit`."""
    return SearchHit(key=h.key, title=h.title, url=h.url, source=h.source, published_at=h.published_at,
                     snippet=h.snippet, highlights=h.highlights, score=round(h.score, 4))
