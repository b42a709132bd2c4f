"""The query parameters of the pages and the JSON API: the CLI's filters, paging, bounds."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field


def _blank_is_none(value):
    """An empty form field means no filter."""
    return None if isinstance(value, str) and not value.strip() else value


def _no_blanks(value):
    return [v for v in value if not isinstance(v, str) or v.strip()] if isinstance(value, list) else value


Day = Annotated[date | None, BeforeValidator(_blank_is_none)]
Word = Annotated[str | None, BeforeValidator(_blank_is_none)]


class StoryFilters(BaseModel):
    """The filters of `trackwire search` and `export`, as query parameters."""

    q: str = Field("", max_length=500, description="words to find: web-search syntax (\"phrases\", or, -word)")
    athlete: Annotated[list[str], BeforeValidator(_no_blanks)] = Field(
        [], max_length=10, description="only stories about this athlete; repeat for stories about all of them")
    event: Word = Field(None, max_length=60, description="only stories naming this event code, e.g. 1500m")
    source: Word = Field(None, max_length=200, description="only stories from this source")
    since: Day = Field(None, description="published on or after this day (YYYY-MM-DD)")
    until: Day = Field(None, description="published before this day (YYYY-MM-DD)")
    has_quotes: bool = Field(False, description="only stories with quotes")
    one_per_cluster: bool = Field(False, description="leave out near-duplicates of an earlier story")

    def store_filters(self) -> dict:
        """The keyword arguments of `Store.search_page`, `stories` and `download` (less the query)."""
        return {"athletes": self.athlete, "event": self.event, "source": self.source, "since": self.since,
                "until": self.until, "has_quotes": self.has_quotes, "one_per_cluster": self.one_per_cluster}

    def as_params(self) -> list[tuple[str, str]]:
        """The filters as (name, value) query pairs, for links that keep them."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [("athlete", a) for a in self.athlete]
        for name in ("event", "source", "since", "until"):
            if getattr(self, name):
                pairs.append((name, str(getattr(self, name))))
        return pairs + [(n, "1") for n in ("has_quotes", "one_per_cluster") if getattr(self, n)]


class SearchParams(StoryFilters):
    """The filters with a page of results."""

    limit: int = Field(20, ge=1, le=100, description="stories per page")
    offset: int = Field(0, ge=0, le=10_000, description="stories to skip")


class Window(BaseModel):
    """A publication window for an athlete's stories."""

    since: Day = Field(None, description="stories published on or after this day (YYYY-MM-DD)")
    until: Day = Field(None, description="stories published before this day (YYYY-MM-DD)")
