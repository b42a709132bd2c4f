"""The crawler's one door to the store: known URLs, saving pages, run records."""

from __future__ import annotations

from sqlalchemy import Engine

from crawler.extract import Extracted
from store.db import init_db, make_engine, read_session, write_session
from store.stories import StoryIn, known_urls, upsert_story


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
            return upsert_story(session, story)

    def close(self) -> None:
        self.engine.dispose()
