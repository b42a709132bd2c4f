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
TITLES = {"sir", "dame", "lord", "lady", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "coach",
          "president", "professor", "prof", "baroness", "baron", "judge", "captain", "sprinter", "hurdler", "runner",
          "walker", "jumper", "thrower", "banned", "compatriot", "team-mate", "teammate", "skipper", "veteran"}

ROLE_CUES = [
    ("coach", re.compile(r"\b(?:coach(?:es|ed|ing)?|trainer|mentor|trained by)\b", re.I)),
    ("official", re.compile(
        r"\b(?:president|director|chief|official|spokes(?:man|woman|person)|secretary|chair(?:man|woman)?|"
        r"executive|commissioner|minister|judge|panel|tribunal|organiser|organizer|promoter|head of|boss|"
        r"general secretary|vice-president|ceo|steward|referee|doping officer)\b", re.I)),
    ("other", re.compile(
        r"\b(?:lawyers?|attorneys?|solicitors?|agents?|manager|journalist|columnist|reporter|pundit|commentator|"
        r"presenter|psychologist|doctor|physio(?:therapist)?|nutritionist|chemist|scientist|founder|owner|"
        r"husband|wife|father|mother|dad|mum|brother|sister|son|daughter|boyfriend|girlfriend|fiancée?|"
        r"politician|MP|footballer|cricketer|golfer|boxer|cyclist|swimmer|tennis|rugby|prime minister)\b", re.I)),
]
ATHLETE_CUES = re.compile(
    r"\b(?:former|ex-|retired|one-time|veteran)\s*(?:\w+\s+){0,3}?(?:olympian|athlete|champion|runner|sprinter|"
    r"hurdler|jumper|thrower|vaulter|walker|decathlete|heptathlete|record[- ]holder|international|medallist)|"
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
    while " " in text and text.split()[0].lower() in TITLES:
        cut = len(text.split()[0])
        trimmed = text[cut:].lstrip()
        start += len(text) - len(trimmed)
        text = trimmed
    if not text or any(ch.isdigit() for ch in text) or not text[0].isupper():
        return None
    return Candidate(start, end, text)


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


def assign_roles(text: str, people: list[Person]) -> None:
    """Set role and athlete flag from the words around each mention."""
    for p in people:
        roles: list[str] = []
        evidence = p.in_registry
        for start, end in p.mentions:
            before, after = _context(text, start, end)
            around = before + " | " + after
            evidence = evidence or bool(ATHLETE_CUES.search(around))
            for role, cue in ROLE_CUES:
                if cue.search(before) or cue.search(after):
                    roles.append(role)
                    break
        if roles:
            p.role = roles[0]
            p.athlete = evidence
        else:
            p.athlete = True


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
