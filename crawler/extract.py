"""Article fields from a page: a pure function of the HTML and its URL.

Order of trust: JSON-LD (every schema.org Article type, also inside @graph,
authors as @id references resolved; read leniently, within bounds:
crawler.jsonld), then OpenGraph and meta tags, then the page itself;
trafilatura extracts the body. Dates: crawler.pagedate; authors:
crawler.bylines; bytes to text: crawler.decoding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.core import determine_returnstring
from trafilatura.settings import Extractor

from trackwire.crawler import bylines, jsonld, liveblog
from trackwire.crawler.dates import day_only, parse_date, parse_human_date
from trackwire.crawler.decoding import BinaryPage, decode
from trackwire.crawler.pagedate import PageDate, published

__all__ = ["Extracted", "NotAnArticle", "canonical_url", "decode", "extract", "parse_date", "parse_human_date"]

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
    day_only: bool = False  # published_at gave a day but no time (crawler.dates.best_date)
    refused: tuple[str, ...] = ()  # JSON-LD scripts not read, one reason each (crawler.jsonld)

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


def extract(html: str | bytes, url: str, selectors: dict[str, str] | None = None, *,
            timezone: str | None = None) -> Extracted:
    """The article in `html`, or NotAnArticle. Touches no network, clock or database.

    `selectors` (a source's CSS selectors for title, body, date, author) win over the
    generic rules for their field when they match; they exist for sites whose markup
    hides a field from JSON-LD, meta tags and trafilatura. `timezone` is the source's
    IANA zone, for dates written without an offset (crawler.dates)."""
    html, tree, found = _parsed(html, url)
    ld, meta = found.article, _meta(tree)
    picked = _selected(tree, selectors or {}, timezone)
    canonical, heads = _canonical(tree, url), _heads(tree, ld, meta)
    date = picked.get("date") or published(tree, ld, meta, None, timezone)
    text, document = _page_text(tree, html, url, found)
    fallback = document or trafilatura.extract_metadata(tree, default_url=url)
    title = picked.get("title") or _title(heads, meta, fallback,
                                          _site_names(ld, found.by_id, meta, fallback) | _host_names(url))
    body = picked.get("body") or _body(text, found.live or ld, {title, *heads.values()})
    if len(body.split()) < MIN_BODY_WORDS:
        raise NotAnArticle("no_body", f"{url}: no article text found")
    if date.when is None and fallback:  # trafilatura's date (htmldate): a day
        date = published(tree, {}, {}, fallback.date, timezone)
    return Extracted(url=canonical, title=title, body=body,
                     author=picked.get("author") or _author(ld, found.by_id, meta, fallback),
                     published_at=date.when, day_only=date.day_only, refused=tuple(found.refused),
                     language=(jsonld.text(ld.get("inLanguage")) or tree.xpath("string(/html/@lang)") or None))


def _parsed(html: str | bytes, url: str):
    """(the HTML trafilatura may read, its lxml tree, the JSON-LD found). Oversized scripts are cut
    before lxml parses the page, refused ones removed from both; their reasons are in found.refused."""
    html, cut = jsonld.without_huge_scripts(_text(html, url))
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("broken_html", f"{url}: HTML could not be parsed ({exc})") from None
    found = jsonld.find_article(tree)
    if found.refused:  # trafilatura reads JSON-LD too: give it the page without the refused scripts
        html = lxml.html.tostring(tree, encoding="unicode")
    found.refused = cut + found.refused
    return html, tree, found


def _page_text(tree, html: str, url: str, found):
    """(body text, trafilatura's document or None). A live blog's updates are read from the page:
    trafilatura keeps one of them."""
    if found.live:
        text = liveblog.updates(tree)
        if text:
            return text, None
    return _trafilatura(html, url)


def _canonical(tree, url: str) -> str:
    """The page's <link rel=canonical> as an absolute http(s) URL, canonicalised; else `url`'s."""
    href = tree.xpath("string(//link[@rel='canonical']/@href)").strip()
    try:
        found = urljoin(url, href) if href else url
        return canonical_url(found if urlsplit(found).scheme in ("http", "https") else url)
    except ValueError:  # a malformed link ("http://[bad"): the page's own URL
        return canonical_url(url)


def _text(html: str | bytes, url: str) -> str:
    if isinstance(html, bytes):
        try:
            html = decode(html)
        except BinaryPage as exc:
            raise NotAnArticle("binary", f"{url}: {exc}") from None
    if not html.strip():
        raise NotAnArticle("empty_page", f"{url}: empty page")
    return html


def _heads(tree, ld: dict, meta: dict) -> dict[str, str]:
    """The headline as each part of the page gives it: h1, JSON-LD, og:title, <title>."""
    found = {"h1": _clean(tree.xpath("string(//h1)")), "headline": jsonld.text(ld.get("headline")) or "",
             "og": _clean(meta.get("og:title")), "title": _clean(tree.xpath("string(//title)"))}
    return {k: v for k, v in found.items() if v}


def _title(heads: dict[str, str], meta: dict, fallback, sites: set[str]) -> str:
    """The headline as readers see it. trafilatura's title heuristics (kickers split off <h1>, site
    names cut from og:title) score best on the real pages in bench/extraction.py, when its title is
    one the page shows (it can pick a nested node's headline, as a live blog's latest update); then
    og:title, JSON-LD, <h1>, <title>. A site name after (or before) a separator is cut."""
    guess = _clean(fallback.title if fallback else None)
    if guess and not any(_fold(guess) in _fold(h) for h in heads.values()):
        guess = ""
    found = guess or heads.get("og") or heads.get("headline") or heads.get("h1") or heads.get("title", "")
    return _cut_site(found, sites, {heads.get("h1"), heads.get("headline")} - {None})


_SEPARATOR = re.compile(r"\s+[-–—|•·»›:~/]\s+|\s*[|•·»›]\s*|:\s+")


def _cut_site(title: str, sites: set[str], heads: set[str]) -> str:
    """"Headline • Site" (any common separator) to "Headline" when Site is the site's name, or when
    the part before the separator is the page's <h1> or JSON-LD headline; "Site | Headline" likewise."""
    for _ in range(3):
        parts = list(_SEPARATOR.finditer(title))
        if not parts:
            break
        head, tail = title[:parts[-1].start()], title[parts[-1].end():]
        lead, rest = title[:parts[0].start()], title[parts[0].end():]
        if head and tail and (_fold(tail) in sites or head in heads):
            title = head
        elif lead and rest and _fold(lead) in sites:
            title = rest
        else:
            break
    return title


def _site_names(ld: dict, by_id: dict, meta: dict, fallback) -> set[str]:
    """The site's names, folded: og:site_name, application-name, JSON-LD publisher, trafilatura's."""
    publisher = ld.get("publisher")
    if isinstance(publisher, dict) and "name" not in publisher:
        publisher = by_id.get(publisher.get("@id"), publisher)
    names = {meta.get("og:site_name"), meta.get("application-name"), meta.get("apple-mobile-web-app-title"),
             jsonld.text(publisher.get("name")) if isinstance(publisher, dict) else None,
             fallback.sitename if fallback else None}
    return {_fold(n) for n in names if n}


def _host_names(url: str) -> set[str]:
    """The page's host as a site name ("example.org" for www.example.org), folded."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return {_fold(host)} if "." in host else set()


def _author(ld: dict, by_id: dict, meta: dict, fallback) -> str | None:
    """Authors as "A, B": JSON-LD, then meta author, then article:author, then trafilatura's byline."""
    for values in (_ld_authors(ld, by_id), [meta.get("author")], [meta.get("article:author")],
                   (fallback.author or "").split(";") if fallback else []):
        found = bylines.joined(values)
        if found:
            return found
    return None


def _ld_authors(ld: dict, by_id: dict) -> list[str]:
    authors = ld.get("author") or []
    found = []
    for a in authors if isinstance(authors, list) else [authors]:
        if isinstance(a, dict) and "name" not in a and a.get("@id") in by_id:
            a = by_id[a["@id"]]
        name = jsonld.text(a.get("name") if isinstance(a, dict) else a)
        if name:
            found.append(name)
    return found


def _selected(tree, selectors: dict[str, str], local: str | None):
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
            when = parse_date(raw, local) or parse_human_date(raw, local)
            found["date"] = PageDate(when, day_only(raw)) if when else None
        elif key == "author":
            found["author"] = bylines.joined(el.text_content() for el in elements)
        else:
            found[key] = _clean(elements[0].text_content()) or None
    return {k: v for k, v in found.items() if v}


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


def _body(text: str, ld: dict, heads: set[str]) -> str:
    """trafilatura's text, or the JSON-LD's own text when longer (`articleBody`; a live blog's
    updates), as paragraphs; without a first paragraph that only repeats the headline."""
    for candidate in (ld.get("articleBody"), liveblog.jsonld_updates(ld)):
        if isinstance(candidate, str) and len(candidate.split()) > len(text.split()):
            text = candidate
    paragraphs = [p for p in (" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)) if p]
    repeats = {_fold(h) for h in heads if h}
    while len(paragraphs) > 1 and _fold(paragraphs[0]) in repeats:
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _fold(text: str | None) -> str:
    """For comparing headlines: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())
