"""The fetch policy (crawler.policy) enforced inside Scrapy: on every request, and on host names'
resolved addresses.

`PolicyMiddleware` (a downloader middleware that runs before robots.txt and
every other one) refuses, with `Refused`, any request of a source that its
policy does not allow, except the entry points exactly as the sources file
names them. Scrapy's RedirectMiddleware re-sends a redirect as a new request,
so a 302 from an allowed page to another host, a private address or a `file:`
URL is refused here, before anything is fetched, robots.txt included.

`GuardedResolver` (Scrapy's TWISTED_DNS_RESOLVER) checks what hosts resolve
to (Scrapy's HTTP client resolves literal addresses through it too): a host
that resolves to a loopback, private or link-local address fails to resolve
(counted `private_address`), unless that host is an entry point's host (the
source lives there; TRACKWIRE_ENTRY_HOSTS, set by crawler.run and
crawler.check), the host of an HTTP proxy the environment names (`http_proxy`,
`https_proxy`: the operator chose it; `trackwire demo` sets one on 127.0.0.1
for its site), or TRACKWIRE_ALLOW_PRIVATE_ADDRESSES is set. This covers DNS
rebinding to 127.0.0.1 or 169.254.169.254 for every request the crawler makes.
Not covered: the names asked of a proxy (the proxy resolves them), and
IPv6-only names (Scrapy's default resolver asks for IPv4 only, so they do not
resolve at all).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from trackwire.crawler.policy import Policy, host_port, is_private

log = logging.getLogger(__name__)

# Host names GuardedResolver refused in this process (one crawl per process): name -> address.
REFUSED_NAMES: dict[str, str] = {}


class Refused(IgnoreRequest):
    """A request the source's fetch policy does not allow; `reason` names the drop counter."""

    def __init__(self, reason: str, url: str):
        super().__init__(f"{reason}: {url} is not for this source to fetch")
        self.reason = reason


class PolicyMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("TRACKWIRE_ALLOW_PRIVATE_ADDRESSES")
        self.policies: dict[str, Policy] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.policies = {s.name: Policy.of(s, allow_private=self.allow_private) for s in getattr(spider, "sources", [])}

    def process_request(self, request, spider=None):
        policy = self.policies.get(request.meta.get("source"))
        if policy is None:
            # robots.txt, asked for a request that passed here; or, with a shared frontier, a request
            # of a source this process was not started with: only the scheme can be judged here.
            if "source" in request.meta and host_port(request.url) is None:
                raise Refused("bad_scheme", request.url)
            return None
        if request.url in policy.entry_points and not request.meta.get("redirect_urls"):
            return None
        reason = policy.refusal(request.url)
        if reason:
            log.info("%s: refused %s (%s)", policy.source, request.url, reason)
            raise Refused(reason, request.url)
        return None


def proxy_hosts() -> set[str]:
    """The hosts of the HTTP(S) proxies the environment names, as Scrapy's HttpProxyMiddleware reads them."""
    found = getproxies()
    return {h.lower() for scheme in ("http", "https") if (h := urlsplit(found.get(scheme, "")).hostname)}


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing private addresses for names the sources do not live on."""

    def __init__(self, reactor, cache_size: int, timeout: float, homes: frozenset[str], allow_private: bool):
        super().__init__(reactor, cache_size, timeout)
        self.homes, self.allow_private = homes, allow_private

    @classmethod
    def from_crawler(cls, crawler, reactor):
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        homes = {h.lower() for h in settings.getlist("TRACKWIRE_ENTRY_HOSTS")}
        if settings.getbool("HTTPPROXY_ENABLED"):
            homes |= proxy_hosts()
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), frozenset(homes),
                   settings.getbool("TRACKWIRE_ALLOW_PRIVATE_ADDRESSES"))

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's name)
        return super().getHostByName(name, timeout).addCallback(self._check, name)

    def _check(self, found: str, name: str) -> str:
        if self.allow_private or name.lower() in self.homes or not is_private(found):
            return found
        REFUSED_NAMES[name.lower()] = found
        log.warning("%s resolves to %s, a private address: not fetched", name, found)
        raise DNSLookupError(f"{name} resolves to the private address {found}")
