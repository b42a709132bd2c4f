"""Direct speech: where quotes are, and who said them. Pure functions over text.

Newspaper convention: a paragraph of speech that runs on into the next one is
not closed; the next paragraph opens again. So every opening mark starts a
quote, which ends at its closing mark or just before the next opening mark
(or at the paragraph's end). Quotes of fewer than four words are scare quotes
or titles and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
MIN_WORDS = 4


@dataclass(slots=True)
class QuoteSpan:
    start: int  # first character of the speech, after the opening mark
    end: int  # end of the speech, before the closing mark (exclusive)
    closed: bool
    paragraph: int
    short: bool = False  # under four words: not a quote, but its attribution may carry to the next

    def text(self, doc_text: str) -> str:
        return doc_text[self.start:self.end]


def _marks(text: str) -> list[tuple[int, str]]:
    """Double quotation marks as ("open" | "close", position)."""
    found = []
    for i, ch in enumerate(text):
        if ch in OPEN_DOUBLE:
            found.append((i, "open"))
        elif ch in CLOSE_DOUBLE:
            found.append((i, "close"))
        elif ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isspace() or before in "([{—–-:" or i == 0:
                found.append((i, "open" if not after.isspace() else "close"))
            else:
                found.append((i, "close"))
    return found


def _single_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Single-quoted stretches inside [start, end): an opening ' or ‘ after a space, a closing one before one."""
    pattern = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=\S)(.+?)(?<=[^\s])['’](?=[\s.,;:!?)\]—–-]|$)", re.S)
    spans = []
    for m in pattern.finditer(text, start, end):
        if "\n" not in m.group(1):
            spans.append((m.start(1), m.end(1)))
    return spans


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n", text)] + [len(text)]


def find_quotes(text: str, keep_short: bool = False) -> list[QuoteSpan]:
    """Quotes in order, with run-on paragraphs split per the guide. A quote nested in another is part
    of it, whichever marks are outside (British style puts single marks outside). Scare quotes are
    left out: under four words, or a phrase inside a sentence with no speech around it. With
    `keep_short`, quotes under four words are kept, marked `short`, for attribution."""
    ends = _paragraph_ends(text)
    doubles = _double_quotes(text, ends)
    singles = [(s, e, True) for s, e in _single_quotes(text, 0, len(text))]
    raw = [d for d in doubles if not any(s < d[0] and d[1] <= e and (e - s) > (d[1] - d[0]) for s, e, _ in singles)]
    raw += [q for q in singles if not any(a <= q[0] < b for a, b, _ in raw)]
    raw.sort()
    spans = []
    for start, end, closed in raw:
        start, end = _strip(text, start, end)
        short = len(text[start:end].split()) < MIN_WORDS
        if short and not keep_short:
            continue
        if not short and is_scare(text, start, end):
            continue
        spans.append(QuoteSpan(start, end, closed, _paragraph_index(ends, start), short))
    return spans


def _double_quotes(text: str, ends: list[int]) -> list[tuple[int, int, bool]]:
    raw: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for pos, kind in _marks(text):
        if open_at is not None and _next_end(ends, open_at) < pos:
            raw.append((open_at + 1, _next_end(ends, open_at), False))
            open_at = None
        if kind == "open":
            if open_at is not None:
                raw.append((open_at + 1, pos, False))
            open_at = pos
        elif open_at is not None:
            raw.append((open_at + 1, pos, True))
            open_at = None
    if open_at is not None:
        raw.append((open_at + 1, _next_end(ends, open_at), False))
    return raw


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|mine|we|we're|we’re|us|our|you|your)\b")
_SPEECH_CUE = re.compile(r"\b(?:said|says|say|saying|told|tells|added|adds|admitted|admits|insisted|claimed|"
                         r"claims|explained|described|called|calling|wrote|writes|declared|warned|stated|"
                         r"hoped|hopes|vowed|promised|predicted|reckons|believes|revealed|suggested|argued|"
                         r"according|quoted|statement|words|urged|asked|replied|conceded|confessed|joked|"
                         r"labelled|branded|dubbed|described)\b", re.I)


def is_scare(text: str, start: int, end: int) -> bool:
    """A phrase in marks inside a sentence, with no speech around it and no one speaking in it:
    a title, a nickname or a scare quote ("the 'one per cents'", a headline's "delays return")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    before = text[line_start:max(line_start, start - 1)]
    if not before.strip(" \"“”'‘’") or before.rstrip().endswith((":", ",", "-", "–", "—")):
        return False  # the quote opens its paragraph or follows a colon: speech
    after = text[end:end + 40]
    if re.match(r"^[\"”’']?[,.!?]?[\"”’']?\s*[-–—]?\s*(?:[A-Z]|he\b|she\b|they\b)", after) and \
            re.match(r"^[\"”’']?[,!?]", after):
        return False  # '"...," said X' / '"...!" X'
    return not (_SPEECH_CUE.search(line) or _FIRST_PERSON.search(text[start:end]))


def _next_end(ends: list[int], pos: int) -> int:
    for e in ends:
        if e >= pos:
            return e
    return ends[-1]


def _paragraph_index(ends: list[int], pos: int) -> int:
    for i, e in enumerate(ends):
        if e >= pos:
            return i
    return len(ends) - 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding space; punctuation inside the marks stays, as written (the guide's convention)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


SPEECH_VERBS = (
    r"said|says|say|added|adds|told|tells|explained|explains|admitted|admits|insisted|insists|revealed|reveals|"
    r"continued|continues|stressed|stresses|warned|warns|claimed|claims|declared|declares|smiled|smiles|grinned|"
    r"grins|joked|jokes|laughed|laughs|noted|notes|reflected|reflects|conceded|concedes|confirmed|confirms|"
    r"remarked|remarks|replied|replies|stated|states|wrote|writes|commented|comments|recalled|recalls|"
    r"pointed out|points out|acknowledged|acknowledges|urged|urges|argued|argues|maintained|maintains|"
    r"suggested|suggests|announced|announces|predicted|predicts|vowed|vows|beamed|beams|enthused|enthuses|"
    r"observed|observes|agreed|agrees|asked|asks|sighed|sighs|shrugged|shrugs|cautioned|cautions|quipped|"
    r"quips|reckoned|reckons|believes|believed|thinks|thought|felt|feels|fumed|fumes|added:|according to"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
_PRONOUN = re.compile(r"\b(he|she)\b", re.I)
_DESCRIPTIVE = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,4}?[\w-]+\b", re.I)


@dataclass(slots=True)
class NameMention:
    start: int
    end: int
    name: str
    athlete: bool
    sex: str | None = None  # "M" | "F" when the registry knows


def attribute(text: str, quotes: list[QuoteSpan], names: list[NameMention]) -> list[str | None]:
    """The speaker's canonical name for each quote, or None where no person said it.

    A quote's own attribution first; then an attributed quote in its paragraph;
    then continued speech (the previous quote's speaker, when the paragraph opens
    with a quote or the quote runs on from the one before); then the subject of
    a reported-speech sentence just before it ("Moore said Hansen may return.").
    """
    inside = [(q.start, q.end) for q in quotes]
    outside = [n for n in names if not any(s <= n.start < e for s, e in inside)]
    direct = [_direct_speaker(text, q, quotes, outside) for q in quotes]
    speakers = list(direct)
    for i, q in enumerate(quotes):
        if speakers[i] is not None:
            continue
        same = [j for j, p in enumerate(quotes) if p.paragraph == q.paragraph and direct[j] is not None]
        earlier = [j for j in same if j < i]
        first_here = next(j for j, p in enumerate(quotes) if p.paragraph == q.paragraph)
        if earlier:
            speakers[i] = direct[earlier[-1]]
        elif same:
            speakers[i] = direct[same[0]]
        elif i and (quotes[i - 1].paragraph == q.paragraph or _opens_paragraph(text, quotes[first_here])):
            speakers[i] = speakers[i - 1] or _reported(text, q, outside)
        else:
            speakers[i] = _reported(text, q, outside)
    return speakers


def _reported(text: str, q: QuoteSpan, names: list[NameMention]) -> str | None:
    """The subject of the sentence just before the quote, when that sentence reports speech."""
    start = _sentence_start(text, q.start - 1)
    if start <= 0:
        return None
    prev = _sentence_start(text, start - 2)
    sentence = text[prev:start]
    verb = _VERB.search(sentence)
    if verb is None:
        return None
    found = [n for n in names if prev <= n.start < prev + verb.start()]
    return _not_possessive(text, found)[0].name if found else None


def _opens_paragraph(text: str, q: QuoteSpan) -> bool:
    line_start = text.rfind("\n", 0, q.start) + 1
    return not text[line_start:q.start].strip(" \"“”'‘")


def _direct_speaker(text: str, q: QuoteSpan, quotes: list[QuoteSpan], names: list[NameMention]) -> str | None:
    """The speaker named by the quote's own attribution clause, before or after it."""
    before_start = _sentence_start(text, q.start - 1)
    before = text[before_start:q.start - 1]
    if before.rstrip().endswith(":") or (_VERB.search(before) and before.rstrip().endswith(",")):
        found = _who(text, before_start, q.start - 1, names, _VERB.search(before), subject=True)
        if found:
            return found
    after_start = q.end + 1 if q.closed else q.end
    after_end = _window_end(text, after_start, quotes)
    after = text[after_start:after_end]
    verb = _VERB.search(after)
    lead = after[:verb.start()].split() if verb else []
    near = len(lead) <= 4 or (lead[0].lower() == "the" and len(lead) <= 9)
    if verb and near and not after.rstrip().endswith(":") and not _new_sentence(text, q, after):
        found = _who(text, after_start, after_end, names, verb)
        if found:
            return found
    if _opens_paragraph(text, q):
        prev = text[:text.rfind("\n", 0, q.start)].rstrip()
        if prev.endswith(":"):
            start = _sentence_start(text, len(prev) - 1)
            return _who(text, start, len(prev), names, _VERB.search(text[start:len(prev)]), subject=True)
    return None


def _new_sentence(text: str, q: QuoteSpan, after: str) -> bool:
    """A quote closed with a full stop, followed by a long sentence: that sentence is not its attribution."""
    speech = text[q.start:q.end].rstrip()
    return speech[-1:] in ".!?" and len(after.split()) > 6


def _who(text: str, start: int, end: int, names: list[NameMention], verb, subject: bool = False) -> str | None:
    """The person a speech clause in text[start:end] names: a name, a pronoun, or "the champion"."""
    here = [n for n in names if start <= n.start < end]
    if here:
        if subject or verb is None:
            return _not_possessive(text, here)[0].name
        v_start, v_end = start + verb.start(), start + verb.end()
        adjacent = [n for n in here if 0 <= v_start - n.end <= 2] or [n for n in here if 0 <= n.start - v_end <= 40]
        return (adjacent or here)[0].name
    clause = text[start:end]
    pronoun = _PRONOUN.search(clause)
    if pronoun:
        return _topic(text, start, names, pronoun=True, sex="M" if pronoun.group(1).lower() == "he" else "F")
    if _DESCRIPTIVE.search(clause):
        return _topic(text, start, names, pronoun=False)
    return None


def _not_possessive(text: str, found: list[NameMention]) -> list[NameMention]:
    """The mentions that are not possessives ("Kenteris' lawyer"), or all when every one is."""
    plain = [n for n in found if not re.match(r"['’]s?\b|['’](?=\s)", text[n.end:n.end + 2])]
    return plain or found


def _topic(text: str, pos: int, names: list[NameMention], pronoun: bool, sex: str | None = None) -> str | None:
    """Whom "he" or "the champion" stands for, from the nearest earlier sentence naming someone:
    for a pronoun the last person named there (recency); for a description ("the world champion")
    the first athlete named there (the sentence's subject). Possessives ("Kerr's coach") come last, and
    a pronoun skips people the registry knows to be of the other sex."""
    end = pos
    for _ in range(6):
        start = _sentence_start(text, max(0, end - 2))
        found = [n for n in names if start <= n.start < end and (pronoun or n.athlete)
                 and (sex is None or n.sex in (None, sex))]
        if found:
            found = _not_possessive(text, found)
            return (found[-1] if pronoun else found[0]).name
        if start == 0:
            return None
        end = start
    return None


def _window_end(text: str, start: int, quotes: list[QuoteSpan]) -> int:
    end = min(len(text), start + 120)
    for q in quotes:
        if q.start > start:
            end = min(end, q.start - 1)
            break
    newline = text.find("\n", start)
    if newline != -1:
        end = min(end, newline)
    stop = re.search(r"[.!?](?=\s|$)", text[start:end])
    if stop and stop.start() > 0:
        end = start + stop.start()
    return end


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts (a paragraph, a full stop, or a closed quote before it)."""
    best = text.rfind("\n", 0, pos) + 1
    for boundary in (". ", "! ", "? ", '." ', '," ', "” "):
        i = text.rfind(boundary, 0, pos)
        if i != -1:
            best = max(best, i + len(boundary))
    return best
