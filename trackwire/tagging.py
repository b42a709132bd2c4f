"""Tag stored stories: the bridge between the store and the spaCy pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Engine

from nlp.pipeline import TAGGER_VERSION, doc_tags
from store.db import read_session, write_session
from store.stories import count_to_tag, save_tags, stories_to_tag


def pending(engine: Engine, *, retag: bool) -> int:
    with read_session(engine) as session:
        return count_to_tag(session, retag=retag, version=TAGGER_VERSION)


def _stream(engine: Engine, retag: bool) -> Iterator[tuple[str, int]]:
    """(text, id) for every story to tag, read in batches so memory stays flat."""
    after = 0
    while True:
        with read_session(engine) as session:
            batch = stories_to_tag(session, retag=retag, version=TAGGER_VERSION, after=after)
        if not batch:
            return
        after = batch[-1][0]
        for sid, text in batch:
            yield text, sid


def tag_stories(engine: Engine, nlp, *, retag: bool = False, workers: int = 1, batch_size: int = 32,
                on_done: Callable[[int], None] | None = None) -> int:
    """Tag every untagged story (with `retag`, every story an older tagger version tagged).

    Each story's tags are written in one short transaction of their own, so an
    interrupted run keeps what it finished and the next run does the rest.
    """
    done = 0
    docs = nlp.pipe(_stream(engine, retag), as_tuples=True, batch_size=batch_size, n_process=workers)
    for doc, story_id in docs:
        with write_session(engine) as session:
            save_tags(session, story_id, doc_tags(doc), TAGGER_VERSION)
        done += 1
        if on_done:
            on_done(done)
    return done
