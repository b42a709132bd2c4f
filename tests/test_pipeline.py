"""The real model plus the athletics components, on a story written for this test."""

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, shared
from trackwire.nlp.pipeline import TAGGER_VERSION, tag_texts

STORY = (FIXTURES / "ingest" / "glasgow-3000m.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tags(nlp):
    return next(tag_texts(nlp, [STORY]))


def test_athletes_and_coach(tags):
    assert [a["name"] for a in tags["athletes"]] == ["Josh Kerr", "Mohamed Katir"]
    assert tags["athletes"][0]["country"] == "GBR"
    assert [(p["name"], p["role"]) for p in tags["people"]] == [("Danny Mackey", "coach")]


def test_every_surname_mention_is_linked(tags):
    kerr = tags["athletes"][0]
    assert [STORY[s:e] for s, e in kerr["mentions"]] == ["Kerr", "Josh Kerr", "Kerr", "Kerr", "Kerr"]


def test_events_marks_performances(tags):
    assert {e["event"] for e in tags["events"]} == {"3000m", "1500m"}
    assert [(m["text"], m["value"]) for m in tags["marks"]] == [("7:33.62", 453.62), ("7:35.10", 455.1)]
    assert tags["performances"] == [
        {"athlete": "Josh Kerr", "event": "3000m", "mark": "7:33.62", "value": 453.62, "unit": "s"},
        {"athlete": "Mohamed Katir", "event": "3000m", "mark": "7:35.10", "value": 455.1, "unit": "s"}]


def test_quotes_and_speakers(tags):
    assert [(q["text"][:20], q["speaker"]) for q in tags["quotes"]] == [
        ("I wanted to test my ", "Josh Kerr"), ("There is still plent", "Josh Kerr")]


def test_tags_survive_two_processes(nlp):
    one = list(tag_texts(nlp, [STORY] * 4, batch_size=2))
    two = list(tag_texts(nlp, [STORY] * 4, batch_size=2, n_process=2))
    assert one == two


def test_version_is_recorded():
    assert TAGGER_VERSION


FLOORS = {"athletes": 0.95, "events": 0.95, "marks": 0.95, "quotes": 0.95, "performances": 0.85}
SPEAKER_FLOOR = 0.92


@pytest.mark.parametrize("gold", ["dev.jsonl", "modern-dev.jsonl"])
def test_gold_meets_the_floors(nlp, gold):
    """The floors of issue 12 on each visible gold file, scored as the tagging guide scores."""
    from trackwire.nlp.evaluate import evaluate

    rows = [json.loads(line) for line in shared("gold", gold).read_text(encoding="utf-8").splitlines()]
    scores, speaker = evaluate(rows, list(tag_texts(nlp, [r["text"] for r in rows])))
    below = {f: round(scores[f].f1, 3) for f, floor in FLOORS.items() if scores[f].f1 < floor}
    assert not below, f"F1 below the floor: {below}"
    assert speaker.recall >= SPEAKER_FLOOR, f"speaker accuracy {speaker.recall:.3f} < {SPEAKER_FLOOR}"


HELDOUT = Path(__file__).parent.parent / "heldout"


@pytest.mark.parametrize("gold", ["heldout.jsonl", "heldout-context.jsonl", "heldout2.jsonl"])
def test_our_own_articles_meet_the_floors(nlp, gold):
    """Two sets of thirty articles written for this project and annotated blind (heldout/README.md,
    heldout/README2.md), scored like the visible gold; on the first, performances only on the file
    that takes a mark's event from the story's reported race."""
    from trackwire.nlp.evaluate import evaluate

    rows = [json.loads(line) for line in (HELDOUT / gold).read_text(encoding="utf-8").splitlines()]
    scores, speaker = evaluate(rows, list(tag_texts(nlp, [r["text"] for r in rows])))
    fields = FLOORS if gold != "heldout.jsonl" else {k: v for k, v in FLOORS.items() if k != "performances"}
    below = {f: round(scores[f].f1, 3) for f, floor in fields.items() if scores[f].f1 < floor}
    assert not below, f"F1 below the floor: {below}"
    assert speaker.recall >= SPEAKER_FLOOR, f"speaker accuracy {speaker.recall:.3f} < {SPEAKER_FLOOR}"
