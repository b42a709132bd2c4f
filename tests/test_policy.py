"""The fetch policy as a pure function (crawler.policy); test_fetch_policy.py crawls it for real."""

from __future__ import annotations

import pytest

from trackwire.crawler.policy import Policy, is_private
from trackwire.crawler.sources import Source

PUBLIC = Source("pub", feeds=("https://cdn.example.net/feeds/news.xml",), allowed_domains=("example.org",))
BARE = Source("bare", feeds=("https://www.example.org/feed/",))
PORTED = Source("ported", feeds=("http://www.example.org:8000/rss",),
                allowed_domains=("example.org", "media.example.com:8443"))
LOCAL = Source("local", feeds=("http://127.0.0.1:8123/feed.xml",), allowed_domains=("127.0.0.1",))


@pytest.mark.parametrize("source,url,reason", [
    (PUBLIC, "https://www.example.org/news/a", None),
    (PUBLIC, "https://example.org/news/a", None),
    (PUBLIC, "http://sub.www.example.org/news/a", None),
    (PUBLIC, "https://cdn.example.net/news/a", "off_domain"),
    (PUBLIC, "https://notexample.org/a", "off_domain"),
    (PUBLIC, "https://example.org.evil.test/a", "off_domain"),
    (PUBLIC, "https://www.example.org:6379/a", "off_domain"),
    (PUBLIC, "file:///etc/passwd", "bad_scheme"),
    (PUBLIC, "ftp://www.example.org/a", "bad_scheme"),
    (PUBLIC, "javascript:alert(1)", "bad_scheme"),
    (PUBLIC, "/news/a", "bad_scheme"),
    (PUBLIC, "http:///news/a", "bad_scheme"),
    (PUBLIC, "http://www.example.org:99999/a", "bad_scheme"),
    (PUBLIC, "http://169.254.169.254/latest/meta-data/", "private_address"),
    (PUBLIC, "http://127.0.0.1/a", "private_address"),
    (PUBLIC, "http://127.1/a", "private_address"),
    (PUBLIC, "http://2130706433/a", "private_address"),
    (PUBLIC, "http://[::1]/a", "private_address"),
    (PUBLIC, "http://[::ffff:10.0.0.1]/a", "private_address"),
    (PUBLIC, "http://localhost:6379/", "private_address"),
    (BARE, "https://www.example.org/news/a", None),
    (BARE, "https://example.org/news/a", "off_domain"),
    (BARE, "https://blog.www.example.org/news/a", "off_domain"),
    (PORTED, "http://www.example.org:8000/a", None),
    (PORTED, "https://www.example.org/a", None),
    (PORTED, "http://www.example.org:8001/a", "off_domain"),
    (PORTED, "https://media.example.com:8443/a", None),
    (PORTED, "https://media.example.com/a", "off_domain"),
    (LOCAL, "http://127.0.0.1:8123/news/a", None),
    (LOCAL, "http://127.0.0.1:6379/", "off_domain"),
    (LOCAL, "http://127.0.0.2:8123/news/a", "private_address"),
    (LOCAL, "http://169.254.169.254/latest/meta-data/", "private_address"),
], ids=["subdomain", "domain", "deep-subdomain", "entry-host-not-a-link-host", "lookalike", "suffix-trick",
        "redis-port", "file", "ftp", "javascript", "unresolved-relative", "no-host", "bad-port", "metadata-service",
        "loopback", "short-loopback", "decimal-loopback", "ipv6-loopback", "mapped-private", "localhost",
        "bare-entry-host", "bare-other-host", "bare-subdomain", "ported-entry-port", "ported-default-port",
        "ported-other-port", "named-port", "named-port-only", "local-home", "local-redis", "local-other-loopback",
        "local-metadata"])
def test_refusal(source, url, reason):
    assert Policy.of(source).refusal(url) == reason


def test_the_private_address_setting_lifts_only_the_address_rule():
    policy = Policy.of(PUBLIC, allow_private=True)
    assert (policy.refusal("http://10.1.2.3/a"), policy.refusal("http://www.example.org.internal/a")) == (
        "off_domain", "off_domain")


@pytest.mark.parametrize("url,owned", [
    ("https://www.example.org/news/a", True),
    ("https://cdn.example.net/news/a", False),
    ("https://www.example.org:8443/news/a", False),
], ids=["own-host", "entry-host-only", "other-port"])
def test_canonical_ownership(url, owned):
    assert Policy.of(PUBLIC).owns(url) is owned


@pytest.mark.parametrize("host,private", [("localhost", True), ("a.localhost", True), ("10.0.0.8", True),
                                          ("100.64.1.1", True), ("fe80::1", True), ("8.8.8.8", False),
                                          ("example.org", False)],
                         ids=["localhost", "localhost-subdomain", "rfc1918", "shared", "ipv6-link-local",
                              "public", "name"])
def test_is_private(host, private):
    assert is_private(host) is private


# The sources file: entry points are web URLs; allowed_domains may name a port.

def write(tmp_path, body: str):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nname = "s"\n' + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body", ['feeds = ["file:///etc/passwd"]', 'sitemaps = ["ftp://example.org/s.xml"]',
                                  'feeds = ["/feed.xml"]', 'feeds = ["https://example.org:99999/feed"]',
                                  'feeds = ["https://example.org/feed"]\nallowed_domains = ["example.org/news"]',
                                  'feeds = ["https://example.org/feed"]\nallowed_domains = ["example.org:http"]'],
                         ids=["file-feed", "ftp-sitemap", "relative-feed", "bad-port", "domain-with-path",
                              "domain-bad-port"])
def test_a_sources_file_with_a_bad_url_is_refused_in_one_line(tmp_path, body):
    from trackwire.crawler.sources import SourcesError, load_sources

    with pytest.raises(SourcesError, match="source 's'"):
        load_sources(write(tmp_path, body))


def test_allowed_domains_may_name_a_port(tmp_path):
    from trackwire.crawler.sources import load_sources

    (source,) = load_sources(write(tmp_path, 'feeds = ["https://cdn.example.net/f"]\n'
                                              'allowed_domains = ["example.org:8080"]'))
    assert Policy.of(source).refusal("http://www.example.org:8080/a") is None
