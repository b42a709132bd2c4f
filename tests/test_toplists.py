"""Every mark in the real World Athletics all-time lists parses, to values that respect the ranking."""

import csv
from collections import Counter

import pytest

from conftest import shared
from trackwire.nlp.marks import parse_mark

FIELD = ("jump", "vault", "put", "throw", "discus", "hammer", "javelin")
POINTS = ("athlon",)


def hand_timed(mark: str) -> bool:
    """A hand time ("8:14.0h"), or one decimal, which the source's float export may have left of one."""
    return mark.endswith("h") or (len(mark.split(".")[-1]) == 1 and "." in mark)


def unit_of(filename: str) -> str:
    if any(w in filename for w in POINTS):
        return "pts"
    return "m" if any(w in filename for w in FIELD) else "s"


def toplists():
    folder = shared("results", "world_athletics_toplists")
    return sorted(folder.glob("*/*.csv"))


def test_every_toplist_mark_parses_in_rank_order():
    files = toplists()
    total, failures, disorder = 0, Counter(), []
    for path in files:
        unit = unit_of(path.name)
        previous, previous_coarse = None, False
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                total += 1
                parsed = parse_mark(row["Mark"], unit)
                if parsed is None or parsed[1] != unit:
                    failures[f"{path.parent.name}/{path.name}: {row['Mark']!r}"] += 1
                    continue
                value = parsed[0]
                coarse = unit == "s" and hand_timed(row["Mark"])
                # hand times rank at 0.1 s on the track, at the whole second in long races (> 1000 s)
                slack = (1.0 if value > 1000 else 0.1) if coarse or previous_coarse else 1e-9
                worse = previous is not None and (value < previous - slack if unit == "s" else value > previous + slack)
                if worse:
                    disorder.append(f"{path.name} rank {row['Rank']}: {row['Mark']} after {previous}")
                previous, previous_coarse = value, coarse
    assert total > 400_000, f"only {total} marks read from {len(files)} files"
    assert not failures, f"{sum(failures.values())} of {total} marks did not parse: {failures.most_common(10)}"
    assert not disorder, f"{len(disorder)} marks out of rank order: {disorder[:10]}"


@pytest.mark.parametrize("mark,unit,value", [
    ("9.58", "s", 9.58), ("2:01:09", "s", 7269.0), ("1:20:11.72", "s", 4811.72), ("8:14.0h", "s", 494.0),
    ("2.45", "m", 2.45), ("9126", "pts", 9126.0)], ids=["100m-wr", "marathon", "walk", "hand-timed", "hj", "dec"])
def test_toplist_formats(mark, unit, value):
    assert parse_mark(mark, unit) == (pytest.approx(value), unit)
