"""Pages in the shapes publishers really send (issue 13): each kind through `extract`.

`fixtures/cases/` holds ../shared/cases/crawl as written for trackwire (its
README gives each file's right result); the other pages here are written for
these tests, in the publishers' real structures.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from conftest import FIXTURES
from trackwire.crawler.extract import extract

CASES = FIXTURES / "cases"
URL = "https://news.example.org/athletics/2024/05/kerr-oslo"
PARAGRAPHS = (
    "The women's steeplechase came down to the last water jump, where the leader stumbled and the chaser "
    "behind her kept her feet to take the win by a stride in a meeting record.",
    "Earlier the shot put was settled in the first round with a throw that nobody could answer, the winner "
    "passing her last three attempts to save her legs for the national championships.",
    "The meeting director said the crowd of nine thousand was the biggest the stadium had held for athletics "
    "since it reopened, and that the long jump pit would be moved nearer the stands next year.",
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def page(head: str = "", article: str = "", *, body: str = "", headline: str = "Steeple drama in Oslo",
         title: str | None = None) -> str:
    """A small news page: `head` markup, then an article of our own paragraphs after `article`."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title or headline}</title>'
            f"{head}</head><body>{body}<article><h1>{headline}</h1>{article}{paragraphs}</article>"
            "</body></html>")


def ld_script(data) -> str:
    text = data if isinstance(data, str) else json.dumps(data)
    return f'<script type="application/ld+json">{text}</script>'


def case(name: str):
    return extract((CASES / name).read_bytes(), URL)


# The shared cases, each with its README's right result.

@pytest.mark.parametrize("name", ["e01_jsonld_control_chars.html", "e02_jsonld_trailing_comma.html"],
                         ids=["control-chars", "trailing-comma"])
def test_shared_case_lenient_jsonld(name):
    got = case(name)
    assert (got.published_at, got.author) == (utc(2024, 5, 30, 19, 40), "Hannah Pell")


def test_shared_case_live_blog():
    got = case("e03_liveblogposting.html")
    assert (got.title, got.author, got.published_at) == ("Live: Diamond League Oslo", "Hannah Pell, Owen Tate",
                                                          utc(2024, 5, 30, 18))
    assert "clocking 3:29.05" in got.body and "national championships in Manchester" in got.body


def test_shared_case_time_inside_the_article_beats_the_sidebar():
    assert case("e04_sidebar_time_first.html").published_at == utc(2024, 5, 30, 21, 40)


def test_shared_case_author_url_is_not_a_name():
    assert case("e05_author_facebook_url.html").author == "Hannah Pell"


def test_shared_case_two_authors_by_stripped():
    assert case("e06_author_by_x_and_y.html").author == "Hannah Pell, Owen Tate"


def test_shared_case_site_suffix_cut():
    assert case("e08_title_site_suffix.html").title == "Kerr storms to Oslo 1500m win"


def test_shared_case_stray_byte_keeps_utf8():
    got = case("e11_mixed_encoding_stray_byte.html")
    assert got.title == "Pérez and Martín complete walks double"
    assert got.body.startswith("María Pérez won the 20km race walk") and "Ã" not in got.text


# JSON-LD that is not strict JSON is read leniently.

LENIENT = {
    "raw-newline-and-tab": '{"@type": "NewsArticle", "description": "Two\nlines\tand a tab",'
                           ' "datePublished": "2024-06-02T17:05:00Z", "author": {"name": "Ruth Ames"}}',
    "trailing-commas": '{"@type": "NewsArticle", "datePublished": "2024-06-02T17:05:00Z",'
                       ' "author": [{"name": "Ruth Ames",},],}',
    "comments": '/* SEO block */ {"@type": "NewsArticle", // the story\n "datePublished": "2024-06-02T17:05:00Z",'
                ' "author": {"name": "Ruth Ames"}}',
    "cdata-wrapper": '//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2024-06-02T17:05:00Z",'
                     ' "author": {"name": "Ruth Ames"}}\n//]]>',
    "escaped-as-html": '{&quot;@type&quot;: &quot;NewsArticle&quot;, &quot;datePublished&quot;: '
                       '&quot;2024-06-02T17:05:00Z&quot;, '
                       '&quot;author&quot;: {&quot;name&quot;: &quot;Ruth Ames&quot;}}',
    "entity-in-name": '{"@type": "NewsArticle", "datePublished": "2024-06-02T17:05:00Z",'
                      ' "author": {"name": "Ruth&#x20;Ames"}}',
}


@pytest.mark.parametrize("script", LENIENT.values(), ids=LENIENT.keys())
def test_jsonld_that_is_not_strict_json_is_read(script):
    got = extract(page(ld_script(script)), URL)
    assert (got.published_at, got.author, got.refused) == (utc(2024, 6, 2, 17, 5), "Ruth Ames", ())


def test_jsonld_entities_in_the_headline_are_decoded():
    got = extract(page(ld_script({"@type": "NewsArticle", "headline": "Steeple drama in Oslo"}),
                       title="Steeple drama in Oslo &#8211; a report"), URL)
    assert got.title == "Steeple drama in Oslo"


# JSON-LD out of bounds is refused with a reason; the body still comes from the HTML.

def test_deeply_nested_jsonld_is_refused_and_the_page_kept():
    got = extract(page(ld_script("[" * 100_000 + "]" * 100_000)), URL)
    assert got.refused == ("jsonld_too_deep",)
    assert got.body.split("\n\n") == list(PARAGRAPHS)


def test_huge_jsonld_is_refused_and_the_page_kept():
    huge = {"@type": "NewsArticle", "datePublished": "2024-06-02T17:05:00Z", "articleBody": "lap " * 3_500_000}
    got = extract(page(ld_script(huge)), URL)
    assert got.refused == ("jsonld_too_large",)
    assert got.body.split("\n\n") == list(PARAGRAPHS)


def test_unreadable_jsonld_is_refused_and_the_page_kept():
    got = extract(page(ld_script('{"@type": "NewsArticle", "headline": }}}')), URL)
    assert got.refused == ("jsonld_malformed",)
    assert got.body.split("\n\n") == list(PARAGRAPHS)


# Schema.org article types.

@pytest.mark.parametrize("kind", ["LiveBlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                                  "OpinionNewsArticle", "http://schema.org/NewsArticle", ["WebPage", "Report"]],
                         ids=["live-blog", "reportage", "analysis", "blog-posting", "opinion", "full-iri",
                              "type-list"])
def test_every_schema_org_article_type_is_read(kind):
    data = {"@type": kind, "datePublished": "2024-06-02T17:05:00Z", "author": {"name": "Ruth Ames"}}
    got = extract(page(ld_script(data)), URL)
    assert (got.published_at, got.author) == (utc(2024, 6, 2, 17, 5), "Ruth Ames")


LIVE_UPDATES = [("21:40", "Steeple: a stumble at the last", PARAGRAPHS[0]),
                ("20:55", "Shot put: over in one round", PARAGRAPHS[1]),
                ("19:30", "A record crowd", PARAGRAPHS[2])]


def live_blog_page() -> str:
    updates = "".join(f'<article class="liveblog-update"><header><time datetime="2024-06-02T{t}:00Z">{t}</time>'
                      f"<h2>{h}</h2></header><p>{p}</p></article>" for t, h, p in LIVE_UPDATES)
    data = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Live: Oslo meeting",
            "datePublished": "2024-06-02T18:00:00Z", "author": {"@type": "Person", "name": "Ruth Ames"}}
    return (f"<html><head><title>Live: Oslo meeting</title>{ld_script(data)}</head><body><main>"
            "<h1>Live: Oslo meeting</h1><p>Follow every event of the evening session here, newest first.</p>"
            f'<div class="liveblog-stream">{updates}</div></main></body></html>')


def test_a_live_blog_keeps_every_update_in_page_order():
    got = extract(live_blog_page(), URL)
    expected = ["Follow every event of the evening session here, newest first."]
    for _, heading, paragraph in LIVE_UPDATES:
        expected += [heading, paragraph]
    assert got.body.split("\n\n") == expected


# Dates: a <time> in the article, never a sidebar's or an update stamp; offsets near midnight.

SIDEBARS = {
    "aside-latest": '<aside class="latest"><time datetime="2024-06-14T09:00:00Z">14 June</time></aside>',
    "related-list": '<div class="related-stories"><ul><li><time datetime="2024-06-14T09:00:00Z">14 June</time>'
                    "</li></ul></div>",
    "nav-ticker": '<nav><time datetime="2024-06-14T09:00:00Z">now</time></nav>',
}


@pytest.mark.parametrize("sidebar", SIDEBARS.values(), ids=SIDEBARS.keys())
def test_the_article_time_wins_over_page_furniture(sidebar):
    got = extract(page(body=sidebar, article='<time datetime="2024-06-02T17:05:00Z">2 June 2024</time>'), URL)
    assert got.published_at == utc(2024, 6, 2, 17, 5)


UPDATES = {
    "class-updated": '<time class="updated" datetime="2024-06-03T08:00:00Z">3 June</time>',
    "itemprop-modified": '<time itemprop="dateModified" datetime="2024-06-03T08:00:00Z">3 June</time>',
    "updated-label": '<p>Updated <time datetime="2024-06-03T08:00:00Z">3 June</time></p>',
    "modified-meta": '',
}


@pytest.mark.parametrize("stamp", UPDATES.values(), ids=UPDATES.keys())
def test_an_updated_date_is_never_the_published_one(stamp):
    head = '<meta property="article:modified_time" content="2024-06-03T08:00:00Z">'
    article = stamp + '<time datetime="2024-06-02T17:05:00Z">2 June 2024</time>'
    assert extract(page(head, article), URL).published_at == utc(2024, 6, 2, 17, 5)


@pytest.mark.parametrize("raw,expected", [
    ("2024-05-31T01:30:00+02:00", utc(2024, 5, 30, 23, 30)),
    ("2024-05-31T01:30:00+0200", utc(2024, 5, 30, 23, 30)),
    ("2024-05-30T22:15:00-05:00", utc(2024, 5, 31, 3, 15)),
    ("Fri, 31 May 2024 00:10:00 +1000", utc(2024, 5, 30, 14, 10)),
], ids=["plus-two-after-midnight", "offset-without-colon", "minus-five-late-evening", "rfc822-plus-ten"])
def test_an_offset_near_midnight_lands_on_the_right_utc_day(raw, expected):
    head = f'<meta property="article:published_time" content="{raw}">'
    assert extract(page(head), URL).published_at == expected


# Authors.

AUTHORS = {
    "meta-by-x-and-y": ('<meta name="author" content="By Ruth Ames and Tom Reyes">', "", "Ruth Ames, Tom Reyes"),
    "meta-three-authors": ('<meta name="author" content="Ruth Ames, Tom Reyes and Ines Cole">', "",
                           "Ruth Ames, Tom Reyes, Ines Cole"),
    "jsonld-by-prefix": (ld_script({"@type": "NewsArticle", "author": [{"name": "By Ruth Ames"},
                                                                        {"name": "Tom Reyes"}]}), "",
                         "Ruth Ames, Tom Reyes"),
    "jsonld-url-author": (ld_script({"@type": "NewsArticle", "author": "https://www.facebook.com/somepaper"}),
                          '<p class="byline">By <a rel="author" href="/staff/ruth-ames">Ruth Ames</a></p>',
                          "Ruth Ames"),
    "role-after-name": ('<meta name="author" content="Ruth Ames, Athletics correspondent">', "", "Ruth Ames"),
}


@pytest.mark.parametrize("head,article,expected", AUTHORS.values(), ids=AUTHORS.keys())
def test_authors(head, article, expected):
    assert extract(page(head, article), URL).author == expected


def test_selector_byline_is_split_like_every_other_path():
    got = extract(page(article='<p class="credit">By Ruth Ames &amp; Tom Reyes</p>'), URL,
                  {"author": "p.credit"})
    assert got.author == "Ruth Ames, Tom Reyes"


# Titles: a site suffix after any common separator; the headline not repeated in the body.

@pytest.mark.parametrize("sep", ["|", "-", "–", "—", "•", "·", ":", "»"],
                         ids=["pipe", "hyphen", "en-dash", "em-dash", "bullet", "middle-dot", "colon", "guillemet"])
def test_site_suffix_is_cut_after_any_separator(sep):
    head = ('<meta property="og:site_name" content="Fjord Athletics">'
            f'<meta property="og:title" content="Steeple drama in Oslo {sep} Fjord Athletics">')
    got = extract(page(head, title=f"Steeple drama in Oslo {sep} Fjord Athletics"), URL)
    assert got.title == "Steeple drama in Oslo"


def test_a_colon_inside_a_headline_stays():
    head = '<meta property="og:site_name" content="Fjord Athletics">'
    assert extract(page(head, headline="Oslo: steeple drama"), URL).title == "Oslo: steeple drama"


def test_the_headline_is_not_repeated_as_the_first_paragraph():
    got = extract(page(article="<p>Steeple drama in Oslo</p>"), URL)
    assert got.body.split("\n\n") == list(PARAGRAPHS)


# Encoding.

def test_a_page_declared_utf8_with_one_stray_byte_stays_utf8():
    raw = page(headline="Sørensen wins in Tórshavn").encode("utf-8")
    raw = raw.replace(b"</article>", b"<p>Photo \xa9 the island club</p></article>")
    got = extract(raw, URL)
    assert got.title == "Sørensen wins in Tórshavn"
    assert got.body.endswith("Photo \ufffd the island club")


def test_a_page_declared_utf8_but_written_in_cp1252_is_read_as_cp1252():
    raw = page(headline="Sørensen wins in Tórshavn").encode("cp1252")
    assert extract(raw, URL).title == "Sørensen wins in Tórshavn"


def test_a_page_declared_latin1_but_written_in_utf8_is_read_as_utf8():
    raw = page(headline="Sørensen wins in Tórshavn").replace('charset="utf-8"', 'charset="iso-8859-1"')
    assert extract(raw.encode("utf-8"), URL).title == "Sørensen wins in Tórshavn"


def test_a_printed_time_inside_the_article_is_read():
    got = extract(page(body='<aside class="latest"><time>14 June 2024 09:00</time></aside>',
                       article="<time>2 June 2024 17:05</time>"), URL)
    assert got.published_at == utc(2024, 6, 2, 17, 5)


def test_a_printed_date_in_jsonld_is_read():
    got = extract(page(ld_script({"@type": "NewsArticle", "datePublished": "02/06/2024 17:05"})), URL)
    assert got.published_at == utc(2024, 6, 2, 17, 5)


def test_the_host_name_is_a_site_name():
    html = page(title="Steeple drama in Oslo | news.example.org").replace("h1>", "h2>")
    assert extract(html, URL).title == "Steeple drama in Oslo"


def test_a_live_blog_whose_updates_are_only_in_its_jsonld_keeps_them():
    updates = [{"@type": "BlogPosting", "headline": heading, "articleBody": paragraph,
                "datePublished": f"2024-06-02T{t}:00Z"} for t, heading, paragraph in LIVE_UPDATES]
    data = {"@type": "LiveBlogPosting", "headline": "Live: Oslo meeting", "liveBlogUpdate": updates}
    html = (f"<html><head>{ld_script(data)}</head><body><main><h1>Live: Oslo meeting</h1>"
            "<p>Updates load here as the evening goes on; refresh the page if they do not appear.</p>"
            "</main></body></html>")
    expected = []
    for _, heading, paragraph in sorted(LIVE_UPDATES):
        expected += [heading, paragraph]
    assert extract(html, URL).body.split("\n\n") == expected
