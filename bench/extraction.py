"""Extraction quality on real publisher pages: trackwire's `extract` against plain trafilatura.

    .venv/bin/python bench/extraction.py [--shared ../shared]

Pages and ground truth are ../shared/html (see its PROVENANCE.md). Body text
is scored with the ScrapingHub article-extraction-benchmark metric: precision,
recall and F1 over sets of word 4-gram shingles, averaged per page. Title,
author and date are scored where the ground truth has them; trafilatura's
side uses its own metadata extractor. Pages with snippet ground truth only
(trafilatura_eval) are scored on the snippets that must and must not appear. "Headline repeated in body"
counts the pages that extract whose body opens with the headline again (the
tagger would read it twice); the target is 0.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import trafilatura  # noqa: E402

from trackwire.crawler.extract import NotAnArticle, extract  # noqa: E402
from trackwire.nlp.text import fold  # noqa: E402


@dataclass
class Case:
    name: str
    html: bytes
    url: str
    body: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)


def _gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def cases(html: Path) -> list[Case]:
    found = []
    truth = json.loads((html / "aeb" / "ground-truth.subset.json").read_text())
    for key, t in truth.items():
        found.append(Case(f"aeb/{key[:8]}", _gz(html / "aeb" / f"{key}.html.gz"), t["url"], body=t["articleBody"]))
    truth = json.loads((html / "fundus_evaluation" / "ground_truth.subset.json").read_text())
    for key, t in truth.items():
        found.append(Case(f"fundus_eval/{key}", _gz(html / "fundus_evaluation" / key), t["url"],
                          body="\n\n".join(t["body"])))
    for country in sorted((html / "fundus_tests").iterdir()):
        if not country.is_dir():
            continue
        meta = json.loads((country / "meta.info").read_text())
        for gt in sorted(country.glob("*.json")):
            versions = json.loads(gt.read_text())
            pages = sorted(country.glob(f"{gt.stem}_*.html.gz"), key=lambda p: p.name)
            for key, page in zip(sorted(versions, key=_version_order), pages):
                t = versions[key]
                body = t["body"] if isinstance(t["body"], dict) else ast.literal_eval(t["body"])
                text = body.get("summary", []) + [p for s in body.get("sections", []) for p in
                                                  s.get("headline", []) + s.get("paragraphs", [])]
                found.append(Case(f"fundus/{country.name}/{page.name[:-8]}", _gz(page), meta[page.name]["url"],
                                  body="\n\n".join(text), title=t.get("title"), authors=list(t.get("authors") or []),
                                  date=(t.get("publishing_date") or "")[:10] or None))
    truth = json.loads((html / "trafilatura_eval" / "evaldata.subset.json").read_text())
    for url, t in truth.items():
        found.append(Case(f"trafilatura/{t['file'][:30]}", (html / "trafilatura_eval" / t["file"]).read_bytes(), url,
                          title=t.get("title") or None, authors=[t["author"]] if t.get("author") else [],
                          date=t.get("date") or None, with_=t.get("with", []), without=t.get("without", [])))
    return found


def _version_order(key: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", key))


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", (text or "").lower())
    return {tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1))}


def prf(pred: str, true: str) -> tuple[float, float, float]:
    p, t = shingles(pred), shingles(true)
    if not p and not t:
        return 1.0, 1.0, 1.0
    tp = len(p & t)
    precision = tp / len(p) if p else 0.0
    recall = tp / len(t) if t else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def trackwire_side(case: Case) -> dict:
    try:
        got = extract(case.html, case.url)
    except NotAnArticle:
        return {"body": "", "title": None, "author": None, "date": None}
    return {"body": got.body, "title": got.title, "author": got.author,
            "date": got.published_at.date().isoformat() if got.published_at else None}


def trafilatura_side(case: Case) -> dict:
    html = case.html.decode("utf-8", "replace")
    meta = trafilatura.extract_metadata(html, default_url=case.url)
    return {"body": trafilatura.extract(html, url=case.url) or "", "title": meta.title if meta else None,
            "author": meta.author if meta else None, "date": meta.date if meta else None}


def headline_repeated(got: dict) -> bool | None:
    """Whether the body's first paragraph is the headline again; None when nothing was extracted."""
    if not got["body"] or not got["title"]:
        return None
    first = next((p for p in got["body"].splitlines() if p.strip()), "")
    return fold(" ".join(first.split())) == fold(" ".join(got["title"].split()))


def meta_hits(case: Case, got: dict) -> dict[str, bool]:
    hits = {}
    if case.title:
        hits["title"] = fold(got["title"] or "") == fold(case.title)
    if case.authors:
        hits["author"] = bool(got["author"]) and all(fold(a) in fold(got["author"]) for a in case.authors)
    if case.date:
        hits["date"] = (got["date"] or "")[:10] == case.date[:10]
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    html = args.shared / "html"
    if not html.is_dir():
        raise SystemExit(f"{html} not found: the benchmark needs ../shared/html")
    all_cases = cases(html)
    sides = {"trackwire": trackwire_side, "trafilatura": trafilatura_side}
    scores = {name: {"p": [], "r": [], "f": [], "title": [], "author": [], "date": [], "with": [], "without": [],
                     "repeated": []}
              for name in sides}
    for case in all_cases:
        for name, side in sides.items():
            got = side(case)
            s = scores[name]
            if case.body is not None:
                p, r, f = prf(got["body"], case.body)
                s["p"].append(p), s["r"].append(r), s["f"].append(f)
            for key, hit in meta_hits(case, got).items():
                s[key].append(hit)
            if case.body is not None and headline_repeated(got) is not None:
                s["repeated"].append(headline_repeated(got))
            s["with"] += [fold(w) in fold(got["body"]) for w in case.with_]
            s["without"] += [fold(w) not in fold(got["body"]) for w in case.without]
    n_body = sum(c.body is not None for c in all_cases)
    print(f"\n## Extraction on {len(all_cases)} real pages ({n_body} with full body text)")
    print("| measure | trackwire | trafilatura |")
    print("| --- | ---: | ---: |")
    for key, label in (("p", "body precision"), ("r", "body recall"), ("f", "body F1")):
        print(f"| {label} | {statistics.mean(scores['trackwire'][key]):.3f} | "
              f"{statistics.mean(scores['trafilatura'][key]):.3f} |")
    for key in ("title", "author", "date", "with", "without"):
        a, b = scores["trackwire"][key], scores["trafilatura"][key]
        label = {"with": "snippets that must appear", "without": "snippets that must not"}.get(key, key)
        print(f"| {label} (of {len(a)}) | {sum(a) / len(a):.3f} | {sum(b) / len(b):.3f} |")
    a, b = scores["trackwire"]["repeated"], scores["trafilatura"]["repeated"]
    print(f"| headline repeated in body (pages) | {sum(a)} of {len(a)} | {sum(b)} of {len(b)} |")


if __name__ == "__main__":
    main()
