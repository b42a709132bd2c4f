"""The crawler's one door to the store: known URLs, saving pages, run records."""

from __future__ import annotations

from sqlalchemy import Engine

from trackwire.crawler.extract import Extracted
from trackwire.store.db import init_db, make_engine, read_session, write_session
from trackwire.store.models import FetchState, utcnow
from trackwire.store.stories import StoryIn, known_urls, upsert_story


class Storage:
    def __init__(self, db: str):
        self.engine: Engine = make_engine(db)
        init_db(self.engine)

    def known(self, urls: list[str]) -> set[str]:
        with read_session(self.engine) as session:
            return known_urls(session, urls)

    def save(self, article: Extracted, *, key_url: str, source: str, html: bytes, fetched_at) -> str:
        story = StoryIn(key=article.url, url=key_url, source=source, title=article.title, text=article.text,
                        author=article.author, published_at=article.published_at, fetched_at=fetched_at,
                        language=article.language, raw_html=html)
        with write_session(self.engine) as session:
            return upsert_story(session, story, same_source=True)

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for an entry point fetched before."""
        with read_session(self.engine) as session:
            state = session.get(FetchState, url)
        headers = {}
        if state and state.etag:
            headers["If-None-Match"] = state.etag
        if state and state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        return headers

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not (etag or last_modified):
            return
        with write_session(self.engine) as session:
            state = session.get(FetchState, url) or FetchState(url=url)
            state.etag, state.last_modified, state.fetched_at = etag, last_modified, utcnow()
            session.add(state)

    def close(self) -> None:
        self.engine.dispose()
