"""Is a source broken, or did a few of its pages fail? Judged from one crawl's counters and,
for a source with few new pages, the crawls before it (docs/crawler.md, "Failing sources").

A source is *failing* when the source itself is broken:

- none of its entry points (feeds, sitemaps) could be read;
- its entry points answered but listed no articles;
- the site blocks the crawler (403 after 403);
- most of its new article pages failed, when there were at least MIN_PAGES of them;
- every one of its new article pages failed on NIGHTS crawls of it in a row.

A dead article link on a healthy source is a dropped page, counted by its reason
(`http_404`, `timeout`, ...), not a failing source: the crawl goes on and ends `ok`.

When no host at all could be resolved, the machine has no network: no source is
judged, the crawl fails with that one reason.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import getproxies

MIN_PAGES = 5  # new pages a night before "most of them failed" condemns a source
NIGHTS = 3  # crawls in a row of every new page failing, for a source with fewer new pages

DNS_ERROR = "twisted.internet.error.DNSLookupError"


@dataclass(frozen=True)
class Pages:
    """The new article pages of one source that one crawler fetched: stored, or failed (lost in download
    or extraction). Pages rightly left out (another sport, a duplicate) are neither. Counted by the
    crawler that fetched them: with a shared frontier another crawler may fetch what this one listed."""

    stored: int = 0
    failed: int = 0

    @property
    def fetched(self) -> int:
        return self.stored + self.failed

    @property
    def all_failed(self) -> bool:
        return self.failed > 0 and self.stored == 0


def pages(counters: dict, name: str) -> Pages:
    """The page counts of source `name` in a crawl's `trackwire/...` counters (prefix removed)."""
    prefix = f"source/{name}/"
    return Pages(*(int(counters.get(prefix + k, 0) or 0) for k in ("stored", "failed")))


def no_network(stats: dict) -> bool:
    """True when nothing answered and every failure was a failed DNS look-up: no network at all."""
    failures = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                if k.startswith("downloader/exception_type_count/")}
    return not stats.get("downloader/response_count") and bool(failures) and set(failures) <= {DNS_ERROR}


class NoNetwork(RuntimeError):
    """Not one host name could be resolved: the machine has no network. The message says so."""

    def __init__(self, hosts: Iterable[str]):
        hosts = sorted(hosts)
        super().__init__(f"no network: none of the {len(hosts)} host name(s) could be resolved (e.g. {hosts[0]}); "
                         "check this machine's connection, then run again" if hosts else
                         "no network: no host name could be resolved; check this machine's connection")


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return True


def check_network(urls: Iterable[str]) -> None:
    """Raise NoNetwork when not one host of `urls` resolves. A proxy resolves names for us: then
    nothing is checked. Look-ups run at once, so no network costs one resolver time-out, not one each."""
    hosts = {urlsplit(u).hostname for u in urls} - {None}
    if not hosts or getproxies():
        return
    with ThreadPoolExecutor(max_workers=min(16, len(hosts))) as pool:
        if not any(pool.map(_resolves, hosts)):
            raise NoNetwork(hosts)


def failing_pages(now: Pages, before: Iterable[Pages], name: str, last: str) -> str | None:
    """Why the pages condemn the source, or None. `before`: its previous crawls, newest first."""
    if now.fetched >= MIN_PAGES and now.failed * 2 > now.fetched:
        return (f"{now.failed} of its {now.fetched} new article pages failed (last: {last}); "
                f"run `trackwire sources check {name}`")
    streak = [now, *list(before)[:NIGHTS - 1]]
    if len(streak) == NIGHTS and all(p.all_failed for p in streak):
        return (f"every new article page failed on {NIGHTS} crawls in a row (last: {last}); "
                f"run `trackwire sources check {name}`")
    return None


def judge(counters: dict, name: str, before: Iterable[Pages], judged: bool) -> str | None:
    """Why source `name` is failing after this crawl, or None. `judged`: the crawl ran far enough."""
    prefix = f"source/{name}/"
    if counters.get(prefix + "blocked"):
        return (f"blocked: {counters[prefix + 'blocked']}; the site refuses the crawler "
                "(check TRACKWIRE_USER_AGENT and the delay, or ask the publisher)")
    now = pages(counters, name)
    if now.fetched:
        last = counters.get(prefix + "last_error") or counters.get(prefix + "last_drop") or "dropped"
        return failing_pages(now, before, name, str(last)) if judged else None
    if counters.get(prefix + "entries") or counters.get(prefix + "not_modified"):
        return None
    if counters.get(prefix + "errors"):
        return str(counters.get(prefix + "last_error", "every entry point failed"))
    if counters.get(prefix + "entry_responses") and judged:
        # Only a crawler that read the entry points judges: with a shared frontier, another
        # crawler of the round may have fetched them and found the articles.
        return "its feeds and sitemaps answered but listed no articles"
    return None
