"""Tagging speed and memory, measured against the bare spaCy model in the same run.

    .venv/bin/python bench/tagging.py [--docs 1000] [--stories 2000 10000]

1. Words per second: the same texts through the stock model (as shipped, and
   without the lemmatizer trackwire drops) and through trackwire's pipeline.
2. Workers: the same texts with n_process=1 and n_process=2.
3. Memory: `trackwire tag` over stores of growing size (a real SQLite file
   each); peak RSS of the tagging process, which must not grow with the store.

Texts are the real articles in ../shared/corpus when present, else the demo site's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(n: int) -> list[str]:
    corpus = ROOT.parent / "shared" / "corpus" / "bbcsport-athletics"
    if corpus.is_dir():
        base = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    else:
        from trackwire.crawler.demo_site import load_articles

        base = [a.text for a in load_articles()]
    return [base[i % len(base)] for i in range(n)]


def words_per_second(nlp, docs: list[str], **kw) -> float:
    words = sum(len(t.split()) for t in docs)
    start = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=32, **kw):
        pass
    return words / (time.perf_counter() - start)


def best_of(runs: int, fn) -> float:
    return max(fn() for _ in range(runs))


def speed(n: int) -> None:
    import spacy

    from trackwire.nlp.pipeline import default_model, load_pipeline

    docs = texts(n)
    model = default_model()
    stock = spacy.load(model)
    stock_nolemma = spacy.load(model, exclude=["lemmatizer"])
    ours = load_pipeline(model)
    for nlp in (stock, stock_nolemma, ours):  # warm up
        list(nlp.pipe(docs[:20]))
    rows = {}
    for _ in range(3):  # interleaved, best of three: this machine is noisy
        for name, nlp in (("stock model", stock), ("stock, no lemmatizer", stock_nolemma), ("trackwire", ours)):
            rows[name] = max(rows.get(name, 0.0), words_per_second(nlp, docs))
    print(f"\n## Speed ({n} articles, {sum(len(t.split()) for t in docs):,} words, model {model})")
    print("| pipeline | words/s | trackwire / this |")
    print("| --- | ---: | ---: |")
    for name, wps in rows.items():
        print(f"| {name} | {wps:,.0f} | {rows['trackwire'] / wps:.2f} |")


def workers(n: int) -> None:
    from trackwire.nlp.pipeline import load_pipeline

    docs = texts(n)
    nlp = load_pipeline()
    list(nlp.pipe(docs[:20]))
    one = best_of(2, lambda: words_per_second(nlp, docs))
    two = best_of(2, lambda: words_per_second(nlp, docs, n_process=2))
    print(f"\n## Workers ({n} articles, {os.cpu_count()} cores)")
    print("| processes | words/s | vs 1 |")
    print("| --- | ---: | ---: |")
    print(f"| 1 | {one:,.0f} | 1.00 |")
    print(f"| 2 | {two:,.0f} | {two / one:.2f} |")


def tag_store(size: int, workers: int = 1) -> tuple[float, float]:
    """(seconds, peak RSS MB of the main process) of `trackwire tag` over a fresh store of `size` stories."""
    import json

    base = texts(50)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        feed = Path(tmp) / "stories.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for i in range(size):
                fh.write(json.dumps({"key": f"s{i}", "text": base[i % len(base)] + f"\n(copy {i})\n"}) + "\n")
        env = {**os.environ, "TRACKWIRE_DB": str(db)}
        cli = [sys.executable, "-m", "trackwire"]
        subprocess.run(cli + ["ingest", str(feed)], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        proc = subprocess.Popen(cli + ["tag", "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"trackwire tag failed with status {status}")
        return time.perf_counter() - start, usage.ru_maxrss / 1024


def cli_workers(size: int) -> None:
    one, _ = tag_store(size, 1)
    two, _ = tag_store(size, 2)
    print(f"\n## `trackwire tag --workers N` over a store of {size:,} stories (load, tag, write)")
    print("| workers | seconds | speed-up |")
    print("| ---: | ---: | ---: |")
    print(f"| 1 | {one:,.1f} | 1.00 |")
    print(f"| 2 | {two:,.1f} | {one / two:.2f} |")


def memory(sizes: list[int]) -> None:
    print("\n## Memory of `trackwire tag` (peak RSS of the process)")
    print("| stories | peak RSS MB | seconds |")
    print("| ---: | ---: | ---: |")
    for size in sizes:
        seconds, peak = tag_store(size)
        print(f"| {size:,} | {peak:,.0f} | {seconds:,.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="articles for the speed comparison")
    parser.add_argument("--worker-docs", type=int, default=2000, help="articles for the workers comparison")
    parser.add_argument("--stories", type=int, nargs="*", default=[2000, 10000], help="store sizes for memory")
    parser.add_argument("--cli-stories", type=int, default=1000, help="store size for `tag --workers`; 0 skips")
    args = parser.parse_args()
    speed(args.docs)
    workers(args.worker_docs)
    if args.cli_stories:
        cli_workers(args.cli_stories)
    if args.stories:
        memory(args.stories)


if __name__ == "__main__":
    main()
