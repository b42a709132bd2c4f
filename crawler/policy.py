"""What a source may fetch: the one rule for feeds, sitemaps, sitemap-index children, redirects,
canonical links and the canary. Pure: no DNS here (crawler.guard resolves host names).

The entry points named in the sources file may be on any host (a feed on a CDN
host is normal). Everything a fetched document links to or redirects to must
pass, in this order:

1. `bad_scheme`: only `http` and `https` URLs with a host (no `file:`,
   `ftp:`, `javascript:`, `data:`, no bad port).
2. `private_address`: a host that is a loopback, private, link-local,
   shared, reserved or multicast address (also written as "127.1",
   "2130706433" or "[::ffff:127.0.0.1]"), or `localhost`, only when the source
   itself lives there (an entry point on that very host), or when
   `TRACKWIRE_ALLOW_PRIVATE_ADDRESSES` is set.
3. `off_domain`: only the source's hosts: its `allowed_domains` and their
   subdomains, or, for a source without `allowed_domains`, exactly the hosts
   of its entry points; and only on the port an `allowed_domains` entry names
   (`"example.org:8080"`), or 80 and 443 when it names none, or the port of an
   entry point on that host.

A canonical link becomes a story's key only when it passes 3 (`owns`): it is
on the source's own hosts and ports. `allowed_domains` may name a host the
source is never fetched from, such as the demo site's stable name.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from trackwire.crawler.sources import Source

DEFAULT_PORTS = frozenset({80, 443})
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.I)


def address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host name spells, without DNS ("127.1" and "0x7f000001" too), or None."""
    try:
        found = ipaddress.ip_address(host)
    except ValueError:
        if not _NUMERIC_HOST.match(host) or not any(ch.isdigit() for ch in host):
            return None
        try:
            found = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped:
        return found.ipv4_mapped
    return found


def is_private(host: str) -> bool:
    """Whether `host` is `localhost` or an address that is not on the public internet."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    found = address(host)
    return found is not None and not found.is_global


def host_port(url: str) -> tuple[str, str, int] | None:
    """(scheme, lower-case host, port) of an http(s) URL; None for any other URL or a bad port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower().rstrip("."), port or (443 if parts.scheme == "https" else 80)


@dataclass(frozen=True)
class Policy:
    """One source's fetch rule (see the module notes)."""

    source: str
    entry_points: frozenset[str]
    domains: tuple[tuple[str, frozenset[int]], ...]  # (domain, ports allowed on it)
    subdomains: bool  # allowed_domains cover their subdomains; entry-point hosts are exact
    homes: frozenset[str]  # hosts of the entry points: where the source lives
    allow_private: bool = False

    @classmethod
    def of(cls, source: Source, *, allow_private: bool = False) -> Policy:
        entries = [e for e in (host_port(u) for u in source.feeds + source.sitemaps) if e]
        homes = frozenset(host for _, host, _ in entries)
        named = [_domain(d) for d in source.allowed_domains]
        domains: dict[str, set[int]] = {}
        for domain, port in named or [(host, None) for host in sorted(homes)]:
            ports = ({port} if port else DEFAULT_PORTS) | {p for _, h, p in entries if _under(h, domain, True)}
            domains.setdefault(domain, set()).update(ports)
        return cls(source.name, frozenset(source.feeds + source.sitemaps),
                   tuple((d, frozenset(p)) for d, p in domains.items()), bool(named), homes, allow_private)

    def refusal(self, url: str) -> str | None:
        """Why the source may not fetch `url` (bad_scheme, private_address, off_domain), or None."""
        found = host_port(url)
        if found is None:
            return "bad_scheme"
        _, host, port = found
        if not self.allow_private and is_private(host) and host not in self.homes:
            return "private_address"
        if not self._on_domains(host, port):
            return "off_domain"
        return None

    def owns(self, url: str) -> bool:
        """Whether `url` is on one of the source's own hosts and ports: may it key a story?"""
        found = host_port(url)
        return found is not None and self._on_domains(found[1], found[2])

    def _on_domains(self, host: str, port: int) -> bool:
        return any(_under(host, domain, self.subdomains) and port in ports for domain, ports in self.domains)


def _domain(entry: str) -> tuple[str, int | None]:
    """An allowed_domains entry, "example.org" or "example.org:8080", as (host, port or None)."""
    parts = urlsplit("//" + entry.strip().lower())
    return (parts.hostname or entry.strip().lower()).rstrip("."), parts.port


def _under(host: str, domain: str, subdomains: bool) -> bool:
    return host == domain or (subdomains and host.endswith("." + domain))


def entry_hosts(sources: list[Source]) -> list[str]:
    """Every host an entry point of `sources` names: where the crawl's sources live (crawler.guard)."""
    return sorted({e[1] for s in sources for e in (host_port(u) for u in s.feeds + s.sitemaps) if e})
