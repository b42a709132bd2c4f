"""What the Python API returns: plain typed records (pydantic models) in the JSON shapes of
docs/json.md and the export contract of docs/export.md. The CLI prints them with `--json`
and the web API serves them, so one shape holds everywhere.

Times are timezone-aware UTC datetimes, written in JSON as ISO 8601 with `Z` by the one helper of
every output (`trackwire.store.times.iso_utc`: `2024-08-04T20:10:00Z`); mark values are seconds
(`s`), metres (`m`) or points (`pts`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from trackwire.store.times import iso_utc

# A datetime field: the datetime in Python, `iso_utc`'s string in JSON (to_json, model_dump_json).
UTCTime = Annotated[datetime, PlainSerializer(iso_utc, return_type=str, when_used="json")]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict:
        """The record as JSON-ready data (datetimes as ISO 8601 strings with `Z`, `iso_utc`)."""
        return self.model_dump(mode="json")


class SearchHit(Record):
    """One story found by `Store.search`, best first."""

    key: str = Field(description="the story's key (canonical URL or ingest key)")
    title: str
    url: str | None = None
    source: str | None = None
    published_at: UTCTime | None = None
    snippet: str = Field(description="the best passage of the text, plain")
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) character offsets of the matched words in `snippet`")
    score: float = Field(description="relevance, higher is better; comparable within one query only")


class Facet(Record):
    """How many stories of a search carry one value of a filter."""

    value: str
    label: str
    count: int


class SearchPage(Record):
    """A page of search results with the total and the counts by event, source and athlete."""

    query: str
    total: int
    offset: int
    limit: int
    hits: list[SearchHit]
    facets: dict[str, list[Facet]] = Field(default_factory=dict)
    facets_over: int = Field(0, description="stories the facet counts cover: all found, or the most recently "
                                            "published when more were found (Store.search_page's facet_sample)")


class AthleteSummary(Record):
    """An athlete as the store knows them."""

    name: str
    country: str | None = Field(None, description="IOC country code")
    sex: str | None = Field(None, description="M or F")
    birth_year: int | None = None
    events: list[str] = Field(default_factory=list, description="event codes from the registry")
    aliases: list[str] = Field(default_factory=list, description="other names they are known by (folded)")
    stories: int = Field(0, description="stories that mention them")


class PerformanceRow(Record):
    """A performance of one athlete: the event, the mark as written and its value."""

    event: str
    mark: str
    value: float
    unit: str = Field(description="s, m or pts")


class DatedPerformance(PerformanceRow):
    """A performance with the story that states it, for progressions."""

    story_key: str
    published_at: UTCTime | None = None
    story_title: str | None = None


class AthleteStory(Record):
    """A story about an athlete, with what they said and what they ran in it."""

    key: str
    title: str
    url: str | None = None
    source: str | None = None
    published_at: UTCTime | None = None
    quotes: list[str] = Field(default_factory=list)
    performances: list[PerformanceRow] = Field(default_factory=list)


class CoMention(Record):
    name: str
    stories: int


class EventProgression(Record):
    """One event's marks over time, for a chart: a point per distinct mark, dated by the first story
    that states it (a mark restated in later stories is the same performance), oldest first."""

    event: str
    unit: str = Field(description="s, m or pts")
    lower_is_better: bool = Field(description="true for times")
    points: list[DatedPerformance]
    personal_best: DatedPerformance = Field(description="the best mark of all the points")
    season: int | None = Field(None, description="the latest year with a dated point")
    season_best: DatedPerformance | None = Field(None, description="the best mark of `season`")


class AthleteProfile(Record):
    """`Store.athlete`: the athlete, their stories newest first, performances, who else appears."""

    athlete: AthleteSummary
    stories: list[AthleteStory]
    performances: list[DatedPerformance]
    by_event: dict[str, list[PerformanceRow]] = Field(
        description="event code to performances, best first (lowest time, highest distance or points), "
                    "one per distinct value")
    co_mentioned: list[CoMention]
    progressions: list[EventProgression] = Field(
        default_factory=list, description="per event with dated marks, by event code")


class Mention(Record):
    name: str
    mentions: list[tuple[int, int]]


class AthleteTag(Mention):
    country: str | None = None


class PersonTag(Mention):
    role: str | None = None


class EventTag(Record):
    event: str
    sex: str | None = None
    indoor: bool | None = None
    mentions: list[tuple[int, int]]


class MarkTag(Record):
    text: str
    value: float
    unit: str
    start: int
    end: int
    flags: list[str] = Field(default_factory=list)
    wind: str | None = None


class QuoteTag(Record):
    text: str
    start: int
    end: int
    speaker: str | None = None


class PerformanceTag(Record):
    athlete: str
    event: str
    mark: str
    value: float
    unit: str


class Span(Record):
    start: int
    end: int
    label: str


class TaggedStory(Record):
    """A story and its tags: one line of the JSONL export contract (docs/export.md)."""

    key: str
    url: str | None = None
    title: str
    source: str | None = None
    published_at: UTCTime | None = None
    text: str
    athletes: list[AthleteTag] = Field(default_factory=list)
    people: list[PersonTag] = Field(default_factory=list)
    events: list[EventTag] = Field(default_factory=list)
    marks: list[MarkTag] = Field(default_factory=list)
    quotes: list[QuoteTag] = Field(default_factory=list)
    performances: list[PerformanceTag] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)


class Run(Record):
    """A crawl or nightly run and how it ended."""

    id: int
    kind: str
    status: str = Field(description="running, ok, failed, interrupted or timeout")
    started_at: UTCTime
    ended_at: UTCTime | None = None
    new: int = 0
    updated: int = 0
    dropped: int = 0
    dropped_by_reason: dict[str, int] = Field(default_factory=dict, description="pages dropped, by reason")
    errors: list[str] = Field(default_factory=list)


class SourceHealth(Record):
    name: str
    status: str | None = None
    since_runs: int = 0
    error: str | None = None
    last_crawl_at: UTCTime | None = None


class Totals(Record):
    stories: int
    tagged: int
    athletes: int = Field(description="distinct athletes mentioned in stored stories")
    registry: int = Field(0, description="athletes the tagger knows by name (the packaged registry)")
    imported: int = Field(0, description="athletes imported into this store's registry (trackwire registry import)")
    quotes: int
    marks: int


class StoreStats(Record):
    """`Store.stats`: what the store holds, its last runs, drops by reason, failing sources."""

    totals: Totals
    dropped_last_run: dict[str, int]
    runs: list[Run]
    last_successful_run: Run | None = None
    failing_sources: list[SourceHealth]
    untaggable: dict[str, int] = Field(default_factory=dict,
                                       description="stories set aside by the tagger that tried them, by reason")


class IngestProblem(Record):
    where: str = Field(description="file, or file:line")
    why: str
    kind: str = Field("", description="txt, jsonl, html, html.gz, or the file's own suffix")
    reason: str = Field("", description="a short name to count by: no_body, not_json, not_utf8, binary, ...")


class RegistryAthlete(Record):
    """An athlete a user imported into the tagger's registry (`Store.import_registry`)."""

    name: str
    country: str | None = Field(default=None, description="IOC code")
    sex: str | None = Field(default=None, description="M or F")
    birth_year: int | None = None
    events: list[str] = Field(default_factory=list, description="event codes of the tagging guide")
    aliases: list[str] = Field(default_factory=list, description="other full names")
    wa_id: str | None = Field(default=None, description="World Athletics athlete id")


class RegistryImportReport(Record):
    """`Store.import_registry`: athletes by outcome, the lines refused, and what tagging now needs."""

    stored: dict[str, int] = Field(description="new, updated, unchanged")
    problems: list[str] = Field(description="one per line left out: file:line: why")
    imported: int = Field(description="imported athletes in the store after this import")
    tagger_version: str = Field(description="the version a tagger writes from now on")
    to_retag: int = Field(description="stories tagged by another version: `trackwire tag --retag` re-tags them")


class RegistryRemoval(Record):
    """`Store.remove_from_registry`: the imported athletes removed, and the names given that none has."""

    removed: list[str] = Field(description="the removed athletes' names as imported")
    not_found: list[str] = Field(description="names given as they were typed, that no imported athlete has")


class IngestReport(Record):
    """`Store.ingest`: stories stored by outcome (new, updated, unchanged), the same by kind of input,
    the inputs refused, and the files of the folders given that hold no story, by what they are."""

    stored: dict[str, int]
    by_kind: dict[str, dict[str, int]] = Field(default_factory=dict)
    problems: list[IngestProblem]
    notes: list[IngestProblem] = Field(default_factory=list, description="stories stored with something to know: "
                                       "old_key, canonical_taken, cp1252")
    left_out: dict[str, int] = Field(default_factory=dict, description='e.g. {".json": 12, "licence or readme": 1}')

    @property
    def refused(self) -> dict[str, dict[str, int]]:
        """Refused inputs by kind, then by reason."""
        return _by_kind_and_reason(self.problems)

    @property
    def noted(self) -> dict[str, dict[str, int]]:
        """Notes about stored inputs by kind, then by reason."""
        return _by_kind_and_reason(self.notes)


def _by_kind_and_reason(problems: list[IngestProblem]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for p in problems:
        by_reason = counts.setdefault(p.kind, {})
        by_reason[p.reason] = by_reason.get(p.reason, 0) + 1
    return counts


class TagReport(Record):
    tagged: int
    pending_before: int
    untaggable: dict[str, int] = Field(default_factory=dict,
                                       description="stories this tagger cannot tag, by reason (too_long, tagger_error)")


class ExportReport(Record):
    format: str
    path: str
    stories: int
    manifest: str | None  # None when written to standard output


class StoryListing(Record):
    """A story as a line of a list: enough to show and link it."""

    key: str
    title: str
    url: str | None = None
    source: str | None = None
    published_at: UTCTime | None = None


class AthleteCount(Record):
    name: str
    country: str | None = None
    stories: int


class Overview(Record):
    """`Store.overview`: the home page's figures."""

    totals: Totals
    latest: list[StoryListing] = Field(description="the newest stories, newest first")
    most_mentioned: list[AthleteCount] = Field(description="athletes in the most stories of the window")
    mentioned_since: UTCTime = Field(description="start of the window (inclusive)")
    mentioned_until: UTCTime = Field(description="end of the window (exclusive): the newest story's date")
    runs: list[Run] = Field(description="the last runs, newest first")
    failing_sources: list[SourceHealth]


class StoryDetail(Record):
    """`Store.story_detail`: a story with its tags and the other copies of it (near-duplicates)."""

    story: TaggedStory
    near_duplicates: list[StoryListing]


class History(Record):
    """`Store.history`: crawl history, drops by reason over those runs, every source's health."""

    runs: list[Run]
    dropped: dict[str, int] = Field(description="pages dropped over `runs`, by reason, most first")
    sources: list[SourceHealth] = Field(description="failing sources first")
