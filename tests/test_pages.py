"""The pages in a real headless Chromium against `trackwire serve`'s app on a real server, over the
browsing store of conftest. Navigation runs with JavaScript switched off (the pages need none); the
hostile stories are opened with the Content-Security-Policy bypassed, so that escaping alone must
keep them inert. Screenshots go to each test's tmp folder."""

from __future__ import annotations

import re

import pytest

import trackwire
from browser import browser, chromium_path, playwright, served
from trackwire.web import create_app


@pytest.fixture(scope="module")
def site(browse_db):
    chromium_path()  # skip (or fail where required) before starting anything
    with trackwire.open(browse_db, read_only=True) as store, served(create_app(store)) as base:
        yield base


@pytest.fixture(scope="module")
def pw(site):
    with playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def no_js(pw, tmp_path_factory):
    """A browser context with JavaScript off, as a reader without it would see the site."""
    with browser(pw, tmp_path_factory.mktemp("profile"), java_script_enabled=False) as context:
        yield context


@pytest.fixture
def page(no_js, tmp_path):
    tab = no_js.new_page()
    yield tab
    tab.screenshot(path=str(tmp_path / "last.png"), full_page=True)
    tab.close()


def test_home_shows_the_figures_and_the_latest_stories(site, page, tmp_path):
    page.goto(site + "/")
    assert page.locator(".figure").first.inner_text() == "13 stories"
    assert page.locator("li.story .title").first.inner_text() == "Bol strong again in Zurich"


def test_home_lists_failing_sources(site, page):
    page.goto(site + "/")
    assert page.locator(".alert li").all_inner_texts()[0].startswith("courier: feed https://courier.test/rss")


def test_search_from_home_shows_highlighted_hits_and_facets(site, page, tmp_path):
    page.goto(site + "/")
    page.fill("#home-q", "world record")
    page.click("form.big button >> nth=0")
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    assert page.locator("p.total strong").inner_text() == "4"
    assert page.locator("li.hit mark").first.inner_text().lower() == "world"
    assert page.locator(".facets li").count() == 6


def test_a_facet_narrows_the_search(site, page, tmp_path):
    page.goto(site + "/search?q=world+record")
    page.click(".facets a:text('Femke Bol')")
    assert page.locator("p.total strong").inner_text() == "2"
    assert "athlete Femke Bol ×" in page.locator("p.active").inner_text()


def test_search_pages_through_results(site, page):
    page.goto(site + "/search?q=world+record&limit=3")
    page.click("a[rel=next]")
    assert page.locator("li.hit").count() == 1 and "page 2 of 2" in page.locator("nav.pages").inner_text()


def test_the_download_links_keep_the_filters(site, page):
    page.goto(site + "/search?q=world+record&source=wire")
    assert page.locator("a:text('CSV')").get_attribute("href") == "/api/search.csv?q=world+record&source=wire"


def test_an_athlete_link_leads_to_a_chart_with_a_point_per_mark(site, page, tmp_path):
    page.goto(site + "/story?key=bol-2025-oslo")
    page.click("a.tag.athlete")
    page.screenshot(path=str(tmp_path / "athlete.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Femke Bol"
    assert page.locator("svg.progression a.point").count() == 6
    assert page.locator("svg.progression .callouts text").all_text_contents() == ["PB: 51.45", "SB 2025: 52.10"]


def test_the_chart_axes_carry_units_and_dates(site, page):
    page.goto(site + "/athletes/Femke%20Bol")
    labels = page.locator("svg.progression .tick-label").all_text_contents()
    assert "51.50" in labels and "Jan 2024" in labels
    assert "time (faster ↑)" in page.locator("svg.progression .axis-title").all_text_contents()


def test_a_chart_point_leads_to_its_story(site, page, tmp_path):
    page.goto(site + "/athletes/Femke%20Bol")
    page.click("svg.progression a.point.pb")
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Bol lowers her best in London"


def test_a_field_events_chart_puts_the_higher_mark_higher(site, page):
    page.goto(site + "/athletes/Armand%20Duplantis")
    low, high = (float(page.locator(f"svg.progression a.point >> nth={i} >> circle").get_attribute("cy"))
                 for i in (0, 1))
    assert high < low  # 6.28m after 6.24m: nearer the top


def test_a_story_shows_its_tags_quotes_and_near_duplicates(site, page, tmp_path):
    page.goto(site + "/story?key=mondo-2025-stockholm")
    assert page.locator(".story-text .tag.mark").first.inner_text() == "6.28m"
    assert page.locator(".story-text .tag.event").first.inner_text() == "pole vault"
    assert page.locator("ul.stories li.story .title").all_inner_texts() == ["World record for Duplantis in Stockholm"]


def test_a_quote_names_its_speaker(site, page):
    page.goto(site + "/story?key=bol-2024-paris")
    assert page.locator("figure.quote figcaption").first.inner_text() == "— Femke Bol"


def test_the_runs_page_shows_drops_by_reason_and_failing_sources(site, page, tmp_path):
    page.goto(site + "/runs")
    assert page.locator("table.runs tbody tr").count() == 2
    assert "duplicate\t3" in page.locator("table >> nth=1").inner_text()
    assert page.locator("tr.status-failing td:first-child").all_inner_texts() == ["courier", "gazette"]


def test_the_api_page_works_offline(site, page):
    page.goto(site + "/docs")
    assert page.locator("section.operation").count() == 7


HOSTILE = ["/story?key=xss-script", "/story?key=xss-attr", "/search?q=relay+or+marathon", "/",
           "/athletes/Femke%20Bol"]
FIND_ACTIVE = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    scripts: document.querySelectorAll('script, iframe, object, embed').length,
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.tagName),
    jsLinks: all.filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
    pwned: window.__pwned || null,
  };
}"""


@pytest.fixture(scope="module")
def with_js(pw, tmp_path_factory):
    """JavaScript on and the CSP bypassed: only escaping stands between the text and the page."""
    with browser(pw, tmp_path_factory.mktemp("profile"), bypass_csp=True) as context:
        yield context


@pytest.mark.parametrize("url", HOSTILE, ids=["script-story", "attribute-story", "search", "home", "athlete"])
def test_hostile_stories_fire_nothing(site, with_js, url, tmp_path):
    tab = with_js.new_page()
    dialogs = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(site + url)
    tab.hover("h1") if tab.locator("h1").count() else None
    for link in tab.locator("a.external, span.unsafe").all():
        link.hover()
    found = tab.evaluate(FIND_ACTIVE)
    tab.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    tab.close()
    assert (dialogs, found) == ([], {"scripts": 0, "handlers": [], "jsLinks": 0, "pwned": None})


def test_hostile_text_is_shown_as_text(site, page):
    page.goto(site + "/story?key=xss-script")
    assert re.search(r"<script>window.__pwned = 'title'", page.locator("h1").inner_text())
