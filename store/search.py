"""Full-text search and athlete lookup. Any user input is safe here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import column, func, literal_column, table, text
from sqlmodel import Session, col, select

from store.db import is_sqlite
from store.filters import StoryFilter
from store.models import Athlete, Mention, Performance, Quote, Story
from nlp.text import fold, fold_letters


class QueryError(ValueError):
    """User input that cannot become a search; the message says what to type instead."""


def fts_query(raw: str) -> str:
    """An FTS5 MATCH expression from free text: every word quoted, all must match.

    Quoting makes `McLaughlin-Levrone`, `Ingebrigtsen's`, `AND` and `*` plain
    words instead of syntax.
    """
    words = [w for w in re.findall(r"[\w][\w'’.-]*", fold_letters(raw)) if w.strip("'’.-")]
    if not words:
        raise QueryError(f"nothing to search for in {raw!r}: give one or more words")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


@dataclass
class Hit:
    id: int
    key: str
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None
    snippet: str
    score: float


FTS = table("story_fts", column("rowid"))


def search(session: Session, query: str, *, filters: StoryFilter | None = None, limit: int = 20) -> list[Hit]:
    """Stories matching `query` and `filters`, best first (bm25, title weighted 5x), with snippets.

    Ranking first, snippets after: snippet() costs a pass over each document's
    text, so it is computed for the `limit` best rows only, not for every match.
    """
    filters = filters or StoryFilter()
    if not is_sqlite(session.get_bind()):
        return _search_like(session, query, filters=filters, limit=limit)
    match = fts_query(query)
    score = literal_column("bm25(story_fts, 5.0, 1.0)").label("score")
    stmt = (select(Story.id, Story.key, Story.title, Story.url, Story.source, Story.published_at, score)
            .select_from(FTS.join(Story, Story.id == FTS.c.rowid))
            .where(text("story_fts MATCH :q")))
    rows = session.connection().execute(filters.apply(stmt).order_by(text("score")).limit(limit), {"q": match}).all()
    if not rows:
        return []
    snippets = dict(session.connection().execute(
        select(FTS.c.rowid, literal_column("snippet(story_fts, 1, '[', ']', ' … ', 12)"))
        .where(text("story_fts MATCH :q"), FTS.c.rowid.in_([r.id for r in rows])), {"q": match}).all())
    return [Hit(r.id, r.key, r.title, r.url, r.source, _as_dt(r.published_at), snippets.get(r.id, ""), -r.score)
            for r in rows]


def _as_dt(value) -> datetime | None:
    """Raw SQL hands SQLite datetimes back as naive UTC text."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _search_like(session: Session, query: str, *, filters: StoryFilter, limit: int) -> list[Hit]:
    """Other databases until they get their own full-text index: every word, anywhere."""
    words = [w.strip('"') for w in fts_query(query).split()]
    stmt = select(Story)
    for w in words:
        stmt = stmt.where(col(Story.text).ilike(f"%{w}%"))
    rows = session.exec(filters.apply(stmt).order_by(col(Story.published_at).desc()).limit(limit)).all()
    return [Hit(s.id, s.key, s.title, s.url, s.source, s.published_at, s.text[:160], 0.0) for s in rows]


def find_athletes(session: Session, name: str) -> list[Athlete]:
    """Athletes matching a name as people type it: any case or accents, surname only, or a typo.

    Exact full names win; then surnames; then close spellings (Damerau-Levenshtein
    <= 2, never for names under five letters). Athletes with stories come first.
    """
    key = fold(name)
    if not key:
        return []
    exact = list(session.exec(select(Athlete).where(Athlete.fold == key)))  # indexed
    if not exact:
        exact = list(session.exec(select(Athlete).where(col(Athlete.aliases).contains(f"|{key}|"))))
    if exact:
        return exact
    surname = list(session.exec(select(Athlete).where(
        (col(Athlete.fold).like(f"% {key}")) | (col(Athlete.fold).like(f"{key} %")))))
    if surname:
        return _with_stories_first(session, surname)
    return _with_stories_first(session, _fuzzy(session, key))


def _fuzzy(session: Session, key: str) -> list[Athlete]:
    if len(key.replace(" ", "")) < 5:
        return []
    hits = [aid for aid, f in session.exec(select(Athlete.id, Athlete.fold))
            if min(DamerauLevenshtein.distance(key, f), DamerauLevenshtein.distance(key, f.split()[-1])) <= 2]
    return list(session.exec(select(Athlete).where(col(Athlete.id).in_(hits)).order_by(Athlete.id)))


def suggest(session: Session, name: str, limit: int = 5) -> list[str]:
    names = [r for r in session.exec(select(Athlete.name))]
    found = process.extract(fold(name), [fold(n) for n in names], scorer=fuzz.WRatio, limit=limit)
    return [names[i] for _, score, i in found if score >= 60]


def _with_stories_first(session: Session, athletes: list[Athlete]) -> list[Athlete]:
    counts = dict(session.exec(select(Mention.athlete_id, func.count(func.distinct(Mention.story_id)))
                               .where(col(Mention.athlete_id).in_([a.id for a in athletes]))
                               .group_by(Mention.athlete_id)).all())
    with_stories = [a for a in athletes if counts.get(a.id)]
    return sorted(with_stories or athletes, key=lambda a: (-counts.get(a.id, 0), a.name))


@dataclass
class StoryView:
    key: str
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None
    quotes: list[str] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)


@dataclass
class Profile:
    athlete: Athlete
    stories: list[StoryView]
    performances: list[dict]
    co_mentioned: list[tuple[str, int]]

    def by_event(self) -> dict[str, list[dict]]:
        """Performances grouped by event, best first (lowest time, highest distance or score), deduplicated."""
        grouped: dict[str, list[dict]] = {}
        for p in self.performances:
            rows = grouped.setdefault(p["event"], [])
            if all(abs(r["value"] - p["value"]) > 1e-6 for r in rows):
                rows.append(p)
        for rows in grouped.values():
            rows.sort(key=lambda r: r["value"] if r["unit"] == "s" else -r["value"])
        return dict(sorted(grouped.items()))


def athlete_profile(session: Session, athlete: Athlete, *, since: datetime | None = None,
                    until: datetime | None = None, limit: int = 50) -> Profile:
    """Stories about an athlete, newest first, with what they said and what they ran."""
    story_ids = select(Mention.story_id).where(Mention.athlete_id == athlete.id)
    stmt = select(Story.id, Story.key, Story.title, Story.url, Story.source, Story.published_at).where(
        col(Story.id).in_(story_ids))
    if since:
        stmt = stmt.where(Story.published_at >= since)
    if until:
        stmt = stmt.where(Story.published_at < until)
    stories = session.execute(stmt.order_by(col(Story.published_at).desc().nulls_last(), col(Story.id).desc())
                              .limit(limit)).all()
    ids = [s.id for s in stories]
    quotes: dict[int, list[str]] = {}
    for story_id, quote in session.execute(select(Quote.story_id, Quote.text).where(
            Quote.athlete_id == athlete.id, col(Quote.story_id).in_(ids)).order_by(Quote.story_id, Quote.start)):
        quotes.setdefault(story_id, []).append(quote)
    perfs = session.execute(select(Performance.story_id, Performance.event, Performance.mark, Performance.value,
                                   Performance.unit).where(Performance.athlete_id == athlete.id,
                                                           col(Performance.story_id).in_(ids))).all()
    marks: dict[int, list[dict]] = {}
    for p in perfs:
        marks.setdefault(p.story_id, []).append({"event": p.event, "mark": p.mark, "value": p.value, "unit": p.unit})
    views = [StoryView(s.key, s.title, s.url, s.source, s.published_at, quotes.get(s.id, []), marks.get(s.id, []))
             for s in stories]
    performances = [{"event": p.event, "mark": p.mark, "value": p.value, "unit": p.unit} for p in perfs]
    return Profile(athlete, views, performances, co_mentioned(session, athlete.id, ids))


def co_mentioned(session: Session, athlete_id: int, story_ids: list[int], limit: int = 5) -> list[tuple[str, int]]:
    rows = session.exec(
        select(Mention.name, func.count(func.distinct(Mention.story_id)).label("n"))
        # label through an expression: an index on label matches every athlete mention in the archive;
        # SQLite must use the story_id index for these few stories instead
        .where(col(Mention.story_id).in_(story_ids), func.lower(Mention.label) == "athlete",
               Mention.athlete_id != athlete_id)
        .group_by(Mention.name).order_by(text("n DESC"), Mention.name).limit(limit)).all()
    return [(r[0], r[1]) for r in rows]

