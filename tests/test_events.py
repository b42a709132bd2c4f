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
    ("two-mile-hyphenated-no-code", "a fast two-mile race indoors", []),
    ("sprint-hurdles-needs-sex", "sprint hurdles are hard", []),
    ("double-gives-both", "she completed the 200m-400m double in Tokyo", [("200m", None, None), ("400m", None, None)]),
    ("bare-number-before-world-champion", "the 5000 world champion ran well", [("5000m", None, None)]),
    ("metric-distance-not-in-the-table", "a world record in the 2000m", [("2000m", None, None)]),
    ("us-spelling-meters", "she runs the 1,500 meters", [("1500m", None, None)]),
    ("full-stop-after-unit", "He won the 400m. Then he rested.", [("400m", None, None)]),
    ("hurdler-names-hurdles", "the 400m hurdler from Oslo", [("400m hurdles", None, None)]),
    ("300m-hurdles", "the men's 300 metres hurdles in Oslo", [("300m hurdles", "men", None)]),
    ("segment-through", "she went through 800m in 2:11", []),
    ("segment-at-without-the", "he took over at 200 metres", []),
    ("holder-at-is-the-event", "the world record holder at 5,000m", [("5000m", None, None)]),
    ("km-in-a-walking-story", "She won the 35km in the walk on Sunday.", [("35km race walk", None, None)]),
    ("km-on-the-road", "the 5km road race in the park", [("5km road", None, None)]),
    ("metres-on-the-road", "his best over 10,000m on the road", [("10km road", None, None)]),
    ("para-class-is-not-part-of-the-code", "the men's 100m T35 final", [("100m", "men", None)]),    ("shot-as-a-results-label", "Shot: 1 Marcus Pryce (Doncaster) 15.62", [("shot put", None, None)]),
    ("shot-elsewhere-is-no-event", "He took a shot at the title.", []),
    ("jumped-as-a-verb", "she long jumped 6.78m and triple-jumped 14.10m",
     [("long jump", None, None), ("triple jump", None, None)]),
    ("us-high-school-races", "She ran the 1600 and then the 3200 at state.", [("1600m", None, None),
                                                                            ("3200m", None, None)]),
    ("a-flat-400", "He ran a flat 400 in the league meeting.", [("400m", None, None)]),
    ("training-repeats", "She ran 300m repeats on the track all winter.", []),
    ("cross-country-course-length", "In the cross country race he ran 37:10 for the 12km.",
     [("cross country", None, None)]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_events(blank, text, expected):
    assert events(blank, text) == expected
