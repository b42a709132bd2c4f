"""Author names from bylines, meta tags and JSON-LD. Pure functions.

A byline is often more than a name: "By Hannah Pell and Owen Tate", "Pell,
Tate and Ruiz", "Hannah Pell, Athletics correspondent" (a role after a name is
dropped; a byline that is only a role, "Staff reporter", is kept). Every path (JSON-LD,
meta tags, a source's selector, trafilatura) goes through `names`, so "By" is
stripped and several authors are split the same way everywhere. A URL (an
`article:author` pointing at a profile page) or an e-mail address is never a
name.
"""

from __future__ import annotations

import re

_BY = re.compile(r"^\s*(?:(?:written|words|reporting|text)\s+)?(?:by|words)\b\s*:?\s*", re.I)
_SPLIT = re.compile(r"\s*(?:[,;|/&]|\band\b)\s*", re.I)
_NOT_A_NAME = re.compile(r"(^https?:|^www\.|://|@|\.(?:com|org|net|co\.uk)\b|^\W*$)", re.I)
_ROLE = re.compile(r"\b(correspondent|reporter|editor|writer|journalist|columnist|contributor|staff)\b", re.I)


def names(value: str | None) -> list[str]:
    """The author names in one byline or field, in order, without "By", roles, URLs or repeats."""
    if not value or not isinstance(value, str):
        return []
    value = " ".join(value.split())
    if _NOT_A_NAME.search(value) and " " not in value.strip():
        return []
    found: list[str] = []
    for part in _SPLIT.split(_BY.sub("", value)):
        part = _BY.sub("", part).strip(" .:-–—")
        if not part or _NOT_A_NAME.search(part) or part in found:
            continue
        if found and _ROLE.search(part):  # "Hannah Pell, Athletics correspondent": the role is not a name
            continue
        found.append(part)
    return found


def joined(values) -> str | None:
    """Several fields' names as one "A, B" string (the store's author column), or None."""
    found: list[str] = []
    for value in values:
        found += [n for n in names(value) if n not in found]
    return ", ".join(found) or None
