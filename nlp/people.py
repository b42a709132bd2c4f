"""Who is who in a story: group name mentions into people, give each a canonical
name, and tell athletes from coaches, officials and others. Pure functions.

The canonical name is the fullest form the story gives ("Josh Kerr"); a
surname, first name or possessive maps to it, and so does a misspelling
within Damerau-Levenshtein distance 2 of a name in the story, for names of
five letters or more (short names are too easy to confuse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein

from trackwire.nlp.text import fold

PARTICLES = {"van", "de", "der", "den", "da", "di", "von", "le", "la", "du", "dos", "del", "ter"}
TITLES = {"fellow", "sir", "dame", "lord", "lady", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "coach",
          "president", "professor", "prof", "baroness", "baron", "judge", "captain", "sprinter", "hurdler", "runner",
          "walker", "jumper", "thrower", "banned", "compatriot", "team-mate", "teammate", "skipper", "veteran",
          # what an athlete is, written before the name at a sentence's start ("Decathlete Karl Ems opened ...")
          "decathlete", "heptathlete", "pentathlete", "miler", "marathoner", "steeplechaser", "vaulter",
          "long-jumper", "high-jumper", "triple-jumper", "shot-putter", "racer", "athlete", "para-athlete",
          "olympian", "paralympian", "youngster", "teenager", "newcomer", "debutant", "champion", "titleholder"}

ROLE_CUES = [
    ("coach", re.compile(r"\b(?:coach(?:es|ed|ing)?|trainer|mentor|trained by)\b", re.I)),
    ("official", re.compile(
        r"\b(?:president|director|chief|official|spokes(?:man|woman|person)|secretary|chair(?:man|woman)?|"
        r"executive|commissioner|minister|judge|panel|tribunal|organiser|organizer|promoter|head of|boss|"
        r"general secretary|vice-president|ceo|steward|referee|doping officer|team leader)\b", re.I)),
    ("other", re.compile(
        r"\b(?:lawyers?|attorneys?|solicitors?|agents?|manager|journalist|columnist|reporter|pundit|commentator|"
        r"presenter|psychologist|doctor|physio(?:therapist)?|nutritionist|chemist|scientist|founder|owner|"
        r"husband|wife|father|mother|dad|mum|brother|sister|son|daughter|boyfriend|girlfriend|fiancée?|"
        r"politician|MP|footballer|cricketer|golfer|boxer|cyclist|swimmer|tennis|rugby|prime minister|cricket|"
        r"football|soccer|golf|boxing|cycling|swimming|basketball|baseball|hockey|NBA|NFL|striker|goalkeeper|"
        r"batsman|bowler|jockey|actor|actress|singer|rapper|comedian)\b", re.I)),
]
ATHLETE_CUES = re.compile(
    r"\b(?:former|ex-|retired|one-time|veteran)\s*(?:\w+\s+){0,3}?(?:olympian|athlete|champion|runner|sprinter|"
    r"hurdler|jumper|thrower|vaulter|walker|decathlete|heptathlete|record[- ]holder|international|medallist|"
    r"steeplechaser|marathoner|miler)|"
    r"\bolympian\b|\b\d{4} (?:world|olympic|european|commonwealth) (?:champion|medallist)\b", re.I)


@dataclass
class Candidate:
    start: int
    end: int
    text: str


@dataclass
class Person:
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    role: str | None = None
    athlete: bool = True
    country: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    events: tuple[str, ...] = ()
    identity: str | None = None  # the registry's name for this athlete, whichever alias the story uses
    aliases: tuple[str, ...] = ()  # the registry's other names for them
    in_registry: bool = False

    @property
    def surname(self) -> str:
        return fold(self.name).split()[-1]

    @property
    def first(self) -> str:
        return fold(self.name).split()[0]


def clean_candidate(text: str, start: int, end: int) -> Candidate | None:
    """Trim possessives, titles and punctuation; None when nothing name-like remains."""
    punct = " ,.;:()-–—\"“”\n"
    while start < end and text[0] in punct:
        text, start = text[1:], start + 1
    while start < end and text[-1] in punct:
        text, end = text[:-1], end - 1
    possessive = re.search(r"['’]s$|(?<=s)['’]$", text)
    if possessive:
        text, end = text[:possessive.start()], end - len(possessive.group(0))
    while " " in text and (text.split()[0].lower().strip("'’") in TITLES or _demonym(text)):
        cut = len(text.split()[0])
        trimmed = text[cut:].lstrip()
        start += len(text) - len(trimmed)
        text = trimmed
    if not text or any(ch.isdigit() for ch in text) or not text[0].isupper():
        return None
    return Candidate(start, end, text)


NAME_LIKE_DEMONYMS = {"dane", "finn", "pole", "turk", "swede", "kiwi", "scot", "brit", "german", "french", "english"}


def _demonym(text: str) -> bool:
    """"Kenyan Otieno", "Scotsman Ian Doe": a nationality before a name is a description, not a name
    (one that is also a given name, "Dane Bird-Smith", only when a full name follows it)."""
    from trackwire.nlp.refer import demonyms

    first, *rest = text.split()
    word = first.lower()
    if word not in demonyms():
        return False
    return word not in NAME_LIKE_DEMONYMS or len(rest) >= 2


def group_people(candidates: list[Candidate]) -> list[Person]:
    """People in order of first mention; each candidate lands in exactly one."""
    people: list[Person] = []
    singles: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: c.start):
        if len(c.text.split()) == 1:
            singles.append(c)
            continue
        match = _full_match(people, c.text)
        if match is None:
            people.append(Person(c.text, [(c.start, c.end)]))
        else:
            match.mentions.append((c.start, c.end))
    for c in singles:
        match = _single_match(people, c)
        if match is None:
            people.append(Person(c.text, [(c.start, c.end)]))
        else:
            match.mentions.append((c.start, c.end))
    for p in people:
        p.mentions.sort()
    return sorted(people, key=lambda p: p.mentions[0][0])


def _full_match(people: list[Person], name: str) -> Person | None:
    key = fold(name)
    for p in people:
        if fold(p.name) == key:
            return p
    for p in people:
        if len(key) >= 5 and DamerauLevenshtein.distance(fold(p.name), key) <= 2 and p.surname[:1] == key.split()[-1][:1]:
            return p
    last = key.split()[-1]
    for p in people:  # "El Guerrouj" then "Hicham El Guerrouj": one person, the fuller name
        if p.surname == last and (fold(p.name).endswith(" " + key) or key.endswith(" " + fold(p.name))):
            if len(key) > len(fold(p.name)):
                p.name = name
            return p
    return None


def _single_match(people: list[Person], c: Candidate) -> Person | None:
    key = fold(c.text)
    before = [p for p in people if p.mentions[0][0] < c.start]
    ordered = sorted(before, key=lambda p: -p.mentions[0][0]) + [p for p in people if p not in before]
    for attr in ("surname", "first"):
        for p in ordered:
            if " " in fold(p.name) and getattr(p, attr) == key:
                return p
    if len(key) >= 5:
        for p in ordered:
            if " " in fold(p.name) and len(p.surname) >= 5 and DamerauLevenshtein.distance(p.surname, key) <= 2:
                return p
    for p in ordered:
        if fold(p.name) == key:
            return p
    return None


def merge_same(people: list[Person]) -> list[Person]:
    """One person per canonical name, after registry resolution; first names re-attached."""
    merged: dict[str, Person] = {}
    for p in people:
        key = fold(p.name)
        if key in merged:
            merged[key].mentions += p.mentions
            merged[key].in_registry |= p.in_registry
        else:
            merged[key] = p
    result = list(merged.values())
    full = [p for p in result if " " in p.name]
    for p in [p for p in result if " " not in p.name]:
        owner = next((f for f in full if f.first == fold(p.name) or f.surname == fold(p.name)), None)
        if owner is not None:
            owner.mentions += p.mentions
            result.remove(p)
    for p in result:
        p.mentions = sorted(set(p.mentions))
    return sorted(result, key=lambda p: p.mentions[0][0])


ORG_AFTER = re.compile(
    r"^\s*,?\s+of\s+(?:the\s+)?(?:[A-Z]{2,}\b|(?:[A-Z][\w&'’.-]*\s+){0,4}(?:Athletics|Laborator(?:y|ies)|Federation|"
    r"Association|Committee|Agency|Council|Union|Institute|University|College|Sport|Sports|Ltd|Inc|Company|"
    r"Commission|Foundation|Group|Club|Ministry|Court|Tribunal|Organi[sz]ation)\b)")
TITLE_BEFORE = re.compile(r"\b(?:Sir|Dame|Lord|Lady|Baroness|Baron|Mr|Mrs|Ms|Dr|Professor|Prof|Judge)\.?\s*$")
ROLE_SUBJECT = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}?(lawyers?|attorneys?|solicitors?|coach|agent|manager|"
                          r"spokes(?:man|woman|person)|doctor|president|chairman|chief)\s+(?:has|have|had|is|was|"
                          r"said|says|told|claimed|claims|called)\b", re.I)
ENUMERATION = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)$")


def assign_roles(text: str, people: list[Person]) -> None:
    """Set role and athlete flag from the words around each mention.

    Registry athletes stay athletes, with a role where one shows (a coach who competed). Anyone
    else is an athlete unless the text gives them another role: a role word before the name or in
    its appositive ("IAAF president Lamine Diack", "Nick Davies, spokesman for the IAAF"), an
    organisation after it ("Zara Hyde Peters of UK Athletics"), a courtesy title ("Sir Andrew
    Foster", "Mr Conte"), a role named as the subject of the sentence just before its first mention
    ("Kenteris' lawyer has called ... Gregory Ioannidis has submitted"), or a list led by someone
    with a role ("the panel: president A and B, C and D"). "Former Olympian" and the like make a
    role-holder an athlete again.
    """
    for p in people:
        role, evidence = _role(text, p)
        p.role = role
        p.athlete = p.in_registry or evidence or role is None
    _share_roles_in_lists(text, people)


def _role(text: str, p: Person) -> tuple[str | None, bool]:
    roles: list[str] = []
    evidence = False
    for start, end in p.mentions:
        before, after = _context(text, start, end)
        evidence = evidence or bool(ATHLETE_CUES.search(before + " | " + after))
        for role, cue in ROLE_CUES:
            if cue.search(before) or cue.search(after):
                roles.append(role)
                break
        else:
            if ORG_AFTER.match(text[end:end + 80]):
                roles.append("official" if re.match(r"\s*,?\s+of\s+(?:the\s+)?(?:[A-Z]{2,}|UK|British|World|"
                                                    r"European|International)", text[end:end + 40]) else "other")
            elif not p.in_registry and TITLE_BEFORE.search(text[max(0, start - 12):start]):
                roles.append("other")
    if not roles and not p.in_registry:
        role = _role_from_previous_sentence(text, p.mentions[0][0])
        if role:
            roles.append(role)
    return (roles[0] if roles else None), evidence


def _role_from_previous_sentence(text: str, start: int) -> str | None:
    """A first mention opening a sentence right after one whose subject is a role ("X's lawyer")."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start)) + 1
    if text[line_start:start].strip():
        return None
    stop = line_start
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    prev_end = max(text.rfind(". ", 0, stop - 1), text.rfind("\n", 0, stop)) + 1
    m = ROLE_SUBJECT.match(text[prev_end:stop])
    if m is None:
        return None
    word = m.group(1).lower()
    for role, cue in ROLE_CUES:
        if cue.search(word):
            return role
    return "other"


def _share_roles_in_lists(text: str, people: list[Person]) -> None:
    """Names listed after someone with a role ("president A and B, C and D") share that role."""
    mentions = sorted((s, e, p) for p in people for s, e in p.mentions)
    for i, (s, e, p) in enumerate(mentions):
        if p.role is None or p.athlete:
            continue
        end = e
        for s2, e2, q in mentions[i + 1:]:
            if not ENUMERATION.match(text[end:s2]):
                break
            if q.role is None and not q.in_registry:
                q.role, q.athlete = p.role, False
            end = e2


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to five words before the mention (same sentence) and its appositive after."""
    head = text[max(0, start - 80):start]
    head = re.split(r"[.!?\n\"“”]\s", head)[-1]
    before = " ".join(head.split()[-5:])
    after = ""
    m = re.match(r"\s*,\s*((?:the|a|an|his|her|their|who is|who was)\b[^,.;\"“”]{0,60}|"
                 r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+(?:for|of|at|to)\b[^,.;\"“”]{0,50})[,.]", text[end:end + 90])
    if m:
        after = m.group(1)
    elif re.match(r"\s*\(", text[end:end + 3]):
        after = text[end:end + 40].split(")")[0]
    return before, after
