"""Links out of RSS/Atom feeds and sitemaps. Pure functions of the XML bytes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from trackwire.crawler.extract import parse_date


class NotXML(ValueError):
    """Not a usable feed or sitemap; `reason` names the drop counter: empty, not_xml, malformed."""

    def __init__(self, message: str, reason: str = "not_xml"):
        super().__init__(message)
        self.reason = reason


class Entries(list):
    """A list of entries; `repaired` is true when the XML was broken and lxml's recovery read it."""

    repaired = False


@dataclass
class Entry:
    url: str
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None  # the feed's description, for the topic filter of general feeds


def _parse(body: bytes, repair: bool = False):
    """(XML root, whether it was repaired). With `repair`, a broken document (a bare &, a cut-off
    end: common in feeds) is read as far as lxml's recovering parser can; HTML served as a feed
    stays an error."""
    if not body.strip():
        raise NotXML("empty document", "empty")
    strict = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        return etree.fromstring(body.strip(), parser=strict), False
    except etree.XMLSyntaxError as exc:
        if not repair:
            raise NotXML(f"malformed XML ({exc})", "malformed") from None
        error = exc
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(body.strip(), parser=lenient)
    if root is None or _local(root.tag) not in ("rss", "feed", "RDF", "urlset", "sitemapindex"):
        raise NotXML(f"malformed XML ({error})", "malformed")
    return root, True

def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _plain(markup: str | None) -> str | None:
    """Feed summaries often carry escaped HTML; the filter wants words."""
    if not markup:
        return None
    text = re.sub(r"<[^>]+>", " ", html.unescape(markup))
    return " ".join(text.split()) or None


def feed_entries(body: bytes) -> Entries:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed."""
    root, repaired = _parse(body, repair=True)
    if _local(root.tag) not in ("rss", "feed", "RDF"):
        raise NotXML(f"<{_local(root.tag)}> is not an RSS or Atom feed")
    entries = Entries()
    entries.repaired = repaired
    for node in root.iter():
        kind = _local(node.tag)
        if kind == "item":
            url = _child_text(node, "link") or _child_text(node, "guid")
            date = _child_text(node, "pubDate") or _child_text(node, "date")
            summary = _child_text(node, "description")
        elif kind == "entry":
            links = [c for c in node if _local(c.tag) == "link"]
            alternate = [c for c in links if c.get("rel", "alternate") == "alternate"] or links
            url = alternate[0].get("href") if alternate else None
            date = _child_text(node, "published") or _child_text(node, "updated")
            summary = _child_text(node, "summary")
        else:
            continue
        if url:
            entries.append(Entry(url.strip(), _child_text(node, "title"), parse_date(date), _plain(summary)))
    if entries.repaired and not entries:
        raise NotXML("malformed XML: nothing readable", "malformed")
    return entries


def sitemap_entries(body: bytes) -> tuple[list[Entry], list[str]]:
    """(page entries, child sitemaps) of a sitemap, sitemap index or Google News sitemap."""
    root, repaired = _parse(body, repair=True)
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise NotXML(f"<{_local(root.tag)}> is not a sitemap")
    pages, children = [], []
    for node in root:
        kind = _local(node.tag)
        loc = _child_text(node, "loc")
        if not loc:
            continue
        if kind == "sitemap":
            children.append(loc)
        elif kind == "url":
            title, date = None, _child_text(node, "lastmod")
            for child in node.iter():
                if _local(child.tag) == "publication_date":
                    date = (child.text or "").strip() or date
                elif _local(child.tag) == "title" and child is not node:
                    title = (child.text or "").strip() or None
            pages.append(Entry(loc, title, parse_date(date)))
    if repaired and not pages and not children:
        raise NotXML("malformed XML: nothing readable", "malformed")
    return pages, children
