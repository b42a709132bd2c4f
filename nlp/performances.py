"""Performances: (athlete, event, mark) triples that a sentence states.

For each mark (../shared/tagging-guide.md, PERFORMANCE and "Settled questions"):

- Not a performance when the words before it make it a threshold, a target or a failure
  ("under 7:40", "never thrown 19 metres", "broke 8400", "my goal was 20m", "misses at 5.85m",
  "attempts at 4.63"), or a projection ("1:20 finishing pace").
- Not a performance when it is a split: a lap, a leg, a circuit, or the time through a point of
  the race ("through 400m in 1:05.2", "the first leg in 44.75").
- The event: the nearest event in its sentence that such a mark fits (a time for a race, a
  distance for a jump or throw, points for a combined event; nlp/data/event_ranges.tsv); else
  the one fitting event of its section heading or label ("400 meters: ..."), of its paragraph,
  or of the story. Inside a combined event, a discipline named in the sentence wins.
- The athlete: nlp/owners.py. A previous record ("the previous mark of 3:50.07") belongs only to
  the athlete the sentence names as its holder, never to the one who broke it.
- Inside a quote, a mark is a performance of the speaker when the quote states it as the
  speaker's own ("I threw my PB of 80.18"), or of the athlete it names ("Kerr's PB 3:29.05").
"""

from __future__ import annotations

import re

from trackwire.nlp.text import text_of
from trackwire.nlp.codes import fits, unit_of
from trackwire.nlp.layout import paragraph_bounds, previous_heading, sentence_bounds
from trackwire.nlp.owners import Owners

NOT_ACHIEVED = re.compile(
    r"(?:\b(?:attempt(?:ed|ing|s)?|under|below|sub-?|target(?:ing|s)?|aim(?:ing|s)?(?:\s+for)?|hop(?:e|es|ing)\s+to|"
    r"goal|failed|failures?|fails?|failing|miss(?:es|ed|ing)?|bid\s+for|tried|try(?:ing)?|more\s+than|less\s+than|beyond|"
    r"(?:fail\w*|miss\w*|attempts?|tries)\s+at\s+(?:a|the)?\s*(?:[\w-]+\s+){0,3}?(?:height|bar|mark)\s+of\s+"
    r"(?:[\d-]+[¼½¾]?\s*\()?|"
    r"never(?:\s+\w+){0,2}|broke|break(?:ing)?|crack(?:ed|ing)?|dip(?:ped)?\s+under|pass(?:ed|es)?|"
    r"elected\s+not\s+to\s+take(?:\s+\w+){0,2}|chance\s+(?:at|of)|would|could|might|need(?:s|ed)?|predict\w*|"
    r"capable\s+of\s+\w+|projected|(?:talent|ability|potential|chance|power|speed|form)\s+to\s+\w+|"
    r"fail(?:ed|s|ing)?\s+(?:\w+\s+){0,2}at)\s+(?:at\s+|for\s+|to\s+\w+\s+|a\s+|an\s+|the\s+)?$|\bsub-$|"
    r"\b(?:attempts?|tries|failures|failed|missed|misses)\s+at\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:(?:height|bar|mark)\s+of\s+)?$|"
    # "the qualifying standard of 59.00m", "her target of 2:45", "only had to run 4:35", "went out at 5.70m"
    r"\b(?:standard|qualifier|qualifying\s+(?:mark|time|distance|height)|entry\s+(?:mark|time)|cut-?off|target|"
    r"goal|aim|ambition|barrier|threshold)\s+(?:of|was|is|remains)\s+(?:a\s+|an\s+|the\s+)?$|"
    r"\b(?:had|has|have|having)\s+to\s+(?:run|throw|jump|clear|clock|produce|record|go|do|beat|better)\s+"
    r"(?:a\s+|an\s+|the\s+)?$|"
    r"\b(?:went|goes|go|bowed|crashed|was|were)\s+out\s+at\s+(?:a\s+|the\s+)?$|\bno-?height(?:ed|s)?\s+at\s+$|"
    r"\b(?:asked\s+for|(?:put|moved|raised)\s+(?:up\s+)?to|bar\s+(?:up\s+)?to)\s+(?:a\s+|the\s+)?$)", re.I)
# "... then had the bar put up to 6.16m and missed three times": the failure told after the height
FAILED_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:and|but|then)\s+(?:\w+\s+){0,2}?(?:missed|failed|fouled|"
                          r"knocked\s+it\s+off)\s+(?:all\s+)?(?:three|3|two|2|twice)\b", re.I)
# "having needed three attempts at 5.70m": the third attempt cleared it
CLEARED_LATE = re.compile(r"\bneed(?:ed|ing)\s+(?:all\s+)?(?:two|three|both|2|3)\s+(?:attempts|tries|goes)\s+at\s+"
                          r"(?:[\d-]+[¼½¾]?\s*\(\s*)?$", re.I)
TRAINING = re.compile(r"\b(?:in|during|at)\s+(?:a\s+|the\s+)?training\b|\btraining\s+(?:run|session|camp)s?\b|"
                      r"\bin\s+practi[cs]e\b", re.I)  # not "training partner"
NOT_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:(?:or|to)\s+[\d:.]+\s*)?(?:finishing\s+)?(?:pace|barrier|bar\b|"
                       r"standard|qualifying|mark\s+to\s+beat|target|territory|range|shape|region|bracket)", re.I)
SPLIT_WORDS = {"lap", "laps", "leg", "legs", "split", "splits", "circuit", "halfway", "half-way", "bell"}
SPLIT_POINT = re.compile(r"\b(?:through|passing|past|at|reached|reaching)\s+(?:the\s+)?(?:\d[\d,]*\s*(?:km|k|m|metres|"
                         r"meters|miles?)\b|halfway|half-way|bell)", re.I)
SPLIT_BEFORE = re.compile(r"\b(?:lap|laps|leg|legs|split|splits|circuit)\s+(?:(?:time|of\s+\w+)\s+)?(?:in|of|at)\s+"
                          r"(?:a\s+|an\s+)?$|\b(?:led|leads|leading)\s+off\s+(?:the\s+\w+\s+)?(?:in|with)\s+(?:a\s+)?$|"
                          + SPLIT_POINT.pattern + r"\s+(?:in\s+)?\(?$", re.I)
SERIES_GAP = re.compile(r"^\s*(?:m|metres|meters)?\s*(?:,|and|or|,\s*and|,\s*or)\s*$", re.I)
CONDITIONAL = re.compile(r"(?:^|[,;:\"“]\s*)(?:but\s+)?(?:if|unless|whether)\s+[^,;]*$", re.I)
SPLIT_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:lap|laps|leg|split|splits|circuit|for the (?:first|last|final)\b|"
                         r"(?:on|for|in)\s+(?:the|his|her|their)\s+(?:\w+\s+)?(?:leg|lap|anchor)\b|"
                         r"at (?:halfway|the bell|\d+\s*(?:km|k|m)\b))", re.I)
PREVIOUS = re.compile(r"\b(?:previous|old|former|existing|standing|long-standing)\s+(?:\w+\s+){0,3}?"
                      r"(?:record|mark|best)\s+(?:of\s+|was\s+|had\s+been\s+|stood\s+at\s+)?$", re.I)


def performances(doc, data: dict) -> list[dict]:
    """The performances of one tagged doc, from `data` (the athletics components' plain output)."""
    text = text_of(doc)
    owners = Owners(doc, _named(data, text), _others(data), [(q["start"], q["end"], q["speaker"]) for q in data["quotes"]])
    events = sorted([(ev["start"], ev["event"]) for ev in data["events"]] +
                    [(start, None) for start, _ in data.get("uncoded", [])], key=lambda ev: ev[0])
    para = bool(re.search(r"\b(?:[TF]\d{2}\b|Paralympics?|para[- ]athlet|wheelchair)", text, re.I))
    found: list[dict] = []
    previous: tuple[dict, bool] | None = None
    for mark in data["marks"]:
        if previous and SERIES_GAP.match(text[previous[0]["end"]:mark["start"]]):
            achieved = previous[1]  # "attempts at 4.63 and 4.68 meters": the series shares its status
        else:
            achieved = _achieved(doc, text, mark)
        previous = (mark, achieved)
        if not achieved:
            continue
        event = choose_event(text, mark, events, para)
        if event is None:
            continue
        for name in _owners(owners, text, mark, event) or []:
            row = {"athlete": name, "event": event, "mark": mark["text"], "value": mark["value"], "unit": mark["unit"]}
            if not any(_same(row, other) for other in found):
                found.append(row)
    return found


def _named(data: dict, text: str = ""):
    from trackwire.nlp.owners import Named
    from trackwire.nlp.refer import country_near

    named = []
    for a in data["athletes"]:
        country = a.get("country") or next(filter(None, (country_near(text, s, e) for s, e in a["mentions"])), None)
        named += [Named(s, e, a["name"], a.get("sex"), tuple(a.get("events") or ()), country) for s, e in a["mentions"]]
    return named


def _others(data: dict) -> list[tuple[int, int]]:
    athletes = {a["name"] for a in data["athletes"]}
    return [(s, e) for p in data["people"] if p["name"] not in athletes for s, e in p["mentions"]]


def _achieved(doc, text: str, mark: dict) -> bool:
    before = text[max(0, mark["start"] - 45):mark["start"]]
    after = text[mark["end"]:mark["end"] + 30]
    lo, _ = sentence_bounds(text, mark["start"])
    if CLEARED_LATE.search(before):
        return True
    if NOT_ACHIEVED.search(before) or NOT_AFTER.match(after) or CONDITIONAL.search(text[lo:mark["start"]]):
        return False
    if FAILED_AFTER.match(text[mark["end"]:mark["end"] + 90]):
        return False
    if TRAINING.search(_clause(text, mark)):  # "She threw over 50 metres several times in training"
        return False
    return not (_split(doc, text, mark) or _hypothetical(doc, mark))


def _clause(text: str, mark: dict) -> str:
    """The words around a mark up to the nearest comma, semicolon or sentence end on each side."""
    lo, hi = sentence_bounds(text, mark["start"])
    start = max(lo, max(text.rfind(c, lo, mark["start"]) for c in ",;") + 1)
    ends = [i for i in (text.find(c, mark["end"], hi) for c in ",;") if i != -1]
    return text[start:min(ends) if ends else hi]


def _hypothetical(doc, mark: dict) -> bool:
    """A mark in a clause under "if", "unless" or "whether" ("if somebody scores 8,900 points")."""
    span = doc.char_span(mark["start"], mark["end"], alignment_mode="expand")
    tok = span.root if span is not None else None
    while tok is not None:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in tok.children):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _split(doc, text: str, mark: dict) -> bool:
    """A lap, a leg or the time through a point of the race: a split word on the mark's own phrase or
    among the words of the clause that states it (not in another clause of the sentence)."""
    if SPLIT_AFTER.match(text[mark["end"]:mark["end"] + 30]) or SPLIT_BEFORE.search(text[max(0, mark["start"] - 25):mark["start"]]):
        return True
    span = doc.char_span(mark["start"], mark["end"], alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        if verb.lower_ in SPLIT_WORDS:
            return True
        verb = verb.head
    for child in verb.children:
        if child.pos_ in ("VERB", "AUX") or child.dep_ in ("advcl", "xcomp", "conj", "ccomp", "relcl"):
            continue
        if child.left_edge.i <= span.root.i <= child.right_edge.i:
            continue  # the mark's own phrase: "took the long jump at 6.63m"
        if any(t.pos_ == "VERB" for t in child.subtree):
            continue  # a clause of its own: "after sitting in the leading group through 1200m"
        lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
        if hi < mark["start"] - 60 or lo > mark["end"] + 30:
            continue  # too far from the mark to be what it times
        words = " ".join(t.lower_ for t in child.subtree)
        words = re.sub(r"\b(?:last|final|first|opening|closing)\s*-?\s*lap\s+(?:duel|sprint|kick|battle|burst|surge|"
                       r"charge|dash|fight|showdown|tussle|move|attack)\b", " ", words)  # "after a last-lap duel"
        if set(words.split()) & SPLIT_WORDS or SPLIT_POINT.search(words):
            return True
    return False


def _owners(owners: Owners, text: str, mark: dict, event: str) -> list[str] | None:
    if PREVIOUS.search(text[max(0, mark["start"] - 50):mark["start"]]) or _standing_record(owners.doc, mark):
        return owners.holder(mark["start"], mark["end"], event)
    return owners.of(mark["start"], mark["end"], event)


def _standing_record(doc, mark: dict) -> bool:
    """"The course record of 2:04:11 was never under threat": a record that is the subject of its
    clause is a standing one; only its named holder owns it, not the athlete the story is about
    ("Her best of 4:01.11 still stands" names its owner: the rules for any mark decide)."""
    span = doc.char_span(mark["start"], mark["end"], alignment_mode="expand")
    if span is None:
        return False
    of = span.root.head
    record = of.head
    return span.root.dep_ == "pobj" and of.lower_ == "of" and record.lower_ in ("record", "best", "mark") \
        and record.dep_ in ("nsubj", "nsubjpass") and not any(t.dep_ == "poss" for t in record.subtree)


def _same(a: dict, b: dict) -> bool:
    return (a["athlete"], a["event"], a["unit"]) == (b["athlete"], b["event"], b["unit"]) and \
        abs(a["value"] - b["value"]) < 0.005


EPITHET_AFTER = re.compile(r"^[\w -]{0,12}?\b(?:champions?|medall?ists?|record[- ]holders?|runners?|specialists?|"
                           r"finalists?|winners?|title|crown|hurdlers?|sprinters?)\b", re.I)


def choose_event(text: str, mark: dict, events: list[tuple[int, str | None]], para: bool = False) -> str | None:
    """The event a mark is stated for: the nearest fitting race in its sentence (an event in an
    epithet, "the Olympic 1500m silver medallist", only if no race fits); else the one fitting event
    of its section heading or label, its paragraph, or the story (the headline's where several fit).
    A distance with no code in a scope ("the two-mile record") leaves the mark without an event."""
    def fitting(lo: int, hi: int) -> list[tuple[int, str]]:
        own = sentence_bounds(text, mark["start"])
        return [(p, c) for p, c in events if lo <= p < hi and c and fits(c, mark["value"], mark["unit"], para)
                and (own[0] <= p < own[1] or not _in_aside(text, p, text[own[0]:own[1]]))]

    def uncoded(lo: int, hi: int) -> bool:
        return any(lo <= p < hi and c is None for p, c in events)

    lo, hi = sentence_bounds(text, mark["start"])
    here = fitting(lo, hi)
    races = [ev for ev in here if not EPITHET_AFTER.match(text[_end_of(text, ev[0]):_end_of(text, ev[0]) + 30])]
    if races or here:
        return min(races or here, key=lambda ev: (abs(ev[0] - mark["start"]), ev[0] > mark["start"]))[1]
    if uncoded(lo, hi) or _other_race(text, mark, events, lo, hi):
        return None  # the clause says which race, and the mark fits it not: a split, or another event
    if THAT_EVENT.search(text[lo:hi]):  # "Her best for that distance is 4:01.11": the event just named
        before = [(p, c) for p, c in events if p < lo and c]
        if before and lo - before[-1][0] < 400 and fits(before[-1][1], mark["value"], mark["unit"], para):
            return before[-1][1]
    for scope in (_label(text, mark["start"]), previous_heading(text, mark["start"]),
                  paragraph_bounds(text, mark["start"])):
        if scope is None:
            continue
        codes = {c for _, c in fitting(*scope)}
        if uncoded(*scope) and codes:
            return None  # "the two mile record" beside a 3000m: which one, the text does not say
        if len(codes) == 1:
            return codes.pop()
        if codes or uncoded(*scope):
            return None
    codes = {c for _, c in fitting(0, len(text))}
    if len(codes) > 1:  # the race the story reports: the headline's, else its lead paragraph's
        headline = paragraph_bounds(text, 0)
        lead = paragraph_bounds(text, _first_body(text))
        codes = ({c for _, c in fitting(*headline)} & codes) or ({c for _, c in fitting(*lead)} & codes) or codes
    return codes.pop() if len(codes) == 1 else None


THAT_EVENT = re.compile(r"\b(?:that|this|the same)\s+(?:distance|event|discipline)\b", re.I)


def _in_aside(text: str, pos: int, mark_sentence: str) -> bool:
    """An event inside a relative clause set off by commas ("The 23-year-old, who finished fifth in
    the 1500m at the worlds, sat behind ...") about someone the mark's sentence does not name: a
    past race describing another athlete, not the race that sentence reports. ("Fazekas, who lost
    his Olympic discus title, ... Fazekas had thrown 70.93m": the aside is his, and so is the event.)"""
    lo, _ = sentence_bounds(text, pos)
    aside = re.search(r"([\w'’-]+)\s*,\s*(?:who|whose)\b[^,;]*$", text[lo:pos])
    if aside is None:
        return False
    return re.search(rf"\b{re.escape(aside.group(1))}\b", mark_sentence) is None


def _first_body(text: str) -> int:
    """Where the first paragraph after the headline starts."""
    end = text.find("\n")
    while 0 <= end < len(text) and text[end].isspace():
        end += 1
    return end if end > 0 else 0


def _other_race(text: str, mark: dict, events: list[tuple[int, str | None]], lo: int, hi: int) -> bool:
    """An event of the mark's kind (a race for a time) in the mark's own clause (no comma between)
    that the mark does not fit: "The 800m race started slow, the first lap 53.69" is no 400m hurdles."""
    clause_lo = max(lo, text.rfind(",", lo, mark["start"]) + 1)
    clause_hi = text.find(",", mark["end"], hi)
    clause_hi = hi if clause_hi == -1 else clause_hi
    for p, code in events:
        if code and clause_lo <= p < clause_hi and unit_of(code) == mark["unit"] and \
                not EPITHET_AFTER.match(text[_end_of(text, p):_end_of(text, p) + 30]):
            return True
    return False


def _end_of(text: str, start: int) -> int:
    """End of the event mention starting at `start` (its words up to a space before a non-unit)."""
    m = re.match(r"[\w,.-]+(?:\s+(?:metres|meters|m|hurdles|steeplechase|relay|jump|vault|put|throw|race walk))?",
                 text[start:])
    return start + (m.end() if m else 0)


def _label(text: str, pos: int) -> tuple[int, int] | None:
    """A label that opens the paragraph ("400 meters: McLaughlin-Levrone, ...")."""
    lo, hi = paragraph_bounds(text, pos)
    colon = text.find(":", lo, min(hi, lo + 40))
    return (lo, colon) if colon != -1 and colon < pos else None
