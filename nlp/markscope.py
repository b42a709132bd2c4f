"""Which events surround a figure, to read it in the right unit. Pure functions over text.

The guide's settled questions: h:mm is hours and minutes in a marathon, a walk of 20km or more or
an ultra, m:ss elsewhere; combined-event points may stand without "points"; a height or a throw
may stand without "m". The nearest scope that names an event decides: the sentence, then the
paragraph, then the section heading above it, then the story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trackwire.nlp.codes import fits, is_long, ranges, unit_of
from trackwire.nlp.layout import paragraph_bounds, previous_heading, sentence_bounds

_FIELD_WORDS = re.compile(r"\b(?:cleared?|clearance|clearing|vault(?:ed|ing)?|jump(?:ed|ing)?|leap(?:t|ed)?|"
                          r"thr[eo]w[sn]?|throwing|heave[ds]?|hurl(?:ed)?|put|bar|height|distance)\b", re.I)
_PARA = re.compile(r"\b(?:[TF]\d{2}\b|Paralympics?|para[- ]athlet|wheelchair|classification)", re.I)
_POINTS = re.compile(r"(?<![\d.,£$€#])\b(\d,\d{3}|\d{4})\b(?!\d|[.,]\d|%)")
_POINTS_AFTER = re.compile(r"^\s*(?:[,.;:)]|$|(?:in|at|to|and|for|with|on|while|as|after|before|from|was|"
                           r"were|is|set|points|pts|mark|total|score|tally)\b)", re.I)
_POINTS_BEFORE = re.compile(r"\b(?:on|with|of|is|was|total|score|scored|tally|best|record|to|from|reach|reached)\s+$",
                            re.I)
COMBINED = ("decathlon", "heptathlon", "pentathlon")


class Scope:
    """The events of one story by position, asked about one figure at a time."""

    def __init__(self, text: str, events: Sequence[tuple[int, str]]):
        self.text = text
        self.events = sorted(events)
        self.para = bool(_PARA.search(text))

    def codes(self, pos: int) -> list[list[str]]:
        """Event codes by widening scope around `pos`: sentence, paragraph, heading, story."""
        scopes = [sentence_bounds(self.text, pos), paragraph_bounds(self.text, pos)]
        heading = previous_heading(self.text, pos)
        if heading:
            scopes.append(heading)
        found = [[c for p, c in self.events if lo <= p < hi] for lo, hi in scopes]
        return found + [[c for _, c in self.events]]

    def _first_fit(self, pos: int, value: float, unit: str) -> str | None:
        for codes in self.codes(pos):
            fitting = [c for c in codes if fits(c, value, unit, self.para)]
            if fitting:
                return fitting[0]
        return None

    def clock(self, pos: int, written: str) -> float:
        """Seconds of a clock figure: "2:12" is 7,920 s where a long event fits it, else 132 s."""
        parts = written.split(":")
        minutes = int(parts[0]) * 60 + float(parts[1])
        if len(parts) != 2 or "." in written:
            return _clock(written)
        hours = minutes * 60
        for codes in self.codes(pos):
            long_fit = [c for c in codes if is_long(c) and fits(c, hours, "s", self.para)]
            short_fit = [c for c in codes if fits(c, minutes, "s", self.para)]
            if long_fit and not short_fit:
                return hours
            if short_fit:
                return minutes
        return minutes

    def threshold(self, pos: int, written: str) -> tuple[float, str] | None:
        """"sub-10" in a sprint is 10 s, "sub-4" in a mile 4 min, "sub-2" in a marathon 2 h."""
        number = _clock(written) if ":" in written else float(written)
        for scale in (1, 60, 3600):
            if self._first_fit(pos, number * scale * 1.001, "s") or self._first_fit(pos, number * scale * 0.999, "s"):
                return number * scale, "s"
        return None

    def fits_time(self, pos: int, value: float) -> bool:
        """A time of this value fits an event around `pos` (a split or a threshold of that race)."""
        return self._first_fit(pos, value, "s") is not None or any(
            fits(c, value * k, "s", self.para) for k in (4, 8) for codes in self.codes(pos)[:2] for c in codes)

    def field_fits(self, pos: int, value: float) -> bool:
        return self._first_fit(pos, value, "m") is not None

    def bare_unit(self, pos: int, value: float, before: str) -> str:
        """"s" or "m" for a figure written without a unit."""
        lo, hi = sentence_bounds(self.text, pos)
        near = sorted((abs(p - pos), c) for p, c in self.events if lo <= p < hi and fits(c, value, unit_of(c) or "",
                                                                                        self.para))
        if near:
            return unit_of(near[0][1]) or "s"  # "47.92 in the 400m" after a throw in the same sentence
        if _FIELD_WORDS.search(self.text[lo:pos][-60:]) and (self.field_fits(pos, value) or not self.events):
            return "m"
        for codes in self.codes(pos):
            units = {unit_of(c) for c in codes if fits(c, value, unit_of(c) or "", self.para)}
            if units == {"m"}:
                return "m"
            if "s" in units:
                return "s"
        return "s"

    def other_sport(self, pos: int) -> bool:
        """The sentence at `pos` is about another sport and names no athletics event."""
        from trackwire.nlp.marks import OTHER_SPORT

        lo, hi = sentence_bounds(self.text, pos)
        return bool(OTHER_SPORT.search(self.text[lo:hi])) and not any(lo <= p < hi for p, _ in self.events)

    def bare_points(self, found: Sequence) -> list:
        """Combined-event scores written without "points" ("won with 8796", "on 8,756") in a story
        that names a combined event whose range holds them."""
        from trackwire.nlp.marks import FoundMark

        combined = [c for _, c in self.events if c in COMBINED]
        if not combined:
            return []
        taken = [(k.start, k.end) for k in found]
        out = []
        for m in _POINTS.finditer(self.text):
            value = float(m.group(1).replace(",", ""))
            if any(s <= m.start() < e for s, e in taken) or not _POINTS_AFTER.match(self.text[m.end():m.end() + 12]):
                continue
            partial = 3000 <= value and _POINTS_BEFORE.search(self.text[max(0, m.start() - 12):m.start()])
            if any(ranges()[c].holds(value, "pts") for c in combined) or partial:  # a day-one score, 4,455
                out.append(FoundMark(m.start(), m.end(), m.group(1), value, "pts"))
        return out


def _clock(written: str) -> float:
    value = 0.0
    for part in written.split(":"):
        value = value * 60 + float(part)
    return round(value, 3)
