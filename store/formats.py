"""Table and annotation-tool formats of the tagged corpus: csv, parquet, doccano, labelstudio.

Each writer streams contract records and writes through a temporary name,
renamed into place only when complete.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK("http://evil/","x")`
# from a crawled title). Every CSV trackwire writes, `export --format csv` and the web's CSV
# downloads, puts an apostrophe before such a text cell; JSONL and Parquet keep the exact text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """`cell` as a CSV cell a spreadsheet shows as text: a string starting like a formula gets a
    leading `'`; anything else (numbers, None, other strings) is returned as it is."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


TABLES = {
    "stories": ("key", "url", "title", "source", "published_at", "text"),
    "mentions": ("key", "start", "end", "label", "text", "name", "role", "country", "sex", "indoor"),
    "quotes": ("key", "start", "end", "text", "speaker"),
    "marks": ("key", "start", "end", "text", "value", "unit", "flags", "wind"),
    "performances": ("key", "athlete", "event", "mark", "value", "unit"),
}


def table_rows(record: dict) -> dict[str, list[dict]]:
    """One record as rows of the five tables; every row carries the story key."""
    key, text = record["key"], record["text"]
    mentions = []
    for a in record["athletes"]:
        mentions += [{"label": "ATHLETE", "name": a["name"], "country": a.get("country"), "start": s, "end": e}
                     for s, e in a["mentions"]]
    for p in record["people"]:
        mentions += [{"label": "PERSON", "name": p["name"], "role": p.get("role"), "start": s, "end": e}
                     for s, e in p["mentions"]]
    for ev in record["events"]:
        mentions += [{"label": "EVENT", "name": ev["event"], "sex": ev.get("sex"), "indoor": ev.get("indoor"),
                      "start": s, "end": e} for s, e in ev["mentions"]]
    for m in mentions:
        m["text"] = text[m["start"]:m["end"]]
    rows = {
        "stories": [{k: record.get(k) for k in TABLES["stories"]}],
        "mentions": sorted(mentions, key=lambda m: (m["start"], m["end"])),
        "quotes": record["quotes"],
        "marks": [{**m, "flags": ",".join(m.get("flags") or [])} for m in record["marks"]],
        "performances": record["performances"],
    }
    return {name: [{c: (key if c == "key" else r.get(c)) for c in TABLES[name]} for r in rs]
            for name, rs in rows.items()}


def staging_dir(out: Path) -> Path:
    tmp = out.with_name(f".{out.name}.part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def publish_dir(tmp: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp, out)


@contextmanager
def staged_folder(out: Path) -> Iterator[tuple[Path, ExitStack]]:
    """A temporary folder to write into, with a stack for open files; it replaces `out` only when the
    block completes, and is removed when it fails or is interrupted."""
    tmp = staging_dir(out)
    try:
        with ExitStack() as stack:
            yield tmp, stack
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish_dir(tmp, out)


def write_csv(records: Iterable[dict], out: Path) -> int:
    """A folder with one CSV per table; text cells that a spreadsheet would run start with `'`."""
    count = 0
    with staged_folder(out) as (tmp, stack):
        writers = {}
        for name, columns in TABLES.items():
            fh = stack.enter_context((tmp / f"{name}.csv").open("w", newline="", encoding="utf-8"))
            writers[name] = csv.DictWriter(fh, fieldnames=columns)
            writers[name].writeheader()
        for record in records:
            for name, rows in table_rows(record).items():
                writers[name].writerows({c: spreadsheet_safe(v) for c, v in row.items()} for row in rows)
            count += 1
    return count


ARROW_TYPES = {"start": "int64", "end": "int64", "value": "float64", "indoor": "bool_"}
# Columns that are UTC datetimes: text (`iso_utc`'s `...Z`) in CSV and JSONL, `timestamp[us, tz=UTC]` in
# Parquet (null where unknown), so pandas, DuckDB and Spark read them as times, not strings.
DATETIME_COLUMNS = frozenset({"published_at"})


def arrow_type(column: str):
    import pyarrow as pa

    if column in DATETIME_COLUMNS:
        return pa.timestamp("us", tz="UTC")
    return getattr(pa, ARROW_TYPES.get(column, "string"))()


def _arrow_row(row: dict) -> dict:
    """A table row with its datetime columns parsed from the contract's text (`Z` or `+00:00`)."""
    return {c: (datetime.fromisoformat(v) if c in DATETIME_COLUMNS and v else v) for c, v in row.items()}


def write_parquet(records: Iterable[dict], out: Path, batch: int = 2000) -> int:
    """A folder with one Parquet file per table, written in row groups so memory stays flat."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = {name: pa.schema([(c, arrow_type(c)) for c in cols]) for name, cols in TABLES.items()}
    buffers: dict[str, list[dict]] = {name: [] for name in TABLES}
    count = 0
    with staged_folder(out) as (tmp, stack):
        writers = {name: stack.enter_context(pq.ParquetWriter(tmp / f"{name}.parquet", schemas[name]))
                   for name in TABLES}

        def flush() -> None:
            for name, rows in buffers.items():
                if rows:
                    writers[name].write_table(pa.Table.from_pylist(rows, schema=schemas[name]))
                    rows.clear()

        for record in records:
            for name, rows in table_rows(record).items():
                buffers[name].extend(map(_arrow_row, rows))
            count += 1
            if count % batch == 0:
                flush()
        flush()
    return count


def doccano_line(record: dict) -> dict:
    return {"id": record["key"], "text": record["text"],
            "label": [[s["start"], s["end"], s["label"]] for s in record["spans"]]
            + [[q["start"], q["end"], "QUOTE"] for q in record["quotes"]]}


def labelstudio_task(record: dict, version: str) -> dict:
    results = [{"id": f"s{i}", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": s["start"], "end": s["end"], "text": record["text"][s["start"]:s["end"]],
                          "labels": [s["label"]]}} for i, s in enumerate(record["spans"])]
    results += [{"id": f"q{i}", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": q["start"], "end": q["end"], "text": q["text"], "labels": ["QUOTE"]},
                 "meta": {"speaker": q["speaker"]}} for i, q in enumerate(record["quotes"])]
    return {"data": {"text": record["text"], "key": record["key"], "url": record["url"]},
            "predictions": [{"model_version": f"trackwire {version}", "result": results}]}


def write_lines(lines: Iterable[str], out: Path) -> int:
    """Text lines to `out` through a temporary file; returns how many lines were written."""
    tmp = out.with_name(f".{out.name}.part")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
                count += 1
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def write_stdout(lines: Iterable[str], _out: Path | None = None) -> int:
    """Text lines to standard output as they come; returns how many were written."""
    import sys

    count = 0
    for line in lines:
        sys.stdout.write(line)
        count += 1
    sys.stdout.flush()
    return count


def json_lines(objects: Iterable[dict]) -> Iterable[str]:
    for obj in objects:
        yield json.dumps(obj, ensure_ascii=False) + "\n"
