"""Scale-out benchmark (issue 7), in one run:

1. Tagging 2,000 real articles with 1 and with 2 `trackwire worker` processes, on SQLite and on
   PostgreSQL: wall time from start to the last worker's exit (model loading included).
2. Athlete and search queries at 100,000 stories on PostgreSQL beside SQLite: the same generator
   (bench/make_store.py), the same names, the same search terms, median and p95.

    .venv/bin/python -u bench/scaleout.py [--pg URL] [--tag-stories 2000] [--store-stories 100000]

PostgreSQL gets schemas of its own (tw_bench_*), dropped and made again on each run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import text  # noqa: E402

from trackwire.store.db import make_engine, read_session, write_session  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def bench_module(name: str):
    """Another benchmark script of this folder, by path (bench/store.py would shadow the store package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pg_schema(base: str, schema: str, fresh: bool = True) -> str:
    """The URL that uses `schema` on the server; with `fresh`, dropped and created first."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return url.update_query_dict({"options": f"-csearch_path={schema},public"}).render_as_string(
        hide_password=False)


def cli(db: str, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "TRACKWIRE_DB": db}
    return subprocess.Popen([sys.executable, "-m", "trackwire", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, **kw)


def tag_with_workers(db: str, feed: Path, workers: int) -> tuple[float, int]:
    ingest = cli(db, "ingest", str(feed))
    ingest.communicate()
    start = time.perf_counter()
    procs = [cli(db, "worker", "--until-empty", "--poll", "1") for _ in range(workers)]
    outs = [p.communicate()[0] for p in procs]
    seconds = time.perf_counter() - start
    if any(p.returncode for p in procs):
        raise SystemExit(f"a worker failed: {outs}")
    tagged = sum(int(o.split("tagged ")[1].split()[0]) for o in outs)
    return seconds, tagged


def tagging(pg: str, n: int) -> None:
    docs = bench_module("tagging").texts(n)
    words = sum(len(t.split()) for t in docs)
    print(f"\n## Tagging {n:,} real articles ({words:,} words) with `trackwire worker --until-empty` processes")
    print("| store | workers | seconds | words/s | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "stories.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for i, body in enumerate(docs):
                fh.write(json.dumps({"key": f"s{i}", "text": body + f"\n(copy {i})\n"}) + "\n")
        for store in ("sqlite", "postgresql"):
            base = None
            for workers in (1, 2):
                db = str(Path(tmp) / f"tag{workers}.db") if store == "sqlite" else pg_schema(pg, f"tw_bench_tag{workers}")
                seconds, tagged = tag_with_workers(db, feed, workers)
                assert tagged == n, (tagged, n)
                base = base or seconds
                print(f"| {store} | {workers} | {seconds:,.1f} | {words / seconds:,.0f} | {base / seconds:.2f} |",
                      flush=True)


def stories_in(db: str) -> int:
    try:
        with read_session(make_engine(db)) as session:
            return session.execute(text("SELECT count(*) FROM story")).scalar_one()
    except Exception:  # noqa: BLE001  (no table yet)
        return 0


def build_store(db: str, n: int, reset) -> None:
    """The same generated store (make_store's fixed seed) on either engine; kept when already built."""
    if stories_in(db) != n:
        reset()
        print(f"building {n:,} stories in {db.split('?')[0]} …", flush=True)
        bench_module("make_store").build(db, n)


def queries(pg: str, n: int, q: int, sqlite_db: str) -> None:
    bench_store = bench_module("store")
    run_queries = bench_store.queries

    pg_db = pg_schema(pg, "tw_bench_store", fresh=False)
    start = time.perf_counter()
    build_store(sqlite_db, n, reset=lambda: Path(sqlite_db).unlink(missing_ok=True))
    print(f"SQLite store ready in {time.perf_counter() - start:,.0f} s", flush=True)
    start = time.perf_counter()
    build_store(pg_db, n, reset=lambda: pg_schema(pg, "tw_bench_store"))
    print(f"PostgreSQL store ready in {time.perf_counter() - start:,.0f} s", flush=True)
    with write_session(make_engine(pg_db)) as session:  # committed: a rolled-back ANALYZE leaves no statistics
        session.execute(text("ANALYZE"))
    with read_session(make_engine(sqlite_db)) as session:
        session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_fts_vocab "
                             "USING fts5vocab(main, story_fts, row)"))
        terms = bench_store.query_terms(session, q, random.Random(3))
    lite = run_queries(sqlite_db, q, terms)
    post = run_queries(pg_db, q, terms)
    print(f"\n## The same queries, {n:,} stories: SQLite beside PostgreSQL (ms)")
    print("| query | SQLite median | SQLite p95 | PostgreSQL median | PostgreSQL p95 | PG / SQLite (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in lite:
        a, b = sorted(lite[kind]), sorted(post[kind])
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"| {kind} | {ma:.1f} | {a[int(len(a) * .95) - 1]:.1f} | {mb:.1f} | {b[int(len(b) * .95) - 1]:.1f} "
              f"| {mb / ma:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("TRACKWIRE_TEST_PG", PG))
    parser.add_argument("--tag-stories", type=int, default=2000)
    parser.add_argument("--store-stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--sqlite", default="/tmp/trackwire-bench-scaleout.db")
    parser.add_argument("--skip", choices=["tagging", "queries"])
    args = parser.parse_args()
    if args.skip != "tagging":
        tagging(args.pg, args.tag_stories)
    if args.skip != "queries":
        queries(args.pg, args.store_stories, args.queries, args.sqlite)


if __name__ == "__main__":
    main()
