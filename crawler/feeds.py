"""Links out of RSS/Atom feeds and sitemaps. Pure functions of the bytes and the document's URL.

As publishers send them:
- gzipped (`sitemap.xml.gz`, or any body starting with gzip's magic bytes, with
  or without `Content-Encoding`): un-gzipped by Scrapy's own `gunzip`, at most
  `MAX_XML` bytes once un-gzipped (the sitemap protocol's 50 MB);
- links relative (`/path`), protocol-relative (`//host/path`), inside CDATA, or
  under an `xml:base`: resolved against the base in force, else the document's
  URL. Whether a resolved link may be fetched is the fetch policy's question
  (crawler.policy), not this module's;
- a Google News sitemap entry's title and date are its own `news:news`
  children only: an `image:title`, a `video:title` or an alternate never
  stands in for them;
- broken XML (a bare `&`, a cut-off end) is read as far as lxml's recovering
  parser gets. Anything unreadable, including empty and binary bodies, is
  `NotXML` with reason `malformed` (HTML or another XML document served as a
  feed: `not_xml`), and never an exception of another kind.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.gz import gunzip

from trackwire.crawler.dates import parse_date
from trackwire.crawler.decoding import looks_binary

MAX_XML = 50 * 1024 * 1024
NEWS = "sitemap-news"  # in Google's namespace URI, whichever version a publisher wrote
_ROOTS = ("rss", "feed", "RDF", "urlset", "sitemapindex")


class NotXML(ValueError):
    """Not a usable feed or sitemap; `reason` names the drop counter: malformed or not_xml."""

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


def unpacked(body: bytes) -> bytes:
    """The document's bytes, un-gzipped when they are gzip (at most MAX_XML bytes)."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=MAX_XML)
    except ValueError as exc:  # scrapy's size guard
        raise NotXML(f"gzip data over {MAX_XML // 2**20} MB once un-gzipped ({exc})", "malformed") from None
    except (OSError, EOFError) as exc:
        raise NotXML(f"broken gzip data ({exc})", "malformed") from None


def _parse(body: bytes, url: str):
    """(XML root, whether it was repaired)."""
    body = unpacked(body).strip()
    if not body:
        raise NotXML("empty document", "malformed")
    if looks_binary(body):
        raise NotXML("binary data, not XML", "malformed")
    strict = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        return etree.fromstring(body, parser=strict, base_url=url), False
    except etree.XMLSyntaxError as exc:
        error = exc
    except ValueError as exc:  # lxml refuses some inputs outright (e.g. a bad encoding declaration)
        raise NotXML(f"malformed XML ({exc})", "malformed") from None
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=lenient, base_url=url)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None or _local(root.tag) not in _ROOTS:
        raise NotXML(f"malformed XML ({error})", "malformed")
    return root, True


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(node, name: str, namespace: str | None = None):
    """The first child called `name`; with `namespace`, only in a namespace that contains it."""
    for child in node:
        if _local(child.tag) == name and (namespace is None or namespace in (etree.QName(child).namespace or "")):
            return child
    return None


def _child_text(node, name: str, namespace: str | None = None) -> str | None:
    child = _child(node, name, namespace)
    return ((child.text or "").strip() or None) if child is not None else None


def _link(node, value: str | None, url: str) -> str | None:
    """`value` resolved against the xml:base in force at `node`, else the document's URL."""
    if not value or not value.strip():
        return None
    return urljoin(node.base or url, value.strip())


def _plain(markup: str | None) -> str | None:
    """Feed summaries often carry escaped HTML; the filter wants words."""
    if not markup:
        return None
    text = re.sub(r"<[^>]+>", " ", html.unescape(markup))
    return " ".join(text.split()) or None


def feed_entries(body: bytes, url: str = "", local: str | None = None) -> Entries:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed fetched from `url`; `local` is the source's zone."""
    root, repaired = _parse(body, url)
    if _local(root.tag) not in ("rss", "feed", "RDF"):
        raise NotXML(f"<{_local(root.tag)}> is not an RSS or Atom feed")
    entries = Entries()
    entries.repaired = repaired
    for node in root.iter():
        kind = _local(node.tag)
        if kind == "item":
            link = _rss_link(node, url)
            date = _child_text(node, "pubDate") or _child_text(node, "date")
            summary = _child_text(node, "description")
        elif kind == "entry":
            links = [c for c in node if _local(c.tag) == "link"]
            alternate = [c for c in links if c.get("rel", "alternate") == "alternate"] or links
            link = _link(alternate[0], alternate[0].get("href"), url) if alternate else None
            date = _child_text(node, "published") or _child_text(node, "updated")
            summary = _child_text(node, "summary")
        else:
            continue
        if link:
            entries.append(Entry(link, _child_text(node, "title"), parse_date(date, local), _plain(summary)))
    if entries.repaired and not entries:
        raise NotXML("malformed XML: nothing readable", "malformed")
    return entries


def _rss_link(item, url: str) -> str | None:
    """An item's <link>, else its <guid> when that is a permalink (isPermaLink is not "false")."""
    link = _child(item, "link")
    if link is not None and ((link.text or "").strip() or link.get("href")):
        return _link(link, (link.text or "").strip() or link.get("href"), url)  # an <atom:link href> in an item
    guid = _child(item, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false" and "/" in (guid.text or ""):
        return _link(guid, guid.text, url)
    return None


def sitemap_entries(body: bytes, url: str = "", local: str | None = None) -> tuple[list[Entry], list[str]]:
    """(page entries, child sitemaps) of a sitemap, sitemap index or Google News sitemap at `url`."""
    root, repaired = _parse(body, url)
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise NotXML(f"<{_local(root.tag)}> is not a sitemap")
    pages, children = [], []
    for node in root:
        loc = _child(node, "loc")
        link = _link(loc, loc.text, url) if loc is not None else None
        if not link:
            continue
        if _local(node.tag) == "sitemap":
            children.append(link)
        elif _local(node.tag) == "url":
            news = _child(node, "news", NEWS)
            title = _child_text(news, "title", NEWS) if news is not None else None
            date = (_child_text(news, "publication_date", NEWS) if news is not None else None) \
                or _child_text(node, "lastmod")
            pages.append(Entry(link, title, parse_date(date, local)))
    if repaired and not pages and not children:
        raise NotXML("malformed XML: nothing readable", "malformed")
    return pages, children
