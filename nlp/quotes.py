"""Direct speech: where quotes are (who said them: nlp/speakers.py). Pure functions over text.

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


_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=\S)(.+?)(?<=[^\s])['’](?=[\s.,;:!?)\]—–-]|$)", re.S)
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[A-Z])")


def _single_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Single-quoted stretches inside [start, end): an opening ' or ‘ after a space, a closing one
    before one; in a paragraph of single-quoted speech, one that opens and never closes runs on to
    the paragraph's end (the newspaper convention)."""
    spans = [(m.start(1), m.end(1)) for m in _SINGLE.finditer(text, start, end) if "\n" not in m.group(1)]
    for m in _SINGLE_OPEN.finditer(text, start, end):
        inside = any(s - 1 <= m.start() < e for s, e in spans)
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        if not inside and spans and '"' not in text[m.start():line_end] and "“" not in text[m.start():line_end] \
                and not any(m.start() < s < line_end for s, _ in spans):
            spans.append((m.end(), line_end))
    return sorted(spans)


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
