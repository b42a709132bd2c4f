"""Store benchmark: athlete profiles, full-text search and exports on a large synthetic store.

    .venv/bin/python bench/make_store.py --stories 100000 --db /tmp/trackwire-bench.db
    .venv/bin/python bench/store.py --db /tmp/trackwire-bench.db

Queries run through the same store functions as the CLI (a warm process, as a
service or notebook would hold it); exports run the real `trackwire export`
in a child process, whose peak memory is read from the kernel.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import func, select, text  # noqa: E402

from trackwire.store.db import make_engine, read_session  # noqa: E402
from trackwire.store.models import Mention, Story  # noqa: E402
from trackwire.store.search import athlete_profile, find_athletes, search  # noqa: E402
from trackwire.store.filters import StoryFilter  # noqa: E402

FIXED = ["world record", "marathon", "hurdles", "season's best", "McLaughlin-Levrone", "Ingebrigtsen's", "AND",
         "indoor championships", "injury", "doping ban"]


def query_terms(session, n: int, rng: random.Random) -> list[str]:
    """Queries as people type them: fixed phrases, athlete names, and words of every document frequency."""
    vocab = [w for (w,) in session.execute(text("SELECT term FROM story_fts_vocab WHERE length(term) > 3 "
                                                  "ORDER BY random() LIMIT :n"), {"n": n})]
    return FIXED + vocab


def timed(runs: list[float], fn, *args, **kwargs):
    """Call fn(*args, **kwargs), appending its duration in ms to `runs`."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    runs.append((time.perf_counter() - start) * 1000)
    return result


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"{statistics.median(ms):.1f} | {ms[int(len(ms) * 0.95) - 1]:.1f}"


def queries(db: str, n: int, terms: list[str] | None = None) -> dict[str, list[float]]:
    """Time the queries; `terms` (default: words sampled from SQLite's FTS vocabulary) lets two stores
    be measured on the same searches. Returns the timings by query kind and prints a table."""
    engine = make_engine(db)
    rng = random.Random(3)
    with read_session(engine) as session:
        ranked = session.execute(select(Mention.name, func.count(func.distinct(Mention.story_id)).label("c"))
                                 .where(Mention.label == "ATHLETE").group_by(Mention.name)
                                 .order_by(func.count(func.distinct(Mention.story_id)).desc())).all()
        stories = session.execute(select(func.count()).select_from(Story)).scalar()
        names = [r[0] for r in ranked]
        typed = ([names[0]] * 5 + [rng.choice(names[:100]) for _ in range(n // 2)]
                 + [rng.choice(names) for _ in range(n // 2)])
        profile_ms, full_ms, surname_ms = [], [], []
        for name in typed:
            athlete = timed(full_ms, find_athletes, session, name)[0]
            timed(profile_ms, athlete_profile, session, athlete)
            timed(surname_ms, find_athletes, session, name.split()[-1].lower())
        if terms is None:
            session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_fts_vocab "
                                 "USING fts5vocab(main, story_fts, row)"))
            terms = query_terms(session, n, rng)
        search_ms, filtered_ms = [], []
        for q in terms:
            timed(search_ms, search, session, q, limit=20)
        athletes = [find_athletes(session, rng.choice(names[:200]))[0].id for _ in range(n // 2)]
        for aid in athletes:
            f = StoryFilter(athlete_ids=(aid,), has_quotes=True)
            timed(filtered_ms, search, session, rng.choice(terms), filters=f, limit=20)
    where = f"{Path(db).stat().st_size / 1e6:,.0f} MB SQLite file" if engine.dialect.name == "sqlite" \
        else engine.dialect.name
    engine.dispose()
    print(f"\n## Queries on {stories:,} stories, {len(names):,} athletes ({where})")
    print("| query | median ms | p95 ms |")
    print("| --- | ---: | ---: |")
    print(f"| find athlete by full name | {summary(full_ms)} |")
    print(f"| find athlete by surname (lower case) | {summary(surname_ms)} |")
    print(f"| athlete profile (50 newest stories, quotes, marks, co-mentions) | {summary(profile_ms)} |")
    print(f"| full-text search, bm25 top 20 | {summary(search_ms)} |")
    print(f"| full-text search + athlete + has-quotes | {summary(filtered_ms)} |")
    return {"find athlete by full name": full_ms, "find athlete by surname": surname_ms,
            "athlete profile": profile_ms, "full-text search, top 20": search_ms,
            "search + athlete + has-quotes": filtered_ms}


def export_run(db: str, fmt: str, extra: list[str]) -> tuple[int, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("out" if fmt in ("csv", "parquet") else f"out.{fmt}")
        cmd = [sys.executable, "-m", "trackwire", "--db", db, "export", "--format", fmt, "--out", str(out), *extra]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        written = int(proc.stdout.read().split()[1]) if status == 0 else 0
        proc.stdout.close()
        return written, seconds, usage.ru_maxrss / 1024


def exports(db: str, formats: list[str]) -> None:
    print("\n## Exports (the real command, startup included)")
    print("| format | stories | seconds | stories/s | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for fmt in formats:
        for label, extra in (("all", []), ("2016 only", ["--until", "2017-01-01"])):
            if fmt != "jsonl" and label == "all":
                continue
            n, s, rss = export_run(db, fmt, extra)
            print(f"| {fmt} ({label}) | {n:,} | {s:,.1f} | {n / s:,.0f} | {rss:,.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/trackwire-bench.db")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--formats", nargs="*", default=["jsonl", "csv", "parquet", "doccano", "labelstudio",
                                                          "iob", "spacy"])
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} not found: run bench/make_store.py first")
    queries(args.db, args.queries)
    exports(args.db, args.formats)


if __name__ == "__main__":
    main()
