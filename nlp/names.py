"""Where a story names people: candidate name spans from the registry, the model and the layout of
athletics writing. Pure functions of a parsed doc and the registry.

Sources of candidates (../shared/tagging-guide.md, ATHLETE; docs/tagging.md):

- runs of capitalised words that are a registry athlete's name (any word order of a three-part
  name: "Doudai Ismail Abakar" is the registry's "Ismail Doudai Abakar");
- the model's PERSON entities, and ORG/GPE/... ones shaped like a name whose first word is a given
  name the registry knows (the small model calls "Alistair Cragg" an ORG);
- the layout of results and reports, whatever the model says: "Japan's Kenya Karasawa",
  "Mia Pia Fernandez for Uruguay (5:50.21)", "Ann Lee (KEN) 14:05.22", "100 meters: A B, C D",
  "K Marsh (Belgrave) 7.91m", "Lee Moss clocked 20.11".

Every candidate is trimmed of titles and descriptions ("Scotsman Ian Doe", "the 17-year-old Ray
Moss") and extended over name particles the model cut off ("Julio Caesar Agripino dos Santos",
"Chris O'Donnell"). Clubs, championships, outlets, credit lines and Title Case headline phrases
are not names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from trackwire.nlp.people import PARTICLES, Candidate, clean_candidate
from trackwire.nlp.registry import Registry
from trackwire.nlp.text import UPPER, text_of

NAME_LABELS = {"PERSON"}
RESCUE_LABELS = {"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT", "LAW", "LANGUAGE"}
U = f"[{UPPER}]"
CAP = rf"{U}[\w-]*(?:['’]{U}[\w-]*)?"  # "O’Donnell", "Sha’Carri", "Čeh"; not "Ireland's"
NAME = rf"{CAP}(?:[ \t]+(?:(?:van|de|der|den|da|di|dos|das|du|del|von|ter|le|la|el|al|bin|ben)[ \t]+)*{CAP}){{1,3}}"
NAME_RUN = re.compile(NAME)
THING_AFTER = re.compile(r"^\s*(?:Stadium|Arena|Award|Awards|Trophy|Memorial|Games|Grand Prix|Classic|Invitational|"
                         r"Centre|Center|Foundation|Cup|Prize|Dream Mile|Meeting|Lecture|Bowl|Show|Stakes|Club|"
                         r"Harriers?|Striders|Athletic|Academy|School|University|College|Institute|Report|Review|"
                         r"Relays?)\b")
THING_PLACE = re.compile(r"^\s*(?:Park|Field|Track|Lane|Road|Street|Hall|Way)\s+(?:Stadium|Track|Centre|Arena)\b")
ORG_WORDS = re.compile(r"\b(?:Harriers?|Striders|Athletics?|AC|Club|TC|Runners|Joggers|Federation|Association|"
                       r"Committee|Championships?|Games|Trials|League|Series|Open|Indoors?|Classic|Invitational|"
                       r"Meeting|Cup|Marathon|Relays|Sport|Sports|News|Press|Times|Telegraph|Guardian|Reuters|AFP|"
                       r"Agency|Radio|TV|Television|Channel|Network|Media|Images|University|College|School|"
                       r"Institute|Laboratories|Laboratory|Lab|Co-operative|Cooperative|Company|Group|Ltd|Inc|Council|"
                       r"Ministry|Government|Police|Court|Tribunal|Stadium|Arena|Centre|Center|Town|City|United|Rovers|"
                       r"Wanderers|Albion|Hotspur|FC)\b")
# Words for what an athlete is, written between a school or club and a name ("Ole Miss thrower Kezia
# Amankwah", "Texas sophomore Jalen Pruitt"): one list for both rules that read that layout.
ATHLETE_KINDS = (r"distance\s+runner|thrower|sprinter|hurdler|jumper|vaulter|runner|miler|walker|decathlete|"
                 r"heptathlete|marathoner|steeplechaser|standout|freshman|sophomore|junior|senior|redshirt|graduate|"
                 r"star|captain")
SCHOOL_BEFORE_ROLE = re.compile(rf"\s+(?:{ATHLETE_KINDS})\s+{U}[\w'’-]+\s+{U}")
CREDIT = re.compile(r"\b(?:Writing|Reporting|Editing|Compiled|Additional reporting|Photo|Photos|Picture|Pictures|"
                    r"Image|Images|Video|Words|Story)\s+(?:by|:)\s+$", re.I)
_POSSESSIVE_COUNTRY = re.compile(rf"\b([A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)(?:['’]s|(?<=s)['’])\s+({NAME})")
_RESULTS = re.compile(rf"({NAME})(?=\s*\((?:[A-Z]{{3}}|[A-Z][\w .'’-]{{1,30}})\)|\s+for\s+[A-Z][\w .'’-]{{1,30}}\s*\(|"
                      rf",\s*\d{{1,2}}[:.]\d|\s*\(\s*\d{{1,2}}[:.]\d)")
# "1 Ola Bakare 20.44 Q, 2 Sean Flett 20.61": a name that a place or a list separator opens and a
# mark closes, in a results line without countries or clubs
_PLACED = re.compile(rf"(?:^|[\n,;:]|(?<![\d.:])\b\d{{1,2}}\.?\)?)[ \t]*({NAME})"
                     rf"(?=[ \t]+\d{{1,2}}(?::\d{{2}})?[.:]\d{{2}}(?![\d.:])|[ \t]+\d{{1,2}}\.\d{{2}}\s*m\b)", re.M)
# "compatriot Moses Langat", "Ole Miss thrower Kezia Amankwah": a name after a word for what a person is
_AFTER_ROLE_WORD = re.compile(rf"\b(?:compatriot|countryman|countrywoman|team-?mate|rival|training\s+partner|"
                              rf"pacemaker|pacer|club-?mate|{ATHLETE_KINDS})[ \t]+({NAME})")
_INITIAL = re.compile(r"(?<![\w.])([A-Z])\.?\s+([A-Z][a-z][\w'’-]+)(?=\s*\(|\s*,?\s*\d|\s+for\s+[A-Z])")
_ATHLETIC_VERB = re.compile(rf"({NAME})\s+(?=(?:won|wins|clocked|ran|runs|threw|throws|jumped|leapt|leaped|cleared|"
                            r"vaulted|finished|took|claimed|edged|beat|raced|recorded|posted|triumphed|secured|"
                            r"qualified|set|smashed|broke|heaved|soared|sprinted|stormed|cruised|opened|produced|"
                            r"managed|improved|equalled|equaled|clinched|retained|defended|landed|hurled|launched|"
                            r"surged)\b)")
_SPEAKER = re.compile(rf"\b(?:said|says|added|adds|told|explained|insisted|admitted|according to)\s+"
                      rf"({NAME}|{CAP}(?![ \t]+[a-z]+[ \t]+{U}))\b(?!['’])|"
                      rf"[\"”’'][ \t]*[-–—]+[ \t]*({NAME})|"
                      rf"({NAME}),\s+who\s+(?:is|was|has|had|won|took|ran|set)\b|"
                      rf"[”\"],?\s*({NAME})\s+(?:said|says|added|adds|told|explained|insisted|admitted)\b")
_POSSESSOR = re.compile(rf"\b({CAP})['’]s\s+(?:PB|PR|SB|personal best|season's best|best|time|record|mark|win|"
                        r"victory|throw|jump|leap|clearance|effort|run|heave|score|total)\b")
_LABEL_LIST = re.compile(r"(?:^|(?<=[.;] ))[^:.;\n]{0,40}\b(?:\d[\d,]*\s*(?:m|metres|meters|meter)|hurdles|relay|jump|vault|put|throw|"
                         r"marathon|steeplechase|walk|decathlon|heptathlon)s?\s*:\s*(?P<names>[^;.\n]+)", re.I | re.M)


def registry_names(text: str, registry: Registry) -> list[Candidate]:
    """Runs of capitalised words whose longest sub-run is a registry athlete's name."""
    found = []
    for run in NAME_RUN.finditer(text):
        words = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group(0))]
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + 4), i + 1, -1):
                c = clean_candidate(text[words[i][0]:words[j - 1][1]], words[i][0], words[j - 1][1])
                if c and registry.lookup(c.text):
                    found.append(c)
                    i = j - 1
                    break
            i += 1
    return found


def model_names(doc: Doc, registry: Registry, stopwords: set[str]) -> list[Candidate]:
    """PERSON entities, and other entities shaped like a name ("Alistair Cragg" as ORG)."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS and ent.label_ not in RESCUE_LABELS:
            continue
        c = clean_candidate(ent.text, ent.start_char, ent.end_char)
        if c is None or not name_shaped(c.text, stopwords):
            continue
        words = c.text.split()
        if ent.label_ in RESCUE_LABELS and not (2 <= len(words) <= 4 and registry.is_given_name(words[0])):
            continue
        found.append(c)
    return found


def layout_names(doc: Doc, registry: Registry, stopwords: set[str]) -> list[Candidate]:
    """Names the layout of athletics writing gives, whatever the model says."""
    text = text_of(doc)
    countries = {e.start_char for e in doc.ents if e.label_ in ("GPE", "NORP", "LOC")}
    found = []
    for m in _POSSESSIVE_COUNTRY.finditer(text):  # "Kenya's X", "Durham's Finlay McAteer", "Riverside Harriers' X"
        if m.start(1) in countries or registry.is_given_name(m.group(2).split()[0], min_count=1):
            found.append((m.start(2), m.end(2)))
    for pattern in (_RESULTS, _ATHLETIC_VERB, _PLACED, _AFTER_ROLE_WORD):
        found += [(m.start(1), m.end(1)) for m in pattern.finditer(text)]
    found += _of_country(text, countries, registry)
    found += [(m.start(1), m.end(1)) for m in _POSSESSOR.finditer(text)  # "Kerr's PB of 3:27.79"
              if registry.has_surname(m.group(1))]
    for m in _SPEAKER.finditer(text):  # "said Papadoyiannakis", "Yiannis Papadoyiannakis, who was"
        group = next(g for g in (1, 2, 3, 4) if m.group(g))
        found.append((m.start(group), m.end(group)))
    for m in _LABEL_LIST.finditer(text):
        start = m.start("names")
        for part in re.finditer(r"[^,&]+", m.group("names")):
            chunk = part.group().strip()
            if re.fullmatch(NAME, chunk) and len(chunk.split()) <= 4:
                offset = start + part.start() + part.group().index(chunk)
                found.append((offset, offset + len(chunk)))
    found += [(m.start(), m.end()) for m in _INITIAL.finditer(text)]
    found += _enumerated(doc, registry)
    found += _subject_names(doc, registry)
    places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "NORP", "LOC")]
    out = []
    for s, e in found:
        c = clean_candidate(text[s:e], s, e)
        if c is None or not (name_shaped(c.text, stopwords) or _initial_name(c.text)):
            continue
        if re.search(r"\bfor\s+(?:the\s+)?$", text[max(0, c.start - 9):c.start]) or (c.start, c.end) in places:
            continue  # "... for Great Britain (5:26.08)": the country, not the runner
        if c.text.split()[0].lower() in STOP_WORDS and not registry.lookup(c.text) and not _initial_name(c.text):
            continue  # "When I won ...", but "2 A Fairburn (Rotherham) 24.66" is an initial
        out.append(c)
    return out


def _enumerated(doc: Doc, registry: Registry) -> list[tuple[int, int]]:
    """Every name of a list of two-word names joined by commas and "and", when the model calls at least
    two of them PERSON or the registry knows them ("A B, C D and E F"), or one of them after words that
    introduce people ("after changes from A B, C D and E F"), none of them a place."""
    text = text_of(doc)
    persons = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"}
    places = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")}
    two = rf"{U}[\w'’-]+[ \t]+{U}[\w'’-]+"
    found = []
    for m in re.finditer(rf"{two}(?:\s*,\s*{two})*(?:\s*,?\s+and\s+{two})", text):
        items = [(i.start(), i.end()) for i in re.finditer(two, m.group())]
        items = [(m.start() + s, m.start() + e) for s, e in items]
        if any(item in places for item in items):
            continue
        known = sum((s, e) in persons or registry.lookup(text[s:e]) is not None for s, e in items)
        introduced = re.search(r"\b(?:from|comprising|including|featuring|formed\s+by|made\s+up\s+of)\s+$",
                               text[max(0, m.start() - 30):m.start()])
        if known >= 2 or (known >= 1 and introduced):
            found += items
    return found


def _of_country(text: str, places: set[int], registry: Registry) -> list[tuple[int, int]]:
    """"Ama Owusu of Ghana", "Lucía Ledesma of Valencia", "Keiran Molloy of Ashfield AC": a name and
    the country, city or club an athlete represents."""
    from trackwire.nlp.refer import countries

    names = countries()
    found = []
    for m in re.finditer(rf"({NAME})[ \t]+(?:of|from)[ \t]+(?:the[ \t]+)?({U}[\w'’ -]{{1,30}}?)(?=[\s,.;:)]|$)", text):
        where = m.group(2).strip()
        if where.lower() in names or m.start(2) in places or ORG_WORDS.search(text[m.start(2):m.start(2) + 40]) \
                or registry.is_given_name(m.group(1).split()[0], min_count=1):
            found.append((m.start(1), m.end(1)))
    return found


def _subject_names(doc: Doc, registry: Registry) -> list[tuple[int, int]]:
    """Two or three capitalised words opening a sentence, before its verb, whose first word is a given
    name the registry knows: "Tomas Ferrand held off ..." names a person whatever the model says."""
    found = []
    text = text_of(doc)
    starts = {0} | {m.end() for m in re.finditer(r"\n+|(?<=[.!?])\s+", text)}
    for start in sorted(starts):
        span = doc.char_span(start, min(len(text), start + 60), alignment_mode="contract")
        if span is None:
            continue
        words = []
        for t in span:
            if "\n" in t.text_with_ws and words:
                words.append(t)
                break
            if not t.is_space:
                words.append(t)
        words = words[:4]
        if len(words) < 3 or not registry.is_given_name(words[0].text):
            continue
        for n in (2, 3):
            if len(words) > n and all(w.text[:1].isupper() and w.is_alpha for w in words[:n]) and \
                    words[n].tag_ in ("VBD", "VBZ", "MD") or (len(words) > n and words[n].lemma_ == "have"):
                found.append((words[0].idx, words[n - 1].idx + len(words[n - 1])))
                break
    return found


def _initial_name(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?\s+[A-Z][a-z][\w'’-]+", text))


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """nlp/data/places.txt: places the model tags PERSON, never a person as a whole candidate."""
    raw = resources.files("trackwire.nlp").joinpath("data").joinpath("places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


def name_shaped(text: str, stopwords: set[str]) -> bool:
    words = text.split()
    if text.casefold() in places():
        return False
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return False  # "AK", "IAAF": an organisation's letters, not a name
    if len(words) > 5 or text.casefold() in stopwords or any(w.casefold().strip("'’") in stopwords for w in words):
        return False
    if ORG_WORDS.search(text):
        return False
    return all(w[0].isupper() or w.lower() in PARTICLES for w in words)


def extend(doc: Doc, c: Candidate, registry: Registry) -> Candidate:
    """Widen a candidate over name parts the model cut off: a particle and a capitalised word
    after it ("dos Santos"), an O'/Mc- word, or a capitalised word before it when the wider
    name is the registry's ("Doudai Ismail Abakar")."""
    text = text_of(doc)
    tail = re.match(rf"([ \t]+(?:(?:van|de|der|den|da|di|dos|das|du|del|von|ter|le|la|el|al|bin|ben)[ \t]+)+{U}[\w'’-]+"
                    rf"|[ \t]+O['’]{U}[\w'’-]+|['’]{U}[\w'’-]+)", text[c.end:c.end + 40])
    if tail:
        c = Candidate(c.start, c.end + tail.end(), text[c.start:c.end + tail.end()])
    head = re.search(rf"(?<![\w'’.-])({U}[a-z][\w'’-]+)[ \t]+$", text[max(0, c.start - 30):c.start])
    if head:
        wider = text[c.start - len(head.group(0)):c.end]
        if registry.lookup(wider) and not registry.lookup(c.text):
            c = Candidate(c.start - len(head.group(0)), c.end, wider)
    return c


def drop_things(text: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Leave out names used as a thing ("the Mo Farah Stadium") and people in credit lines."""
    out = []
    for c in candidates:
        if THING_AFTER.match(text[c.end:c.end + 20]) or THING_AFTER.match(" " + c.text.split()[-1]) \
                or THING_PLACE.match(text[c.end:c.end + 30]):
            continue
        if CREDIT.search(text[max(0, c.start - 30):c.start]):
            continue
        if SCHOOL_BEFORE_ROLE.match(text[c.end:c.end + 40]):
            continue  # "Ole Miss sophomore Jalen Pruett": the school or club the athlete is from
        if re.search(rf"{U}[\w'’.-]*\s*\(\s*$", text[max(0, c.start - 40):c.start]) and \
                re.match(r"\s*\)", text[c.end:c.end + 3]):
            continue  # "Jonah Etuk (Herne Hill) 20.80": the club in brackets after a name
        out.append(c)
    return out


def headline_only(text: str, c: Candidate, others: list[Candidate]) -> bool:
    """A Title Case phrase of the headline that the story never names again ("Stunning Comeback")."""
    headline_end = text.find("\n")
    if headline_end == -1 or c.start >= headline_end:
        return False
    last = c.text.split()[-1].casefold()
    return not any(o.start > headline_end and last in o.text.casefold().split() for o in others) and \
        not re.search(rf"\b{re.escape(c.text.split()[-1])}\b", text[headline_end:])
