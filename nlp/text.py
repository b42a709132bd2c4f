"""Small text helpers shared by the tagger's rules."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ß": "ss",
                       "đ": "d", "Đ": "D", "œ": "oe", "Œ": "OE", "ı": "i", "’": "'", "‘": "'"})


def fold(name: str) -> str:
    """Case-, accent- and space-folded: "Sørensen" -> "sorensen", "KERR  Josh" -> "kerr josh"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
