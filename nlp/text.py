"""Small text helpers shared by the tagger's rules."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Upper-case letters a name may start with, for regular expressions: ASCII, Latin-1 and Latin
# Extended-A/B ("Čeh", "Łukasz", "Ørsted").
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(ch for ch in map(chr, range(0x100, 0x250)) if ch.isupper())

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ß": "ss",
                       "đ": "d", "Đ": "D", "œ": "oe", "Œ": "OE", "ı": "i", "’": "'", "‘": "'"})


def fold_letters(text: str) -> str:
    """Accents and special letters folded, case and spacing kept: "Sørensen" -> "Sorensen"."""
    if text.isascii():  # nothing to fold; most English text, and the full-text index folds every story
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case-, accent- and space-folded: "Sørensen" -> "sorensen", "KERR  Josh" -> "kerr josh"."""
    return " ".join(fold_letters(name).casefold().split())


def text_of(doc) -> str:
    """`doc.text`, computed once per doc: spaCy joins every token again on each access."""
    cached = doc.user_data.get("trackwire_text")
    if cached is None:
        cached = doc.user_data["trackwire_text"] = doc.text
    return cached
