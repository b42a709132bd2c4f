"""JSON-LD as publishers write it: read leniently, within bounds. Pure functions.

Real pages break JSON in a handful of ways: raw line breaks and tabs inside
strings, trailing commas, `//` and `/* */` comments, a CDATA wrapper, the whole
script HTML-escaped (`&quot;`), entities inside strings (`&#8217;`). Strict
`json.loads` is tried first; on failure chompjs (the JavaScript-object reader
alltheplaces uses) reads the script with `strict=False`.

Bounds, checked before any parser runs: a script over `MAX_CHARS` characters
(`jsonld_too_large`) or nested deeper than `MAX_DEPTH` brackets
(`jsonld_too_deep`) is refused: CPython's json raises RecursionError near
1,000 levels, and libxml2 cuts a text node over 10 MB, losing the page after it.
A script neither parser reads is `jsonld_malformed`. A refused script is only
skipped: the page's other data and its HTML body are still read.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

import chompjs

MAX_CHARS = 2_000_000
MAX_DEPTH = 100
ARTICLE_TYPES = frozenset({
    # schema.org's Article and every subtype (https://schema.org/Article, "More specific Types")
    "Article", "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
    "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report",
    "SatiricalArticle", "ScholarlyArticle", "SocialMediaPosting", "BlogPosting", "LiveBlogPosting",
    "DiscussionForumPosting", "TechArticle",
    "SportsArticle",  # not in schema.org, but published by sports sites
})
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")
_LD_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.S | re.I)


class Refused(ValueError):
    """A JSON-LD script not read; `reason` names the counter (jsonld_too_large, ...)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class Found:
    """The article node (an empty dict when none), the live blog node when there is one (it may
    come second, after a NewsArticle of the same page), the @id index, why scripts were refused."""

    article: dict = field(default_factory=dict)
    live: dict = field(default_factory=dict)
    by_id: dict = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


def depth(text: str) -> int:
    """How deeply brackets nest in `text`, strings aside. Linear, no recursion."""
    level = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def loads(text: str):
    """One script's data; Refused when over the bounds or unreadable."""
    if len(text) > MAX_CHARS:
        raise Refused("jsonld_too_large", f"JSON-LD of {len(text):,} characters (limit {MAX_CHARS:,})")
    if depth(text) > MAX_DEPTH:
        raise Refused("jsonld_too_deep", f"JSON-LD nested over {MAX_DEPTH} levels")
    try:
        return json.loads(text)
    except ValueError:
        pass
    if "&quot;" in text:
        text = html.unescape(text)
    try:
        return chompjs.parse_js_object(text, loader_kwargs={"strict": False})
    except (ValueError, RecursionError) as exc:
        raise Refused("jsonld_malformed", f"JSON-LD unreadable ({exc})") from None


def without_huge_scripts(page: str) -> tuple[str, list[str]]:
    """`page` with every <script> over MAX_CHARS emptied, and a reason for each JSON-LD one.

    Done on the text before lxml parses it, which would otherwise lose the rest of the page."""
    if len(page) <= MAX_CHARS:
        return page, []
    refused: list[str] = []

    def cut(match: re.Match) -> str:
        if len(match.group(2)) <= MAX_CHARS:
            return match.group(0)
        if "ld+json" in match.group(1).lower():
            refused.append("jsonld_too_large")
        return match.group(1) + match.group(3)

    return _LD_SCRIPT.sub(cut, page), refused


def find_article(tree) -> Found:
    """The page's article node: the first node whose @type is an Article type, at the top level,
    in a list or in an @graph. Refused scripts are removed from `tree` (so no later reader meets
    them) and their reasons listed."""
    found = Found()
    nodes: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        if not (script.text or "").strip():
            continue
        try:
            data = loads(script.text or "")
        except Refused as exc:
            found.refused.append(exc.reason)
            script.drop_tree()
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                graph = item.get("@graph", [item])
                nodes += [n for n in (graph if isinstance(graph, list) else [graph]) if isinstance(n, dict)]
    found.by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    found.article = next((n for n in nodes if types(n) & ARTICLE_TYPES), {})
    found.live = next((n for n in nodes if "LiveBlogPosting" in types(n)), {})
    return found


def types(node: dict) -> set[str]:
    """A node's @type names, without a schema.org prefix ("http://schema.org/NewsArticle")."""
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {re.split(r"[/:#]", n)[-1] for n in names if isinstance(n, str)}


def text(value) -> str | None:
    """A string field as text: entities decoded, whitespace collapsed; None when not a string."""
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(value).split()) or None
