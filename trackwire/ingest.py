"""Stories from files: .txt (headline, blank line, body), .jsonl, .html."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from trackwire.crawler.extract import NotAnArticle, extract, parse_date
from trackwire.store.db import write_session
from trackwire.store.models import Story
from trackwire.store.stories import StoryIn, save_tags, too_long, upsert_story


TAG_FIELDS = ("athletes", "people", "events", "marks", "quotes", "performances")
IMPORTED = "imported"  # tagger version of tags read from an export: `tag --retag` redoes them


@dataclass
class BadInput:
    where: str  # "file:line"
    why: str


def store_story(engine: Engine, story: StoryIn) -> str:
    """Upsert one story in its own transaction, with the tags it carries from an export;
    returns "new", "updated" or "unchanged"."""
    with write_session(engine) as session:
        status = upsert_story(session, story)
        if "tags" in story.extra:
            story_id = session.exec(select(Story.id).where(Story.key == story.key)).one()
            save_tags(session, story_id, story.extra["tags"], IMPORTED)
    return status


def read_paths(paths: list[Path]) -> Iterator[StoryIn | BadInput]:
    for path in paths:
        if path.is_dir():
            yield from read_paths(sorted(p for p in path.iterdir() if p.suffix in (".txt", ".jsonl", ".html", ".htm")))
            continue
        if not path.exists():
            yield BadInput(str(path), "no such file")
        elif path.suffix == ".jsonl":
            yield from _jsonl(path)
        elif path.suffix in (".html", ".htm"):
            yield _html(path)
        elif path.suffix == ".txt":
            yield _txt(path)
        else:
            yield BadInput(str(path), "unknown file type: give .txt, .jsonl or .html")


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _txt(path: Path) -> StoryIn | BadInput:
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return BadInput(str(path), "empty file")
    title = text.split("\n", 1)[0].strip()
    return _bounded(StoryIn(key=path.stem, text=text + "\n", title=title, source="ingest"), str(path))


def _html(path: Path) -> StoryIn | BadInput:
    raw = path.read_bytes()
    try:
        article = extract(raw, path.resolve().as_uri())
    except NotAnArticle as exc:
        return BadInput(str(path), str(exc))
    key = article.url if not article.url.startswith("file:") else path.stem
    return _bounded(StoryIn(key=key, text=article.text, title=article.title,
                            url=None if key == path.stem else article.url, source="ingest", author=article.author,
                            published_at=article.published_at, language=article.language, raw_html=raw), str(path))


def _jsonl(path: Path) -> Iterator[StoryIn | BadInput]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                yield _json_story(line, f"{path}:{number}")


def _json_story(line: str, where: str) -> StoryIn | BadInput:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadInput(where, f"not JSON ({exc.msg})")
    if not isinstance(row, dict):
        return BadInput(where, "not a JSON object")
    key = row.get("key") or row.get("id")
    if not key:
        return BadInput(where, "no key or id")
    if row.get("text"):
        text = row["text"]
        title = row.get("title") or text.split("\n", 1)[0].strip()
    elif row.get("title") and row.get("body"):
        title, text = row["title"], f"{row['title']}\n\n{row['body']}"
    else:
        return BadInput(where, "needs text, or title and body")
    published = None
    if row.get("published_at"):
        published = parse_date(str(row["published_at"]))
        if published is None:
            return BadInput(where, f"published_at {row['published_at']!r} is not an ISO 8601 date")
    story = StoryIn(key=str(key), text=text, title=title, url=row.get("url"), source=row.get("source") or "ingest",
                    published_at=published, author=row.get("author"))
    if all(isinstance(row.get(k), list) for k in TAG_FIELDS):  # trackwire's own export: keep its tags
        story.extra["tags"] = {k: row[k] for k in TAG_FIELDS}
    return _bounded(story, where)


def _bounded(story: StoryIn, where: str) -> StoryIn | BadInput:
    """The story, or why it is refused: longer than store.stories.MAX_STORY_CHARS."""
    why = too_long(story.text)
    return BadInput(where, why) if why else story
