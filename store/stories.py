"""Writing and reading stories and their tags. Every function takes a session."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from trackwire.nlp.text import fold
from trackwire.store.dedupe import assign_cluster
from trackwire.store.models import Athlete, Mark, Mention, Performance, Quote, Story, utcnow

# The longest story trackwire stores or tags, in characters (about 16,000 words; the longest
# feature article is a third of that). Tagging one this long takes the small spaCy model about
# 12 s and 400 MB on top of the model on a 2-core machine (measured: ~4 MB per 1,000 characters);
# at spaCy's own limit of 1,000,000 a single story would need about 4 GB. Longer pages are almost
# always results dumps or concatenated live blogs. The crawler drops them (`too_long`), ingest
# refuses them, and the tagger skips any older store's longer story with that reason.
MAX_STORY_CHARS = 100_000


def too_long(text: str) -> str | None:
    """Why `text` is refused ("too_long: …"), or None when it fits MAX_STORY_CHARS."""
    if len(text) <= MAX_STORY_CHARS:
        return None
    return f"too_long: {len(text):,} characters; trackwire takes at most {MAX_STORY_CHARS:,}"


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class StoryIn:
    """A story as the crawler or `ingest` hands it to the store. `text` is headline, blank line, body."""

    key: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    raw_html: bytes | None = None  # uncompressed page bytes; stored compressed
    extra: dict = field(default_factory=dict)


def upsert_story(session: Session, story: StoryIn, *, same_source: bool = False) -> str:
    """Insert or update by key. Returns "new", "updated", "unchanged", or "refused".

    A changed text drops the old tags (their offsets no longer hold) so the
    story is tagged again. With `same_source` (a crawl), a story stored under
    another source is left alone and "refused" returned: no source overwrites
    another's story; only that source, `trackwire reextract` or an explicit
    `ingest` may change it.
    """
    digest = content_hash(story.text)
    row = session.exec(select(Story).where(Story.key == story.key)).first()
    status = "new"
    if row is not None and same_source and row.source != story.source:
        return "refused"
    if row is None:
        row = Story(key=story.key)
    elif row.content_hash == digest and row.title == story.title:
        _refresh_metadata(row, story)
        session.add(row)
        return "unchanged"
    else:
        status = "updated"
        clear_tags(session, row.id)
        row.tagged_at = None
        row.tagger_version = row.tag_error = None
        row.claimed_by = row.claimed_until = None  # a worker tagging the old text will not write it
    row.text = story.text
    row.title = story.title
    row.content_hash = digest
    _refresh_metadata(row, story)
    session.add(row)
    session.flush()
    assign_cluster(session, row)
    return status


def _refresh_metadata(row: Story, story: StoryIn) -> None:
    row.url = story.url or row.url
    row.source = story.source or row.source
    row.author = story.author or row.author
    row.published_at = story.published_at or row.published_at
    row.language = story.language or row.language
    row.fetched_at = story.fetched_at or utcnow()
    if story.raw_html is not None:
        row.raw_html = zlib.compress(story.raw_html, 6)


def raw_html(row: Story) -> bytes | None:
    return zlib.decompress(row.raw_html) if row.raw_html else None


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """Which of these URLs are already stored, as a story's url or key."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        rows = session.exec(select(Story.url, Story.key).where(
            or_(col(Story.url).in_(chunk), col(Story.key).in_(chunk))))
        for url, key in rows:
            found.update(x for x in (url, key) if x in chunk)
    return found


def to_tag(query, *, retag: bool, version: str):
    """`query` narrowed to the stories still to tag (with `retag`, also those of another tagger version).

    A story this tagger version could not tag (`tag_error`) is not tried again until the version moves.
    """
    other = or_(col(Story.tagger_version).is_(None), Story.tagger_version != version)
    if retag:
        return query.where(other)
    return query.where(col(Story.tagged_at).is_(None), other)


def clear_tags(session: Session, story_id: int | None) -> None:
    if story_id is None:
        return
    for table in (Mention, Quote, Mark, Performance):
        session.exec(delete(table).where(table.story_id == story_id))


def athlete_id(session: Session, name: str, *, country: str | None = None, sex: str | None = None,
               birth_year: int | None = None, events: str | None = None, also: tuple[str, ...] = (),
               canonical: bool = False) -> int:
    """The id of the athlete called `name`, created when new; `also`: other names it goes by, for look-ups.
    One row per folded name; it takes `name` as written when that is the registry's (`canonical`: a store
    tagged with an older registry gets today's spelling) or says more than its own (`richer`). Facts the
    registry gives (`canonical`) replace the row's, so a re-tag brings today's (an imported athlete
    updated); facts read from a story only fill the row's gaps."""
    row = _athlete(session, name) or _new_athlete(session, Athlete(
        name=name, fold=fold(name), country=country, sex=sex, birth_year=birth_year, events=events))
    if row.name != name and (canonical or richer(name, row.name)):
        row.name = name
    for other in map(fold, also):
        if other != row.fold and f"|{other}|" not in row.aliases:
            row.aliases = (row.aliases or "|") + f"{other}|"
    for attr, value in (("country", country), ("sex", sex), ("birth_year", birth_year), ("events", events)):
        if value and (canonical or not getattr(row, attr)):  # the registry's facts are today's; others fill gaps
            setattr(row, attr, value)
    session.add(row)
    return row.id


def _athlete(session: Session, name: str) -> Athlete | None:
    return session.exec(select(Athlete).where(Athlete.name == name)).first() or \
        session.exec(select(Athlete).where(Athlete.fold == fold(name)).order_by(Athlete.id)).first()


def _new_athlete(session: Session, row: Athlete) -> Athlete:
    """Insert `row`; when another writer inserted the same athlete meanwhile (two workers on PostgreSQL
    tagging stories about one new name), theirs, once they commit."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return _athlete(session, row.name)
    return row


def richer(new: str, old: str) -> bool:
    """Whether spelling `new` of a name says more than `old`: more accents, or mixed case against
    one case throughout ("JOSH KERR" in a headline)."""
    def accents(s: str) -> int:
        return sum(not ch.isascii() for ch in s)

    mixed = not (new.isupper() or new.islower())
    return accents(new) > accents(old) or (accents(new) == accents(old) and mixed and (old.isupper() or old.islower()))


def save_tags(session: Session, story_id: int, tags: dict, version: str) -> None:
    """Replace a story's tags with `tags` (the tagger's plain-data output)."""
    clear_tags(session, story_id)
    text = session.get(Story, story_id).text
    ids = {a["name"]: athlete_id(session, a.get("identity") or a["name"], country=a.get("country"),
                                 sex=a.get("sex"), birth_year=a.get("birth_year"),
                                 events=",".join(a.get("events") or []) or None,
                                 also=(a["name"], *a.get("aliases", ())), canonical=bool(a.get("identity")))
           for a in tags["athletes"]}
    rows: list = []
    for a in tags["athletes"]:
        rows += [Mention(story_id=story_id, start=s, end=e, label="ATHLETE", text=text[s:e],
                         name=a["name"], athlete_id=ids[a["name"]]) for s, e in a["mentions"]]
    for p in tags["people"]:
        rows += [Mention(story_id=story_id, start=s, end=e, label="PERSON", text=text[s:e],
                         name=p["name"], role=p.get("role")) for s, e in p["mentions"]]
    for ev in tags["events"]:
        rows += [Mention(story_id=story_id, start=s, end=e, label="EVENT", text=text[s:e], name=ev["event"],
                         sex=ev.get("sex"), indoor=ev.get("indoor")) for s, e in ev["mentions"]]
    rows += [Mark(story_id=story_id, **{k: m[k] for k in ("start", "end", "text", "value", "unit", "flags", "wind")})
             for m in tags["marks"]]
    rows += [Quote(story_id=story_id, start=q["start"], end=q["end"], text=q["text"], speaker=q["speaker"],
                   athlete_id=ids.get(q["speaker"])) for q in tags["quotes"]]
    rows += [Performance(story_id=story_id, athlete_id=ids.get(p["athlete"]), **p) for p in tags["performances"]]
    session.add_all(rows)
    story = session.get(Story, story_id)
    story.tagged_at = utcnow()
    story.tagger_version = version
    story.tag_error = None
    session.add(story)
