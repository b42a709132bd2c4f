"""Full-text search and athlete lookup. Any user input is safe here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import bindparam, column, func, literal, literal_column, or_, table, text
from sqlmodel import Session, col, select

from trackwire.store.db import is_sqlite
from trackwire.store.filters import StoryFilter
from trackwire.store.models import Athlete, Mention, Performance, Quote, Story
from trackwire.nlp.text import fold, fold_letters


class QueryError(ValueError):
    """User input that cannot become a search; the message says what to type instead."""


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([\w][\w\'’.-]*)')
# A possessive, as the index sees it: "Kerr's" is the words kerr and s, and a story saying "Kerr"
# has no s; so "Kerr's" and "athletes'" are searched as kerr and athletes.
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=[sS])'(?!\w)")


def parse_query(raw: str) -> list[list[tuple[bool, str]]]:
    """Web-search syntax, as PostgreSQL's websearch_to_tsquery reads it: words and "quoted phrases"
    must all match, `or` between them offers alternatives, a leading `-` excludes. Returns OR-groups
    of (excluded, phrase); every other character is plain text, never syntax."""
    groups: list[list[tuple[bool, str]]] = [[]]
    for m in _TOKEN.finditer(fold_letters(raw)):
        minus, phrase = (m.group(1), m.group(2)) if m.group(2) is not None else (m.group(3), m.group(4))
        phrase = " ".join(re.findall(r"\w+", _POSSESSIVE.sub("", phrase)))
        if not phrase:
            continue
        if not minus and m.group(4) and phrase.lower() == "or" and groups[-1]:
            groups.append([])
            continue
        groups[-1].append((bool(minus), phrase))
    groups = [g for g in groups if g]
    if not groups:
        raise QueryError(f"nothing to search for in {raw!r}: give one or more words")
    if any(all(excluded for excluded, _ in g) for g in groups):
        raise QueryError(f"{raw!r} only excludes words: give at least one word to find")
    return groups


def web_query(raw: str) -> str:
    """`raw` in PostgreSQL's websearch syntax after parse_query's reading (possessives, stray
    characters), so both engines search the same words."""
    return " or ".join(" ".join(("-" if excluded else "") + f'"{phrase}"' for excluded, phrase in group)
                       for group in parse_query(raw))


def fts_query(raw: str) -> str:
    """An FTS5 MATCH expression for `raw` (see parse_query). Every phrase is quoted, so
    `McLaughlin-Levrone`, `Ingebrigtsen's`, `AND` and `*` are words, not FTS5 syntax."""
    def quoted(phrase: str) -> str:
        return '"' + phrase.replace('"', '""') + '"'

    parts = []
    for group in parse_query(raw):
        wanted = " ".join(quoted(p) for excluded, p in group if not excluded)
        unwanted = "".join(f" NOT {quoted(p)}" for excluded, p in group if excluded)
        parts.append(f"({wanted}{unwanted})" if unwanted else wanted)
    return " OR ".join(parts)


@dataclass
class Hit:
    id: int
    key: str
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None
    snippet: str  # plain text
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)  # matched words, offsets into snippet


# Snippet markers: control characters that never occur in stored text (brackets do).
START, STOP = "\x02", "\x03"


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet with START/STOP markers as plain text and the [start, end) offsets of the marked words."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    size, opened = 0, None
    for part in re.split(f"([{START}{STOP}])", marked):
        if part == START:
            opened = size
        elif part == STOP:
            if opened is not None and size > opened:
                spans.append((opened, size))
            opened = None
        else:
            plain.append(part)
            size += len(part)
    return "".join(plain), spans


FTS = table("story_fts", column("rowid"))


def search(session: Session, query: str, *, filters: StoryFilter | None = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Stories matching `query` (web-search syntax, see parse_query) and `filters`, best first, title
    weighted 5x, with snippets. SQLite ranks with FTS5's bm25, PostgreSQL with ts_rank over the
    generated `search_vector` (GIN-indexed); both see accents and letters like ø folded.

    Ranking first, snippets after: a snippet costs a pass over a document's text,
    so it is computed for the `limit` best rows only, not for every match.
    """
    filters = filters or StoryFilter()
    if is_sqlite(session.get_bind()):
        return _search_sqlite(session, query, filters, limit, offset)
    return _search_postgres(session, query, filters, limit, offset)


_COLUMNS = (Story.id, Story.key, Story.title, Story.url, Story.source, Story.published_at)


def _hits(rows, snippets: dict[int, str], score) -> list[Hit]:
    hits = []
    for r in rows:
        snippet, spans = unmark(snippets.get(r.id, ""))
        hits.append(Hit(r.id, r.key, r.title, r.url, r.source, _as_dt(r.published_at), snippet, score(r), spans))
    return hits


def _search_sqlite(session: Session, query: str, filters: StoryFilter, limit: int, offset: int) -> list[Hit]:
    match = fts_query(query)
    score = literal_column("bm25(story_fts, 5.0, 1.0)").label("score")
    stmt = (select(*_COLUMNS, score).select_from(FTS.join(Story, Story.id == FTS.c.rowid))
            .where(text("story_fts MATCH :q")))
    rows = session.connection().execute(
        filters.apply(stmt).order_by(text("score"), Story.id).limit(limit).offset(offset), {"q": match}).all()
    if not rows:
        return []
    snippets = dict(session.connection().execute(
        select(FTS.c.rowid, func.snippet(literal_column("story_fts"), 1, START, STOP, " … ", 12))
        .where(text("story_fts MATCH :q"), FTS.c.rowid.in_([r.id for r in rows])), {"q": match}).all())
    return _hits(rows, snippets, lambda r: -r.score)


_VECTOR = literal_column("story.search_vector")
_HEADLINE = f"StartSel={START}, StopSel={STOP}, MinWords=8, MaxWords=20, MaxFragments=1, FragmentDelimiter=\" … \""


def _search_postgres(session: Session, query: str, filters: StoryFilter, limit: int, offset: int) -> list[Hit]:
    query = web_query(query)  # the same reading, checks and messages as on SQLite
    tsquery = func.websearch_to_tsquery(literal_column("'simple'::regconfig"), func.tw_unaccent(bindparam("q")))
    score = func.ts_rank(literal_column("'{0.1, 0.2, 0.2, 1.0}'::float4[]"), _VECTOR, tsquery, 1).label("score")
    stmt = select(*_COLUMNS, score).where(_VECTOR.op("@@")(tsquery))
    rows = session.connection().execute(
        filters.apply(stmt).order_by(score.desc(), Story.id).limit(limit).offset(offset), {"q": query}).all()
    if not rows:
        return []
    headline = func.ts_headline(literal_column("'simple'::regconfig"), func.tw_unaccent(Story.text), tsquery,
                                _HEADLINE)
    found = session.connection().execute(
        select(Story.id, Story.text, headline).where(col(Story.id).in_([r.id for r in rows])), {"q": query}).all()
    # The headline is cut from the unaccented text: show the same stretch of the text as stored.
    unaccented = _pg_unaccent_map(session, {c for _, text_, _ in found for c in text_ if not c.isascii()})
    snippets = {id_: as_written(text_, marked, lambda c: unaccented.get(c, c)) for id_, text_, marked in found}
    return _hits(rows, snippets, lambda r: r.score)


def _pg_unaccent_map(session: Session, chars: set[str]) -> dict[str, str]:
    """What PostgreSQL's tw_unaccent makes of each of `chars`."""
    if not chars:
        return {}
    listed = sorted(chars)
    return dict(session.connection().execute(
        text("SELECT c, tw_unaccent(c) FROM unnest(CAST(:chars AS text[])) AS c"), {"chars": listed}).all())


def as_written(original: str, marked: str, fold_char) -> str:
    """A marked snippet cut from the folded copy of `original` (each character folded by `fold_char`),
    as the same stretch of `original` with its markers on the same words: accents, punctuation and
    letters as stored. The snippet as it is when it cannot be found in the folded text."""
    plain, spans = unmark(marked)
    folded, where = [], []  # where[k]: the index in `original` of folded character k
    for i, ch in enumerate(original):
        part = fold_char(ch)
        folded.append(part)
        where.extend([i] * len(part))
    at = "".join(folded).find(plain) if plain else -1
    if at < 0:
        return marked
    def start(k: int) -> int:
        return where[k] if k < len(where) else len(original)

    def end(k: int) -> int:  # an exclusive end in the folded text, in the original (with marks folded away)
        i = where[k - 1] + 1 if k > 0 else 0
        while i < len(original) and not fold_char(original[i]):
            i += 1
        return i

    lo, hi = start(at), end(at + len(plain))
    cuts = sorted([(start(at + s), START) for s, _ in spans] + [(end(at + e), STOP) for _, e in spans],
                  key=lambda cut: (cut[0], cut[1] == START))
    out, last = [], lo
    for pos, marker in cuts:
        out += [original[last:pos], marker]
        last = pos
    out.append(original[last:hi])
    return "".join(out)


def _as_dt(value) -> datetime | None:
    """Raw SQL hands SQLite datetimes back as naive UTC text."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def find_athletes(session: Session, name: str) -> list[Athlete]:
    """Athletes matching a name as people type it: any case or accents, surname only, or a typo.

    Exact full names win; then surnames (either part of a double one: "Smith" finds Hudson-Smith);
    then close spellings (Damerau-Levenshtein
    <= 2, never for names under five letters). Athletes with stories come first.
    """
    key = fold(name)
    if not key or "\x00" in key:  # no name holds a NUL, and SQLite's LIKE would end the pattern there
        return []
    exact = list(session.exec(select(Athlete).where(Athlete.fold == key)))  # indexed
    if not exact:
        exact = list(session.exec(select(Athlete).where(col(Athlete.aliases).contains(f"|{key}|", autoescape=True))))
    if exact:
        return exact
    # `%` and `_` typed in a name are letters to match, not LIKE's wildcards
    literal_key = key.replace("/", "//").replace("%", "/%").replace("_", "/_")
    surname = list(session.exec(select(Athlete).where(  # a surname or given name; a part of a double surname
        (col(Athlete.fold).like(f"% {literal_key}", escape="/"))
        | (col(Athlete.fold).like(f"{literal_key} %", escape="/"))
        | (col(Athlete.fold).like(f"%-{literal_key}", escape="/"))
        | (col(Athlete.fold).like(f"% {literal_key}-%", escape="/")))))
    if surname:
        return _with_stories_first(session, surname)
    return _with_stories_first(session, _fuzzy(session, key))


def _fuzzy(session: Session, key: str) -> list[Athlete]:
    """Names within Damerau-Levenshtein 2 of `key`, whole or surname. PostgreSQL narrows the
    candidates with its trigram index first (pg_trgm); SQLite checks every name."""
    if len(key.replace(" ", "")) < 5:
        return []
    candidates = select(Athlete.id, Athlete.fold)
    if not is_sqlite(session.get_bind()):
        candidates = candidates.where(or_(Athlete.fold.op("%")(key), literal(key).op("<%")(Athlete.fold)))
    hits = [aid for aid, f in session.exec(candidates)
            if min(DamerauLevenshtein.distance(key, f), DamerauLevenshtein.distance(key, f.split()[-1])) <= 2]
    return list(session.exec(select(Athlete).where(col(Athlete.id).in_(hits)).order_by(Athlete.id)))


SUGGEST_CUTOFF = 70  # fuzz.ratio: "Josh Kirby" ~ Josh Kerr is 74; "nobody" ~ Noor Vidts is 50


def suggest(session: Session, name: str, limit: int = 5) -> list[str]:
    """Names close to `name` for a did-you-mean: a whole name against whole names, one word against
    surnames. Plain edit similarity: a partial-match scorer would offer "Noor Vidts" for "nobody"."""
    key = fold(name)
    names = list(session.exec(select(Athlete.name)))
    keys = [fold(n) if " " in key else fold(n).split()[-1] for n in names]
    found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF, limit=limit)
    return [names[i] for _, _, i in found]


def _with_stories_first(session: Session, athletes: list[Athlete]) -> list[Athlete]:
    counts = story_counts(session, [a.id for a in athletes])
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
    """Stories about an athlete, newest first (at most `limit`), with what they said and what they ran;
    `performances` covers every story in the window, for progressions, each with its story's key and date."""
    story_ids = select(Mention.story_id).where(Mention.athlete_id == athlete.id)
    window = [col(Story.id).in_(story_ids)]
    if since:
        window.append(Story.published_at >= since)
    if until:
        window.append(Story.published_at < until)
    stories = session.execute(select(Story.id, Story.key, Story.title, Story.url, Story.source, Story.published_at)
                              .where(*window)
                              .order_by(col(Story.published_at).desc().nulls_last(), col(Story.id).desc())
                              .limit(limit)).all()
    ids = [s.id for s in stories]
    quotes: dict[int, list[str]] = {}
    for story_id, quote in session.execute(select(Quote.story_id, Quote.text).where(
            Quote.athlete_id == athlete.id, col(Quote.story_id).in_(ids)).order_by(Quote.story_id, Quote.start)):
        quotes.setdefault(story_id, []).append(quote)
    perfs = session.execute(
        select(Performance.story_id, Performance.event, Performance.mark, Performance.value, Performance.unit,
               Story.key, Story.published_at, Story.title)
        .join(Story, Story.id == Performance.story_id)
        .where(Performance.athlete_id == athlete.id, *window)
        .order_by(col(Story.published_at).nulls_last(), Performance.id)).all()
    marks: dict[int, list[dict]] = {}
    for p in perfs:
        marks.setdefault(p.story_id, []).append({"event": p.event, "mark": p.mark, "value": p.value, "unit": p.unit})
    views = [StoryView(s.key, s.title, s.url, s.source, s.published_at, quotes.get(s.id, []), marks.get(s.id, []))
             for s in stories]
    performances = [{"event": p.event, "mark": p.mark, "value": p.value, "unit": p.unit, "story_key": p.key,
                     "published_at": p.published_at, "story_title": p.title} for p in perfs]
    return Profile(athlete, views, performances, co_mentioned(session, athlete.id, ids))


def story_counts(session: Session, athlete_ids: list[int]) -> dict[int, int]:
    """Stories mentioning each athlete, by athlete id."""
    if not athlete_ids:
        return {}
    return dict(session.exec(select(Mention.athlete_id, func.count(func.distinct(Mention.story_id)))
                             .where(col(Mention.athlete_id).in_(athlete_ids)).group_by(Mention.athlete_id)).all())


def co_mentioned(session: Session, athlete_id: int, story_ids: list[int], limit: int = 5) -> list[tuple[str, int]]:
    rows = session.exec(
        select(Mention.name, func.count(func.distinct(Mention.story_id)).label("n"))
        # label through an expression: an index on label matches every athlete mention in the archive;
        # SQLite must use the story_id index for these few stories instead
        .where(col(Mention.story_id).in_(story_ids), func.lower(Mention.label) == "athlete",
               Mention.athlete_id != athlete_id)
        .group_by(Mention.name).order_by(text("n DESC"), Mention.name).limit(limit)).all()
    return [(r[0], r[1]) for r in rows]

