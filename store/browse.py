"""The queries behind the browsing views (the web pages and their JSON): the latest stories, the
athletes most mentioned in a window, counts of a search's stories by event, source and athlete,
a story's near-duplicates, every source's health. Each takes a session and does one thing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from trackwire.store.filters import StoryFilter
from trackwire.store.models import Athlete, Mention, Source, Story

LISTING = (Story.key, Story.title, Story.url, Story.source, Story.published_at)


def latest_stories(session: Session, limit: int = 10) -> list:
    """The `limit` most recently published stories (undated ones last): rows of LISTING's columns."""
    return session.execute(select(*LISTING).order_by(col(Story.published_at).desc().nulls_last(),
                                                     col(Story.id).desc()).limit(limit)).all()


def newest_date(session: Session, *, not_after: datetime) -> datetime | None:
    """The publication date of the newest story dated no later than `not_after`, or None."""
    return session.execute(select(func.max(Story.published_at))
                           .where(Story.published_at <= not_after)).scalar()


def most_mentioned(session: Session, since: datetime, until: datetime, limit: int = 10) -> list[tuple]:
    """Athletes by the number of stories published in [since, until) that mention them, most first:
    (name, country, stories) tuples."""
    n = func.count(func.distinct(Mention.story_id)).label("n")
    window = select(Story.id).where(Story.published_at >= since, Story.published_at < until)
    rows = session.execute(
        select(Mention.athlete_id, n)
        # label through an expression, as in search.co_mentioned: the story_id index, not the label one
        .where(col(Mention.story_id).in_(window), func.lower(Mention.label) == "athlete",
               col(Mention.athlete_id).is_not(None))
        .group_by(Mention.athlete_id).order_by(text("n DESC"), Mention.athlete_id).limit(limit)).all()
    athletes = {a.id: a for a in session.exec(select(Athlete).where(col(Athlete.id).in_([r[0] for r in rows])))}
    return [(athletes[aid].name, athletes[aid].country, count) for aid, count in rows]


def facet_counts(session: Session, filters: StoryFilter, limit: int = 10,
                 sample: int | None = None) -> dict[str, list[tuple[str, int]]]:
    """How many stories passing `filters` carry each event, source and athlete: the `limit` most
    frequent values of each, as (value, stories) pairs, most first, then by value. With `sample`, the
    counts cover only the `sample` most recently published of those stories (a bounded cost)."""
    matched = filters.apply(select(Story.id))
    if sample:
        matched = matched.order_by(col(Story.published_at).desc().nulls_last(), col(Story.id).desc()).limit(sample)
    n = func.count(func.distinct(Mention.story_id)).label("n")

    def by_label(label: str) -> list[tuple[str, int]]:
        rows = session.execute(select(Mention.name, n)
                               .where(col(Mention.story_id).in_(matched), func.lower(Mention.label) == label)
                               .group_by(Mention.name).order_by(text("n DESC"), Mention.name).limit(limit))
        return [(name, count) for name, count in rows]

    count = func.count().label("n")
    sources = session.execute(select(Story.source, count).where(col(Story.id).in_(matched),
                                                                 col(Story.source).is_not(None))
                              .group_by(Story.source).order_by(text("n DESC"), Story.source).limit(limit))
    return {"event": by_label("event"), "source": [(s, c) for s, c in sources], "athlete": by_label("athlete")}


def near_duplicates(session: Session, key: str, limit: int = 20) -> list:
    """Stories in the same near-duplicate cluster as the story with `key` (store.dedupe), earliest
    stored first, without the story itself: rows of LISTING's columns."""
    story = session.execute(select(Story.id, Story.cluster_id).where(Story.key == key)).first()
    if story is None or story.cluster_id is None:
        return []
    return session.execute(select(*LISTING).where(Story.cluster_id == story.cluster_id, Story.id != story.id)
                           .order_by(Story.id).limit(limit)).all()


def all_sources(session: Session) -> list[Source]:
    """Every source crawled so far, failing ones first, then by name."""
    failing = (Source.last_status == "failing").label("failing")
    return list(session.exec(select(Source).order_by(failing.desc(), Source.name)))
