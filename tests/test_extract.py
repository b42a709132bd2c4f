"""Extraction is a pure function of HTML and URL."""

import pytest

from conftest import shared
from trackwire.crawler.demo_site import load_articles, render_article
from trackwire.crawler.extract import NotAnArticle, canonical_url, decode, extract
from trackwire.crawler.feeds import NotXML, feed_entries, sitemap_entries


def test_jsonld_graph_with_author_reference():
    article = load_articles()[0]
    got = extract(render_article(article), "http://127.0.0.1:8000" + article.path)
    assert got.title == article.title
    assert got.author == "Demo Desk"
    assert got.published_at == article.published
    assert got.url == "https://demo.trackwire.test" + article.path
    assert got.body.split("\n\n") == list(article.paragraphs)


def test_meta_tags_when_there_is_no_jsonld():
    body = " ".join(["The squad trained at altitude for three weeks before the indoor season began."] * 6)
    html = f"""<html><head><meta property="og:title" content="Squad back from camp">
    <meta name="author" content="R. Writer"><meta property="article:published_time" content="2025-01-02T10:00:00Z">
    </head><body><article><p>{body}</p></article></body></html>"""
    got = extract(html, "https://example.org/a")
    assert (got.title, got.author, got.published_at.isoformat()) == (
        "Squad back from camp", "R. Writer", "2025-01-02T10:00:00+00:00")


def test_page_without_article_text_is_rejected_with_a_reason():
    with pytest.raises(NotAnArticle) as info:
        extract("<html><body><nav><a href='/'>Home</a></nav></body></html>", "https://example.org/")
    assert info.value.reason == "no_body"


@pytest.mark.parametrize("raw", [b"", b"   "], ids=["empty", "blank"])
def test_empty_page(raw):
    with pytest.raises(NotAnArticle):
        extract(raw, "https://example.org/")


def test_malformed_date_falls_back_to_the_date_shown_on_the_page():
    article = load_articles()[0]
    html = render_article(article).replace(article.published.isoformat(), "last Tuesday")
    assert extract(html, "https://x.test/a").published_at.date() == article.published.date()


def test_no_date_anywhere_is_none_not_fatal():
    body = " ".join(["The squad trained at altitude for three weeks before the indoor season began."] * 6)
    got = extract(f"<html><body><article><h1>Camp</h1><p>{body}</p></article></body></html>", "https://x.test/a")
    assert got.published_at is None


def test_decode_honours_declared_charset():
    assert decode('<meta charset="iso-8859-1"><p>Sørensen</p>'.encode("latin-1")).endswith("Sørensen</p>")


@pytest.mark.parametrize("url,expected", [
    ("https://Example.org:443/a?utm_source=rss&id=3#top", "https://example.org/a?id=3"),
    ("http://example.org/a?fbclid=1", "http://example.org/a"),
], ids=["utm-port-fragment", "fbclid"])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_atom_feed():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
    <entry><title>A</title><link rel="alternate" href="https://x.test/a"/><published>2025-05-01T10:00:00Z</published></entry>
    </feed>"""
    (entry,) = feed_entries(atom)
    assert (entry.url, entry.title, entry.published.year) == ("https://x.test/a", "A", 2025)


def test_sitemap_index_and_news_sitemap():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://x.test/s1.xml</loc></sitemap></sitemapindex>"""
    assert sitemap_entries(index) == ([], ["https://x.test/s1.xml"])
    news = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.test/a</loc>
      <news:news><news:publication_date>2025-05-01</news:publication_date><news:title>T</news:title></news:news>
      </url></urlset>"""
    pages, _ = sitemap_entries(news)
    assert (pages[0].url, pages[0].title, str(pages[0].published.date())) == ("https://x.test/a", "T", "2025-05-01")


@pytest.mark.parametrize("body", [b"", b"not xml at all <<", b"<html><body>x</body></html>"],
                         ids=["empty", "garbage", "html"])
def test_feed_that_is_not_a_feed(body):
    with pytest.raises(NotXML):
        feed_entries(body)


def test_real_bbc_feed_parses():
    entries = feed_entries(shared("feeds", "bbc_sport_rss_2019-08-14.xml").read_bytes())
    assert len(entries) == 22 and all(e.url.startswith("http") and e.published for e in entries)
