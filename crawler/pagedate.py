"""When a page was published, from its structured data or, failing that, its <time> elements. Pure.

Order of trust: JSON-LD `datePublished`; the meta tags publishers use for it
(`article:published_time`, Dublin Core, Parse.ly, `pubdate`); microdata
`itemprop=datePublished`; a `<time>` inside the article; any other `<time>`;
trafilatura's date (htmldate, a day). A `<time>` in page furniture (`aside`,
`nav`, `footer`, a "Latest", "Related", "Most read" or sidebar block) is
someone else's story; one marked as an update (`class="updated"`,
`itemprop=dateModified`, "Updated" just before it) is not the publication
date. `dateModified`, `article:modified_time` and `og:updated_time` are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from trackwire.crawler.dates import day_only, parse_date, parse_human_date
from trackwire.crawler.jsonld import text as ld_text

META_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "dc.date.issued",
             "dcterms.created", "dc.date", "date", "pubdate", "publishdate", "parsely-pub-date", "sailthru.date")
_FURNITURE = re.compile(r"(^|[\s_-])(latest|related|sidebar|most-?read|popular|recommend\w*|trending|teaser|promo|"
                        r"more-stories|also|widget|rail|newsletter)([\s_-]|$)", re.I)
_UPDATED = re.compile(r"(updat|modif|edited)", re.I)
_UPDATE_LABEL = re.compile(r"(updated|modified|edited)\s*(on|at)?\s*:?\s*$", re.I)
_FURNITURE_TAGS = {"aside", "nav", "footer"}


@dataclass(frozen=True)
class PageDate:
    when: datetime | None
    day_only: bool = False  # the page gave a day but no time (read as 00:00 in its zone)


def published(tree, ld: dict, meta: dict, fallback: str | None, local: str | None = None) -> PageDate:
    """The publication date (see the module notes); `local` is the source's IANA zone."""
    for raw in (ld_text(ld.get("datePublished")), *(meta.get(k) for k in META_KEYS), _itemprop(tree)):
        when = parse_date(raw, local) or parse_human_date(raw, local)
        if when:
            return PageDate(when, day_only(raw))
    for raw in _times(tree):
        when = parse_date(raw, local) or parse_human_date(raw, local)
        if when:
            return PageDate(when, day_only(raw))
    when = parse_date(fallback, local)
    return PageDate(when, day_only(fallback)) if when else PageDate(None)


def _itemprop(tree) -> str | None:
    for el in tree.xpath("//*[@itemprop='datePublished']"):
        raw = el.get("content") or el.get("datetime")
        if raw:
            return raw
    return None


def _times(tree) -> list[str]:
    """Datetimes of the page's <time> elements: those inside the article first, furniture and
    update stamps left out."""
    inside, outside = [], []
    for el in tree.iter("time"):
        raw = (el.get("datetime") or el.text_content() or "").strip()
        if not raw or _is_update(el) or _in_furniture(el):
            continue
        (inside if el.xpath("ancestor::article|ancestor::main") else outside).append(raw)
    return inside + outside


def _in_furniture(el) -> bool:
    for node in el.iterancestors():
        if node.tag in _FURNITURE_TAGS or _FURNITURE.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
    return False


def _is_update(el) -> bool:
    marks = f"{el.get('class', '')} {el.get('itemprop', '')} {el.get('data-testid', '')}"
    if _UPDATED.search(marks):
        return True
    before, parent = el.getprevious(), el.getparent()
    if before is not None:
        lead = before.tail if (before.tail or "").strip() else before.text_content()
    else:
        lead = parent.text if parent is not None else ""
    return bool(_UPDATE_LABEL.search(lead or ""))
