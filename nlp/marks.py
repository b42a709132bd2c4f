"""Performance marks in prose: find them, parse them to seconds/metres/points.

Pure functions over text. `parse_mark` reads one mark as written in a result
list or an article ("3:29.05", "2hr 15min 25sec", "8.95m", "8,126 points");
`find_marks` finds marks in running text and leaves out what the guide says
is not a mark (margins, clock times, money, distances that name a race). A
figure without a unit ("in 7.35", "cleared 5.85", "8796" in a decathlon report)
is read in the unit of the events around it (`nlp.markscope`).

Source of the rules: ../shared/tagging-guide.md, MARK and "Settled questions".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from trackwire.nlp.markscope import Scope

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
_METRES = r"(?:m|metres|meters|metre|meter)"

MARK_RE = re.compile(
    rf"""
    (?P<verbose>
        (?:(?P<h>{_NUMW})\s*{_HR}\b{_JOIN})
        (?:(?P<hm>{_NUMW})\s*(?:minutes?|mins?\.?|min\.?)\b)
        (?:{_JOIN}(?P<hs>\d{{1,2}}(?:\.\d{{1,3}})?|{_NUMW})\s*{_SEC}\b)?
      | (?P<m>{_NUMW})\s*{_MIN}\b{_JOIN}(?P<ms>\d{{1,2}}(?:\.\d{{1,3}})?)\s*{_SEC}(?![a-z])
    )
    | (?P<series>(?<![\d.:-])\d{{2,3}}\.\d(?:[-/]\d{{2,3}}\.\d){{2,}}(?![\d.]))
    | (?P<clock>\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\.\d{{1,3}})?)(?![\d:])(?!s\b)
        (?!\s*(?:[ap]\.?m\b|GMT|BST|CET|CEST|local|o'clock))
    | (?P<hyphen>\b{_NUMW})-(?P<hunit>second|metre|meter|minute|hour)\s+(?:barrier|bar)\b
    | (?P<secs>\b\d{{1,3}}\.\d{{1,3}})\s*{_SEC}(?![a-z])
    | (?P<intsecs>(?<![\d.,-])\b\d{{1,3}})\s*(?:-\s*)?(?:seconds?|secs?\b|sec\b)(?![a-z])
    | (?P<mins>(?<![\d.,-])\b\d{{2,3}})\s+(?:minutes|mins)\b
    | (?P<metres>(?<![£$€\d.])\b\d{{1,3}}(?:\.\d{{1,2}})?)\s*-?\s*{_METRES}(?![a-z/²])(?!\s*(?:per|a)\s+second)
    | (?P<points>\b\d{{1,2}},?\d{{3}})\s*(?:points|pts)\b
    | (?P<sub>(?<=\bsub-)\d{{1,2}}(?::\d{{2}})?)(?![\d.:])
    | (?P<bare1>(?<![\d.,:£$€])\b\d{{1,2}}\.\d)(?![\d.,%])
    | (?P<bare>(?<![\d.,:£$€])\d{{1,2}}\.\d{{2}})(?P<fused>\d)?(?!\d|[.,]\d|%)
        (?!\s*(?:[ap]\.?m\b|million|bn|billion|per\s?cent|%|km|kg|miles?|ft|feet|inch))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A figure written without a unit ("in 7.35", "a time of 21.00", "cleared 5.85") is a mark only
# after words like these, or inside results-line punctuation ("Name (NAT): 9.88", "(20.11)").
_BARE_CONTEXT = re.compile(
    r"(?:\bin|\bof|clocked|clocking|ran|run|runs|timed|time|record|best|mark|recorded|posted|leap|jump|"
    r"jumped|leapt|threw|thrown|throw|heave|heaved|cleared|clearance|vaulted|to|with|on|at|exactly|just|"
    r"only|PB|PR|SB|running|clocking|throwing|jumping|clearing|under|below|around|included|including|"
    r"managed|manages|produced|produces|achieved|registered|reached|reaches|hit|hits|equalled|equaled|"
    r"matched|set|sets|went|sent|sends|launched|hurled|flung|spun|soared|sailed|landed|bounded|opened|"
    r"finished|finishes|whose|(?<=[a-z])['’]s|(?<=[a-z]s)['’]|"
    r"(?:best|record|mark|time|PB|PR|SB)\s+(?:is|was|stands\s+at|stood\s+at|remains)|:)\s*"
    r"(?:(?:a|an|that|his|her|my|the|their)\s+(?:[a-z][\w-]*\s+){0,2}?)?$",
    re.IGNORECASE,
)
# A time to the tenth without a unit is a mark only after these ("under 10.6", "clocked 47.2",
# "went through 400m in 56.9"); elsewhere such a figure is usually a count or a share.
_TENTHS_CONTEXT = re.compile(
    r"(?:\b(?:under|below|clocked|clocking|through)|\b(?:through|passed|split|reached)\s+\S+\s+in)\s+$",
    re.IGNORECASE,
)
# ... or before these: "a 44.9 split", "45.1 on the third leg", "56.9 for the last lap"
_TENTHS_AFTER = re.compile(r"^\s*(?:-?\s*(?:second\s+)?(?:split|lap|leg)\b|(?:on|for)\s+(?:the|his|her|their)\s+"
                           r"(?:\w+\s+)?(?:leg|lap|bend|straight)\b)", re.I)
_BRACKET_CONTEXT = re.compile(r"(?:[A-Za-z.)'’]\s*\(\s*(?:both\s+|all\s+)?|\(\s*)$")
_RESULT_CONTEXT = re.compile(r"[A-Z][\w'’.-]+(?:\s*\([A-Za-z .'-]{2,30}\))?\s*[,:–-]\s*$")
_NAME_THEN = re.compile(r"[A-Z][a-z][\w'’-]+\s+[A-Z][\w'’-]+(?:\s*\([A-Za-z .'-]{2,30}\))?\s+$")
_AFTER_BRACKETS = re.compile(r"[A-Z][\w'’.-]+\s*\([^()]{2,40}\)\s*$")  # "Ada Reed (Shaftesbury Barnet) 6.62"
_RESULT_END = re.compile(r"^\s*(?:[;,\n]|$|\(|\.\s|\.$|[A-Z]|q\b|=|and\b|in\s+the\b|all\b)")
_BARE_AFTER = re.compile(r"^\s+(?:lifetime|personal|career|season['’]?s?)\s+(?:best|record)\b|"
                         r"^\s+(?:is|was)\s+(?:a|an|my|his|her|the)\s+(?:\w+\s+){0,2}?"
                         r"(?:throw|time|jump|leap|vault|run|mark|clearance|result|best|record)\b|"
                         r"^\s+(?:(?:run|set|clocked|thrown|jumped|achieved|recorded)\s+)?by\s+[A-Z]", re.I)
_POSSESSED_AFTER = re.compile(r"^\s+(?:in|at|from|to\s+win|for)\s+(?:the|a|an)\b|^\s+(?:win|victory|run|throw|"
                              r"jump|leap|clearance|effort|clocking|PB|SB)\b", re.I)
_LIST_ITEM = re.compile(r"(?:^|[:;,]\s*)(?:\d{1,2}\.?\s+)?[A-Z][\w'’-]+\s+$")  # "Splits: Adeyemi 45.62, Caldwell 44.71"
_TIME_BEFORE = re.compile(r"(?:\bin|\bof|clocked|clocking|timed|ran|run|with)\s*(?:a\s+|an\s+)?"
                          r"(?:[\w'’-]+\s+){0,2}?$", re.I)  # "ran a world-leading 52.01 ahead of ..."
_SECONDS_CONTEXT = re.compile(r"(?:\bin|\bof|ran|run|clocked|clocking|timed|exactly|under|sub|record|best|"
                              r"time)\s*(?:a\s+|an\s+|just\s+|exactly\s+)?$", re.I)
_MARGIN_AFTER = re.compile(
    r"^\s*(?:behind|ahead|clear|adrift|outside|off|short|shy|slower|faster|quicker|down|up on|better|worse|"
    r"in front|to spare|margin|too slow|of the|lead|advantage|gap|later|earlier|left|to go|"
    r"remaining|from the end)\b", re.IGNORECASE)
_MARGIN_BEFORE = re.compile(
    r"\b(?:by|than|within|split)\s+(?:only\s+|just\s+|almost\s+|nearly\s+|about\s+|some\s+|a\s+mere\s+|over\s+|"
    r"more\s+than\s+|less\s+than\s+|under\s+|a\s+further\s+)?$",
    re.IGNORECASE)
_SEGMENT_METRES = re.compile(r"^\s*(?:to go|left|remaining|from (?:home|the (?:line|finish))|mark\b|split|"
                             r"course|loop|lap|leg|radius|ahead|behind|race|run\b|dash|sprint|hurdles|"
                             r"relay|final|event|title|record|specialist|runner|champion)", re.I)
_VAGUE = re.compile(r"^\s*(?:\d{1,2}:\d{2}\s*)?s\b|^'?s\b")  # "the low 3:50s"
_FLAG_RE = re.compile(
    r"^\s*(?:\(\s*)?(?P<flags>(?:\b(?:PB|SB|WR|AR|ER|NR|CR|WL|MR|OR|WJR|WU20R|NJR|WBP|=?WR)\b[\s,/]*)+)\)?")
# Flags written in words, before the mark ("a season's best of 3:29.50", "a world-leading 52.01") or just
# after it ("52.01, a personal best"); the abbreviations are _FLAG_RE's.
_FLAG_WORDS = [
    (flag, (re.compile(rf"\b(?:{words})\s+(?:of\s+|time\s+of\s+|mark\s+of\s+)?$", re.I),
            re.compile(rf"^\s*(?:\([^()]*\)\s*)?[,(–—-]?\s*(?:a|an|his|her|their|my|the)?\s*(?:new\s+)?(?:{words})\b", re.I)))
    for flag, words in (("PB", r"personal\s+best|lifetime\s+best|career\s+best|PB"),
                        ("SB", r"season['’]?s?\s+best|seasonal\s+best"),
                        ("WL", r"world[- ]leading|world\s+lead"),
                        ("WR", r"world[- ]record"))]
_WIND_RE = re.compile(r"^\s*\(?\s*(?:wind\s*:?\s*)?(?P<wind>[+-]\d\.\d)\s*(?:m/s)?\s*\)?|^(?P<w>w)\b|"
                      r"^\s*\(\s*(?P<unsigned>\d\.\d)\s*\)", re.I)
_NEXT_WIND = re.compile(r"^[^.\n]{0,4}[.]\s+(?:The\s+)?(?:wind|wind reading|wind speed)\b[^.\n]{0,25}?"
                        r"(?P<wind>[+-]\d\.\d)", re.I)


# A sentence about another sport, in a round-up ("... won the 200m freestyle in 1:54.20"): its times
# are that sport's, unless the sentence names an athletics event too.
OTHER_SPORT = re.compile(
    r"\b(?:freestyle|backstroke|breaststroke|butterfly|medley|swim(?:mer|mers|ming)?|pool|keirin|"
    r"velodrome|cyclist|cycling|peloton|time[- ]trial|rowing|rower|sculls?|coxless|canoe(?:ist)?|kayak|"
    r"speed[- ]?skat\w*|slalom|downhill|ski(?:er|ing)|bobsleigh|luge|Formula One|F1|pole position)\b", re.I)


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


def _verbose(g: dict) -> float:
    if g["h"] is not None:
        return round(_num(g["h"]) * 3600 + _num(g["hm"]) * 60 + _num(g["hs"]), 3)
    return round(_num(g["m"]) * 60 + float(g["ms"]), 3)


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
    if m is None or m.group("series") or m.group("sub") or m.group("hyphen") or m.group("bare1"):
        return None
    g = m.groupdict()
    if g["verbose"]:
        return _verbose(g), "s"
    if g["clock"]:
        return clock_seconds(g["clock"]), "s"
    if g["secs"] or g["intsecs"]:
        return float(g["secs"] or g["intsecs"]), "s"
    if g["mins"]:
        return float(g["mins"]) * 60, "s"
    if g["metres"]:
        return float(g["metres"]), "m"
    if g["points"]:
        return float(g["points"].replace(",", "")), "pts"
    return float(g["bare"]), unit or "s"


def find_marks(text: str, events: Sequence[tuple[int, str]] = ()) -> list[FoundMark]:
    """Every mark in `text` with its flags and wind, in order of appearance.

    `events` are the story's event mentions as (offset, code); they say how to read a figure
    without a unit (metres in a shot put report, points in a decathlon, hours in a marathon).
    """
    scope = Scope(text, events)
    found: list[FoundMark] = []
    for m in MARK_RE.finditer(text):
        if _excluded(text, m):
            continue
        readings = _readings(text, m, scope)
        if not readings and m.group("bare") and found and _continues(text, found[-1], m):
            value = float(m.group("bare"))  # "2.04m in the high jump and 48.36 in the 400m": the 400m's unit
            own = re.match(r"\s+in\s+the\s+", text[m.end():m.end() + 12])
            unit = scope.bare_unit(m.start(), value, _before(text, m)) if own else found[-1].unit
            readings = [(m.start(), m.end(), value, unit)]
        for start, end, value, unit in readings:
            found.append(_with_flags(text, FoundMark(start, end, text[start:end], value, unit)))
    found += [_with_flags(text, mark) for mark in scope.bare_points(found)]
    found.sort(key=lambda k: k.start)
    return [k for k in found if not scope.other_sport(k.start)]


def _readings(text: str, m: re.Match, scope: Scope) -> list[tuple[int, int, float, str]]:
    """(start, end, value, unit) for the mark `m` matched, or [] when context says it is none."""
    g = m.groupdict()
    span = (m.start(), m.end())
    if g["verbose"]:
        return [(*span, _verbose(g), "s")]
    if g["series"]:
        return [(m.start() + s.start(), m.start() + s.end(), float(s.group()), "s")
                for s in re.finditer(r"\d+\.\d", g["series"])]
    if g["clock"]:
        return [(*span, scope.clock(m.start(), g["clock"]), "s")]
    if g["secs"]:
        value = float(g["secs"])
        return [(*span, value, "s")] if value >= 5.0 else []  # under five seconds: a margin or a reaction
    if g["intsecs"]:
        return [(*span, float(g["intsecs"]), "s")] if _SECONDS_CONTEXT.search(_before(text, m)) else []
    if g["mins"]:
        return [(*span, float(g["mins"]) * 60, "s")] if _SECONDS_CONTEXT.search(_before(text, m)) else []
    if g["metres"]:
        return _metres(text, m, scope)
    if g["points"]:
        return [(*span, float(g["points"].replace(",", "")), "pts")]
    if g["hyphen"]:
        unit = {"second": "s", "minute": "s", "hour": "s"}.get(g["hunit"].lower(), "m")
        scale = {"minute": 60, "hour": 3600}.get(g["hunit"].lower(), 1)
        return [(m.start(), m.start() + len(g["hyphen"]), _num(g["hyphen"]) * scale, unit)]
    if g["sub"]:
        reading = scope.threshold(m.start(), g["sub"])
        return [(*span, *reading)] if reading else []
    if g["bare1"]:  # "under 10.6", "went through 400m in 56.9": a time to the tenth
        value = float(g["bare1"])
        if (_TENTHS_CONTEXT.search(_before(text, m)) or _TENTHS_AFTER.match(text[m.end():m.end() + 30])) \
                and scope.fits_time(m.start(), value):
            return [(*span, value, "s")]
        return []
    return _bare(text, m, scope)


def _metres(text: str, m: re.Match, scope: Scope) -> list[tuple[int, int, float, str]]:
    value = float(m.group("metres"))
    if "." not in m.group("metres"):  # "19 metres", "20m": a mark only where a jump or throw fits it
        if _SEGMENT_METRES.match(text[m.end():m.end() + 25]) or not scope.field_fits(m.start(), value):
            return []
    return [(m.start(), m.end(), value, "m")]


def _bare(text: str, m: re.Match, scope: Scope) -> list[tuple[int, int, float, str]]:
    before = _before(text, m)
    results_line = bool(_BRACKET_CONTEXT.search(before) or _RESULT_CONTEXT.search(before) or
                        _AFTER_BRACKETS.search(before) or _LIST_ITEM.search(before) or
                        (_NAME_THEN.search(before) and _RESULT_END.match(text[m.end():m.end() + 8])))
    possessed = re.search(r"\b(?:his|her|their|my)\s+$", before, re.I) and \
        _POSSESSED_AFTER.match(text[m.end():m.end() + 20])  # "minutes after her 10.78 in the 100m"
    if not (results_line or possessed or _BARE_CONTEXT.search(before) or _BARE_AFTER.match(text[m.end():m.end() + 40])
            or _FLAG_RE.match(text[m.end():m.end() + 12]) or _WIND_RE.match(text[m.end():m.end() + 12])):
        return []
    if m.group("fused") and not results_line:
        return []
    end = m.end() - (1 if m.group("fused") else 0)  # "10.874": 10.87, then the place
    value = float(m.group("bare"))
    return [(m.start(), end, value, scope.bare_unit(m.start(), value, before))]


def _continues(text: str, last: FoundMark, m: re.Match) -> bool:
    """"ran 12.24 in her heat and then 12.33 in the semi": a bare figure after "and"/"then" that
    continues a mark of the same sentence."""
    between = text[last.end:m.start()]
    return len(between) < 120 and "\n" not in between and not re.search(r"[.!?]\s", between) and \
        bool(re.search(r"\b(?:and|then|and then|before|after)\s+$|^\s*(?:m|metres)?\s*,\s*$", between))


def _before(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 40):m.start()]


def _excluded(text: str, m: re.Match) -> bool:
    before = _before(text, m)
    after = text[m.end():m.end() + 25]
    if _MARGIN_BEFORE.search(before):
        return True
    if _MARGIN_AFTER.match(after) and not (_TIME_BEFORE.search(before) or _RESULT_CONTEXT.search(before) or
                                           re.search(r"\)\s*$", before)):
        return True  # "0.02 seconds ahead" is a margin; "won in 4:20.15 ahead of Andrews" is a time
    if m.group("clock") and ":" in m.group("clock") and "." not in m.group("clock"):
        return bool(re.search(r"\b(?:at|from|until|by|before|after|around|about)\s+$", before, re.IGNORECASE))
    return bool((m.group("clock") or m.group("bare")) and _VAGUE.match(after) and
                re.search(r"\b(?:low|mid|high|the)\s*-?\s*$", before, re.IGNORECASE))


def _with_flags(text: str, mark: FoundMark) -> FoundMark:
    rest = text[mark.end:mark.end + 30]
    wind = _WIND_RE.match(rest)
    if wind and mark.unit in ("s", "m"):
        mark.wind = wind.group("wind") or (f"+{wind.group('unsigned')}" if wind.group("unsigned") else "w")
        rest = rest[wind.end():]
    elif mark.unit in ("s", "m") and (later := _NEXT_WIND.match(text[mark.end:mark.end + 80])):
        mark.wind = later.group("wind")
    flags = _FLAG_RE.match(rest)
    if flags:
        mark.flags = re.findall(r"=?[A-Z0-9]+", flags.group("flags"))
    for flag, words in _FLAG_WORDS:  # "a season's best 3:29.50", "52.01, a world lead", "a personal best of"
        if flag not in mark.flags and (words[0].search(text[max(0, mark.start - 40):mark.start])
                                       or words[1].match(text[mark.end:mark.end + 40])):
            mark.flags.append(flag)
    return mark
