"""`trackwire eval`: gold texts go through a temporary store and the real tagger."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table

from trackwire.nlp.evaluate import FIELDS, evaluate
from trackwire.store.registry import RegistryRow
from trackwire.store.stories import StoryIn


# The gold format (the tagging guide's): what each field of a line must be for scoring to read it.
_STR, _NUM, _OPT_STR = "a string", "a number", "a string or null"
_ITEMS = {"athletes": _STR, "events": _STR,
          "marks": {"text": _STR, "value": _NUM, "unit": _STR},
          "quotes": {"start": _STR, "speaker": _OPT_STR},
          "performances": {"athlete": _STR, "event": _STR, "mark": _STR}}


def _is(value, kind: str) -> bool:
    if kind == _NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str) or (kind == _OPT_STR and value is None)


def _gold_problem(row) -> str | None:
    """Why one parsed gold line cannot be scored, or None."""
    if not isinstance(row, dict):
        return "not a JSON object"
    for key in ("id", "text"):
        if key not in row:
            return f"no `{key}` field (a gold line has id, text, {', '.join(_ITEMS)})"
        if not isinstance(row.get(key), str):
            return f"`{key}` must be a string"
    for field, item in _ITEMS.items():
        values = row.get(field)
        if field not in row:
            return f"no `{field}` field"
        if not isinstance(values, list):
            return f"`{field}` must be a list"
        for value in values:
            if isinstance(item, str):
                if not _is(value, item):
                    return f"each of `{field}` must be {item}"
            elif not isinstance(value, dict):
                return f"each of `{field}` must be an object with {', '.join(item)}"
            else:
                bad = next((k for k, kind in item.items() if not _is(value.get(k), kind)), None)
                if bad:
                    return f"`{bad}` of each of `{field}` must be {item[bad]}"
    return None


def check_errors_file(path: Path) -> None:
    """Raise UserError, before any scoring, when the `--errors` file cannot be written."""
    from trackwire.errors import UserError
    from trackwire.store.export import ExportError, check_file_target

    try:
        check_file_target(path)
    except ExportError as exc:
        raise UserError(f"--errors: {exc}") from None


def read_gold(path: Path) -> list[dict]:
    """The articles of a gold JSONL file (the tagging guide's format), checked so that scoring can
    read every field. Raises UserError naming the first bad line and what is wrong with it."""
    import json

    from trackwire.errors import UserError

    if not path.exists():
        raise UserError(f"gold file {path} not found")
    try:
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read gold file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"gold file {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise UserError(f"{path}:{number}: not JSON ({exc}); each line is one gold article") from None
        why = _gold_problem(row)
        if why:
            raise UserError(f"{path}:{number}: {why} (the tagging guide's gold format: id, text, athletes, "
                            "events, marks, quotes, performances)")
        rows.append(row)
    if not rows:
        raise UserError(f"gold file {path} holds no articles")
    return rows


def trackwire_predictions(rows: list[dict], model: str | None, imported: Sequence[RegistryRow] = ()) -> list[dict]:
    """Ingest, tag and export the gold texts exactly as the product does, in a throwaway SQLite file
    holding the `imported` athletes (those of the user's store) as the user's tagger does."""
    from trackwire.api import Store
    from trackwire.ingest import store_story
    from trackwire.nlp.pipeline import shared_pipeline
    from trackwire.store.db import write_session
    from trackwire.store.registry import save_athletes

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.db") as store:
        if imported:
            with write_session(store.engine) as session:
                save_athletes(session, imported)
        for row in rows:
            store_story(store.engine, StoryIn(key=row["id"], text=row["text"], title=row["text"].split("\n")[0]))
        store.tag(nlp=shared_pipeline(model))
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
