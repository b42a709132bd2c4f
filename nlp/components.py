"""The athletics_* spaCy components. Each adds plain data to `doc._.athletics`
(dicts with character offsets, safe across `nlp.pipe(n_process=...)`) and its
spans to `doc.spans`. Rules and lists are data files beside this module.
"""

from __future__ import annotations

import itertools
import json
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from trackwire.nlp.text import text_of
from trackwire.nlp.codes import PatternError
from trackwire.nlp.events import resolve, uncoded
from trackwire.nlp.performances import performances
from trackwire.nlp.marks import find_marks
from trackwire.nlp.identify import Identifier
from trackwire.nlp.quotes import find_quotes
from trackwire.nlp.refer import Person
from trackwire.nlp.speakers import attribute
from trackwire.nlp.registry import Entry, Registry, load_registry

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
    """Event mentions from the token patterns (expanded into phrases for spaCy's PhraseMatcher, which
    looks each token up once instead of testing every pattern), resolved by nlp/events.py."""

    def __init__(self, nlp: Language, name: str, patterns: list[dict]):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for code, phrases in expand_patterns(patterns).items():
            self.matcher.add(code, [Doc(nlp.vocab, words=words) for words in phrases])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=self.matcher.vocab.strings[key])
                 for key, start, end in self.matcher(doc)]
        raw = sorted(filter_spans(spans), key=lambda s: s.start)  # the longest of overlapping matches
        found = resolve(doc, raw)
        chars = [doc.char_span(e.start, e.end, alignment_mode="expand") for e in found]
        doc.spans["events"] = [s for s in chars if s is not None]
        data(doc)["events"] = [e.as_dict() for e in found]
        data(doc)["uncoded"] = uncoded(text_of(doc))
        return doc


def expand_patterns(patterns: list[dict]) -> dict[str, list[list[str]]]:
    """Token patterns ({"LOWER": ...}, {"ORTH": ...}, "OP": "?") as the lower-case word sequences they
    match, by id."""
    out: dict[str, list[list[str]]] = {}
    for row in patterns:
        options = []
        for token in row["pattern"]:
            value = token.get("LOWER", token.get("ORTH"))
            words = value["IN"] if isinstance(value, dict) else [value]
            options.append([w.lower() for w in words] + ([None] if token.get("OP") == "?" else []))
        for combo in itertools.product(*options):
            words = [w for w in combo if w is not None]
            if words:
                out.setdefault(row["id"], []).append(words)
    return out


# ---------------------------------------------------------------- marks

@Language.factory("athletics_marks")
def make_marks(nlp: Language, name: str) -> "MarkTagger":
    return MarkTagger()


class MarkTagger:
    def __call__(self, doc: Doc) -> Doc:
        marks = find_marks(text_of(doc), [(ev["start"], ev["event"]) for ev in data(doc)["events"]])
        data(doc)["marks"] = [m.as_dict() for m in marks]
        spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in marks]
        doc.spans["marks"] = [s for s in spans if s is not None]
        return doc


# ---------------------------------------------------------------- people

@Language.factory("athletics_people", default_config={"stopwords": None, "use_registry": True})
def make_people(nlp: Language, name: str, stopwords: list[str] | None, use_registry: bool) -> "PeopleTagger":
    return PeopleTagger(set(stopwords) if stopwords is not None else load_words("not_names.txt"),
                        load_registry() if use_registry else Registry([]))


class PeopleTagger:
    """People from names the story gives (nlp/identify.py); athletes told from coaches, officials, others."""

    def __init__(self, stopwords: set[str], registry: Registry):
        self.packaged = registry
        self.imported: tuple[Entry, ...] = ()
        self.identifier = Identifier(registry, stopwords)

    @property
    def registry(self) -> Registry:
        return self.identifier.registry

    def use_imported(self, entries: list[Entry]) -> None:
        """Athletes beyond the packaged lists (those a user imported into the store), for this
        pipeline only; a later call replaces the earlier entries, and [] goes back to the packaged lists.
        An imported athlete of a packaged one's name takes its place."""
        entries = tuple(entries)
        if entries != self.imported:
            self.imported = entries
            self.identifier.registry = self.packaged.with_entries(list(entries)) if entries else self.packaged

    def __call__(self, doc: Doc) -> Doc:
        out = data(doc)
        people = self.identifier.people(doc, {ev["event"] for ev in out["events"]})
        out["athletes"] = [{"name": p.name, "identity": p.identity, "aliases": list(p.aliases),
                            "country": p.country, "sex": p.sex,
                            "birth_year": p.birth_year, "events": list(p.events),
                            "mentions": [list(m) for m in p.mentions]} for p in people if p.athlete]
        out["people"] = [{"name": p.name, "role": p.role, "sex": p.sex, "mentions": [list(m) for m in p.mentions]}
                         for p in people if p.role]
        spans = [doc.char_span(s, e, alignment_mode="expand") for p in people for s, e in p.mentions]
        doc.spans["people"] = [s for s in spans if s is not None]
        return doc


# ---------------------------------------------------------------- quotes

@Language.factory("athletics_quotes")
def make_quotes(nlp: Language, name: str) -> "QuoteTagger":
    return QuoteTagger()


class QuoteTagger:
    """Quotes and their speakers (nlp/quotes.py finds them, nlp/speakers.py attributes them)."""

    def __call__(self, doc: Doc) -> Doc:
        out = data(doc)
        text = text_of(doc)
        quotes = find_quotes(text, keep_short=True)
        people = [Person(s, e, p["name"], kind == "athletes", p.get("sex"), p.get("country"), tuple(p.get("events") or ()))
                  for kind in ("athletes", "people") for p in out[kind] for s, e in p["mentions"]]
        speakers = attribute(doc, quotes, people)
        kept = [(q, who) for q, who in zip(quotes, speakers, strict=True) if not q.short]
        out["quotes"] = [{"text": q.text(text), "start": q.start, "end": q.end, "speaker": who} for q, who in kept]
        spans = [doc.char_span(q.start, q.end, alignment_mode="expand") for q, _ in kept]
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
