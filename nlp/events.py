"""From raw pattern matches to event mentions: what each match names, in the guide's codes.

The span_ruler patterns (nlp/patterns/events.jsonl, written by tools/build_event_patterns.py)
find the written forms; these rules decide what a match names from the words around it
(../shared/tagging-guide.md, EVENT and "Settled questions"):

- a race segment is not an event: "the final 200m", "through 400m in 1:05", "at 200 metres",
  "with 500m to go", "the 35km mark";
- a bare number names a race only in a story about running and where it stands as a race
  ("the 1500 final", "the 5000 world champion", "how few 1500s I run");
- a distance in kilometres is a race walk in a walking story (10, 20, 35, 50 km), else a road
  race ("<N>km road"); "10,000m on the road" is `10km road`;
- "two-mile" and "two miles" have no code;
- sex and indoor are attributes; "sprint hurdles" needs the sex to be coded;
- a para class (T11, F41) is an attribute too: the code is the discipline's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from trackwire.nlp.text import text_of

UNITS = {"m", "m.", "metres", "meters", "metre", "meter"}
SEX_WORDS = {"men": "men", "women": "women", "male": "men", "female": "women", "boys": "men", "girls": "women",
             "mens": "men", "womens": "women", "man": "men", "woman": "women"}
SEGMENT_BEFORE = {"final", "last", "first", "closing", "opening", "remaining", "every", "each", "another",
                  "through", "passing", "past", "reaching", "reached", "by", "at", "after", "around", "until",
                  "halfway", "within", "under", "nearly", "almost", "about", "than"}
SEGMENT_AFTER = re.compile(r"^\s*(?:to go|to run|to cover|from home|from the (?:line|finish)|left|remaining|mark\b|point\b|split|"
                           r"splits|reps?\b|repeats?\b|repetitions?|efforts\b|sessions?\b|intervals?|loop|lap\b|laps\b|circuit|"
                           r"course|lead\b|gap\b|"
                           r"of the race|into the race)", re.I)
RUNNING_WORDS = re.compile(r"\b(?:ran|run|runs|race|races|raced|runner|runners|final|heat|metres|meters|lap|"
                           r"meet|track|sprints?|sprinters?|distance\s+double|"
                           r"clocked|miler|sprint|sprinter|hurdles?|relay|decathlon|heptathlon|decathlete|"
                           r"heptathlete)\b", re.I)
OTHER_SPORT_AFTER = re.compile(r"^\s*(?:freestyle|backstroke|breaststroke|butterfly|medley|individual medley|IM\b|"
                               r"sprint (?:cycling|kayak|canoe)|kayak|canoe|rowing|swim)", re.I)
FIELD_WORDS = re.compile(r"\b(?:throw|throws|threw|thrown|thrower|putter|heave|heaved|metres|meters|\d+\.\d+m)\b",
                         re.I)
WALKING = re.compile(r"\b(?:race[- ]?walk(?:s|er|ers|ing)?|walk(?:s|er|ers|ing)?)\b", re.I)
CROSS_COUNTRY = re.compile(r"\bcross[- ]countr|\bXC\b", re.I)
BARE_NEXT = {"and", "or", "in", "at", "title", "titles", "final", "finals", "race", "races", "crown", "gold",
             "silver", "bronze", "this", "last", "with", "was", "is", "world", "champion", "champions",
             "championship", "record", "records", "winner", "medal", "medallist", "medalist", "double", "heat",
             "heats", "semi", "semis", "semi-final", "semi-finals", "semifinal", "semifinals", "runner", "runners",
             "specialist", "field", "personal", "pb", "best", "event", "events", "debut", "win", "victory"}
WALK_KM = {10, 20, 35, 50}
# Distances and races with no code: imperial ones other than the mile, the hour run, yards.
UNCODED = re.compile(r"\b(?:two|three|four|five|six|ten|fifteen|twenty|half|\d+(?:\.\d)?)[- ]miles?\b|"
                     r"\bone[- ]hour\b|\b\d+\s*(?:yards?|yds)\b", re.I)
HOLDER_WORDS = {"holder", "holders", "champion", "champions", "record", "records", "best", "bests", "pb", "sb",
                "medallist", "medalist", "gold", "silver", "bronze", "title", "titles", "specialist", "time",
                "times", "fastest", "quickest", "debut", "win", "wins", "medal", "medals"}


@dataclass(slots=True)
class EventMention:
    start: int
    end: int
    event: str
    sex: str | None
    indoor: bool | None

    def as_dict(self) -> dict:
        return {"event": self.event, "sex": self.sex, "indoor": self.indoor, "start": self.start, "end": self.end}


def resolve(doc: Doc, raw: list[Span]) -> list[EventMention]:
    """The event mentions that the raw pattern matches stand for, in order."""
    text = text_of(doc)
    story = _Story(running=bool(RUNNING_WORDS.search(text)), walking=bool(WALKING.search(text)),
                   field=bool(FIELD_WORDS.search(text)), cross_country=bool(CROSS_COUNTRY.search(text)))
    found = []
    for span in raw:
        resolved = _code(doc, span, story)
        if resolved is None:
            continue
        span, code = resolved
        if (_distance(code) and _is_segment(doc, span, text)) or OTHER_SPORT_AFTER.match(text[span.end_char:span.end_char + 25]):
            continue
        sex = _sex(doc, span)
        if code == "sprint hurdles":
            if sex is None:
                continue
            code = "100m hurdles" if sex == "women" else "110m hurdles"
        indoor = "indoor" in text[max(0, span.start_char - 40):span.end_char + 30].lower() or None
        end = span.end_char - 1 if text[span.end_char - 1] == "." else span.end_char  # "100m." at a full stop
        found.append(EventMention(span.start_char, end, code, sex, indoor))
    return sorted(found + doubles(text, found), key=lambda e: e.start)


@dataclass(slots=True)
class _Story:
    running: bool
    walking: bool
    field: bool
    cross_country: bool


def _code(doc: Doc, span: Span, story: _Story) -> tuple[Span, str] | None:
    code = span.label_
    if code.startswith("bare:"):
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in UNITS:  # "200 m": the number pattern won the overlap
            return doc[span.start:span.end + 1], code[5:]
        plural = span[-1].lower_.endswith("s")
        before = span.start - 1
        if before > 0 and doc[before].lower_ in ("flat", "open"):  # "a flat 400", "the open 800"
            before -= 1
        after_article = before >= 0 and doc[before].lower_ in ("the", "a")
        if not story.running or not (plural or (after_article and _bare_ok(doc, span))):
            return None
        return span, code[5:]
    if code.startswith("road:"):
        metres = int(code[5:])
        return (span, f"{metres // 1000}km road") if metres % 1000 == 0 else (span, f"{metres}m")
    if code.startswith("km:"):
        if span[-1].text == "K" and span.end < len(doc) and doc[span.end].text[:1].isupper():
            return None  # "3 K Obi": a place and an initial in a results line
        return _kilometres(doc, span, int(code[3:]), story)
    if code == "shot:bare":
        label = span[-1].text == ":"  # "Shot: 1 Marcus Pryce (Doncaster) 15.62"
        return (span[:1] if label else span, "shot put") if story.field or label else None
    if code == "mile" and _imperial_count(doc, span):
        return None
    return span, code


def _kilometres(doc: Doc, span: Span, km: int, story: _Story) -> tuple[Span, str] | None:
    """A distance in kilometres: a walk in a walking story, a road race elsewhere; nothing in a
    cross-country story, whose races are run over such distances."""
    if story.walking and km in WALK_KM:
        return span, f"{km}km race walk"
    sentence = span.sent.text if doc.has_annotation("SENT_START") else text_of(doc)
    on_road = re.search(r"\broad\b", doc[max(0, span.start - 2):span.end + 3].text, re.I)
    race = span.end < len(doc) and doc[span.end].lower_ in ("race", "races", "run", "runs", "event", "title")
    if (CROSS_COUNTRY.search(sentence) or (story.cross_country and not race)) and not on_road:
        return None  # "38:47 for the 12km" in a cross-country story: the course, not a road race
    return span, f"{km}km road"


def _imperial_count(doc: Doc, span: Span) -> bool:
    """"two-mile", "2 mile": an imperial distance other than the mile, which has no code."""
    i = span.start - 1
    if i >= 0 and doc[i].text in "-–":
        i -= 1
    return i >= 0 and (doc[i].like_num or doc[i].is_digit)


def _bare_ok(doc: Doc, span: Span) -> bool:
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is None or nxt.is_punct or nxt.lower_ in BARE_NEXT


def _distance(code: str) -> bool:
    """A code that is a distance, which a race segment can share ("the final 200m", "through 5km")."""
    return bool(re.match(r"^\d+(?:m|km road|km race walk)$", code)) or code == "mile"


def _is_segment(doc: Doc, span: Span, text: str) -> bool:
    prev = doc[span.start - 1].lower_ if span.start else ""
    if prev in ("at", "over") and span.start >= 2 and doc[span.start - 2].lower_ in HOLDER_WORDS:
        return False  # "world record holder at 5,000m", "a best over 1500m": the event itself
    if prev in SEGMENT_BEFORE:
        return True
    return bool(SEGMENT_AFTER.match(text[span.end_char:span.end_char + 20]))


def _sex(doc: Doc, span: Span) -> str | None:
    for tok in doc[max(0, span.start - 4):span.start]:
        word = tok.lower_.rstrip("'’")
        if word in SEX_WORDS:
            return SEX_WORDS[word]
    return None


DOUBLE = re.compile(r"\b(\d{2,5})m?[-–/](\d{2,5})m\b")
FLAT = {60, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000, 5000, 10000}


def doubles(text: str, taken: list[EventMention]) -> list[EventMention]:
    """"the 200m-400m double", "the 800/1500m": both distances, where no pattern matched them."""
    found = []
    for m in DOUBLE.finditer(text):
        if any(e.start < m.end() and m.start() < e.end for e in taken):
            continue
        for group in (1, 2):
            if int(m.group(group)) in FLAT:
                found.append(EventMention(m.start(group), m.end(group) + (1 if group == 2 else 0),
                                          f"{int(m.group(group))}m", None, None))
    return found


def uncoded(text: str) -> list[tuple[int, int]]:
    """Where the story names a distance with no code ("the two-mile record", "26.2 miles"): a mark
    stated for it takes no event from the story's other events."""
    return [(m.start(), m.end()) for m in UNCODED.finditer(text)]
