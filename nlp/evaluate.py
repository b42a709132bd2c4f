"""Score predicted tags against gold, as the tagging guide defines it.

Per article as sets, summed over the corpus (micro-average). Pure functions:
both sides are plain dicts (gold lines; predictions in the export shape).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackwire.nlp.text import fold

UNIT_ALIASES = {"s": "s", "sec": "s", "m": "m", "pts": "pts", "points": "pts", "pt": "pts"}
FIELDS = ("athletes", "events", "marks", "quotes", "performances")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _mark_key(value: float, unit: str) -> tuple:
    unit = UNIT_ALIASES.get(unit, unit)
    return (round(value / 0.005) if unit == "s" else round(value, 2), unit)


def _quote_fold(text: str) -> str:
    return " ".join(text.translate(str.maketrans("“”‘’", "\"\"''")).replace('"', "").split()).casefold()


HEADER = "article\terror\tvalue"  # the first line of `trackwire eval --errors`


def _set_score(score: Score, gold: dict, pred: dict, doc_id: str, what: str) -> None:
    """`gold` and `pred` map a comparison key (folded) to the value as each side spells it."""
    score.tp += len(gold.keys() & pred.keys())
    score.fp += len(pred.keys() - gold.keys())
    score.fn += len(gold.keys() - pred.keys())
    score.errors += sorted(f"{doc_id}\tmissed {what}\t{gold[k]}" for k in gold.keys() - pred.keys())
    score.errors += sorted(f"{doc_id}\textra {what}\t{pred[k]}" for k in pred.keys() - gold.keys())


def score_article(gold: dict, pred: dict, scores: dict[str, Score], speaker: Score) -> None:
    doc = gold.get("id", "?")
    _set_score(scores["athletes"], {fold(a): a for a in gold["athletes"]},
               {fold(a["name"]): a["name"] for a in pred["athletes"]}, doc, "athlete")
    _set_score(scores["events"], {e: e for e in gold["events"]}, {e["event"]: e["event"] for e in pred["events"]},
               doc, "event")
    _set_score(scores["marks"], {_mark_key(m["value"], m["unit"]): m["text"] for m in gold["marks"]},
               {_mark_key(m["value"], m["unit"]): m["text"] for m in pred["marks"]}, doc, "mark")
    gold_marks = {m["text"]: m for m in gold["marks"]}
    _set_score(scores["performances"],
               {(fold(p["athlete"]), p["event"], _mark_key(gold_marks[p["mark"]]["value"],
                                                          gold_marks[p["mark"]]["unit"])):
                f"{p['athlete']} | {p['event']} | {p['mark']}"
                for p in gold["performances"] if p["mark"] in gold_marks},
               {(fold(p["athlete"]), p["event"], _mark_key(p["value"], p["unit"])):
                f"{p['athlete']} | {p['event']} | {p['mark']}" for p in pred["performances"]},
               doc, "performance")
    _score_quotes(gold, pred, scores["quotes"], speaker)


def _score_quotes(gold: dict, pred: dict, score: Score, speaker: Score) -> None:
    doc = gold.get("id", "?")
    predicted = [(_quote_fold(q["text"]), q["speaker"]) for q in pred["quotes"]]
    used: set[int] = set()
    for g in gold["quotes"]:
        start = _quote_fold(g["start"])
        match = next((i for i, (t, _) in enumerate(predicted) if i not in used and t.startswith(start)), None)
        if match is None:
            score.fn += 1
            score.errors.append(f"{doc}\tmissed quote\t{g['start'][:50]}")
            continue
        used.add(match)
        score.tp += 1
        got = predicted[match][1]
        if (fold(got) if got else None) == (fold(g["speaker"]) if g["speaker"] else None):
            speaker.tp += 1
        else:
            speaker.fn += 1
            speaker.errors.append(f"{doc}\twrong speaker\t{got} for {g['speaker']}: {g['start'][:40]}")
    for i, (t, _) in enumerate(predicted):
        if i not in used:
            score.fp += 1
            score.errors.append(f"{doc}\textra quote\t{t[:50]}")


def evaluate(gold_rows: list[dict], predictions: list[dict]) -> tuple[dict[str, Score], Score]:
    """Scores per field, and speaker accuracy (tp = right speakers among found gold quotes)."""
    scores = {f: Score() for f in FIELDS}
    speaker = Score()
    for gold, pred in zip(gold_rows, predictions, strict=True):
        score_article(gold, pred, scores, speaker)
    return scores, speaker
