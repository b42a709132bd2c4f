"""All trackwire tables, in one place.

Datetimes are stored as naive UTC and read back as UTC-aware values (SQLite
keeps no time zone); every writer passes aware datetimes.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, BigInteger, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every dialect."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _story_fk() -> Column:
    return Column(Integer, ForeignKey("story.id", ondelete="CASCADE"), nullable=False, index=True)


def _athlete_fk() -> Column:
    return Column(Integer, ForeignKey("athlete.id", ondelete="SET NULL"), nullable=True, index=True)


class Source(SQLModel, table=True):
    """A publisher as named in the sources file; its health after each crawl."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    homepage: str | None = None
    last_crawl_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: str | None = None  # "ok" | "failing"
    last_error: str | None = None
    failing_runs: int = 0


class Story(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    url: str | None = Field(default=None, index=True)
    source: str | None = Field(default=None, index=True)
    title: str = ""
    author: str | None = None
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    language: str | None = None
    text: str = ""
    content_hash: str = Field(default="", index=True)
    raw_html: bytes | None = Field(default=None, sa_type=LargeBinary)  # zlib-compressed page
    tagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    tagger_version: str | None = None
    simhash: int | None = Field(default=None, sa_type=BigInteger)  # store.dedupe fingerprint, signed
    cluster_id: int | None = Field(default=None, index=True)  # the first story of its near-duplicate cluster
    # the tagging queue (store.queue): which worker holds the story and until when; who tagged it
    claimed_by: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    tagged_by: str | None = None
    # "reason: detail" when the tagger named in tagger_version could not tag it (store.queue.give_up)
    tag_error: str | None = None


class StoryBand(SQLModel, table=True):
    """One 8-bit band of a story's SimHash, for finding near-duplicate candidates by index."""

    __table_args__ = (Index("ix_storyband_band_value", "band", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_story_fk())
    band: int
    value: int


class Athlete(SQLModel, table=True):
    """A canonical athlete identity. `fold` is the accent- and case-folded name; `aliases` holds the
    folded other names it is known by, as "|a|b|", so that a LIKE '%|name|%' finds it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    fold: str = Field(index=True)
    aliases: str = ""
    country: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    events: str | None = None  # comma-separated event codes


class Mention(SQLModel, table=True):
    """A tagged span: ATHLETE, PERSON or EVENT. `name` is the canonical name or event code."""

    __table_args__ = (Index("ix_mention_label_name", "label", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_story_fk())
    start: int
    end: int
    label: str
    text: str
    name: str
    athlete_id: int | None = Field(default=None, sa_column=_athlete_fk())
    role: str | None = None
    sex: str | None = None
    indoor: bool | None = None


class Quote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_story_fk())
    start: int
    end: int
    text: str
    speaker: str | None = None
    athlete_id: int | None = Field(default=None, sa_column=_athlete_fk())


class Mark(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_story_fk())
    start: int
    end: int
    text: str
    value: float
    unit: str  # "s" | "m" | "pts"
    flags: list[str] = Field(default_factory=list, sa_type=JSON)
    wind: str | None = None


class Performance(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(sa_column=_story_fk())
    athlete: str
    athlete_id: int | None = Field(default=None, sa_column=_athlete_fk())
    event: str = Field(index=True)
    mark: str
    value: float
    unit: str


class FetchState(SQLModel, table=True):
    """Validators of a feed or sitemap, sent back next time so an unchanged one answers 304."""

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CrawlRun(SQLModel, table=True):
    """One crawl (or nightly run). `stats` holds Scrapy's counters and drop reasons."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = "crawl"
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = "running"  # running | ok | failed | interrupted | timeout | skipped | missed
    host: str | None = None  # where the process that records it runs, and its pid: a run whose process
    pid: int | None = None  # is gone is closed as interrupted by the next start (store.runs)
    stories_new: int = 0
    stories_updated: int = 0
    pages_dropped: int = 0
    stats: dict = Field(default_factory=dict, sa_type=JSON)
    errors: list[str] = Field(default_factory=list, sa_type=JSON)


class RegistryAthlete(SQLModel, table=True):
    """An athlete a user added to the tagger's registry (`trackwire registry import`), beside the
    packaged lists; every tagger reading this store knows them. `events` and `aliases` are
    ";"-separated (event codes of the tagging guide; other names)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    fold: str = Field(unique=True)  # the folded name: one row per athlete, a later import updates it
    country: str | None = None  # IOC code
    sex: str | None = None  # M or F
    birth_year: int | None = None
    events: str = ""
    aliases: str = ""
    wa_id: str | None = None  # World Athletics athlete id
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
