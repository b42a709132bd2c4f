"""The queries behind the browsing views: `Store.overview`, `search_page`, `story_detail`, `history` and
`download`. The web app (`trackwire serve`) calls these and nothing else, and so may a notebook;
each returns a record of `trackwire.records` (docs/api.md), the JSON the web API serves.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from itertools import chain

from trackwire.convert import hit as _hit, listing as _listing, run as _run, source as _source
from trackwire.records import (AthleteCount, Facet, History, Overview, SearchPage, StoryDetail, TaggedStory,
                               Totals)
from trackwire.store.formats import spreadsheet_safe
from trackwire.store.search import QueryError
from trackwire.store.times import iso_utc

DOWNLOADS = ("csv", "jsonl")
CSV_COLUMNS = ("key", "url", "title", "source", "published_at", "athletes", "events", "performances", "quotes")


class Browsing:
    """Mixed into `trackwire.api.Store`: it supplies `_read` (a read session) and `_filters`."""

    def overview(self, *, days: int = 30, latest: int = 10, top: int = 10, runs: int = 5,
                 now: datetime | None = None) -> Overview:
        """The home page: totals, the `latest` newest stories, the `top` athletes in the most stories of
        the `days` days up to the newest story dated no later than `now` (default: the current time),
        the last `runs` runs and the failing sources."""
        from trackwire.store.browse import latest_stories, most_mentioned, newest_date
        from trackwire.store.runs import failing_sources, recent_runs

        now = now or datetime.now(timezone.utc)
        with self._read() as session:
            until = (newest_date(session, not_after=now) or now) + timedelta(seconds=1)
            since = until - timedelta(days=days)
            return Overview(
                totals=store_totals(session), latest=[_listing(r) for r in latest_stories(session, latest)],
                most_mentioned=[AthleteCount(name=n, country=c, stories=k)
                                for n, c, k in most_mentioned(session, since, until, top)],
                mentioned_since=since, mentioned_until=until, runs=[_run(r) for r in recent_runs(session, runs)],
                failing_sources=[_source(f) for f in failing_sources(session)])

    def search_page(self, query: str, *, athletes: Sequence[str] = (), event: str | None = None,
                    source: str | None = None, since=None, until=None, has_quotes: bool = False,
                    one_per_cluster: bool = False, limit: int = 20, offset: int = 0,
                    facets: int = 10, facet_sample: int = 2000) -> SearchPage:
        """A page of `search` (same query syntax and filters) with the total number of stories found and
        the `facets` most frequent events, sources and athletes with their counts, over every story found
        or, past `facet_sample` stories, over the `facet_sample` most recently published (`facets_over`
        says which: counting facets costs a pass over each story's tags).
        Raises QueryError for a bad query, filter, `limit` (1 to 500) or `offset` (0 or more)."""
        from dataclasses import replace

        from trackwire.store.browse import facet_counts
        from trackwire.store.export import count_stories
        from trackwire.store.search import search

        if not 1 <= limit <= 500 or offset < 0:
            raise QueryError(f"limit must be 1 to 500 and offset 0 or more (got limit={limit}, offset={offset})")
        with self._read() as session:
            filters = self._filters(session, athletes=athletes, event=event, source=source, since=since,
                                    until=until, has_quotes=has_quotes, one_per_cluster=one_per_cluster)
            hits = [_hit(h) for h in search(session, query, filters=filters, limit=limit, offset=offset)]
            matched = replace(filters, text=query)
            total = count_stories(session, matched)
            sample = facet_sample if total > facet_sample else None
            counts = facet_counts(session, matched, facets, sample=sample) if total else {}
        return SearchPage(query=query, total=total, offset=offset, limit=limit, hits=hits,
                          facets={name: [Facet(value=v, label=v, count=n) for v, n in values]
                                  for name, values in counts.items()}, facets_over=min(total, facet_sample))

    def story_detail(self, key: str) -> StoryDetail | None:
        """The story with `key` and its tags, with its near-duplicates (other stories of its cluster,
        earliest stored first); None when no story has that key."""
        from trackwire.store.browse import near_duplicates
        from trackwire.store.export import story_record_by_key

        with self._read() as session:
            record = story_record_by_key(session, key)
            if record is None:
                return None
            copies = [_listing(r) for r in near_duplicates(session, key)]
        return StoryDetail(story=TaggedStory.model_validate(record), near_duplicates=copies)

    def history(self, *, limit: int = 50) -> History:
        """The last `limit` runs newest first, the pages they dropped by reason, and every source's health."""
        from trackwire.store.browse import all_sources
        from trackwire.store.runs import recent_runs

        with self._read() as session:
            runs = [_run(r) for r in recent_runs(session, limit)]
            sources = [_source(s) for s in all_sources(session)]
        dropped: dict[str, int] = {}
        for r in runs:
            for reason, n in r.dropped_by_reason.items():
                dropped[reason] = dropped.get(reason, 0) + n
        return History(runs=runs, dropped=dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
                       sources=sources)

    def download(self, format: str, **filters) -> Iterator[str]:
        """The stories passing `filters` (those of `stories`, `query` included) as lines of text, oldest
        stored first, streamed: `jsonl` gives the export contract (docs/export.md), one story a line;
        `csv` a header, then a row per story with its tags summarised (`CSV_COLUMNS`, no body text;
        a cell that a spreadsheet would run as a formula starts with an apostrophe).
        Raises QueryError for another format or a bad filter, before the first line."""
        fmt = format.lower()
        if fmt not in DOWNLOADS:
            raise QueryError(f"unknown download format {format!r}: choose csv or jsonl")
        stories = self.stories(**filters)
        first = next(stories, None)  # the filters are checked here, before anything is sent
        return _lines(fmt, first, stories)


def _lines(fmt: str, first: TaggedStory | None, rest: Iterator[TaggedStory]) -> Iterator[str]:
    if fmt == "csv":
        yield _csv_line(CSV_COLUMNS)
    for s in chain([first] if first else [], rest):
        yield json.dumps(s.to_json(), ensure_ascii=False) + "\n" if fmt == "jsonl" else _csv_line(_row(s))


def _row(s: TaggedStory) -> list[str]:
    return [s.key, s.url or "", s.title, s.source or "", iso_utc(s.published_at) or "",
            "; ".join(a.name for a in s.athletes), "; ".join(dict.fromkeys(e.event for e in s.events)),
            "; ".join(f"{p.athlete} {p.event} {p.mark}" for p in s.performances), str(len(s.quotes))]


def _csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([spreadsheet_safe(c) for c in cells])
    return out.getvalue()


def store_totals(session) -> Totals:
    """The store's counts with the registry's size and the athletes users imported (`stats`, the web
    home page and `/api/` alike)."""
    from trackwire.api import registry_size
    from trackwire.store.registry import athletes as imported
    from trackwire.store.runs import totals

    return Totals(**totals(session), imported=len(imported(session)), registry=registry_size())
