"""Re-extraction: run today's `extract` over the raw pages the store kept (`story.raw_html`).

`reextract(engine, ...)` reads the stored pages in batches, extracts each again
with its source's selectors and time zone, and updates the stories whose
fields changed, one short transaction per story. A story keeps its key, URL,
source and fetch time. A changed headline or text drops the story's tags and
queues it for tagging again, as `store.stories.upsert_story` does for a crawl.
A date the page does not give (the crawl took it from the feed) is kept, and
so is a feed time on a day the page gives without a time.

Ctrl-C stops it between two stories: what was updated stays, the rest is as it
was, and the report says it was interrupted. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from trackwire.crawler.dates import best_date
from trackwire.crawler.extract import Extracted, NotAnArticle, extract
from trackwire.crawler.sources import Source
from trackwire.store.db import read_session, write_session
from trackwire.store.dedupe import assign_cluster
from trackwire.store.models import Story
from trackwire.store.runs import finish_run, start_run
from trackwire.store.stories import clear_tags, content_hash, raw_html

BATCH = 50
FIELDS = ("title", "text", "author", "published_at", "language")


@dataclass
class ReextractReport:
    """Counts of one run; `failed` maps a reason (an extraction drop counter) to stories."""

    total: int = 0
    unchanged: int = 0
    updated: int = 0
    requeued: int = 0  # updated stories whose text changed: their tags were dropped, to tag again
    failed: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False
    run_id: int | None = None

    @property
    def done(self) -> int:
        return self.unchanged + self.updated + sum(self.failed.values())


def reextract(engine: Engine, *, sources: Iterable[str] = (), since: datetime | None = None,
              until: datetime | None = None, registry: dict[str, Source] | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> ReextractReport:
    """Re-extract the stored pages of `sources` (all when empty) published in [since, until).

    `registry` gives each source's selectors and time zone (the sources file); `on_progress`
    is called with (stories done, stories to do) after each story. Returns the counts; a
    KeyboardInterrupt ends the run early with `interrupted` set instead of propagating."""
    ids = _story_ids(engine, tuple(sources), since, until)
    report = ReextractReport(total=len(ids))
    with write_session(engine) as session:
        report.run_id = start_run(session, "reextract")
    try:
        for start in range(0, len(ids), BATCH):
            for row in _rows(engine, ids[start:start + BATCH]):
                _one(engine, row, (registry or {}).get(row.source), report)
                if on_progress:
                    on_progress(report.done, report.total)
    except KeyboardInterrupt:
        report.interrupted = True
    with write_session(engine) as session:
        finish_run(session, report.run_id, status="interrupted" if report.interrupted else "ok",
                   stats={"total": report.total, "unchanged": report.unchanged, "requeued": report.requeued,
                          "failed": report.failed}, errors=[], new=0, updated=report.updated,
                   dropped=sum(report.failed.values()))
    return report


def _story_ids(engine: Engine, sources: tuple[str, ...], since, until) -> list[int]:
    query = select(Story.id).where(col(Story.raw_html).is_not(None))
    if sources:
        query = query.where(col(Story.source).in_(sources))
    if since:
        query = query.where(Story.published_at >= since)
    if until:
        query = query.where(Story.published_at < until)
    with read_session(engine) as session:
        return list(session.exec(query.order_by(Story.id)))


def _rows(engine: Engine, ids: list[int]) -> list[Story]:
    with read_session(engine) as session:
        rows = list(session.exec(select(Story).where(col(Story.id).in_(ids)).order_by(Story.id)))
        session.expunge_all()
    return rows


def _one(engine: Engine, row: Story, source: Source | None, report: ReextractReport) -> None:
    try:
        article = extract(raw_html(row), row.url or row.key, (source.selectors or None) if source else None,
                          timezone=source.timezone if source else None)
    except NotAnArticle as exc:
        report.failed[exc.reason] = report.failed.get(exc.reason, 0) + 1
        return
    except Exception as exc:  # noqa: BLE001  (one bad page must not stop the run; it is counted)
        reason = f"extract_error ({type(exc).__name__})"
        report.failed[reason] = report.failed.get(reason, 0) + 1
        return
    fields = _fields(row, article)
    if all(getattr(row, k) == v for k, v in fields.items()):
        report.unchanged += 1
        return
    report.requeued += _update(engine, row.id, fields)
    report.updated += 1


def _fields(row: Story, article: Extracted) -> dict:
    """The story's fields from a new extraction; the stored date wins where the page has none."""
    return {"title": article.title or row.title, "text": article.text, "author": article.author,
            "published_at": best_date(article.published_at, row.published_at, article.day_only),
            "language": article.language or row.language}


def _update(engine: Engine, story_id: int, fields: dict) -> bool:
    """Write the new fields in one transaction; True when the text changed and the story was requeued."""
    with write_session(engine) as session:
        row = session.get(Story, story_id)
        changed = content_hash(fields["text"]) != row.content_hash or fields["title"] != row.title
        for key, value in fields.items():
            setattr(row, key, value)
        if changed:
            clear_tags(session, row.id)
            row.content_hash = content_hash(row.text)
            row.tagged_at = row.tagger_version = row.tagged_by = None
            row.claimed_by = row.claimed_until = None  # a worker tagging the old text will not write it
            session.add(row)
            session.flush()
            assign_cluster(session, row)
        session.add(row)
    return changed
