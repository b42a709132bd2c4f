"""Whom a pronoun or a description stands for ("she", "the Scandinavian", "the Olympic 1500m silver
medallist"), for speakers and for the owners of marks. Pure functions of a parsed doc and the
people the story names.

- A pronoun is the subject of the nearest earlier sentence (outside quotes) whose subject is a person
  of the pronoun's sex where the registry knows it; else the person last named there.
- A description is one of the athletes named before it: the one its words fit (an event they compete
  in, their nationality or region, their sex), else the one the story was last about.
- "an IAAF spokesman", "the IAAF", "a source": nobody the story names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span

from trackwire.nlp.text import text_of
from trackwire.nlp.layout import sentence_bounds

PRONOUN_SEX = {"he": "M", "him": "M", "his": "M", "she": "F", "her": "F", "hers": "F"}
FEMALE_WORDS = {"woman", "women", "female", "girl", "she", "her", "sprintress", "queen", "mother", "mum"}
MALE_WORDS = {"man", "men", "male", "boy", "he", "his", "king", "father", "dad"}
UNNAMED = re.compile(r"\b(?:spokes(?:man|woman|person)|statement|source|sources|organi[sz]ers?|officials?|"
                     r"federation|association|committee|body|iaaf|wada|ioc|uka|usatf|team|club|report|lawsuit|"
                     r"suit|letter|ruling|panel|tribunal|court|agency|police|prosecutors?|investigators?|"
                     r"insiders?|spectators?|fans)\b", re.I)


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """nlp/data/countries.tsv: country name (folded case) -> IOC code."""
    text = resources.files("trackwire.nlp").joinpath("data", "countries.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {name.strip().lower(): code for code, names in rows for name in names.split("|")}


def country_near(text: str, start: int, end: int) -> str | None:
    """The country a story gives right beside a name: "Ama Owusu of Ghana", "Ghana's Ama Owusu",
    "Ama Owusu (GHA)"."""
    names = countries()
    after = re.match(r"\s*(?:,\s*)?(?:of|from)\s+(?:the\s+)?([A-Z][\w'’ -]{1,30}?)\b(?=[\s,.;:)]|$)", text[end:end + 40])
    before = re.search(r"([A-Z][\w'’ -]{1,30}?)['’]s\s+$", text[max(0, start - 35):start])
    code = re.match(r"\s*\(([A-Z]{3})\)", text[end:end + 8])
    for m in (after, before):
        if m and m.group(1).strip().lower() in names:
            return names[m.group(1).strip().lower()]
    return code.group(1) if code and code.group(1) in set(names.values()) else None


@lru_cache(maxsize=1)
def demonyms() -> dict[str, frozenset[str]]:
    """nlp/data/demonyms.tsv: nationality or region word -> IOC codes."""
    text = resources.files("trackwire.nlp").joinpath("data", "demonyms.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {word: frozenset(codes.strip().split(",")) for word, codes in rows}


@dataclass(slots=True)
class Person:
    """A mention of a person: where, the canonical name, athlete or not, and what the registry knows."""

    start: int
    end: int
    name: str
    athlete: bool = True
    sex: str | None = None
    country: str | None = None
    events: tuple[str, ...] = ()


class Referents:
    """Resolves pronouns and descriptions in one doc."""

    def __init__(self, doc: Doc, people: list[Person], quotes: list[tuple[int, int]]):
        self.doc, self.text = doc, text_of(doc)
        self.quotes = quotes
        self.people = sorted([p for p in people if not self._quoted(p.start)], key=lambda p: p.start)
        known = {p.name: p.country for p in self.people if p.country}
        for p in self.people:  # the story's word where the registry has none
            p.country = p.country or known.get(p.name) or country_near(self.text, p.start, p.end)
            known.setdefault(p.name, p.country)
        for p in self.people:
            p.country = p.country or known.get(p.name)

    def _quoted(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quotes)

    def at(self, pos: int) -> Person | None:
        for p in self.people:
            if p.start <= pos < p.end:
                return p
        return None

    # ------------------------------------------------------------ pronouns

    def pronoun(self, pos: int, sex: str | None) -> str | None:
        """The person "he" or "she" at `pos` stands for."""
        lo, _ = sentence_bounds(self.text, pos)
        here = [p for p in self.people if lo <= p.start < pos and _sex_fits(p, sex) and not self._possessive(p)
                and not self._someone_elses(p, sex)]
        if here:
            return here[0].name
        for sent_lo, sent_hi in self._earlier_sentences(lo, limit=12):
            subject = self._subject(sent_lo, sent_hi, sex)
            if subject:
                return subject
            named = [p for p in self.people if sent_lo <= p.start < sent_hi and _sex_fits(p, sex)
                     and not self._possessive(p) and not self._someone_elses(p, sex)]
            if named:
                return named[-1].name
        return self.main_athlete(sex)

    def main_athlete(self, sex: str | None) -> str | None:
        """The athlete a story is about, for a pronoun nothing nearer explains: the one its headline
        names, else the one it names most, if of the pronoun's sex."""
        headline_end = self.text.find("\n")
        athletes = [p for p in self.people if p.athlete and _sex_fits(p, sex)]
        in_headline = [p for p in athletes if 0 <= p.start < headline_end]
        if in_headline:
            return in_headline[0].name
        counts: dict[str, int] = {}
        for p in athletes:
            counts[p.name] = counts.get(p.name, 0) + 1
        top = sorted(counts.items(), key=lambda kv: -kv[1])
        return top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None

    def _someone_elses(self, p: Person, sex: str | None) -> bool:
        """"Asked what her coach, Ruth Oke, changed, she laughed": a person named as her (his) someone
        is not the "she" ("he") of the same sentence."""
        word = {"F": "her", "M": "his"}.get(sex or "")
        return bool(word and re.search(rf"\b{word}\s+(?:[\w-]+\s+){{0,2}}?[\w-]+,?\s*$",
                                       self.text[max(0, p.start - 40):p.start], re.I))

    def _earlier_sentences(self, lo: int, limit: int):
        """Up to `limit` sentences before offset `lo`, nearest first, blank ones (paragraph breaks) skipped."""
        while limit > 0 and lo > 0:
            prev_lo, prev_hi = sentence_bounds(self.text, lo - 1)
            if prev_lo >= lo:  # no progress: step over the character
                lo -= 1
                continue
            if self.text[prev_lo:prev_hi].strip(" \n\t\"“”'‘’"):
                limit -= 1
                yield prev_lo, prev_hi  # mentions inside quotes are not in self.people
            lo = prev_lo

    def _subject(self, lo: int, hi: int, sex: str | None, describe: bool = True, owner: bool = False) -> str | None:
        """The person who is the subject of the last main clause of the sentence at [lo, hi), if any
        ("Bogdanov claimed ... but McIlroy is unfazed": McIlroy); with `owner`, also the owner of a
        subject that is a thing ("Garside's time moves him ...": Garside)."""
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        if span is None:
            return None
        for tok in reversed(span):
            if tok.dep_ in ("nsubj", "nsubjpass") and _main_clause(tok.head) and not self._quoted(tok.idx):
                tok = max([tok, *tok.conjuncts], key=lambda t: t.i)  # "Okken and ... but McIlroy is unfazed"
                p = self.at(tok.idx) or (self.named_in(tok.subtree, possessive=owner) if tok.pos_ == "NOUN" else None)
                if p and _sex_fits(p, sex):
                    return p.name
                if tok.lower_ in PRONOUN_SEX:
                    continue
                if p is None and describe and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
                    described = self.describe(tok.idx, span.doc[tok.left_edge.i:tok.i + 1])
                    if described and _sex_fits(self._by_name(described), sex):
                        return described
        return None

    def named_in(self, phrase, possessive: bool = False) -> Person | None:
        """The person a noun phrase (tokens) names, one not in the possessive ("Feofanova's coach,
        Viktor Sidorov" is Viktor Sidorov); with `possessive`, else the first that is."""
        people = [p for p in (self.at(t.idx) for t in phrase) if p is not None]
        plain = [p for p in people if not self._possessive(p)]
        return (plain or (people if possessive else []) or [None])[0]

    def _by_name(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)

    def _possessive(self, p: Person) -> bool:
        return bool(re.match(r"['’]s?\b|['’](?=\s)", self.text[p.end:p.end + 2]))

    # ------------------------------------------------------------ descriptions

    def describe(self, pos: int, phrase: Span | str) -> str | None:
        """The athlete a description at `pos` stands for; None for an unnamed or unknown one."""
        words = phrase.text if isinstance(phrase, Span) else phrase
        lowered = words.lower()
        if re.match(r"^\s*(?:an?|another|one|some)\b", lowered) or UNNAMED.search(lowered):
            return None
        candidates = [p for p in self.people if p.end <= pos and p.athlete]
        if not candidates:
            return None
        scored = {}
        recent = self._latest_subject(pos)
        lo, _ = sentence_bounds(self.text, pos)
        previous = next(iter(self._earlier_sentences(lo, limit=1)), None)
        reporter = self._subject(*previous, None, describe=False, owner=True) if previous else None  # "Yelling said the team ... " "...," said the champion
        headline_end = self.text.find("\n")
        in_headline = {p.name for p in self.people if p.start < headline_end}
        counts: dict[str, int] = {}
        for p in self.people:
            counts[p.name] = counts.get(p.name, 0) + 1
        most = max(counts, key=counts.get) if counts else None
        for rank, p in enumerate(reversed(candidates)):
            if p.name in scored:
                continue
            topic = (1.0 if p.name in in_headline else 0) + (0.5 if p.name == most else 0)
            scored[p.name] = self._fit(p, lowered) + (1.0 if p.name == recent else 0) + topic - 0.01 * rank \
                + (2.0 if p.name == reporter else 0)
        best = max(scored, key=scored.get)
        return best if scored[best] > -1 else None

    def _fit(self, p: Person, words: str) -> float:
        score = 0.0
        for word, codes in demonyms().items():
            if re.search(rf"\b{re.escape(word)}\b", words):
                score += 2.0 if p.country in codes else (-3.0 if p.country else 0.0)
        tokens = set(re.findall(r"[a-z]+", words))
        if tokens & FEMALE_WORDS:
            score += 1.0 if p.sex == "F" else (-3.0 if p.sex == "M" else 0)
        if tokens & MALE_WORDS:
            score += 1.0 if p.sex == "M" else (-3.0 if p.sex == "F" else 0)
        for code in self._events_in(words):
            score += 2.0 if code in p.events else (-1.0 if p.events else 0)
        return score

    @staticmethod
    def _events_in(words: str) -> list[str]:
        found = re.findall(r"\b(\d[\d,]*)\s*-?\s*(?:m|metres?|meters?)\b", words)
        codes = [f"{n.replace(',', '')}m" for n in found]
        for word, code in (("marathon", "marathon"), ("steeple", "3000m steeplechase"), ("hurdl", None),
                           ("vault", "pole vault"), ("high jump", "high jump"), ("long jump", "long jump"),
                           ("triple jump", "triple jump"), ("shot", "shot put"), ("discus", "discus throw"),
                           ("hammer", "hammer throw"), ("javelin", "javelin throw"), ("decathl", "decathlon"),
                           ("heptathl", "heptathlon"), ("miler", "mile"), ("walk", "20km race walk"),
                           ("cross-country", "cross country"), ("cross country", "cross country")):
            if word in words and code:
                codes.append(code)
        return codes

    def _latest_subject(self, pos: int) -> str | None:
        """The athlete the story was last about: the first athlete named in the nearest sentence naming one."""
        lo, _ = sentence_bounds(self.text, pos)
        named = [p for p in self.people if lo <= p.start < pos and p.athlete]
        for sent_lo, sent_hi in self._earlier_sentences(lo, limit=20):
            if named:
                break
            named = [p for p in self.people if sent_lo <= p.start < sent_hi and p.athlete]
        return named[0].name if named else None


def _main_clause(verb) -> bool:
    """The root, or a verb joined to it by "and"/"but"."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _sex_fits(p: Person | None, sex: str | None) -> bool:
    return p is not None and (sex is None or p.sex in (None, sex))
