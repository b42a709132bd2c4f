"""Who is who in a story: candidate names (nlp/names.py) grouped into people (nlp/people.py), each
given its canonical name and registry identity, then told athlete or not.

Canonical names (../shared/tagging-guide.md, ATHLETE and "Settled questions"):

- A full name keeps the spelling the story introduces ("Wycliffe Kinyamal", "Keni Harrison");
  it takes the registry's spelling only when the story's is a slip that no athlete's name uses
  ("Fionnualla Britton" -> "Fionnuala Britton"), and the registry's facts in either case.
- Initials in results lines ("K Marsh") take the story's full name of that surname and initial,
  else the one registry athlete of that surname and initial who competes in a story event.
- A name never given in full takes the registry's full name when the story pins one athlete:
  a surname of one registry athlete in the story's events ("Radcliffe" in a marathon story), a
  nickname ("Mondo"), or a given name with a surname the story names ("Lyles' brother Josephus").
  Otherwise a single name stays only where the text shows a person ("said Marisol").
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from trackwire.nlp.names import drop_things, extend, headline_only, layout_names, model_names, registry_names
from trackwire.nlp.people import Candidate, Person, assign_roles, clean_candidate, group_people, merge_same
from trackwire.nlp.registry import Entry, Registry, one_person
from trackwire.nlp.text import UPPER, fold, text_of

SPEECH_AFTER = re.compile(r"^(?:\s+(?:said|says|added|told|admitted|insisted|explained|won|clocked|ran|"
                          r"threw|jumped|finished|took)\b)")
SPEECH_BEFORE = re.compile(r"\b(?:said|says|added|adds|told|explained|insisted|admitted)\s+$")
INITIAL = re.compile(r"^([A-Z])\.?\s+(\S.*)$")


@lru_cache(maxsize=1)
def load_nicknames() -> dict[str, str]:
    """nlp/data/nicknames.tsv: folded nickname -> registry name."""
    text = resources.files("trackwire.nlp").joinpath("data", "nicknames.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {fold(nick): name.strip() for nick, name in rows}


class Identifier:
    """People in a doc, against a registry (the packaged lists plus any the store imported)."""

    def __init__(self, registry: Registry, stopwords: set[str], nicknames: dict[str, str] | None = None):
        self.registry = registry
        self.stopwords = stopwords
        self.nicknames = load_nicknames() if nicknames is None else nicknames

    def people(self, doc: Doc, story_events: set[str]) -> list[Person]:
        text = text_of(doc)
        candidates = self.candidates(doc)
        people = group_people(candidates)
        people = add_bare_surnames(text, people)
        people = self._given_names(people)
        people = self._introduced(text, people)
        full = [p for p in people if " " in p.name or self._nickname(p.name)]
        single = [p for p in people if p not in full]
        for p in full:  # "C Reddaway" in a results line after "Callum Reddaway" in the report
            initial = INITIAL.match(p.name)
            if initial:
                same = [q for q in full if not INITIAL.match(q.name) and q.surname == fold(initial.group(2))
                        and q.first[:1] == initial.group(1).lower()]
                if len({q.name for q in same}) == 1:
                    p.name = same[0].name
        full = [p for p in (self._canonical(text, p, story_events) for p in full) if p is not None]
        by_surname = {q.surname: q for q in full if " " in q.name}
        for p in single:  # "Duplantis" after "Mondo" resolved to Armand Duplantis
            if fold(p.name) in by_surname:
                p.name = by_surname[fold(p.name)].name
        single = [p for p in (self._canonical(text, p, story_events) if " " not in p.name else p for p in single)
                  if p is not None]
        people = merge_same(sorted(full + single, key=lambda p: p.mentions[0][0]))
        people = add_bare_surnames(text, people)  # surnames of names resolved just now ("Mondo" -> Duplantis)
        assign_roles(text, people)
        return people

    def candidates(self, doc: Doc) -> list[Candidate]:
        text = text_of(doc)
        known = registry_names(text, self.registry) + self._nickname_words(text)
        other = [extend(doc, c, self.registry) for c in model_names(doc, self.registry, self.stopwords)
                 + layout_names(doc, self.registry, self.stopwords)]
        chosen = _widest(drop_things(text, known), drop_things(text, other))
        return [c for c in chosen if self.registry.lookup(c.text) or self.registry.has_surname(c.text)
                or not headline_only(text, c, chosen)]

    def _nickname_words(self, text: str) -> list[Candidate]:
        found = []
        for nick in self.nicknames:
            for m in re.finditer(rf"(?<![\w-]){re.escape(nick)}(?![\w-])", text, re.I):
                if m.group(0)[0].isupper():
                    found.append(Candidate(m.start(), m.end(), m.group(0)))
        return found

    # ------------------------------------------------------------ canonical names

    def _canonical(self, text: str, p: Person, story_events: set[str]) -> Person | None:
        initial = INITIAL.match(p.name)
        if initial:
            return self._initialled(p, initial.group(1), initial.group(2), story_events)
        if " " in p.name:
            entry = self.registry.lookup(p.name)
            if entry is None:
                entry = self.registry.closest(p.name)
                if entry is not None and not self.registry.real_spelling(p.name):
                    p.name = self.registry.spelling(entry, p.name)  # a slip: the registry's spelling
            if entry is not None:
                take_registry_facts(p, entry)
            return p
        entry = self._nickname(p.name) or self._surname_in_context(p.name, story_events)
        if entry is not None:
            p.name = min((entry.name, *entry.aliases), key=lambda n: (len(n.split()), len(n)))  # the usual short form
            take_registry_facts(p, entry)
            return p
        spoken = any(SPEECH_AFTER.match(text[e:e + 12]) or SPEECH_BEFORE.search(text[max(0, s - 14):s])
                     for s, e in p.mentions)
        return p if spoken else None

    def _nickname(self, word: str) -> Entry | None:
        name = self.nicknames.get(fold(word))
        return self.registry.get(name) if name else None

    def _surname_in_context(self, surname: str, story_events: set[str]) -> Entry | None:
        """The one registry athlete with this surname who competes in an event the story names."""
        return one_person([e for e in self.registry.by_surname.get(fold(surname), []) if story_events & set(e.events)])

    def _initialled(self, p: Person, letter: str, surname: str, story_events: set[str]) -> Person:
        """"K Marsh": the one registry athlete of that surname and initial in the story's events."""
        entry = one_person([e for e in self.registry.by_surname.get(fold(surname), [])
                            if fold(e.name)[:1] == letter.lower() and (not story_events or story_events & set(e.events))])
        if entry is not None:
            p.name = entry.name
            take_registry_facts(p, entry)
        return p

    def _given_names(self, people: list[Person]) -> list[Person]:
        """A given name alone that the registry knows with a surname the story names ("Lyles' younger
        brother Josephus" -> Josephus Lyles) becomes that athlete."""
        surnames = {p.surname for p in people if " " in p.name} | {fold(p.name) for p in people if " " not in p.name}
        for p in people:
            if " " in p.name:
                continue
            for surname in surnames - {fold(p.name)}:
                entry = self.registry.get(f"{p.name} {surname}")
                if entry is not None and not any(fold(o.name) == fold(entry.name) for o in people):
                    p.name = entry.name
                    break
        return people


    def _introduced(self, text: str, people: list[Person]) -> list[Person]:
        """A surname the model found only alone, whose first mention in the body comes with a
        capitalised word before it that is no title, demonym, day or month: the article introduced
        the athlete in full there ("Nneka Okonkwo became ...", then "Okonkwo told reporters")."""
        from trackwire.nlp.names import name_shaped

        body = text.find("\n") + 1
        named = {fold(p.name) for p in people}
        for p in people:
            if " " in p.name or INITIAL.match(p.name) or self._nickname(p.name):
                continue
            first = re.search(rf"(?<![\w'’.-])\b{re.escape(p.name)}\b", text[body:])
            if first is None:
                continue
            start = body + first.start()
            given = re.search(rf"(?<![\w'’.-])({UPPER_WORD})[ \t]+$", text[max(body, start - 30):start])
            if given is None or given.group(1).lower() in CALENDAR:
                continue
            c = clean_candidate(f"{given.group(1)} {p.name}", start - len(given.group(0)), start + len(p.name))
            if c is None or " " not in c.text or not name_shaped(c.text, self.stopwords) or fold(c.text) in named:
                continue
            p.name = c.text
            p.mentions = sorted({*p.mentions, (c.start, c.end)} - {(start, start + len(p.name.split()[-1]))})
        return people


CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
            "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
UPPER_WORD = rf"[{UPPER}][a-z][\w'’-]*"


def take_registry_facts(p: Person, entry: Entry) -> None:
    p.in_registry, p.country, p.sex, p.birth_year, p.events = True, entry.country, entry.sex, entry.birth_year, \
        entry.events
    p.identity, p.aliases = entry.name, entry.aliases


def add_bare_surnames(text: str, people: list[Person]) -> list[Person]:
    """Surnames the model missed or mislabelled (headlines, "Kerr" as ORG) that name a person in the story."""
    from trackwire.nlp.names import THING_AFTER

    known = {}
    for p in people:
        if " " in p.name and not INITIAL.match(p.name):
            known.setdefault(p.surname, p)
    taken = [(s, e) for p in people for s, e in p.mentions]
    for m in re.finditer(rf"\b[{UPPER}][\w'’-]+", text):
        c = clean_candidate(m.group(0), m.start(), m.end())
        if c is None or " " in c.text:
            continue
        person = known.get(fold(c.text)) or _misspelt(fold(c.text), known)
        if person is None or any(s <= c.start < e for s, e in taken) or THING_AFTER.match(text[c.end:c.end + 20]):
            continue
        person.mentions.append((c.start, c.end))
        taken.append((c.start, c.end))
    for p in people:
        p.mentions.sort()
    return people


def _misspelt(word: str, known: dict) -> Person | None:
    """The one person whose surname `word` misspells by a typing slip ("Ingebrigsten")."""
    from trackwire.nlp.registry import is_typo

    if len(word) < 6:
        return None
    found = {id(p): p for surname, p in known.items() if len(surname) >= 6 and is_typo(word, surname)}
    return next(iter(found.values())) if len(found) == 1 else None


def _widest(known: list[Candidate], other: list[Candidate]) -> list[Candidate]:
    """Registry names first; then, of the other candidates that overlap none, the widest."""
    chosen: list[Candidate] = []
    for c in known + sorted(other, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(c.start < o.end and o.start < c.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)
