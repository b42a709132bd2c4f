"""Mark parsing and finding, on sentences written for these tests."""

import pytest

from trackwire.nlp.marks import find_marks, parse_mark

PARSE = [
    ("9.58", 9.58, "s"), ("9.58s", 9.58, "s"), ("43.03sec", 43.03, "s"), ("3:29.05", 209.05, "s"),
    ("12:35.36", 755.36, "s"), ("2:01:09", 7269.0, "s"), ("2hr 15min 25sec", 8125.0, "s"),
    ("8.95m", 8.95, "m"), ("2.45 metres", 2.45, "m"), ("8,126 points", 8126.0, "pts"), ("7032pts", 7032.0, "pts"),
    ("1:44.7h", 104.7, "s"),
]


@pytest.mark.parametrize("text,value,unit", PARSE, ids=[p[0] for p in PARSE])
def test_parse_mark(text, value, unit):
    assert parse_mark(text) == (pytest.approx(value), unit)


FOUND = [
    ("She won in 14 minutes 32.93 seconds at the meeting.", [(872.93, "s")]),
    ("Her time of one minute 58.2 seconds was a record.", [(118.2, "s")]),
    ("He finished in two hours, 8 minutes and 30 seconds in Berlin.", [(7710.0, "s")]),
    ("Kerr clocked 3:29.05 (PB) to win.", [(209.05, "s")]),
    ("She leapt 7.10m to lead the field.", [(7.10, "m")]),
    ("Thiam scored 6,880 points over two days.", [(6880.0, "pts")]),
    ("He was fifth in 10.12 in the final.", [(10.12, "s")]),
    ("He was 0.03 seconds behind the winner.", []),
    ("Hall won by 0.04sec from the Briton.", []),
    ("The race starts at 7.30pm local time.", []),
    ("The meeting offered $1.5m in prize money.", []),
    ("She is 23 and runs the 10km on Sunday.", []),
    ("The marathon is 26.2 miles long.", []),
    ("The club had 44.9 members on average.", []),
]


@pytest.mark.parametrize("sentence,expected", FOUND, ids=[f[0][:30] for f in FOUND])
def test_find_marks(sentence, expected):
    assert [(pytest.approx(m.value), m.unit) for m in find_marks(sentence)] == expected


def test_flags_and_wind_travel_with_the_mark():
    mark, = find_marks("Lyles ran 9.79 (+0.6) WR in the final.")
    assert (mark.wind, mark.flags) == ("+0.6", ["WR"])


IN_CONTEXT = [
    ("bare-figure-in-a-shot-put-report", "She threw a best of 19.40 to win the shot put.", ["shot put"],
     [(19.40, "m")]),
    ("cleared-a-bare-height", "He cleared 5.85 at the first attempt in the pole vault.", ["pole vault"],
     [(5.85, "m")]),
    ("h-mm-in-a-marathon-is-hours", "She wants to run under 2:19 in the marathon.", ["marathon"], [(8340.0, "s")]),
    ("h-mm-in-a-walk-is-hours", "a finishing time under 1:19 in the 20km race walk", ["20km race walk"],
     [(4740.0, "s")]),
    ("m-ss-on-the-track", "He ran 3:31 in the 1500m.", ["1500m"], [(211.0, "s")]),
    ("minutes-only", "He won the half marathon in 61 minutes.", ["half marathon"], [(3660.0, "s")]),
    ("figure-in-brackets-after-a-name", "Tomasz Nowak (20.31) was second in the 200m.", ["200m"], [(20.31, "s")]),
    ("hyphenated-bar", "She attempted the six-metre bar in the pole vault.", ["pole vault"], [(6.0, "m")]),
    ("hyphenated-barrier", "He broke the 10-second barrier in the 100m.", ["100m"], [(10.0, "s")]),
    ("sub-n-threshold", "Three men went sub-10 in the 100m final.", ["100m"], [(10.0, "s")]),
    ("points-without-the-word", "He won the decathlon with 8512, a personal best.", ["decathlon"], [(8512.0, "pts")]),
    ("imperial-beside-metric", "He cleared 19-2 1/4 (5.85) in the pole vault.", ["pole vault"], [(5.85, "m")]),
    ("splits-series", "lap splits of 64.2-64.1-63.8 in the 1500m", ["1500m"], [(64.2, "s"), (64.1, "s"), (63.8, "s")]),
    ("integer-seconds", "He ran exactly 10 seconds in the 100m heat.", ["100m"], [(10.0, "s")]),
    ("series-continues-after-then", "She ran 12.41 in her heat and then 12.36 in the final of the 100m hurdles.",
     ["100m hurdles"], [(12.41, "s"), (12.36, "s")]),
    ("margin-shy", "She finished 0.04 seconds shy of the record in the 100m.", ["100m"], []),
    ("margin-under-a-second-is-no-mark", "Just 0.1 second split the first five in the 100m.", ["100m"], []),
    ("vague-range", "He has run in the low 3:50s this winter in the mile.", ["mile"], []),
    ("clock-time-of-day", "The 5000m starts at 9:30 local time.", ["5000m"], []),
    ("time-ahead-of-a-rival-is-a-time", "She won in 4:20.15 ahead of Mel Rowe in the mile.", ["mile"],
     [(260.15, "s")]),
    ("another-sports-time-in-a-round-up", "In the pool, Adam Peaty won the breaststroke in 58.86.", [], []),
    ("tenths-after-under", "He has never run under 10.6 in the 100m.", ["100m"], [(10.6, "s")]),
    ("tenths-split-of-a-longer-race", "She went through 400m in 56.9 in the 1500m.", ["1500m"], [(56.9, "s")]),
    ("tenths-as-a-count-is-no-mark", "Crowds rose 10.5 per cent at the 100m.", ["100m"], []),
    ("tenths-without-a-cue-is-no-mark", "He was 10.6 years old when he first ran the 100m.", ["100m"], []),
    ("bare-figure-set-by-a-name", "The record of 47.12 was set by Ola Berg in the 400m hurdles.", ["400m hurdles"],
     [(47.12, "s")]),
    ("names-and-figures-in-a-list", "Splits: Adeyemi 45.62, Caldwell 44.71 in the 4x400m relay.", ["4x400m relay"],
     [(45.62, "s"), (44.71, "s")]),
    ("nearest-fitting-event-over-a-throw", "After her throw she ran 47.92 in the 400m.", ["400m"], [(47.92, "s")]),
    ("day-one-score-of-a-heptathlon", "She led the heptathlon on 3,912 after four events.", ["heptathlon"],
     [(3912.0, "pts")]),
    ("a-comma-list-of-heights", "She cleared 1.80, 1.84 and 1.87 in the high jump.", ["high jump"],
     [(1.8, "m"), (1.84, "m"), (1.87, "m")]),
]


@pytest.mark.parametrize("sentence,events,expected", [c[1:] for c in IN_CONTEXT], ids=[c[0] for c in IN_CONTEXT])
def test_find_marks_reads_the_unit_of_the_events_around(sentence, events, expected):
    spans = [(sentence.index(e), e) for e in events]
    assert [(pytest.approx(m.value), m.unit) for m in find_marks(sentence, spans)] == expected


def test_wind_in_the_next_sentence_travels_with_the_mark():
    mark, = find_marks("She won the 100m in 10.84. The wind was +1.1.", [(12, "100m")])
    assert mark.wind == "+1.1"


def test_w_marks_a_wind_assisted_mark():
    mark, = find_marks("He jumped 8.41w in the long jump.", [(18, "long jump")])
    assert (mark.value, mark.wind) == (8.41, "w")


@pytest.mark.parametrize("sentence, flags", [
    ("Tia Moss ran a season's best 3:59.50 in the 1500m.", [["SB"]]),
    ("Tia Moss set a personal best of 4:01.20.", [["PB"]]),
    ("Tia Moss won in 52.40, a PB.", [["PB"]]),
    ("Tia Moss threw 61.20m (+0.8), a season best.", [["SB"]]),
    ("Tia Moss ran a world-leading 52.05 ahead of Ana Ruiz (53.30).", [["WL"], []]),
    ("Tia Moss ran 4:01.20 and then set a personal best of 3:59.90.", [[], ["PB"]]),
])
def test_flags_written_in_words_travel_with_the_mark(sentence, flags):
    assert [m.flags for m in find_marks(sentence)] == flags
