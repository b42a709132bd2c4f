"""Performance marks in prose: find them, parse them to seconds/metres/points.

Pure functions over text. `parse_mark` reads one mark as written in a result
list or an article ("3:29.05", "2hr 15min 25sec", "8.95m", "8,126 points");
`find_marks` finds marks in running text and leaves out what the guide says
is not a mark (margins, clock times, money, distances that name a race).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split())
} | {"thirty": 30, "forty": 40, "fifty": 50}

_NUMW = r"(?:\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_SEC = r"(?:seconds?|secs?\.?|sec\.?|s)"
_MIN = r"(?:minutes?|mins?\.?|min\.?|m(?=\s*\d))"
_HR = r"(?:hours?|hrs?\.?|hr|h)"
_JOIN = r",?\s*(?:and\s+)?"

MARK_RE = re.compile(
    rf"""
    (?P<verbose>
        (?:(?P<h>{_NUMW})\s*{_HR}\b{_JOIN})
        (?:(?P<hm>{_NUMW})\s*(?:minutes?|mins?\.?|min\.?)\b)
        (?:{_JOIN}(?P<hs>\d{{1,2}}(?:\.\d{{1,3}})?|{_NUMW})\s*{_SEC}\b)?
      | (?P<m>{_NUMW})\s*{_MIN}\b{_JOIN}(?P<ms>\d{{1,2}}(?:\.\d{{1,3}})?)\s*{_SEC}(?![a-z])
    )
    | (?P<clock>\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\.\d{{1,3}})?)(?![\d:])(?!\s*(?:[ap]\.?m\b|GMT|BST|CET|local))
    | (?P<secs>\b\d{{1,3}}\.\d{{1,3}})\s*{_SEC}(?![a-z])
    | (?P<intsecs>(?<=under\s)\d{{1,3}}|(?<=sub-)\d{{1,3}})\s*{_SEC}(?![a-z])
    | (?P<metres>(?<![£$€\d.])\b\d{{1,3}}\.\d{{1,2}})\s*(?:m|metres|meters|metre|meter)(?![a-z/])
    | (?P<points>\b\d{{1,2}},?\d{{3}})\s*(?:points|pts)\b
    | (?P<bare>(?<![\d.,:£$€])\d{{1,2}}\.\d{{2}})(?!\d|[.,]\d|%)(?!\s*(?:[ap]\.?m\b|million|bn|per\s?cent|%|m\b|km|kg|miles?))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A bare figure ("in 7.35", "a time of 21.00") is a mark only after words like these.
_BARE_CONTEXT = re.compile(
    r"(?:\bin|\bof|clocked|clocking|ran|run|runs|timed|time|record|best|mark|recorded|posted|"
    r"leap|jump|jumped|threw|throw|cleared|to|with|:)\s*(?:a\s+|an\s+)?$",
    re.IGNORECASE,
)
_MARGIN_AFTER = re.compile(
    r"^\s*(?:behind|ahead|clear|adrift|outside|off|short|slower|faster|quicker|down|up on|better|worse|"
    r"in front|to spare|margin|too slow|of the)\b", re.IGNORECASE)
_MARGIN_BEFORE = re.compile(
    r"\b(?:by|than)\s+(?:only\s+|just\s+|almost\s+|nearly\s+|about\s+|some\s+|a\s+mere\s+|over\s+|more\s+than\s+)?$",
    re.IGNORECASE)
_FLAG_RE = re.compile(
    r"^\s*(?:\(\s*)?(?P<flags>(?:\b(?:PB|SB|WR|AR|ER|NR|CR|WL|MR|OR|WJR|WU20R|NJR|WBP|=?WR)\b[\s,/]*)+)\)?")
_WIND_RE = re.compile(r"^\s*\(?\s*(?P<wind>[+-]\d\.\d)\s*(?:m/s)?\s*\)?|^(?P<w>w)\b")


@dataclass(slots=True)
class FoundMark:
    start: int
    end: int
    text: str
    value: float
    unit: str
    flags: list[str] = field(default_factory=list)
    wind: str | None = None

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "value": self.value,
                "unit": self.unit, "flags": self.flags, "wind": self.wind}


def _num(word: str | None) -> float:
    if word is None:
        return 0.0
    word = word.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def clock_seconds(text: str) -> float:
    """"2:01:09" -> 7269.0, "3:29.05" -> 209.05, "9.58" -> 9.58."""
    value = 0.0
    for part in text.split(":"):
        value = value * 60 + float(part)
    return round(value, 3)


def _value(m: re.Match) -> tuple[float, str]:
    g = m.groupdict()
    if g["verbose"]:
        if g["h"] is not None:
            return round(_num(g["h"]) * 3600 + _num(g["hm"]) * 60 + _num(g["hs"]), 3), "s"
        return round(_num(g["m"]) * 60 + float(g["ms"]), 3), "s"
    if g["clock"]:
        return clock_seconds(g["clock"]), "s"
    if g["secs"]:
        return float(g["secs"]), "s"
    if g["intsecs"]:
        return float(g["intsecs"]), "s"
    if g["metres"]:
        return float(g["metres"]), "m"
    if g["points"]:
        return float(g["points"].replace(",", "")), "pts"
    return float(g["bare"]), "s"


def parse_mark(text: str, unit: str | None = None) -> tuple[float, str] | None:
    """Value and unit of one mark written on its own ("3:29.05", "8.95m", "8,126 points"), or None.

    `unit` says how to read a bare number from a results table: "m" for
    "2.45" in a high jump list, "pts" for "9126" in a decathlon list; without
    it a bare number is a time. A trailing "h" (hand timing) or "A"
    (altitude) is allowed.
    """
    text = text.strip().rstrip("*").strip()
    bare = re.fullmatch(r"(\d{1,5}(?:[.,]\d{1,3})?)\s*[A]?", text)
    if bare and unit in ("m", "pts"):
        number = bare.group(1).replace(",", "" if unit == "pts" else ".")
        return float(number), unit
    plain = re.fullmatch(r"(\d{1,2}(?::\d{2}){0,2}(?:\.\d{1,3})?)\s*[hHA]?", text)
    if plain and (":" in text or "." in text or unit == "s"):
        return clock_seconds(plain.group(1)), "s"
    m = MARK_RE.fullmatch(text)
    if m is None:
        return None
    return _value(m)


def _is_excluded(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 40):m.start()]
    after = text[m.end():m.end() + 25]
    if _MARGIN_AFTER.match(after) or _MARGIN_BEFORE.search(before):
        return True
    if m.group("bare") and not (_BARE_CONTEXT.search(before) or _FLAG_RE.match(after) or _WIND_RE.match(after)):
        return True
    if m.group("clock") and ":" in m.group("clock") and "." not in m.group("clock"):
        return bool(re.search(r"\b(?:at|from|until|by|before|after)\s+$", before, re.IGNORECASE))
    return False


def find_marks(text: str) -> list[FoundMark]:
    """Every mark in `text` with its flags and wind, in order of appearance."""
    found = []
    for m in MARK_RE.finditer(text):
        if _is_excluded(text, m):
            continue
        value, unit = _value(m)
        mark = FoundMark(m.start(), m.end(), m.group(0), value, unit)
        rest = text[m.end():m.end() + 30]
        wind = _WIND_RE.match(rest)
        if wind and unit in ("s", "m"):
            mark.wind = wind.group("wind") or "w"
            rest = rest[wind.end():]
        flags = _FLAG_RE.match(rest)
        if flags:
            mark.flags = re.findall(r"=?[A-Z0-9]+", flags.group("flags"))
        found.append(mark)
    return found
