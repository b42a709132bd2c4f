"""`trackwire eval`: gold texts go through a temporary store and the real tagger."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table

from trackwire.nlp.evaluate import FIELDS, evaluate
from trackwire.store.registry import RegistryRow
from trackwire.store.stories import StoryIn


def trackwire_predictions(rows: list[dict], model: str | None, imported: Sequence[RegistryRow] = ()) -> list[dict]:
    """Ingest, tag and export the gold texts exactly as the product does, in a throwaway SQLite file
    holding the `imported` athletes (those of the user's store) as the user's tagger does."""
    from trackwire.api import Store
    from trackwire.ingest import store_story
    from trackwire.nlp.pipeline import load_pipeline
    from trackwire.store.db import write_session
    from trackwire.store.registry import save_athletes

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.db") as store:
        if imported:
            with write_session(store.engine) as session:
                save_athletes(session, imported)
        for row in rows:
            store_story(store.engine, StoryIn(key=row["id"], text=row["text"], title=row["text"].split("\n")[0]))
        store.tag(nlp=load_pipeline(model))
        by_key = {s.key: s.to_json() for s in store.stories()}
    return [by_key[row["id"]] for row in rows]


def baseline_predictions(rows: list[dict], model: str | None) -> list[dict]:
    """The stock model alone: its PERSON entities as athletes; no events, marks, quotes."""
    import spacy

    from trackwire.nlp.pipeline import default_model

    nlp = spacy.load(model or default_model())
    preds = []
    for doc in nlp.pipe(row["text"] for row in rows):
        names = {e.text for e in doc.ents if e.label_ == "PERSON"}
        preds.append({"athletes": [{"name": n} for n in sorted(names)], "events": [], "marks": [],
                      "quotes": [], "performances": []})
    return preds


def _prf(score) -> str:
    precision = f"{score.precision:.3f}" if score.tp + score.fp else "—"  # nothing predicted
    return f"{precision} / {score.recall:.3f} / {score.f1:.3f}"


def score_table(rows: list[dict], runs: dict[str, list[dict]]) -> tuple[Table, list[str]]:
    table = Table(title=f"tagging scores on {len(rows)} articles (P / R / F1)")
    table.add_column("field")
    for name in runs:
        table.add_column(name, justify="right")
    results = {name: evaluate(rows, preds) for name, preds in runs.items()}
    for field in FIELDS:
        table.add_row(field, *(_prf(s[field]) for s, _ in results.values()))
    table.add_row("speaker accuracy", *(f"{sp.recall:.3f}" if sp.tp + sp.fn else "—"
                                        for _, sp in results.values()))
    scores, speaker = results["trackwire"]
    problems = [e for f in FIELDS for e in scores[f].errors] + speaker.errors
    return table, problems
