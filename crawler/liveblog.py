"""A live blog's body: its updates, each with its heading, in page order. Pure.

trafilatura reads one `<article>` of a page first: on a live blog, where every
update is an article (or a "live-post" block), it keeps the first update and
shuffles or drops the headings of the rest. For a page whose JSON-LD says
`LiveBlogPosting`, `updates` reads the update blocks themselves: the
outermost elements marked as updates (`itemprop=liveBlogUpdate`, or a class or
id such as `live-post`, `liveblog-update`, `lb-post`), or else the page's
`<article>` elements when it has several; their headings and paragraphs, in
order, after the introduction's paragraphs. When the JSON-LD carries the
updates' text (`liveBlogUpdate` with `articleBody`), `jsonld_updates` gives it,
oldest first; crawler.extract takes it when it is the longer text.
"""

from __future__ import annotations

import re

from trackwire.crawler.jsonld import text as ld_text

_UPDATE = re.compile(r"(^|\s)((live-?blog|lb|live)[-_]*(post|update|entry|item)s?|post-update|blog-?post)"
                     r"(?=$|\s|-(?!-)|_(?!_))", re.I)
_TEXT_TAGS = ("h2", "h3", "h4", "p", "li", "blockquote")


def updates(tree) -> str | None:
    """The live blog's text as paragraphs joined by blank lines; None when no update blocks are found."""
    blocks = _blocks(tree)
    if len(blocks) < 2:
        return None
    parts = _intro(blocks[0])
    for block in blocks:
        parts += _paragraphs(block)
    return "\n\n".join(dict.fromkeys(p for p in parts if p)) or None


def _blocks(tree) -> list:
    marked = [el for el in tree.iter() if isinstance(el.tag, str) and (
        el.get("itemprop") == "liveBlogUpdate" or _UPDATE.search(f"{el.get('class', '')} {el.get('id', '')}"))]
    outer = [el for el in marked if not any(a in marked for a in el.iterancestors())]
    return outer if len(outer) >= 2 else tree.xpath("//article[not(ancestor::article)]")


def _paragraphs(block) -> list[str]:
    return [" ".join(el.text_content().split()) for el in block.iter(*_TEXT_TAGS)
            if not any(a.tag in _TEXT_TAGS for a in el.iterancestors())]


def _intro(first) -> list[str]:
    """Paragraphs before the first update, inside the same article or main element."""
    scope = next((a for a in first.iterancestors() if a.tag in ("article", "main")), None)
    if scope is None:
        return []
    found = []
    for el in scope.iter("p"):
        if el is first or first in el.iterancestors() or el in first.iterancestors():
            break
        found.append(" ".join(el.text_content().split()))
    return found


def jsonld_updates(ld: dict) -> str | None:
    """A LiveBlogPosting's updates (headline and text each), oldest first, as one text."""
    updates = ld.get("liveBlogUpdate")
    if not isinstance(updates, list):
        return None
    parts = []
    for update in sorted((u for u in updates if isinstance(u, dict)), key=lambda u: str(u.get("datePublished"))):
        parts += [t for t in (ld_text(update.get("headline")), update.get("articleBody")) if isinstance(t, str)]
    return "\n\n".join(parts) or None
