"""The structured filters that search and export share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import col, select

from trackwire.store.models import Mention, Quote, Story
from trackwire.store.textmatch import TextMatch


@dataclass(frozen=True)
class StoryFilter:
    athlete_ids: tuple[int, ...] = ()  # stories mentioning every one of these athletes
    event: str | None = None  # an event code from the tagging guide
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    has_quotes: bool = False
    tagged_only: bool = False
    one_per_cluster: bool = False  # leave out near-duplicates of an earlier story
    text: str | None = None  # words the title or text must match (search.parse_query's syntax)
    described: dict = field(default_factory=dict, compare=False)  # the filters as the user gave them

    def apply(self, query):
        """`query` narrowed to the stories that pass (it must select from Story)."""
        for aid in self.athlete_ids:
            query = query.where(col(Story.id).in_(select(Mention.story_id).where(Mention.athlete_id == aid)))
        if self.event:
            query = query.where(col(Story.id).in_(
                select(Mention.story_id).where(Mention.label == "EVENT", Mention.name == self.event)))
        if self.source:
            query = query.where(Story.source == self.source)
        if self.since:
            query = query.where(Story.published_at >= self.since)
        if self.until:
            query = query.where(Story.published_at < self.until)
        if self.has_quotes:
            query = query.where(col(Story.id).in_(select(Quote.story_id)))
        if self.tagged_only:
            query = query.where(col(Story.tagged_at).is_not(None))
        if self.text:
            query = query.where(TextMatch(self.text))
        if self.one_per_cluster:
            query = query.where(or_(col(Story.cluster_id).is_(None), Story.cluster_id == Story.id))
        return query
