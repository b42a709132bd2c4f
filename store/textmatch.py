"""`TextMatch(query)`: a full-text condition on stories that compiles for each engine, so that
counts, facets and downloads narrow by the same words as `search` through one `StoryFilter`.

SQLite: the story's id is among the FTS5 matches; PostgreSQL: the GIN-indexed `search_vector`
matches `websearch_to_tsquery`. The query is always a bound parameter, never SQL text.
"""

from __future__ import annotations

from sqlalchemy import Boolean, String, bindparam, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col

from trackwire.store.models import Story


class TextMatch(ColumnElement):
    """True for stories whose title or text match `query` (web-search syntax, see search.parse_query)."""

    type = Boolean()
    inherit_cache = False  # the query is part of the statement's text on SQLite: never reuse a compiled one

    def __init__(self, query: str):
        self.query = query


@compiles(TextMatch, "sqlite")
def _sqlite(element: TextMatch, compiler, **kw) -> str:
    from trackwire.store.search import FTS, fts_query

    match = literal_column("story_fts").op("MATCH")(bindparam(None, fts_query(element.query), type_=String))
    return compiler.process(col(Story.id).in_(select(FTS.c.rowid).where(match)), **kw)


@compiles(TextMatch, "postgresql")
def _postgresql(element: TextMatch, compiler, **kw) -> str:
    from trackwire.store.search import parse_query

    parse_query(element.query)  # the same checks and messages as on SQLite
    tsquery = func.websearch_to_tsquery(literal_column("'simple'::regconfig"),
                                        func.tw_unaccent(bindparam(None, element.query, type_=String)))
    return compiler.process(literal_column("story.search_vector").op("@@")(tsquery), **kw)
