"""One JSONL line as a story (the format is in the README, "Ingesting files").

A line is a JSON object with `key` (or `id`), and `text` (headline, blank line, body) or
`title` and `body`; optional `url`, `source`, `author`, `published_at` (ISO 8601). A line
of trackwire's own JSONL export (docs/export.md) keeps its tags, checked against the
export contract: every offset inside the text, every mark a number with its unit.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from trackwire.crawler.extract import parse_date
from trackwire.records import TaggedStory
from trackwire.store.stories import StoryIn

TAG_FIELDS = ("athletes", "people", "events", "marks", "quotes", "performances")
TEXT_FIELDS = ("text", "title", "body", "url", "source", "author", "published_at")
Problem = tuple[str, str]  # (reason to count, message)


def json_story(line: str) -> tuple[StoryIn | None, Problem | None]:
    """The story of one JSONL line, or None and why not."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, ("not_json", f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(row, dict):
        return None, ("not_object", "not a JSON object: each line is one story, {\"key\": ..., \"text\": ...}")
    problem = _field_problem(row)
    if problem:
        return None, problem
    story, problem = _story(row)
    if problem:
        return None, problem
    if all(isinstance(row.get(k), list) for k in TAG_FIELDS):  # trackwire's own export: keep its tags
        problem = _tags_problem(row)
        if problem:
            return None, problem
        story.extra["tags"] = {k: row[k] for k in TAG_FIELDS}
    return story, None


def _story(row: dict) -> tuple[StoryIn | None, Problem | None]:
    key = row.get("key") if row.get("key") is not None else row.get("id")
    if text := row.get("text"):
        title = row.get("title") or text.split("\n", 1)[0].strip()
    elif row.get("title") and row.get("body"):
        title, text = row["title"], f"{row['title']}\n\n{row['body']}"
    elif row.get("title"):
        return None, ("no_body", "a headline and no body: give body, or text as headline, blank line, body")
    else:
        return None, ("no_text", "needs text, or title and body")
    head, _, body = text.strip().partition("\n")
    if not body.strip():
        return None, ("no_body", "a headline and no body: text is headline, blank line, body")
    published = parse_date(row["published_at"]) if row.get("published_at") else None
    if row.get("published_at") and published is None:
        return None, ("bad_date", f"published_at {row['published_at']!r} is not an ISO 8601 date")
    return StoryIn(key=str(key), text=text, title=title, url=row.get("url"), source=row.get("source") or "ingest",
                   published_at=published, author=row.get("author")), None


def _field_problem(row: dict) -> Problem | None:
    key = row.get("key") if row.get("key") is not None else row.get("id")
    if key is None or key == "":
        return "no_key", "no key or id"
    if not isinstance(key, str):
        name = "key" if row.get("key") is not None else "id"
        return "bad_field", f"{name} must be a string, not {_json_type(key)}"
    for name in TEXT_FIELDS:
        value = row.get(name)
        if value is not None and not isinstance(value, str):
            return "bad_field", f"{name} must be a string, not {_json_type(value)}"
    return None


def _json_type(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _tags_problem(row: dict) -> Problem | None:
    """Why the tags of an export line do not hold, or None."""
    try:
        record = TaggedStory.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return "bad_tags", f"{where}: {first['msg'].lower()} (a line of trackwire's export keeps its tags)"
    size = len(record.text)
    spans = [(f"marks.{i}", m.start, m.end) for i, m in enumerate(record.marks)]
    spans += [(f"quotes.{i}", q.start, q.end) for i, q in enumerate(record.quotes)]
    for name in ("athletes", "people", "events"):
        spans += [(f"{name}.{i}", s, e) for i, tag in enumerate(getattr(record, name)) for s, e in tag.mentions]
    for where, start, end in spans:
        if not 0 <= start < end <= size:
            return "bad_tags", f"{where}: offsets {start}-{end} are outside the text ({size} characters)"
    return None
