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
]


@pytest.mark.parametrize("sentence,expected", FOUND, ids=[f[0][:30] for f in FOUND])
def test_find_marks(sentence, expected):
    assert [(pytest.approx(m.value), m.unit) for m in find_marks(sentence)] == expected


def test_flags_and_wind_travel_with_the_mark():
    mark, = find_marks("Lyles ran 9.79 (+0.6) WR in the final.")
    assert (mark.wind, mark.flags) == ("+0.6", ["WR"])
