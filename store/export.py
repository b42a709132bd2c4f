"""Export the tagged corpus. `story_records` streams the JSONL contract (docs/export.md)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from trackwire.store.filters import StoryFilter

from trackwire.store.models import Athlete, Mark, Mention, Performance, Quote, Story
from trackwire.store.times import iso_utc

FORMATS = ("jsonl", "spacy", "iob", "csv", "parquet", "doccano", "labelstudio")
FOLDER_FORMATS = ("csv", "parquet", "spacy")  # these write a folder: one file per table, or DocBin shards


STDOUT = Path("-")  # --out -: the lines on standard output, no manifest
DEFAULT_OUT = {"jsonl": "trackwire-export.jsonl", "iob": "trackwire-export.iob",
               "doccano": "trackwire-export.doccano.jsonl", "labelstudio": "trackwire-export.labelstudio.jsonl",
               "csv": "trackwire-export-csv", "parquet": "trackwire-export-parquet", "spacy": "trackwire-export-spacy"}


class ExportError(ValueError):
    pass


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def default_out(fmt: str) -> Path:
    """Where an export goes when no path is given: a file named for its format, or a folder."""
    check_format(fmt)
    return Path(DEFAULT_OUT[fmt])


def check_target(fmt: str, out: Path) -> None:
    """Fail before any work when the format is unknown or the output cannot be written."""
    check_format(fmt)
    if out == STDOUT:
        if fmt in FOLDER_FORMATS:
            raise ExportError(f"{fmt} writes a folder, not standard output: give --out a folder name "
                              f"(standard output takes {', '.join(f for f in FORMATS if f not in FOLDER_FORMATS)})")
        return
    if fmt in FOLDER_FORMATS and out.exists() and not out.is_dir():
        raise ExportError(f"{fmt} writes a folder, but {out} is a file: give a folder name")
    if fmt not in FOLDER_FORMATS and out.is_dir():
        raise ExportError(f"{out} is a folder: give a file name for the {fmt} export")
    _check_parent(out)


def check_file_target(out: Path) -> None:
    """Fail before any work when the file `out` cannot be written (a folder, a missing or
    read-only folder): for files other commands write, such as `eval --errors`."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give a file name")
    _check_parent(out)


def _check_parent(out: Path) -> None:
    parent = out.expanduser().absolute().parent
    existing = next(p for p in (parent, *parent.parents) if p.exists())
    if not existing.is_dir():
        raise ExportError(f"cannot write {out}: {existing} is a file, not a folder")
    if existing != parent:
        raise ExportError(f"cannot write {out}: folder {parent} does not exist")
    try:  # a probe, not the mode bits: root passes those, a read-only mount does not
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".trackwire-probe-"):
            pass
    except OSError as exc:
        raise ExportError(f"cannot write {out}: folder {parent} is not writable ({exc.strerror})") from None


STORY_COLUMNS = (Story.id, Story.key, Story.url, Story.title, Story.source, Story.published_at, Story.text)


def story_records(session: Session, *, filters: StoryFilter | None = None, batch: int = 500) -> Iterator[dict]:
    """One contract dict per story passing `filters`, by id, loading `batch` stories at a time.

    Plain column rows, not ORM objects: the raw HTML never leaves the database, and
    exporting a large archive stays fast and flat in memory.
    """
    filters = filters or StoryFilter()
    last = 0
    while True:
        stmt = filters.apply(select(*STORY_COLUMNS).where(Story.id > last))
        stories = session.execute(stmt.order_by(Story.id).limit(batch)).all()
        if not stories:
            return
        last = stories[-1].id
        yield from _records(session, stories)


def story_record_by_key(session: Session, key: str) -> dict | None:
    """The contract dict of the story with this key, or None."""
    stories = session.execute(select(*STORY_COLUMNS).where(Story.key == key)).all()
    return next(_records(session, stories), None)


def _by_story(session: Session, model, ids: list[int]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    table = model.__table__
    for row in session.execute(table.select().where(table.c.story_id.in_(ids))).all():
        grouped[row.story_id].append(row)
    return grouped


def _records(session: Session, stories) -> Iterator[dict]:
    ids = [s.id for s in stories]
    mentions, quotes, marks, perfs = (_by_story(session, m, ids) for m in (Mention, Quote, Mark, Performance))
    athlete_ids = {m.athlete_id for ms in mentions.values() for m in ms if m.athlete_id}
    countries = dict(session.execute(select(Athlete.id, Athlete.country).where(col(Athlete.id).in_(athlete_ids))).all())
    for s in stories:
        yield story_record(s, sorted(mentions[s.id], key=lambda m: (m.start, m.end)),
                           sorted(quotes[s.id], key=lambda q: q.start), sorted(marks[s.id], key=lambda k: k.start),
                           sorted(perfs[s.id], key=lambda p: p.id), countries)


def story_record(story, mentions: list, quotes: list, marks: list, perfs: list,
                 countries: dict[int, str | None]) -> dict:
    """The contract dict of one story, from its rows (ORM objects or plain rows alike)."""
    athletes: dict[str, dict] = {}
    people: dict[str, dict] = {}
    events: dict[tuple, dict] = {}
    for m in mentions:
        if m.label == "ATHLETE":
            entry = athletes.setdefault(m.name, {"name": m.name, "country": countries.get(m.athlete_id),
                                                 "mentions": []})
        elif m.label == "PERSON":
            entry = people.setdefault(m.name, {"name": m.name, "role": m.role, "mentions": []})
        else:
            entry = events.setdefault((m.name, m.sex, m.indoor), {"event": m.name, "sex": m.sex,
                                                                  "indoor": m.indoor, "mentions": []})
        entry["mentions"].append([m.start, m.end])
    spans = [{"start": m.start, "end": m.end, "label": m.label} for m in mentions]
    spans += [{"start": k.start, "end": k.end, "label": "MARK"} for k in marks]
    return {
        "key": story.key, "url": story.url, "title": story.title, "source": story.source,
        "published_at": iso_utc(story.published_at),
        "text": story.text,
        "athletes": list(athletes.values()),
        "people": list(people.values()),
        "events": list(events.values()),
        "marks": [{"text": k.text, "value": k.value, "unit": k.unit, "start": k.start, "end": k.end,
                   "flags": list(k.flags or []), "wind": k.wind} for k in marks],
        "quotes": [{"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker} for q in quotes],
        "performances": [{"athlete": p.athlete, "event": p.event, "mark": p.mark, "value": p.value,
                          "unit": p.unit} for p in perfs],
        "spans": sorted(spans, key=lambda x: (x["start"], x["end"])),
    }


def count_stories(session: Session, filters: StoryFilter) -> int:
    return session.exec(filters.apply(select(func.count()).select_from(Story))).one()
