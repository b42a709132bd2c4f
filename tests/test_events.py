"""Event rules on spacy.blank("en"): no statistical model involved."""

import pytest
import spacy

from trackwire.nlp.components import data, load_jsonl


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("athletics_events", config={"patterns": load_jsonl("events.jsonl")})
    return nlp


def events(nlp, text):
    return [(e["event"], e["sex"], e["indoor"]) for e in data(nlp(text))["events"]]


CASES = [
    ("metres", "She won the 1500 metres easily.", [("1500m", None, None)]),
    ("comma-thousands", "He ran the 10,000m in Eugene.", [("10000m", None, None)]),
    ("hyphen", "the 100-metre dash", [("100m", None, None)]),
    ("hurdles", "the women's 100m hurdles final", [("100m hurdles", "women", None)]),
    ("sex-and-indoor", "the men's 3000m indoor world title", [("3000m", "men", True)]),
    ("steeple", "a fine steeplechase runner", [("3000m steeplechase", None, None)]),
    ("relay", "the 4x400m relay squad", [("4x400m relay", None, None)]),
    ("relay-spaced", "in the 4 x 100m relay", [("4x100m relay", None, None)]),
    ("athlete-noun", "the triple jumper from Leeds", [("triple jump", None, None)]),
    ("race-name", "won the London Marathon", [("marathon", None, None)]),
    ("half", "the Great North half-marathon", [("half marathon", None, None)]),
    ("road-10k", "a 10K road race in Dublin", [("10km road", None, None)]),
    ("walk", "the 20km race walk", [("20km race walk", None, None)]),
    ("cross-country", "the World Cross Country Championships", [("cross country", None, None)]),
    ("bare-in-running", "She ran the 1500 and raced again.", [("1500m", None, None)]),
    ("bare-plural", "how few 1500s I run each year", [("1500m", None, None)]),
    ("combined", "the decathlete scored well", [("decathlon", None, None)]),
    ("segment-final", "he kicked over the final 200m", []),
    ("segment-to-go", "with 500m to go she pulled clear", []),
    ("bare-without-running", "the 800 guests at the dinner", []),
    ("two-mile-no-code", "the two mile record", []),
    ("sprint-hurdles-needs-sex", "sprint hurdles are hard", []),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_events(blank, text, expected):
    assert events(blank, text) == expected
