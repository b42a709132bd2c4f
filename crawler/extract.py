"""Article fields from a page: a pure function of the HTML and its URL.

Order of trust: JSON-LD (NewsArticle/Article, also inside @graph, authors as
@id references resolved), then OpenGraph and meta tags, then the page itself;
trafilatura extracts the body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from trafilatura.core import determine_returnstring
from trafilatura.settings import Extractor
from lxml import etree

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "SportsArticle", "OpinionNewsArticle", "ReviewNewsArticle"}
TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|ocid$|cmp$|at_|mc_[ce]id$|ns_|_ga$|igshid$|ref$|src$)")
MIN_BODY_WORDS = 40


class NotAnArticle(ValueError):
    """The page holds no article; `reason` is the drop counter's name."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class Extracted:
    url: str
    title: str
    body: str
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None

    @property
    def text(self) -> str:
        """Headline, blank line, body: the text the tagger reads."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


def canonical_url(url: str) -> str:
    """Without tracking parameters, fragment or default port; host lower-cased."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    netloc = parts.netloc.lower()
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if parts.scheme == scheme and netloc.endswith(port):
            netloc = netloc[: -len(port)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def extract(html: str | bytes, url: str, selectors: dict[str, str] | None = None) -> Extracted:
    """The article in `html`, or NotAnArticle. Touches no network, clock or database.

    `selectors` (a source's CSS selectors for title, body, date, author) win over the
    generic rules for their field when they match; they exist for sites whose markup
    hides a field from JSON-LD, meta tags and trafilatura."""
    if isinstance(html, bytes):
        html = decode(html)
    if not html.strip():
        raise NotAnArticle("empty_page", f"{url}: empty page")
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("broken_html", f"{url}: HTML could not be parsed ({exc})") from None
    ld = _jsonld_article(tree)
    meta = _meta(tree)
    picked = _selected(tree, selectors or {})
    found, document = _trafilatura(html, url)
    body = picked.get("body") or _body(found, ld)
    if len(body.split()) < MIN_BODY_WORDS:
        raise NotAnArticle("no_body", f"{url}: no article text found")
    canonical = tree.xpath("string(//link[@rel='canonical']/@href)").strip()
    author = _author(ld) or meta.get("author") or meta.get("article:author") or None
    published = picked.get("date") or parse_date(
        ld.get("datePublished") or meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
        or tree.xpath("string(//time/@datetime)"))
    fallback = document or trafilatura.extract_metadata(tree, default_url=url)
    return Extracted(
        url=canonical_url(urljoin(url, canonical) if canonical else url),
        title=picked.get("title") or _title(tree, ld, meta, fallback),
        body=body,
        author=picked.get("author") or author or (_plain_author(fallback.author) if fallback else None),
        published_at=published or (parse_date(fallback.date) if fallback else None),
        language=(ld.get("inLanguage") or tree.xpath("string(/html/@lang)") or None),
    )


def _title(tree, ld: dict, meta: dict, fallback) -> str:
    """The headline as readers see it. trafilatura's title heuristics (kickers split off <h1>, site
    names cut from og:title) score best on the real pages in bench/extraction.py; JSON-LD often
    carries an SEO variant. Then og:title, JSON-LD, <h1>, <title>."""
    h1, headline = _clean(tree.xpath("string(//h1)")), _clean(ld.get("headline"))
    found = _clean((fallback.title if fallback else None) or meta.get("og:title") or headline or h1
                   or tree.xpath("string(//title)"))
    site = _clean(meta.get("og:site_name")).lower()
    # "Headline - Site": the site's name is not part of the headline.
    for sep in (" - ", " | ", " – ", " — ", " › ", " » ", " · "):
        head, _, tail = found.rpartition(sep)
        if head and ((site and tail.lower() == site) or head in (h1, headline)):
            found = head
    return found


def _selected(tree, selectors: dict[str, str]) -> dict:
    """The fields a source's CSS selectors find; a selector that matches nothing gives nothing."""
    found: dict = {}
    for key, css in selectors.items():
        elements = tree.cssselect(css)
        if not elements:
            continue
        if key == "body":
            paragraphs = []
            for el in elements:
                parts = el.xpath(".//p") or [el]
                paragraphs += [_clean(p.text_content()) for p in parts]
            body = "\n\n".join(p for p in paragraphs if p)
            if len(body.split()) >= MIN_BODY_WORDS:
                found["body"] = body
        elif key == "date":
            el = elements[0]
            raw = el.get("datetime") or el.get("content") or el.text_content()
            found["date"] = parse_date(raw) or parse_human_date(raw)
        elif key == "author":
            names = [re.sub(r"^(?:by|words:?)\s+", "", _clean(el.text_content()), flags=re.I) for el in elements]
            found["author"] = ", ".join(dict.fromkeys(n for n in names if n)) or None
        else:
            found[key] = _clean(elements[0].text_content()) or None
    return {k: v for k, v in found.items() if v}


_HUMAN_DATE = re.compile(r"\b(1[89]|20)\d\d\b")


def parse_human_date(value: str | None) -> datetime | None:
    """A date as pages print it ("23 AUG 2023", "August 23, 2023 4:05 pm"), as aware UTC.

    Only strings with a four-digit year are read, so that a bare "Tuesday" never
    becomes today's date."""
    from dateutil import parser

    if not value or not _HUMAN_DATE.search(value):
        return None
    try:
        return _utc(parser.parse(value, fuzzy=True, dayfirst=True))
    except (ValueError, OverflowError):
        return None


def _utc(parsed: datetime) -> datetime:
    """Aware UTC; a naive time is taken to be UTC already."""
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _plain_author(author: str | None) -> str | None:
    """trafilatura joins several authors with "; "; we use ", " like JSON-LD lists."""
    return ", ".join(a.strip() for a in author.split(";") if a.strip()) if author else None


def decode(raw: bytes) -> str:
    """Bytes to text: the declared charset when it decodes, else UTF-8, else cp1252.

    Pages that declare a single-byte charset (latin-1, cp1252) but hold UTF-8 are
    common after CMS migrations; when the bytes are valid UTF-8 with multi-byte
    sequences, UTF-8 wins, since latin-1 would "decode" them into mojibake."""
    if _looks_binary(raw):
        raise NotAnArticle("binary", "the page is binary data, not HTML")
    head = raw[:2048].decode("ascii", "ignore")
    declared = re.search(r"charset=[\"']?([\w-]+)", head, re.I)
    order = [declared.group(1)] if declared else []
    if order and order[0].lower().replace("_", "-") in _SINGLE_BYTE and _is_utf8(raw):
        order = ["utf-8"]
    for encoding in order + ["utf-8", "cp1252"]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "cp1252", "windows-1252", "us-ascii", "ascii",
                "iso-8859-15", "latin-9"}


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in raw)


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes or mostly control bytes in the first 4 KB: an image or archive served as text/html."""
    sample = raw[:4096]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / len(sample) > 0.05


def _jsonld_article(tree) -> dict:
    nodes: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except json.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                nodes += [n for n in item.get("@graph", [item]) if isinstance(n, dict)]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    for node in nodes:
        types = node.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & ARTICLE_TYPES:
            node = dict(node)
            node["_by_id"] = by_id
            return node
    return {}


def _author(ld: dict) -> str | None:
    authors = ld.get("author")
    if not authors:
        return None
    names = []
    for a in authors if isinstance(authors, list) else [authors]:
        if isinstance(a, dict) and "name" not in a and a.get("@id") in ld.get("_by_id", {}):
            a = ld["_by_id"][a["@id"]]
        name = a.get("name") if isinstance(a, dict) else a
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return ", ".join(names) or None


def _meta(tree) -> dict:
    found = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in found:
            found[key] = el.get("content").strip()
    return found


_AS_TEXT = Extractor(output_format="txt", comments=False, tables=True, precision=True, dedup=False)


def _trafilatura(html: str, url: str):
    """trafilatura's body text and its metadata document in one pass.

    The same as `trafilatura.extract(...)` plus `extract_metadata(...)` (checked equal on the
    64 real pages of bench/extraction.py), with one parse and one metadata run fewer: a fifth
    less time per page. None for the document when trafilatura finds no body."""
    document = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=True,
                                           favor_precision=True, deduplicate=False, with_metadata=True)
    if not document:
        return "", None
    return determine_returnstring(document, _AS_TEXT) or "", document


def _body(text: str, ld: dict) -> str:
    article_body = ld.get("articleBody")
    if isinstance(article_body, str) and len(article_body.split()) > len(text.split()):
        text = article_body
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def parse_date(value: str | None) -> datetime | None:
    """An ISO-8601 date or datetime as aware UTC; None when missing or malformed."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return _utc(parsed)
