"""Web benchmark (issue 14): the athlete page, the search page and their JSON under /api/, beside the
same query through the Python API, in one run, on the store benchmark's 100,000 stories.

    .venv/bin/python -u bench/make_store.py --stories 100000 --db /tmp/trackwire-bench.db
    .venv/bin/python -u bench/web.py --db /tmp/trackwire-bench.db [--pg URL]

Server time is the app's own Server-Timing header (request in to response start: routing, parameter
checks, the Store call, rendering), read through FastAPI's in-process test client; the query time is
the same Store method called directly. Each name or term is measured the three ways in turn, so
caches favour none of them. With --pg, the PostgreSQL schema tw_bench_web of bench/scaleout.py's
server is built once (same generator, same seed) and measured with the same names and terms.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent


def bench_module(name: str):
    """Another benchmark script of this folder, by path (bench/store.py would shadow the store package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workload(db: str, n: int) -> tuple[list[str], list[str]]:
    """Athlete names (the most mentioned, then any) and search terms, as bench/store.py picks them."""
    from sqlalchemy import func, select, text

    from trackwire.store.db import make_engine, read_session
    from trackwire.store.models import Mention

    rng = random.Random(3)
    with read_session(make_engine(db)) as session:
        ranked = [r[0] for r in session.execute(
            select(Mention.name).where(Mention.label == "ATHLETE").group_by(Mention.name)
            .order_by(func.count(func.distinct(Mention.story_id)).desc()))]
        session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.story_fts_vocab "
                             "USING fts5vocab(main, story_fts, row)"))
        terms = bench_module("store").query_terms(session, n, rng)[:n]
    names = ranked[:5] + [rng.choice(ranked[:100]) for _ in range(n // 2)] + [rng.choice(ranked) for _ in range(n // 2)]
    return names[:n], terms


def server_ms(client, url: str) -> float:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:200]}")
    return float(re.search(r"dur=([\d.]+)", response.headers["server-timing"]).group(1))


def query_ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(db: str, names: list[str], terms: list[str]) -> dict[str, dict[str, list[float]]]:
    """{view: {"query": ms, "page": ms, "json": ms}} for the athlete and search views."""
    from fastapi.testclient import TestClient

    import trackwire
    from trackwire.web import create_app

    times = {view: {"query": [], "page": [], "json": []} for view in ("athlete", "search")}
    with trackwire.open(db, read_only=True) as store, TestClient(create_app(store)) as client:
        cases = [("athlete", name, lambda n=name: store.athlete(n), f"/athletes/{quote(name, safe='')}")
                 for name in names]
        cases += [("search", term, lambda t=term: store.search_page(t), f"/search?{urlencode({'q': term})}")
                  for term in terms]
        for i, (view, _, call, page) in enumerate(cases):
            runs = [("query", lambda: query_ms(call)), ("page", lambda: server_ms(client, page)),
                    ("json", lambda: server_ms(client, "/api" + page))]
            for kind, run in runs[i % 3:] + runs[:i % 3]:
                times[view][kind].append(run())
    return times


def p95(ms: list[float]) -> float:
    return sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]


def report(engine: str, times: dict) -> None:
    for view, kinds in times.items():
        q, page, js = (kinds[k] for k in ("query", "page", "json"))
        mq = statistics.median(q)
        print(f"| {engine} | {view} | {mq:.1f} | {p95(q):.1f} | {statistics.median(page):.1f} | {p95(page):.1f} "
              f"| {statistics.median(js):.1f} | {p95(js):.1f} | {statistics.median(page) / mq:.2f} "
              f"| {p95(page) / p95(q):.2f} | {statistics.median(js) / mq:.2f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/trackwire-bench.db")
    parser.add_argument("--pg", help="a PostgreSQL URL: also measure there (schema tw_bench_web)")
    parser.add_argument("--stories", type=int, default=100_000, help="stories in the PostgreSQL store")
    parser.add_argument("--queries", type=int, default=100, help="names and terms, each")
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} not found: run bench/make_store.py first")
    names, terms = workload(args.db, args.queries)
    engines = [("SQLite", args.db)]
    if args.pg:
        scaleout = bench_module("scaleout")
        url = scaleout.pg_schema(args.pg, "tw_bench_web", fresh=False)
        scaleout.build_store(url, args.stories, reset=lambda: scaleout.pg_schema(args.pg, "tw_bench_web"))
        engines.append(("PostgreSQL", url))
    print(f"\n## Pages and JSON beside their query, {len(names)} athletes and {len(terms)} searches (ms)")
    print("| engine | view | query median | query p95 | page median | page p95 | JSON median | JSON p95 "
          "| page / query (median) | page / query (p95) | JSON / query (median) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for engine, db in engines:
        report(engine, measure(db, names, terms))


if __name__ == "__main__":
    main()
