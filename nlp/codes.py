"""The event codes of the tagging guide, without loading spaCy: for validating user input.

Source: ../shared/tagging-guide.md, EVENT table and "Settled questions" (metric distances
not in the table follow its pattern: "2000m"; other road distances are "<N>km road").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Codes that follow the table's pattern without being listed in it.
PATTERNED = re.compile(r"^(?:\d{2,5}m(?: hurdles| steeplechase)?|\d{1,3}km road|\d{1,3}km race walk|"
                       r"4x\d{3}m relay)$")


@lru_cache(maxsize=1)
def event_codes() -> frozenset[str]:
    """Every code the event patterns (nlp/patterns/events.jsonl) can give."""
    text = resources.files("trackwire.nlp").joinpath("patterns", "events.jsonl").read_text(encoding="utf-8")
    codes = set()
    for line in text.splitlines():
        if line.strip():
            codes.update(_codes_of(json.loads(line)["id"]))
    codes.discard("sprint hurdles")  # resolved to 100m or 110m hurdles by the story's sex
    return frozenset(codes)


def _codes_of(pattern_id: str) -> list[str]:
    """The codes a pattern id can give (nlp/events.py resolves "km:" and "road:" by context)."""
    kind, _, value = pattern_id.partition(":")
    if kind == "shot":
        return ["shot put"]
    if kind == "bare":
        return [value]
    if kind == "km":
        return [f"{value}km road"] + ([f"{value}km race walk"] if int(value) in (10, 20, 35, 50) else [])
    if kind == "road":
        metres = int(value)
        return [f"{metres // 1000}km road" if metres % 1000 == 0 else f"{metres}m"]
    return [pattern_id]


def is_event_code(code: str) -> bool:
    """True for a code the tagger gives ("1500m", "shot put") or one of the guide's patterns ("2000m")."""
    return code in event_codes() or bool(PATTERNED.match(code))


class PatternError(ValueError):
    """A rule file line that cannot be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Range:
    """Plausible marks of one event: unit ("s", "m", "pts"), lowest and highest, and the wider
    bounds of para classes."""

    unit: str
    low: float
    high: float
    para_low: float
    para_high: float

    def holds(self, value: float, unit: str, para: bool = False) -> bool:
        low, high = (self.para_low, self.para_high) if para else (self.low, self.high)
        return unit == self.unit and low <= value <= high


LONG = {"marathon", "half marathon", "20km race walk", "35km race walk", "50km race walk"}


@lru_cache(maxsize=1)
def ranges() -> dict[str, Range]:
    """nlp/data/event_ranges.tsv, checked line by line."""
    text = resources.files("trackwire.nlp").joinpath("data", "event_ranges.tsv").read_text(encoding="utf-8")
    rows = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            event, unit, *bounds = line.split("\t")
            rows[event] = Range(unit, *map(float, bounds))
        except (ValueError, TypeError):
            raise PatternError(f"nlp/data/event_ranges.tsv line {number}: want event, unit, lowest, highest, "
                               "para lowest, para highest (tab-separated)") from None
    return rows


def fits(code: str, value: float, unit: str, para: bool = False) -> bool:
    """True when `value` in `unit` is a plausible mark for event `code`."""
    found = ranges().get(code)
    return found is not None and found.holds(value, unit, para)


def unit_of(code: str) -> str | None:
    found = ranges().get(code)
    return found.unit if found else None


def is_long(code: str) -> bool:
    """Road races and walks whose times run to hours ("2:12" reads as hours there)."""
    return code in LONG or code.endswith("km road") and code[:-7].isdigit() and int(code[:-7]) >= 15


FAMILIES = {
    "sprints": ("60m", "100m", "150m", "200m", "300m", "400m", "60m hurdles", "100m hurdles", "110m hurdles",
                "300m hurdles", "400m hurdles", "4x100m relay", "4x400m relay"),
    "middle": ("600m", "800m", "1000m", "1500m", "1600m", "mile", "2000m", "3000m", "3200m", "2000m steeplechase",
               "3000m steeplechase", "5000m"),
    "long": ("3000m", "5000m", "10000m", "cross country", "half marathon", "marathon"),
    "jumps": ("high jump", "pole vault", "long jump", "triple jump"),
    "throws": ("shot put", "discus throw", "hammer throw", "javelin throw"),
    "combined": ("heptathlon", "decathlon", "pentathlon"),
    "walks": ("20km race walk", "35km race walk", "50km race walk"),
}


def family(code: str) -> set[str]:
    """The event families a code belongs to ("1500m" -> {"middle"}); road races are "long"."""
    found = {name for name, codes in FAMILIES.items() if code in codes}
    if code.endswith("km road"):
        found.add("long")
    return found


def compatible(code: str, events: tuple[str, ...] | list[str]) -> bool:
    """True when an athlete known for `events` plausibly competes in `code` (same family; a decathlete
    or heptathlete in every sprint, hurdle, jump and throw too), or when nothing is known of them."""
    if not events:
        return True
    mine = family(code)
    theirs = set().union(*(family(e) for e in events))
    if "combined" in theirs:
        theirs |= {"sprints", "jumps", "throws", "middle"}
    return not mine or bool(mine & theirs)
