"""Local copies of the publishers in crawler/sources.toml, for tests of each source.

Each publisher's copy reproduces the structure trackwire meets on the real
site: its feed or (news) sitemap format, its URL shapes, its page skeleton
(WordPress with a Yoast JSON-LD graph, BBC's data-component blocks, World
Athletics' Next.js app with printed dates, a CMS page with a paragraph
byline), and the links a crawler must not follow (videos, galleries, live
pages, forums, athlete profiles). The words are trackwire's own: the demo
site's articles, and a few headlines written here for the general BBC feed.

`relocated_sources()` points the packaged sources at these copies, keeping
every entry point's path, so the tests run the shipped patterns and selectors.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from string import Template
from urllib.parse import urlsplit

from trackwire.crawler.demo_site import DemoArticle, DemoSite, load_articles
from trackwire.crawler.sources import Source, load_sources

FOOTER = "<footer><p>Site map</p><p>Privacy notice</p><p>Cookie settings</p></footer>"

WORDPRESS_FEED = Template("""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
  <title>$site</title>
  <atom:link href="$base$feed_path" rel="self" type="application/rss+xml" />
  <link>$base</link>
  <description>$site news</description>
  <lastBuildDate>$now</lastBuildDate>
  <language>en-GB</language>
  <sy:updatePeriod>hourly</sy:updatePeriod>
  <generator>https://wordpress.org/?v=6.6.2</generator>$items
</channel></rss>""")

WORDPRESS_ITEM = Template("""
  <item>
    <title>$title</title>
    <link>$link</link>
    <comments>$link#respond</comments>
    <dc:creator><![CDATA[$author]]></dc:creator>
    <pubDate>$rfc822</pubDate>
    <category><![CDATA[News]]></category>
    <guid isPermaLink="false">$base/?p=$n</guid>
    <description><![CDATA[$summary […]]]></description>
    <content:encoded><![CDATA[$content]]></content:encoded>
    <slash:comments>0</slash:comments>
  </item>""")

WORDPRESS_PAGE = Template("""<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title - $site</title>
<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="$url">
<meta property="og:locale" content="en_GB"><meta property="og:type" content="article">
<meta property="og:title" content="$title - $site"><meta property="og:url" content="$url">
<meta property="og:site_name" content="$site">
<meta property="article:published_time" content="$iso"><meta property="article:modified_time" content="$iso">
<meta name="author" content="$author">
<script type="application/ld+json" class="yoast-schema-graph">$graph</script>
<link rel="stylesheet" id="wp-block-library-css" href="/wp-includes/css/dist/block-library/style.min.css">
</head>
<body class="post-template-default single single-post postid-$n single-format-standard">
<div id="page" class="site"><header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="/">$site</a></p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/news/">News</a></li>
<li><a href="/results/">Results</a></li><li><a href="/subscribe/">Subscribe</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-$n" class="post-$n post type-post status-publish format-standard has-post-thumbnail">
<header class="entry-header"><h1 class="entry-title">$title</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="$iso">$human</time></span>
<span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/demo-desk/">$author</a></span></span>
</div></header>
<div class="entry-content">
$paragraphs
<div class="newsletter-signup"><h3>Get the newsletter</h3><p>Results and reports in your inbox every week.</p></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/news/" rel="category tag">News</a></span></footer>
</article>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Post navigation</h2>
<div class="nav-links"><div class="nav-previous"><a href="/" rel="prev">Previous story</a></div></div></nav>
<section class="related-posts"><h3>Related</h3><ul><li><a href="/">More from the track</a></li></ul></section>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3>Leave a Reply</h3></div></div>
</main></div>$footer</div></body></html>""")

BBC_FEED = Template("""<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet title="XSL_formatting" type="text/xsl" href="/shared/bsp/xsl/rss/nolsol.xsl"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
    <channel>
        <title><![CDATA[$site]]></title>
        <description><![CDATA[$site]]></description>
        <link>$base/sport</link>
        <generator>RSS for Node</generator>
        <lastBuildDate>$now</lastBuildDate>
        <atom:link href="$base$feed_path" rel="self" type="application/rss+xml"/>
        <copyright><![CDATA[Copyright: a test copy]]></copyright>
        <language><![CDATA[en-gb]]></language>
        <ttl>15</ttl>$items
    </channel>
</rss>""")

BBC_ITEM = Template("""
        <item>
            <title><![CDATA[$title]]></title>
            <description><![CDATA[$summary]]></description>
            <link>$link?at_medium=RSS&amp;at_campaign=rss</link>
            <guid isPermaLink="false">$link</guid>
            <pubDate>$rfc822</pubDate>
            <media:thumbnail width="240" height="135" url="$base/ace/standard/240/cpsprodpb/$n.jpg"/>
        </item>""")

BBC_PAGE = Template("""<!DOCTYPE html><html lang="en-GB" class="no-js"><head><meta charSet="utf-8"/>
<title>$title - BBC Sport</title>
<meta name="description" content="$summary"/>
<link rel="canonical" href="$url"/>
<meta property="og:title" content="$title"/><meta property="og:type" content="article"/>
<meta property="og:description" content="$summary"/><meta property="og:site_name" content="BBC Sport"/>
<meta name="twitter:card" content="summary_large_image"/>
<script type="application/ld+json">$ld</script>
</head><body><div id="__next"><div class="ssrcss-1ocoo3l-Wrap e42f8510">
<header data-component="global-navigation"><nav><ul><li><a href="/sport">Sport</a></li><li><a href="/sport/football">Football</a></li>
<li><a href="/sport/athletics">Athletics</a></li></ul></nav></header>
<div id="main-wrapper" class="ssrcss-1ef12hb-MainWrapper"><main id="main-content" class="ssrcss-9bda0r-Main">
<article class="ssrcss-5z7zbc-ArticleWrapper">
<header data-component="headline-block" class="ssrcss-1s9pby4-ComponentWrapper"><h1 id="main-heading" type="headline" tabindex="-1" class="ssrcss-1p2pcqr-Heading">$title</h1></header>
<div data-component="byline-block" class="ssrcss-1r8s8w2-ComponentWrapper"><div class="ssrcss-68pt20-Text-TextContributorName">$author</div><div class="ssrcss-84ltp5-Text">BBC Sport</div></div>
<div data-component="timestamp-block"><time data-testid="timestamp" datetime="$iso">$human</time></div>
<div data-component="image-block"><figure><img src="$base/$n.jpg" alt="A runner"/><figcaption>Picture agency</figcaption></figure></div>
$paragraphs
<div data-component="links-block" class="ssrcss-1r8s8w2-ComponentWrapper"><h2>Related topics</h2><ul><li><a href="/sport/athletics">Athletics</a></li></ul></div>
</article>
<section data-component="most-read"><h2>Most read</h2><ol><li><a href="/sport/football/1">A football story</a></li></ol></section>
</main></div>$footer</div></div>
<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"page":{"type":"article"}}},"page":"/sport/[...slug]"}</script>
</body></html>""")

SITEMAP_INDEX = Template("""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">$children
</sitemapindex>""")

URLSET = Template("""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">$urls
</urlset>""")

WORLD_ATHLETICS_PAGE = Template("""<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>
<meta name="viewport" content="width=device-width"/>
<title>$title | REPORT | World Athletics</title>
<meta name="description" content="$summary"/>
<meta property="og:title" content="$title"/><meta property="og:description" content="$summary"/>
<meta property="og:url" content="$url"/><meta property="og:image" content="$base/image/$n.jpg"/>
<link rel="preload" as="image" href="$base/image/$n.jpg"/>
<link rel="stylesheet" href="/_next/static/css/5d1c5a2e.css"/>
</head><body><div id="__next"><div class="Layout_layout__Xy3aP">
<header class="Header_header__L2Qk1"><nav><a href="/news">News</a><a href="/competitions">Competitions</a><a href="/athletes">Athletes</a><a href="/records">Stats</a></nav></header>
<main class="Layout_main__1Tg9c"><div class="ArticleHeader_header__Pq3hV">
<span class="ArticleHeader_category__9xK2m">Report</span>
<h1 class="ArticleHeader_title__QG8i5">$title</h1>
<div class="ArticleHeader_meta__Rr1tL"><span class="ArticleHeader_date__Aq3mB">$printed</span>
<span class="ArticleHeader_author__dx9Tr">$author</span></div></div>
<div class="ArticleImage_image__N1v8s"><img alt="" src="$base/image/$n.jpg"/></div>
<div class="ArticleBody_body__bJe8q">$paragraphs</div>
<div class="ArticleShare_share__T8lqQ"><span>Share</span></div>
<section class="RelatedNews_related__Kd5vP"><h2>Related news</h2><a href="/news/report/another-story">Another story</a></section>
</main>$footer</div></div>
<script id="__NEXT_DATA__" type="application/json">$next_data</script>
</body></html>""")

EUROPEAN_PAGE = Template("""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>$title | European Athletics</title>
<meta name="description" content="$summary">
<meta property="og:title" content="$title"><meta property="og:type" content="article">
<link rel="canonical" href="$url">
<script type="application/ld+json">$ld</script>
</head><body><div class="page">
<header class="page-header"><a class="logo" href="/">European Athletics</a><nav><a href="/news">News</a><a href="/competitions">Competitions</a></nav></header>
<main><section class="news-detail"><div class="news-detail__header"><p class="news-detail__date">$human</p>
<h1 class="news-detail__title">$title</h1></div>
<div class="news-detail__lead"><p>$lead</p></div>
<div class="news-detail__text rich-text">$paragraphs</div>
<p class="news-detail__author">$author</p></section>
<section class="news-latest"><h2>Latest news</h2><ul><li><a href="/news/other">Other news</a></li></ul></section>
</main>$footer</div></body></html>""")

USATF_PAGE = Template("""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>$title | USATF</title>
<meta name="Generator" content="Sitefinity 14.4 DX">
<meta property="og:title" content="$title"><meta property="og:description" content="$summary">
<link rel="canonical" href="$url">
</head><body><form method="post" action="./$slug" id="form1">
<header class="site-header"><a href="/">USATF</a><nav><a href="/news">News</a><a href="/events">Events</a><a href="/athlete-bios">Athletes</a></nav></header>
<div class="container main-content"><div class="row"><div class="col-md-8">
<div class="article-detail"><h1>$title</h1>
<p class="article-date">$printed</p>
<p class="article-author">By $author</p>
<div class="article-body">$paragraphs</div></div></div>
<div class="col-md-4 sidebar"><h3>Latest News</h3><ul><li><a href="/news">All news</a></li></ul></div></div></div>
$footer</form></body></html>""")


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html.escape(text, quote=False)}</p>"


def _bbc_paragraphs(a: DemoArticle) -> str:
    return "\n".join(f'<div data-component="text-block" class="ssrcss-1r8s8w2-ComponentWrapper">'
                     f'<p class="ssrcss-1q0x1qg-Paragraph">{html.escape(p, quote=False)}</p></div>'
                     for p in a.paragraphs)


@dataclass
class Publisher:
    """One publisher's local copy: which source it stands for, how it lays out URLs and pages."""

    source: str
    site: str
    kind: str  # wordpress | bbc | world_athletics | european | usatf
    article_path: str  # Template over $slug, $n, $yyyy, $mm, $month
    articles: list[DemoArticle]
    skipped_paths: list[str] = field(default_factory=list)  # linked from the entry points, never fetched
    off_topic: list[tuple[str, str, str]] = field(default_factory=list)  # (path, headline, summary)

    def path(self, a: DemoArticle, n: int) -> str:
        return Template(self.article_path).substitute(slug=a.slug, n=1039970000 + n, yyyy=f"{a.published:%Y}",
                                                      mm=f"{a.published:%m}", month=f"{a.published:%B}".lower())


def publishers() -> list[Publisher]:
    a = load_articles()
    return [
        Publisher("world_athletics", "World Athletics", "world_athletics", "/news/report/$slug", a[0:2],
                  ["/news/videos/highlights-paris", "/athletes/kenya/demo-runner-14567890",
                   "/competitions/olympic-games/paris24/results"]),
        Publisher("athletics_weekly", "AW", "wordpress", "/athletics-news/$slug-$n/", a[2:4],
                  ["/videos/track-highlights-1039960001/", "/category/athletics-news/"]),
        Publisher("bbc_sport_athletics", "BBC Sport - Athletics", "bbc", "/sport/athletics/articles/c$n", a[4:6],
                  ["/sport/athletics/av/1039960002", "/sport/live/athletics/1039960003"]),
        Publisher("bbc_sport", "BBC Sport - Sport", "bbc", "/sport/olympics/articles/c$n", a[6:8],
                  ["/sport/av/football/1039960004"],
                  [("/sport/football/articles/c1039960005", "Late header settles the north London derby",
                    "A stoppage-time goal from a corner gives the home side the points in the league."),
                   ("/sport/tennis/articles/c1039960006", "Top seed withdraws from the hard-court event",
                    "A wrist problem keeps the world number one out of the tournament."),
                   ("/sport/olympics/articles/c1039960007", "Britain take silver in the team pursuit",
                    "The quartet are beaten by two tenths in the velodrome final.")]),
        Publisher("european_athletics", "European Athletics", "european", "/news/$slug", a[8:10],
                  ["/news/videos/rome-highlights", "/competitions/european-athletics-championships/results"]),
        Publisher("diamond_league", "Wanda Diamond League", "wordpress", "/news/$slug/", a[10:12],
                  ["/gallery/paris-meeting-photos/"]),
        Publisher("letsrun", "LetsRun.com", "wordpress", "/news/$yyyy/$mm/$slug/", a[12:14],
                  ["/forum/threads/who-wins-the-1500.123456/", "/podcast/2024/08/episode-200/"]),
        Publisher("british_athletics", "British Athletics", "wordpress", "/news/$slug/", a[14:16],
                  ["/videos/championships-recap/"]),
        Publisher("usatf", "USATF", "usatf", "/news/$yyyy/$month/$slug", [a[16], a[0]],
                  ["/news/videos", "/athlete-bios/demo-runner"]),
        Publisher("track_and_field_news", "Track & Field News", "wordpress", "/$slug/", a[1:3],
                  ["/category/news/", "/subscribe/"]),
        Publisher("citius_mag", "CITIUS MAG", "wordpress", "/articles/$slug/", a[3:5],
                  ["/podcasts/the-citius-mag-podcast-200/"]),
    ]


def _summary(a: DemoArticle) -> str:
    words = a.paragraphs[0].split()
    return " ".join(words[:20])


def _printed(a: DemoArticle) -> str:
    return f"{a.published:%d %b %Y}".upper()


class PublisherSite(DemoSite):
    """One publisher's copy on a free port: entry points at the real paths, pages in its skeleton."""

    def __init__(self, publisher: Publisher, source: Source):
        super().__init__(articles=[])
        self.publisher, self.source = publisher, source
        self.urls = {publisher.path(a, n): a for n, a in enumerate(publisher.articles)}
        now = format_datetime(max(a.published for a in publisher.articles))
        for entry in source.feeds:
            path = urlsplit(entry).path
            self.extra[path] = (200, "application/rss+xml; charset=UTF-8", self._feed(path, now).encode())
        for entry in source.sitemaps:
            path = urlsplit(entry).path
            child = "/sitemaps/news-1.xml"
            index = SITEMAP_INDEX.substitute(children=f"""
  <sitemap><loc>{self.base}{child}</loc><lastmod>{publisher.articles[0].published.isoformat()}</lastmod></sitemap>
  <sitemap><loc>{self.base}/sitemaps/athletes-1.xml</loc></sitemap>""")
            self.extra[path] = (200, "application/xml", index.encode())
            self.extra[child] = (200, "application/xml", self._urlset(news=True).encode())
            self.extra["/sitemaps/athletes-1.xml"] = (200, "application/xml", self._urlset(news=False).encode())
        for n, (path, a) in enumerate(self.urls.items()):
            self.extra[path] = (200, "text/html; charset=utf-8", self.page(a, path, n).encode())

    def _feed(self, path: str, now: str) -> str:
        p = self.publisher
        entries = [(self.base + path_, a.title, _summary(a), a, n) for n, (path_, a) in enumerate(self.urls.items())]
        entries += [(self.base + s, "Watch: the best of the night", "Highlights from the meeting", None, 90 + i)
                    for i, s in enumerate(p.skipped_paths)]
        entries += [(self.base + s, title, summary, None, 80 + i) for i, (s, title, summary) in enumerate(p.off_topic)]
        items = []
        for link, title, summary, a, n in entries:
            when = format_datetime(a.published) if a else now
            if p.kind == "bbc":
                items.append(BBC_ITEM.substitute(title=title, summary=summary, link=link, rfc822=when, base=self.base,
                                                 n=n))
            else:
                content = "".join(_p(x) for x in a.paragraphs) if a else _p(summary)
                items.append(WORDPRESS_ITEM.substitute(title=html.escape(title), link=link, author="Demo Desk",
                                                       rfc822=when, base=self.base, n=n, summary=summary,
                                                       content=content))
        template = BBC_FEED if p.kind == "bbc" else WORDPRESS_FEED
        return template.substitute(site=html.escape(p.site), base=self.base, feed_path=path, now=now,
                                   items="".join(items))

    def _urlset(self, news: bool) -> str:
        if not news:  # athlete profiles: pages of the site, not articles
            return URLSET.substitute(urls="".join(
                f"\n  <url><loc>{self.base}{s}</loc><changefreq>weekly</changefreq></url>"
                for s in self.publisher.skipped_paths))
        urls = "".join(f"""
  <url><loc>{self.base}{path}</loc><news:news><news:publication><news:name>{html.escape(self.publisher.site)}</news:name>
    <news:language>en</news:language></news:publication><news:publication_date>{a.published.isoformat()}</news:publication_date>
    <news:title>{html.escape(a.title)}</news:title></news:news>
    <image:image><image:loc>{self.base}/image/{n}.jpg</image:loc></image:image></url>"""
                       for n, (path, a) in enumerate(self.urls.items()))
        return URLSET.substitute(urls=urls)

    def page(self, a: DemoArticle, path: str, n: int) -> str:
        p, url = self.publisher, self.base + path
        common = dict(title=html.escape(a.title), url=url, iso=a.published.isoformat(), base=self.base, n=n,
                      author=a.author, summary=html.escape(_summary(a)), footer=FOOTER, site=html.escape(p.site),
                      human=f"{a.published:%B %-d, %Y}", printed=_printed(a), slug=a.slug)
        if p.kind == "wordpress":
            graph = {"@context": "https://schema.org", "@graph": [
                {"@type": "Article", "@id": url + "#article", "isPartOf": {"@id": url},
                 "author": {"name": a.author, "@id": self.base + "/#/schema/person/1"}, "headline": a.title,
                 "datePublished": a.published.isoformat(), "mainEntityOfPage": {"@id": url},
                 "publisher": {"@id": self.base + "/#organization"}, "inLanguage": "en-GB"},
                {"@type": "WebPage", "@id": url, "url": url, "name": f"{a.title} - {p.site}"},
                {"@type": "Organization", "@id": self.base + "/#organization", "name": p.site},
                {"@type": "Person", "@id": self.base + "/#/schema/person/1", "name": a.author}]}
            return WORDPRESS_PAGE.substitute(common, graph=json.dumps(graph),
                                             paragraphs="\n".join(_p(x) for x in a.paragraphs))
        if p.kind == "bbc":
            ld = {"@context": "http://schema.org", "@type": "ReportageNewsArticle", "url": url,
                  "headline": a.title, "datePublished": a.published.isoformat(),
                  "publisher": {"@type": "NewsMediaOrganization", "name": "BBC Sport"},
                  "author": [{"@type": "Person", "name": a.author}]}
            return BBC_PAGE.substitute(common, ld=json.dumps(ld), paragraphs=_bbc_paragraphs(a))
        if p.kind == "world_athletics":
            next_data = {"props": {"pageProps": {"page": {"__typename": "NewsArticle", "id": n, "title": a.title}}},
                         "page": "/news/[category]/[slug]", "buildId": "build-1"}
            return WORLD_ATHLETICS_PAGE.substitute(common, next_data=json.dumps(next_data),
                                                   paragraphs="".join(_p(x) for x in a.paragraphs))
        if p.kind == "european":
            ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
                  "datePublished": a.published.isoformat(), "author": {"@type": "Person", "name": a.author}}
            return EUROPEAN_PAGE.substitute(common, ld=json.dumps(ld), lead=html.escape(a.paragraphs[0]),
                                            paragraphs="".join(_p(x) for x in a.paragraphs[1:]))
        if p.kind == "usatf":
            return USATF_PAGE.substitute(common, paragraphs="".join(_p(x) for x in a.paragraphs))
        raise ValueError(p.kind)


def relocated(source: Source, base: str) -> Source:
    """The source with its entry points on `base` (same paths) and 127.0.0.1 allowed."""
    def move(url: str) -> str:
        parts = urlsplit(url)
        return base + parts.path + (f"?{parts.query}" if parts.query else "")

    return replace(source, feeds=tuple(move(u) for u in source.feeds),
                   sitemaps=tuple(move(u) for u in source.sitemaps), allowed_domains=("127.0.0.1",))


def to_toml(sources: list[Source]) -> str:
    """A sources file for `sources` (JSON strings are TOML basic strings)."""
    out = []
    for s in sources:
        out.append("[[source]]")
        for key in ("name", "homepage", "article_pattern", "exclude_pattern", "topic", "timezone"):
            if getattr(s, key):
                out.append(f"{key} = {json.dumps(getattr(s, key))}")
        for key in ("feeds", "sitemaps", "allowed_domains"):
            if getattr(s, key):
                out.append(f"{key} = {json.dumps(list(getattr(s, key)))}")
        if s.selectors:
            out.append("selectors = { " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in s.selectors.items()) + " }")
        out.append("")
    return "\n".join(out)


def packaged_sources() -> dict[str, Source]:
    return {s.name: s for s in load_sources()}
