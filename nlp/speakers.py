"""Who said each quote. Pure functions of a parsed doc, its quotes and the people it names.

A quote's own attribution first (../shared/tagging-guide.md, QUOTE; docs/tagging.md):

- after it: a verb and a speaker in either order ("said Kerr", "Kerr beamed", "quipped the
  champion", "she added"), any verb, not only a list of speech verbs, when the clause is short; a
  dash and a name ("'...' - Ana Ruiz");
- before it: a clause ending in a colon ("Kerr told BBC Sport:", "What Haugh had to say:", a
  headline "Tamberi: ..."), or a speech verb whose subject leads into a partial quote
  ("Assefa said she held back "so that I ...""): its subject, a person, pronoun or description;
  a thing or an unnamed person ("her lawsuit said", "an IAAF spokesman") is nobody the story names.

Then, for a quote with none: the next quote when nothing but space lies between (a short quote
carries its attribution on); the quote before it when the paragraph is continued speech; an
attributed quote earlier in its paragraph; the subject of a reported-speech sentence just before;
and a first-person paragraph after narration is the athlete that narration is about.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from trackwire.nlp.text import text_of
from trackwire.nlp.layout import paragraph_bounds, sentence_bounds
from trackwire.nlp.quotes import SPEECH_VERBS, QuoteSpan
from trackwire.nlp.refer import PRONOUN_SEX, Person, Referents, demonyms

SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
NOT_SPEECH = {"be", "is", "was", "were", "are", "has", "have", "had", "won", "finished", "ran", "took", "came",
              "went", "got", "made", "left", "set", "broke", "clocked", "crossed", "led", "beat", "did"}
PRONOUN_TYPO = re.compile(r"^(?:he|she|sahe|shhe|hse|seh|eh|hte|shee|hee)$", re.I)
NOBODY = object()  # attributed, but to no one the story names
TOPIC_LABEL = re.compile(r"^\s*(?:On|About|Asked about|Asked whether|Asked if|Q(?:uestion)?\s*[:.-]|On whether|"
                         r"On how|On why|On what|On being|On life|On the)\b", re.I)
NAMING_VERB = re.compile(r"call(?:ed|s)?|described?|describes|dubbed|dubs|labell?ed|branded|hailed|termed|"
                         r"nicknamed|praised")
NAMING_BEFORE = re.compile(rf"\b(?:{NAMING_VERB.pattern})\s+(?:[\w'’-]+\s+){{0,4}}?(?:as\s+)?(?:an?\s+|the\s+)?$",
                           re.I)


class Attributor:
    def __init__(self, doc: Doc, quotes: list[QuoteSpan], people: list[Person]):
        self.doc, self.text = doc, text_of(doc)
        self.quotes = quotes
        self.refs = Referents(doc, people, [(q.start, q.end) for q in quotes])

    def speakers(self) -> list[str | None]:
        direct = [self._direct(q) for q in self.quotes]
        out: list[str | None] = []
        for i, q in enumerate(self.quotes):
            found = direct[i] if direct[i] is not None else self._inherited(i, direct, out)
            out.append(None if found is NOBODY or found is None else found)
        return out

    # ------------------------------------------------------------ a quote's own attribution

    def _direct(self, q: QuoteSpan):
        return self._after(q) or self._before(q)

    def _after(self, q: QuoteSpan):
        start = q.end + 1 if q.closed else q.end
        end = self._clause_end(start)
        after = self.text[start:end]
        dash = re.match(r"^\s*[-–—]+\s*", after)
        if dash:
            named = [p for p in self.refs.people if start + dash.end() <= p.start < end]
            if named:
                return named[0].name
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None or not len(span):
            return None
        words = [t for t in span if not t.is_punct and not t.is_space]
        if not words or after.rstrip().endswith(":"):
            return None  # nothing, or the next quote's own attribution ("Hayes said: ...")
        if words[0].lower_ in ("and", "but", "while", "whereas"):
            return None  # '"...", and Pell described her as "..."': a new clause, the next quote's
        if q.text(self.text).rstrip()[-1:] in ".!?" and len(words) > 5:
            return None  # a new sentence after a quote closed with a full stop
        return self._verb_then_speaker(words) or self._speaker_then_verb(words)

    def _verb_then_speaker(self, words: list[Token]):
        """"said Kerr", "grins the champion"."""
        verb = words[0]
        if not self._speech_verb(verb) or len(words) < 2:
            return None
        return self._referent(words[1], words[1:])

    def _speaker_then_verb(self, words: list[Token]):
        """"Kerr said", "she added", "the American claimed", "Mark Lewis-Francis told reporters"."""
        for i, tok in enumerate(words[:10]):
            if tok.pos_ == "AUX" or tok.tag_ == "MD" or tok.lower_ in ("also", "then", "later", "simply", "just"):
                continue  # "Thanou had said", "he would later add"
            if self._speech_verb(tok):
                return self._referent(words[0], words[:i]) if i else None
            if tok.pos_ == "VERB":
                return None
        return None

    def _speech_verb(self, tok: Token) -> bool:
        if SPEECH.fullmatch(tok.text) or SPEECH.fullmatch(tok.lower_):
            return True
        return tok.pos_ == "VERB" and tok.tag_ in ("VBD", "VBZ") and tok.lower_ not in NOT_SPEECH

    def _before(self, q: QuoteSpan):
        lo, _ = sentence_bounds(self.text, q.start)
        before = self.text[lo:max(lo, q.start - 1)]
        if before.rstrip().endswith((":", "–", "—")) or (SPEECH.search(before) and before.rstrip().endswith(",")):
            return self._clause_speaker(lo, q.start - 1) or NOBODY
        if self._opens_paragraph(q):
            label = self._label_line(q)
            if label:
                return label
        if before.strip() and SPEECH.search(before):
            return self._clause_speaker(lo, q.start - 1)  # a partial quote inside reported speech
        if NAMING_BEFORE.search(before):
            return self._naming_speaker(lo, q.start - 1)  # "Oke once called her "the most stubborn ...""
        return None

    def _naming_speaker(self, lo: int, hi: int):
        """The subject of "called", "described ... as", "dubbed": the person whose words the quote is."""
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        if span is None:
            return None
        for tok in reversed(span):
            if NAMING_VERB.fullmatch(tok.lower_):
                verb = tok
                while not [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] and verb.dep_ == "conj" \
                        and verb.head.i != verb.i:
                    verb = verb.head
                subjects = [c for c in verb.children if c.dep_ == "nsubj"]
                return self._referent(subjects[0], list(subjects[0].subtree)) if subjects else None
        return None

    def _label_line(self, q: QuoteSpan):
        """The paragraph before ends with a colon: "What Haugh had to say:". A topic label of an
        interview ("On the move to Arizona:", "On her coach, Ruth Oke:") names what is talked about,
        not who talks: its quote is the interviewee's, the athlete the story is about."""
        lo, _ = paragraph_bounds(self.text, q.start)
        prev = self.text[:max(0, lo - 1)].rstrip()
        if not prev.endswith(":"):
            return None
        p_lo, _ = paragraph_bounds(self.text, len(prev) - 1)
        if TOPIC_LABEL.match(self.text[p_lo:len(prev)]):
            return self._interviewee() or NOBODY
        return self._clause_speaker(p_lo, len(prev)) or NOBODY

    def _interviewee(self) -> str | None:
        """The athlete an interview is with: the one its headline names, else the one it names most."""
        return self.refs.main_athlete(None)

    def _clause_speaker(self, lo: int, hi: int):
        """The speaker a clause before a quote names: the subject of its speech verb, or its first person."""
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        if span is None:
            return None
        for tok in span:
            if SPEECH.fullmatch(tok.text) or tok.lower_ in ("say", "told"):
                subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
                verb = tok
                while not subjects and verb.dep_ == "conj" and verb.head.i != verb.i:
                    verb = verb.head  # "She would not put a time on it, but said she wants "...""
                    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
                found = self._referent(subjects[0], list(subjects[0].subtree)) if subjects else None
                if found is not None:
                    return found
                if subjects and subjects[0].pos_ in ("PROPN", "NOUN") and subjects[0].i < span.end and \
                        subjects[0].lower_ not in demonyms() and \
                        not any(self.refs.at(t.idx) for t in subjects[0].subtree):
                    return NOBODY  # "British Athletics said that Whitby had been "...": not Whitby's words
        people = [self.refs.at(t.idx) for t in span if self.refs.at(t.idx)]
        plain = [p for p in people if not self.refs._possessive(p)]
        return (plain or people)[0].name if people else None

    def _referent(self, head: Token, phrase: list[Token]):
        person = self.refs.at(head.idx)
        if person is None or self.refs._possessive(person):  # "Feofanova's coach, Viktor Sidorov"
            named = self.refs.named_in(phrase, possessive=person is None)
            if person is not None and named is None:
                return NOBODY  # "said Feofanova's coach": a person the story does not name
            person = named
        if person:
            return person.name
        word = head.lower_
        if word in PRONOUN_SEX or PRONOUN_TYPO.match(word):
            return self.refs.pronoun(head.idx, PRONOUN_SEX.get(word)) or NOBODY
        if word in ("i", "we", "they", "it", "this", "that", "which", "who"):
            return None
        text = " ".join(t.text for t in phrase) or head.text
        if head.pos_ == "PROPN" and head.text[:1].isupper() and head.lower_ != "the" and \
                head.lower_ not in demonyms():
            return None  # a name the story's people do not hold; "the German" is a description
        if head.pos_ in ("NOUN", "ADJ", "DET", "PROPN"):
            return self.refs.describe(head.idx, text) or NOBODY
        return None

    # ------------------------------------------------------------ quotes without their own

    def _inherited(self, i: int, direct: list, done: list[str | None]):
        q = self.quotes[i]
        nxt = self.quotes[i + 1] if i + 1 < len(self.quotes) else None
        if nxt is not None and direct[i + 1] is not None and not self.text[q.end:nxt.start].strip(" \t,.;:!?\"“”'‘’"):
            return direct[i + 1]  # "Yes," she said. "..." / "It was hard." "Really hard," Kerr said.
        same = [j for j in range(i) if self.quotes[j].paragraph == q.paragraph]
        if self._opens_paragraph(q) and i and self._continued(i):
            return done[i - 1]
        if same:
            earlier = [done[j] for j in same if done[j] is not None]
            if earlier:
                return earlier[-1]
        if i and self.quotes[i - 1].paragraph == q.paragraph:
            return done[i - 1]
        return self._reported(q) or self._narrated(q) or self._narrated_inline(q)

    def _continued(self, i: int) -> bool:
        """The paragraph before this one is speech (it holds the previous quote, or ends in it)."""
        prev_q, q = self.quotes[i - 1], self.quotes[i]
        lo, _ = paragraph_bounds(self.text, q.start)
        p_lo, _ = paragraph_bounds(self.text, max(0, lo - 2))
        return prev_q.start >= p_lo or not self.text[prev_q.end:lo].strip(" \t\n\"“”'‘’.,")

    def _reported(self, q: QuoteSpan):
        """The subject of the sentence just before, when it reports speech ("Moore said Hansen may return.")."""
        lo, _ = sentence_bounds(self.text, q.start)
        if lo <= 0:
            return None
        p_lo, p_hi = sentence_bounds(self.text, lo - 1)
        if not SPEECH.search(self.text[p_lo:p_hi]):
            return None
        return self._clause_speaker(p_lo, p_hi)

    def _narrated(self, q: QuoteSpan):
        """A first-person paragraph of speech after narration: the athlete the narration is about."""
        if not self._opens_paragraph(q) or not re.search(r"\b(?:I|my|me|I'm|I’m|we)\b", q.text(self.text)):
            return None
        lo, _ = paragraph_bounds(self.text, q.start)
        if lo <= 1:
            return None
        p_lo, p_hi = paragraph_bounds(self.text, lo - 2)
        named = [p for p in self.refs.people if p_lo <= p.start < p_hi and p.athlete]
        return named[0].name if named else None

    def _narrated_inline(self, q: QuoteSpan):
        """"Tess Orlov won in Berlin. "The first half was calm ..."": a first-person quote right after a
        sentence of its paragraph about an athlete."""
        if not re.search(r"\b(?:I|my|me|I'm|I’m|I've|I’ve)\b", q.text(self.text)):
            return None
        lo, _ = sentence_bounds(self.text, q.start)
        p_lo, _ = paragraph_bounds(self.text, q.start)
        if lo <= p_lo or self.text[lo:q.start].strip(" \"“”'‘"):
            return None
        s_lo, s_hi = sentence_bounds(self.text, lo - 1)
        return self.refs._subject(s_lo, s_hi, None) or next(
            (p.name for p in self.refs.people if s_lo <= p.start < s_hi and p.athlete), None)

    # ------------------------------------------------------------ layout

    def _opens_paragraph(self, q: QuoteSpan) -> bool:
        lo, _ = paragraph_bounds(self.text, q.start)
        return not self.text[lo:q.start].strip(" \"“”'‘")

    def _clause_end(self, start: int) -> int:
        end = min(len(self.text), start + 120)
        for q in self.quotes:
            if q.start > start:
                end = min(end, q.start - 1)
                break
        newline = self.text.find("\n", start)
        if newline != -1:
            end = min(end, newline)
        stop = re.search(r"[.!?](?=\s|$)", self.text[start:end])
        if stop and stop.start() > 0:
            end = start + stop.start()
        return end


def attribute(doc: Doc, quotes: list[QuoteSpan], people: list[Person]) -> list[str | None]:
    """The speaker's canonical name for each quote, or None where no person the story names said it."""
    return Attributor(doc, quotes, people).speakers()
