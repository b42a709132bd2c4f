"""The athletics_* spaCy components. Each adds plain data to `doc._.athletics`
(dicts with character offsets, safe across `nlp.pipe(n_process=...)`) and its
spans to `doc.spans`. Rules and lists are data files beside this module.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc
from spacy.util import registry

from trackwire.nlp.codes import PatternError
from trackwire.nlp.events import resolve, uncoded
from trackwire.nlp.performances import performances
from trackwire.nlp.marks import find_marks
from trackwire.nlp.people import PARTICLES, Candidate, Person, assign_roles, clean_candidate, group_people, merge_same
from trackwire.nlp.quotes import NameMention, attribute, find_quotes
from trackwire.nlp.registry import Entry, Registry, load_registry
from trackwire.nlp.text import fold

if not Doc.has_extension("athletics"):
    Doc.set_extension("athletics", default=None)

KEYS = ("athletes", "people", "events", "marks", "quotes", "performances")


def data(doc: Doc) -> dict:
    if doc._.athletics is None:
        doc._.athletics = {k: [] for k in KEYS}
    return doc._.athletics


def load_jsonl(name: str) -> list[dict]:
    """Patterns from nlp/patterns/NAME, checked line by line."""
    rows = []
    text = resources.files("trackwire.nlp").joinpath("patterns").joinpath(name).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"nlp/patterns/{name} line {number}: not JSON ({exc.msg})") from None
        if not {"label", "pattern", "id"} <= row.keys():
            raise PatternError(f"nlp/patterns/{name} line {number}: needs label, pattern and id")
        rows.append(row)
    return rows


def load_words(name: str) -> set[str]:
    text = resources.files("trackwire.nlp").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return {line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")}


# ---------------------------------------------------------------- paragraphs

@Language.component("athletics_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: the token after one starts the next (the parser keeps it)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = True
    return doc


# ---------------------------------------------------------------- events

@Language.factory("athletics_events", default_config={"patterns": None})
def make_events(nlp: Language, name: str, patterns: list[dict] | None) -> "EventTagger":
    return EventTagger(nlp, name, patterns if patterns is not None else load_jsonl("events.jsonl"))


class EventTagger:
    """Event mentions from span_ruler patterns, resolved by the rules of nlp/events.py."""

    def __init__(self, nlp: Language, name: str, patterns: list[dict]):
        self.name = name
        self.ruler = SpanRuler(nlp, name=f"{name}_ruler", spans_key="athletics_events_raw",
                               spans_filter=registry.misc.get("spacy.first_longest_spans_filter.v1")(),
                               validate=True)
        self.ruler.add_patterns(patterns)

    def __call__(self, doc: Doc) -> Doc:
        doc = self.ruler(doc)
        found = resolve(doc, list(doc.spans.pop("athletics_events_raw", [])))
        spans = [doc.char_span(e.start, e.end, alignment_mode="expand") for e in found]
        doc.spans["events"] = [s for s in spans if s is not None]
        data(doc)["events"] = [e.as_dict() for e in found]
        data(doc)["uncoded"] = uncoded(doc.text)
        return doc


# ---------------------------------------------------------------- marks

@Language.factory("athletics_marks")
def make_marks(nlp: Language, name: str) -> "MarkTagger":
    return MarkTagger()


class MarkTagger:
    def __call__(self, doc: Doc) -> Doc:
        marks = find_marks(doc.text, [(ev["start"], ev["event"]) for ev in data(doc)["events"]])
        data(doc)["marks"] = [m.as_dict() for m in marks]
        spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in marks]
        doc.spans["marks"] = [s for s in spans if s is not None]
        return doc


# ---------------------------------------------------------------- people

NAME_LABELS = {"PERSON"}
RESCUE_LABELS = {"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT"}
THING_AFTER = re.compile(r"^\s*(?:Stadium|Arena|Award|Awards|Trophy|Memorial|Games|Grand Prix|Classic|Invitational|"
                         r"Centre|Center|Park|Foundation|Cup|Prize|Field|Track|Dream Mile|Meeting|Lecture|Bowl)\b")


NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:van|de|der|den|da|di|von|le|la|du|dos|del|ter)\s+)*[A-Z][\w'’.-]*)+")
SPEECH_AFTER = re.compile(r"^(?:['’]s\b|\s+(?:said|says|added|told|admitted|insisted|explained)\b)")


@Language.factory("athletics_people", default_config={"stopwords": None, "use_registry": True})
def make_people(nlp: Language, name: str, stopwords: list[str] | None, use_registry: bool) -> "PeopleTagger":
    return PeopleTagger(set(stopwords) if stopwords is not None else load_words("not_names.txt"),
                        load_registry() if use_registry else Registry([]))


class PeopleTagger:
    """People from PERSON entities and registry names; athletes told from coaches, officials, others."""

    def __init__(self, stopwords: set[str], registry: Registry):
        self.stopwords = stopwords
        self.registry = registry

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text joins every token: read it once
        known = self._registry_names(text)
        candidates = known + [c for c in self._model_names(doc, text) if not _overlaps(c, known)]
        people = group_people(candidates)
        people = self._add_bare_surnames(text, people)
        story_events = {ev["event"] for ev in data(doc)["events"]}
        people = [p for p in (self._canonical(text, p, story_events) for p in people) if p is not None]
        people = merge_same(people)
        assign_roles(text, people)
        out = data(doc)
        out["athletes"] = [{"name": p.name, "identity": p.identity, "aliases": list(p.aliases),
                            "country": p.country, "sex": p.sex,
                            "birth_year": p.birth_year, "events": list(p.events),
                            "mentions": [list(m) for m in p.mentions]} for p in people if p.athlete]
        out["people"] = [{"name": p.name, "role": p.role, "sex": p.sex, "mentions": [list(m) for m in p.mentions]}
                         for p in people if p.role]
        spans = [doc.char_span(s, e, alignment_mode="expand") for p in people for s, e in p.mentions]
        doc.spans["people"] = [s for s in spans if s is not None]
        return doc

    def _registry_names(self, text: str) -> list[Candidate]:
        """Runs of capitalised words whose longest sub-run is a registry athlete's name."""
        found = []
        for run in NAME_RUN.finditer(text):
            words = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group(0))]
            i = 0
            while i < len(words):
                for j in range(min(len(words), i + 4), i + 1, -1):
                    c = clean_candidate(text[words[i][0]:words[j - 1][1]], words[i][0], words[j - 1][1])
                    if c and self.registry.get(c.text):
                        found.append(c)
                        i = j - 1
                        break
                i += 1
        return found

    def _model_names(self, doc: Doc, text: str) -> list[Candidate]:
        """PERSON entities, and ORG/GPE ones shaped like a name ("Alistair Cragg" as ORG)."""
        found = []
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS and ent.label_ not in RESCUE_LABELS:
                continue
            c = clean_candidate(ent.text, ent.start_char, ent.end_char)
            if c is None or not self._name_shaped(c.text) or THING_AFTER.match(text[c.end:c.end + 20]) \
                    or THING_AFTER.match(" " + c.text.split()[-1]):
                continue
            words = c.text.split()
            if ent.label_ in RESCUE_LABELS and not (2 <= len(words) <= 3 and self.registry.is_given_name(words[0])):
                continue
            found.append(c)
        return found

    def _name_shaped(self, text: str) -> bool:
        words = text.split()
        if text.casefold() in self.stopwords or any(w.casefold().strip("'’") in self.stopwords for w in words):
            return False
        return all(w[0].isupper() or w.lower() in PARTICLES for w in words)

    def _canonical(self, text: str, p: Person, story_events: set[str]) -> Person | None:
        """Registry facts and spelling for full names; bare single names need evidence to stay."""
        if " " in p.name:
            entry = self.registry.get(p.name)
            if entry is None:  # a misspelling takes the registry's spelling of the name it misspells
                entry = self.registry.closest(p.name)
                if entry is not None:
                    p.name = self.registry.spelling(entry, p.name)
            if entry is not None:
                _take_registry_facts(p, entry)
            return p
        entry = self._surname_in_context(p.name, story_events)
        if entry is not None:
            p.name = entry.name
            _take_registry_facts(p, entry)
            return p
        spoken = any(SPEECH_AFTER.match(text[e:e + 12]) for _, e in p.mentions)
        return p if spoken else None

    def _surname_in_context(self, surname: str, story_events: set[str]) -> Entry | None:
        """The one registry athlete with this surname who competes in an event the story names."""
        fits = [e for e in self.registry.by_surname.get(fold(surname), []) if story_events & set(e.events)]
        return fits[0] if len(fits) == 1 else None

    def _add_bare_surnames(self, text: str, people: list[Person]) -> list[Person]:
        """Surnames the model missed or mislabelled (headlines, "Kerr" as ORG) that name a person in the story."""
        known = {}
        for p in people:
            if " " in p.name:
                known.setdefault(p.surname, p)
        taken = [(s, e) for p in people for s, e in p.mentions]
        for m in re.finditer(r"\b[A-Z][\w'’-]+", text):
            c = clean_candidate(m.group(0), m.start(), m.end())
            if c is None or " " in c.text:
                continue
            person = known.get(fold(c.text))
            if person is None or any(s <= c.start < e for s, e in taken):
                continue
            if THING_AFTER.match(text[c.end:c.end + 20]):
                continue
            person.mentions.append((c.start, c.end))
            taken.append((c.start, c.end))
        for p in people:
            p.mentions.sort()
        return people


def _take_registry_facts(p: Person, entry: Entry) -> None:
    p.in_registry, p.country, p.sex, p.birth_year, p.events = True, entry.country, entry.sex, entry.birth_year, \
        entry.events
    p.identity, p.aliases = entry.name, entry.aliases


def _overlaps(c: Candidate, others: list[Candidate]) -> bool:
    return any(c.start < o.end and o.start < c.end for o in others)


# ---------------------------------------------------------------- quotes

@Language.factory("athletics_quotes")
def make_quotes(nlp: Language, name: str) -> "QuoteTagger":
    return QuoteTagger()


class QuoteTagger:
    def __call__(self, doc: Doc) -> Doc:
        out = data(doc)
        text = doc.text
        quotes = find_quotes(text)
        names = [NameMention(s, e, p["name"], kind == "athletes", p.get("sex"))
                 for kind in ("athletes", "people") for p in out[kind] for s, e in p["mentions"]]
        names.sort(key=lambda n: n.start)
        speakers = attribute(text, quotes, names)
        out["quotes"] = [{"text": q.text(text), "start": q.start, "end": q.end, "speaker": who}
                         for q, who in zip(quotes, speakers, strict=True)]
        spans = [doc.char_span(q.start, q.end, alignment_mode="expand") for q in quotes]
        doc.spans["quotes"] = [s for s in spans if s is not None]
        return doc


# ---------------------------------------------------------------- performances

@Language.factory("athletics_performances")
def make_performances(nlp: Language, name: str) -> "PerformanceTagger":
    return PerformanceTagger()


class PerformanceTagger:
    """(athlete, event, mark) where a sentence states them (nlp/performances.py, nlp/owners.py)."""

    def __call__(self, doc: Doc) -> Doc:
        out = data(doc)
        out["performances"] = performances(doc, out)
        return doc
