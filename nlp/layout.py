"""Where sentences, paragraphs and headings are in a story's text. Pure functions over text.

A story's text is its headline, a blank line, then paragraphs separated by line breaks
(../shared/tagging-guide.md, "Text"). A heading is a short paragraph without a closing
full stop ("Men's 100m final", "Women's Pole Vault Final | 3:15 p.m.", "Mixed 4x400 relay:").
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n")


def paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the paragraph holding character `pos`."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, hi if hi != -1 else len(text)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the sentence holding `pos`: a full stop, ! or ? followed by a capital or a
    digit, or a line break, ends a sentence; "St. Louis" or "9.58" do not."""
    p_lo, p_hi = paragraph_bounds(text, pos)
    lo, hi = p_lo, p_hi
    for m in _SENTENCE_END.finditer(text, p_lo, p_hi):
        if m.end() <= pos:
            lo = m.end()
        elif m.start() >= pos:
            hi = m.start()
            break
    return lo, hi


def is_heading(paragraph: str) -> bool:
    """A short line with no closing full stop: a section heading or a label ("100 meters:")."""
    line = paragraph.strip()
    return 0 < len(line.split()) <= 12 and not line.endswith((".", "!", "?", "\"", "”"))


def previous_heading(text: str, pos: int) -> tuple[int, int] | None:
    """[start, end) of the nearest heading above `pos`'s paragraph (the section it sits in), or
    None when no heading comes before it (the headline does not count)."""
    lo, _ = paragraph_bounds(text, pos)
    while lo > 0:
        p_lo, p_hi = paragraph_bounds(text, lo - 2 if lo >= 2 else 0)
        if p_lo == 0:  # the headline is not a section heading
            return None
        if text[p_lo:p_hi].strip() and is_heading(text[p_lo:p_hi]):
            return p_lo, p_hi
        lo = p_lo
    return None


def previous_sentence(text: str, lo: int) -> tuple[int, int] | None:
    """[start, end) of the sentence before the one starting at `lo`, across blank lines; None at the start."""
    pos = lo
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    if pos == 0:
        return None
    return sentence_bounds(text, pos - 1)
