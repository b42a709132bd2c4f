"""Stories from files: .txt (headline, blank line, body), .jsonl (README, "Ingesting files"),
.html and .html.gz pages.

Every input is read on its own: a bad file or line is a `BadInput` naming it, with a
reason to count, and never stops the good ones before or after it. Folders are read
whole, subfolders too; their files of no story kind, and licence or readme files, are
left out and counted. A story longer than store.stories.MAX_STORY_CHARS is refused
(`too_long`).

A file's story key is its path relative to the folder given, without its extension
(`x/report` for `FOLDER/x/report.txt`), or its name without extension when the file is given
itself; so ingesting the same folder again updates its stories. Two inputs of one run with the
same key: the first is stored, the later one refused (`duplicate_key`) naming the first. A story
stored by an older trackwire under the bare file name (`report`) with the same text moves to the
new key instead of being stored twice. A page is keyed by its canonical URL only when no story of
another source holds that URL: a page never chooses to overwrite a crawled story; it is then
stored under its file's key with a note (`canonical_taken`).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from trackwire.crawler.extract import NotAnArticle, extract
from trackwire.ingest_lines import json_story
from trackwire.records import IngestProblem, IngestReport
from trackwire.store.db import write_session
from trackwire.store.models import Story
from trackwire.store.stories import StoryIn, content_hash, save_tags, too_long, upsert_story

IMPORTED = "imported"  # tagger version of tags read from an export: `tag --retag` redoes them
KINDS = {".jsonl": "jsonl", ".html.gz": "html.gz", ".htm.gz": "html.gz", ".html": "html", ".htm": "html",
         ".txt": "txt"}
NOT_STORIES = re.compile(r"(licen[cs]e|copying|readme|provenance|notice|changelog|authors|contributing)\b", re.I)
TXT_FORMAT = "a .txt story is its headline, a blank line, then its body"


@dataclass
class BadInput:
    where: str  # "file" or "file:line"
    why: str
    kind: str  # txt, jsonl, html, html.gz, or the file's own suffix
    reason: str  # a short name to count by: no_body, not_json, not_utf8, binary, ...


@dataclass
class LeftOut:
    """A file of a folder that holds no story: another kind of file, or a licence or readme."""

    path: Path
    what: str  # ".json", "licence or readme", ...


@dataclass
class Note:
    """A story stored, with something the user should know about how (`IngestReport.notes`)."""

    where: str
    why: str
    kind: str
    reason: str


@dataclass
class Read:
    story: StoryIn
    kind: str
    where: str = ""  # file, or file:line
    legacy_key: str | None = None  # the key an older trackwire gave this file (its bare name), when other
    file_key: str | None = None  # a page keyed by its canonical URL: its file's key, should that URL be taken
    notes: list[Note] = field(default_factory=list)  # what reading it found worth a note


def store_story(engine: Engine, story: StoryIn) -> str:
    """Upsert one story (as `trackwire eval` stores its gold texts) in its own transaction;
    returns "new", "updated" or "unchanged"."""
    outcome = store_read(engine, Read(story, "story"), {})
    if isinstance(outcome, BadInput):  # only a key read before in the same run is refused; none here
        raise ValueError(outcome.why)
    return outcome[0]


def store_read(engine: Engine, read: Read, seen: dict[str, str]) -> tuple[str, list[Note]] | BadInput:
    """Upsert one story in its own transaction, with the tags it carries from an export; returns
    "new", "updated" or "unchanged" and notes, or why it is refused. `seen` maps the keys stored in
    this run to where they came from."""
    story, notes = read.story, list(read.notes)
    with write_session(engine) as session:
        if read.file_key and _taken(session, story.key):
            notes.append(Note(read.where, f"its canonical URL {story.key} is another source's story, left as it "
                                          f"is; stored under the file's key {read.file_key!r}", read.kind,
                              "canonical_taken"))
            story = replace(story, key=read.file_key, url=None)
            read = replace(read, story=story, legacy_key=None)
        if story.key in seen:
            return BadInput(read.where, f"key {story.key!r} was already read from {seen[story.key]} in this run; "
                                        "this one is left out: give each story its own key", read.kind,
                            "duplicate_key")
        if read.legacy_key and _move_legacy(session, read):
            notes.append(Note(read.where, f"stored before under the older key {read.legacy_key!r}; now "
                                          f"{story.key!r}", read.kind, "old_key"))
        status = upsert_story(session, story)
        if "tags" in story.extra:
            story_id = session.exec(select(Story.id).where(Story.key == story.key)).one()
            save_tags(session, story_id, story.extra["tags"], IMPORTED)
    seen[story.key] = read.where
    return status, notes


def _taken(session, key: str) -> bool:
    """Whether a story of another source than `ingest` holds `key` (a page never overwrites one)."""
    row = session.exec(select(Story.id, Story.source).where(Story.key == key)).first()
    return row is not None and row[1] != "ingest"


def _move_legacy(session, read: Read) -> bool:
    """Give the story an older trackwire stored for this file under its bare name its new key, when
    the new key is free and the old story is an ingested one with this text."""
    if session.exec(select(Story.id).where(Story.key == read.story.key)).first() is not None:
        return False
    old = session.exec(select(Story).where(Story.key == read.legacy_key)).first()
    if old is None or old.source != "ingest" or old.content_hash != content_hash(read.story.text):
        return False
    old.key = read.story.key
    session.add(old)
    session.flush()
    return True


def ingest(engine: Engine, paths: list[Path], *,
           on_problem: Callable[[IngestProblem], None] | None = None,
           on_note: Callable[[IngestProblem], None] | None = None) -> IngestReport:
    """Store what `paths` hold (see Store.ingest); each bad input goes to `on_problem` as it is met,
    each note about a stored one to `on_note`."""
    by_kind: dict[str, dict[str, int]] = {}
    problems: list[IngestProblem] = []
    notes: list[IngestProblem] = []
    left_out: dict[str, int] = {}
    seen: dict[str, str] = {}
    for item in read_paths(paths):
        if isinstance(item, Read):
            kind, outcome = item.kind, store_read(engine, item, seen)
            if not isinstance(outcome, BadInput):
                status, read_notes = outcome
                counts = by_kind.setdefault(kind, {})
                counts[status] = counts.get(status, 0) + 1
                for note in read_notes:
                    notes.append(IngestProblem(where=note.where, why=note.why, kind=note.kind, reason=note.reason))
                    if on_note:
                        on_note(notes[-1])
                continue
            item = outcome
        if isinstance(item, LeftOut):
            left_out[item.what] = left_out.get(item.what, 0) + 1
        else:
            problems.append(IngestProblem(where=item.where, why=item.why, kind=item.kind, reason=item.reason))
            if on_problem:
                on_problem(problems[-1])
    stored: dict[str, int] = {}
    for counts in by_kind.values():
        for status, n in counts.items():
            stored[status] = stored.get(status, 0) + n
    return IngestReport(stored=stored, by_kind=by_kind, problems=problems, notes=notes, left_out=left_out)


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    return next((kind for suffix, kind in KINDS.items() if name.endswith(suffix)), None)


def read_paths(paths: list[Path]) -> Iterator[Read | BadInput | LeftOut]:
    for path in paths:
        if path.is_dir():
            yield from _folder(path)
        elif not path.exists():
            yield BadInput(str(path), "no such file or folder", _kind(path), "missing")
        elif kind_of(path) is None:
            yield BadInput(str(path), "unknown file type: give .txt, .jsonl, .html or .html.gz files, or folders",
                           _kind(path), "unknown_type")
        else:
            yield from _file(path, _key(path.name))


def _suffix(path: Path) -> str:
    return "".join(path.suffixes[-2:]).lower() or "no suffix"


def _kind(path: Path) -> str:
    """The kind of a file refused before it is read: its kind, else its own suffix without the dot."""
    return kind_of(path) or _suffix(path).removeprefix(".")


def _folder(folder: Path) -> Iterator[Read | BadInput | LeftOut]:
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if NOT_STORIES.match(path.name):
            yield LeftOut(path, "licence or readme")
        elif kind_of(path) is None:
            yield LeftOut(path, _suffix(path))
        else:
            yield from _file(path, _key(path.relative_to(folder).as_posix()))


def _file(path: Path, key: str) -> Iterator[Read | BadInput]:
    kind = kind_of(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield BadInput(str(path), f"cannot read it ({exc.strerror})", kind, "unreadable")
        return
    if kind == "jsonl":
        yield from _jsonl(path, raw)
    elif kind == "txt":
        yield _txt(path, raw, key)
    else:
        yield _html(path, raw, kind, key)


def _key(name: str) -> str:
    """A file's key: its name, or its path relative to the folder given, without its extension."""
    return name[: -len(next(s for s in KINDS if name.lower().endswith(s)))]


def _legacy(path: Path, key: str) -> str | None:
    """The key an older trackwire gave this file (its name alone), when it is not `key`."""
    return None if _key(path.name) == key else _key(path.name)


def _binary(raw: bytes) -> bool:
    head = raw[:8192]
    return b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 100 + 2


def _txt(path: Path, raw: bytes, key: str) -> Read | BadInput:
    if _binary(raw):
        return BadInput(str(path), "binary data, not text", "txt", "binary")
    text, note = _decode(raw)
    if text is None:
        return BadInput(str(path), note, "txt", "not_utf8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    title, _, body = text.partition("\n")
    if not title.strip():
        return BadInput(str(path), f"empty file: {TXT_FORMAT}", "txt", "empty")
    if not body.strip():
        return BadInput(str(path), f"a headline and no body: {TXT_FORMAT}", "txt", "no_body")
    notes = [Note(str(path), note, "txt", "cp1252")] if note else []
    return _bounded(Read(StoryIn(key=key, text=text + "\n", title=title.strip(), source="ingest"), "txt",
                         str(path), _legacy(path, key), notes=notes))


# Characters beyond ASCII that Windows-1252 text is made of besides letters: quotes, dashes, currency,
# degrees, fractions. Anything else beyond ASCII in more than a few places means the bytes are not text.
CP1252_PUNCTUATION = set("\u00a0‘’‚“”„–—…•·«»‹›€£¥¢°±×÷½¼¾¹²³§©®™´¨¸ªº¿¡¦¬¯µ¶†‡‰ˆ˜")


def _decode(raw: bytes) -> tuple[str | None, str | None]:
    """The text of a .txt file and a note, or None and why it is refused. UTF-8 (a BOM read past) is
    read as it is; otherwise Windows-1252 (which latin-1 text also reads as), noted, when every byte
    is one of its characters and they read as text: mostly ASCII, the rest letters and punctuation."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        where = f"byte 0x{raw[exc.start]:02x} at line {line}, column {column}"
    refused = f"not UTF-8 text ({where}), nor Windows-1252 (latin-1) text: save the file as UTF-8"
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None, refused
    beyond = [ch for ch in text if ord(ch) > 127]
    odd = sum(not unicodedata.category(ch).startswith("L") and ch not in CP1252_PUNCTUATION for ch in beyond)
    if len(beyond) > len(text) // 5 or odd > 2 + len(beyond) // 20:
        return None, refused
    return text, f"not UTF-8 ({where}): read as Windows-1252 (latin-1); check its accents, or save it as UTF-8"


def _html(path: Path, raw: bytes, kind: str, file_key: str) -> Read | BadInput:
    if kind == "html.gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            return BadInput(str(path), f"not a gzip file ({exc})", kind, "bad_gzip")
    try:
        article = extract(raw, path.resolve().as_uri())
    except NotAnArticle as exc:
        return BadInput(str(path), str(exc), kind, exc.reason)
    own = article.url.startswith("file:")
    key = file_key if own else article.url
    return _bounded(Read(StoryIn(key=key, text=article.text, title=article.title, url=None if own else article.url,
                                 source="ingest", author=article.author, published_at=article.published_at,
                                 language=article.language, raw_html=raw), kind, str(path),
                         _legacy(path, file_key) if own else None, None if own else file_key))


def _jsonl(path: Path, raw: bytes) -> Iterator[Read | BadInput]:
    for number, line in enumerate(raw.split(b"\n"), 1):
        where = f"{path}:{number}"
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield BadInput(where, f"not UTF-8 text (byte 0x{line[exc.start]:02x} at column {exc.start + 1}): "
                                  "save the file as UTF-8", "jsonl", "not_utf8")
            continue
        if text.strip():
            story, why = json_story(text)
            yield _bounded(Read(story, "jsonl", where)) if story else BadInput(where, why[1], "jsonl", why[0])


def _bounded(read: Read) -> Read | BadInput:
    """The story read, or why it is refused: longer than store.stories.MAX_STORY_CHARS."""
    why = too_long(read.story.text)
    return BadInput(read.where, why, read.kind, "too_long") if why else read
