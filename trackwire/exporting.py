"""`trackwire export`: stream records from the store into a format, then write a manifest beside it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from trackwire.store.db import read_session
from trackwire.store.export import STDOUT, story_records
from trackwire.store.filters import StoryFilter
from trackwire.store import formats
from trackwire.store.times import iso_utc


def export(engine: Engine, fmt: str, out: Path, filters: StoryFilter,
           on_record: Callable[[], None] = lambda: None, *, version: str | None = None) -> int:
    """Write the stories passing `filters` to `out` in `fmt`; returns how many were written.
    `version` is the tagger version the manifest (and Label Studio's `model_version`) names: the
    store's own (its model and imported athletes), the packaged tagger's when not given."""
    from trackwire.nlp.pipeline import TAGGER_VERSION

    version = version or TAGGER_VERSION
    with read_session(engine) as session:
        def records() -> Iterator[dict]:
            for record in story_records(session, filters=filters):
                on_record()
                yield record

        write_lines = formats.write_stdout if out == STDOUT else formats.write_lines
        if fmt == "jsonl":
            count = write_lines(formats.json_lines(records()), out)
        elif fmt == "doccano":
            count = write_lines(formats.json_lines(map(formats.doccano_line, records())), out)
        elif fmt == "labelstudio":
            tasks = (formats.labelstudio_task(r, version) for r in records())
            count = write_lines(formats.json_lines(tasks), out)
        elif fmt == "csv":
            count = formats.write_csv(records(), out)
        elif fmt == "parquet":
            count = formats.write_parquet(records(), out)
        elif fmt == "spacy":
            count = _write_spacy(records(), out)
        else:  # iob
            from trackwire.nlp.formats import iob_lines

            counted = _Counter(records())
            write_lines(iob_lines(counted), out)
            count = counted.n
    if out != STDOUT:  # standard output carries the lines alone
        write_manifest(out, fmt, filters, count, version)
    return count


class _Counter:
    def __init__(self, items):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def _write_spacy(records, out: Path) -> int:
    """A folder of DocBin shards of 1,000 docs: serialising one DocBin takes memory in proportion
    to its size, so shards keep the export flat; `spacy train` and `Corpus` read the folder whole."""
    from trackwire.nlp.formats import docbin

    count = 0
    with formats.staged_folder(out) as (tmp, _):
        for i, part in enumerate(docbin(records), 1):
            part.to_disk(tmp / f"{i:05d}.spacy")
            count += len(part)
    return count


def manifest_path(out: Path) -> Path:
    return out / "manifest.json" if out.is_dir() else out.with_name(out.name + ".manifest.json")


def write_manifest(out: Path, fmt: str, filters: StoryFilter, count: int, version: str) -> Path:
    path = manifest_path(out)
    path.write_text(json.dumps({
        "format": fmt, "output": out.name, "stories": count, "filters": filters.described,
        "tagger_version": version, "written_at": iso_utc(datetime.now(timezone.utc).replace(microsecond=0)),
    }, indent=2) + "\n", encoding="utf-8")
    return path
