"""The sources registry: publishers declared as data in a TOML file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from trackwire.crawler.dates import BadZone, zone


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the file and the source."""


@dataclass(frozen=True)
class Source:
    name: str
    homepage: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: str = "."
    exclude_pattern: str | None = None
    language: str | None = None
    topic: str | None = None  # "athletics": a general feed, filtered by crawler.topic
    timezone: str | None = None  # IANA zone for ambiguous zone names and times without one (crawler.dates)
    selectors: dict = field(default_factory=dict, hash=False, compare=False)

    def is_article_url(self, url: str) -> bool:
        """Whether `url` matches the article pattern and not the exclude pattern. Hosts and ports are
        the fetch policy's (crawler.policy)."""
        if self.exclude_pattern and re.search(self.exclude_pattern, url):
            return False
        return re.search(self.article_pattern, url) is not None


def default_sources_path() -> Path:
    return Path(str(resources.files("trackwire.crawler").joinpath("sources.toml")))


def load_sources(path: Path | None = None) -> list[Source]:
    path = path or default_sources_path()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file {path} not found: pass --sources FILE or set TRACKWIRE_SOURCES") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"sources file {path} is not valid TOML: {exc}") from None
    sources = [_source(path, i, entry) for i, entry in enumerate(raw.get("source", []), 1)]
    if not sources:
        raise SourcesError(f"sources file {path} lists no sources: add [[source]] tables (README, Sources)")
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourcesError(f"{path}: source name(s) used twice: {', '.join(dupes)}")
    return sources


def _source(path: Path, index: int, entry: dict) -> Source:
    name = entry.get("name")
    if not name or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SourcesError(f"{path}: source #{index} needs a name of lowercase letters, digits and _")
    if not entry.get("feeds") and not entry.get("sitemaps"):
        raise SourcesError(f"{path}: source {name!r} lists no feeds and no sitemaps")
    _check_urls(path, name, entry)
    for key in ("article_pattern", "exclude_pattern"):
        if entry.get(key):
            try:
                re.compile(entry[key])
            except re.error as exc:
                raise SourcesError(f"{path}: source {name!r} has a bad {key}: {exc}") from None
    if entry.get("topic") not in (None, "athletics"):
        raise SourcesError(f"{path}: source {name!r} has topic {entry['topic']!r}; the one topic is \"athletics\"")
    _check_selectors(path, name, entry.get("selectors", {}))
    try:
        zone(entry.get("timezone"))
    except BadZone as exc:
        raise SourcesError(f"{path}: source {name!r}: {exc}") from None
    known = {f.name for f in Source.__dataclass_fields__.values()}
    unknown = set(entry) - known
    if unknown:
        raise SourcesError(f"{path}: source {name!r} has unknown field(s): {', '.join(sorted(unknown))}")
    return Source(**{**entry, **{k: tuple(entry.get(k, ())) for k in ("feeds", "sitemaps", "allowed_domains")}})


def _check_urls(path: Path, name: str, entry: dict) -> None:
    """Entry points are http(s) URLs with a host; allowed_domains are "host" or "host:port"."""
    for key in ("feeds", "sitemaps"):
        for url in entry.get(key, ()):
            try:
                parts = urlsplit(url)
                parts.port  # noqa: B018  (raises on a bad port)
            except (ValueError, TypeError, AttributeError):
                parts = None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise SourcesError(f"{path}: source {name!r} has {key[:-1]} {url!r}: entry points must be "
                                   "http:// or https:// URLs")
    for domain in entry.get("allowed_domains", ()):
        try:
            parts = urlsplit(f"//{domain}")
            parts.port  # noqa: B018  (raises on a bad port)
            ok = bool(parts.hostname) and not (parts.path or parts.query or parts.fragment or parts.username)
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise SourcesError(f"{path}: source {name!r} has allowed_domains entry {domain!r}: "
                               "write a host name, or host:port (\"example.org\", \"example.org:8080\")")


SELECTOR_FIELDS = ("title", "body", "date", "author")


def _check_selectors(path: Path, name: str, selectors) -> None:
    """Site-specific CSS selectors: only the four fields, each a valid selector."""
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    if not isinstance(selectors, dict):
        raise SourcesError(f"{path}: source {name!r}: selectors must be a table like {{ body = \"div.story p\" }}")
    for key, css in selectors.items():
        if key not in SELECTOR_FIELDS:
            raise SourcesError(f"{path}: source {name!r} has a selector for {key!r}; "
                               f"known: {', '.join(SELECTOR_FIELDS)}")
        try:
            CSSSelector(css)
        except (SelectorError, TypeError) as exc:
            raise SourcesError(f"{path}: source {name!r} has a bad {key} selector {css!r}: {exc}") from None


def select(sources: list[Source], names: list[str]) -> list[Source]:
    if not names:
        return sources
    by_name = {s.name: s for s in sources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SourcesError(f"unknown source(s): {', '.join(missing)}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]
