"""`trackwire demo`'s store holds exactly the performances and speakers its articles state.

The demo's articles (crawler/demo_site/articles) were written for trackwire, so every performance
and every quote's speaker in them is known; this lists them all, article by article.
"""

from __future__ import annotations

import pytest

import trackwire

EXPECTED = {
    "alfred-100m": (
        {("Julien Alfred", "100m", "10.72"), ("Sha'Carri Richardson", "100m", "10.87"),
         ("Melissa Jefferson", "100m", "10.92")},
        ["Julien Alfred", "Julien Alfred", "Sha'Carri Richardson"]),
    "mahuchikh-high-jump": (
        {("Yaroslava Mahuchikh", "high jump", "2.00m"), ("Yaroslava Mahuchikh", "high jump", "2.10m")},
        ["Yaroslava Mahuchikh"]),
    "lyles-by-five-thousandths": (
        {("Noah Lyles", "100m", "9.79 seconds"), ("Kishane Thompson", "100m", "9.79 seconds"),
         ("Fred Kerley", "100m", "9.81")},
        ["Noah Lyles", "Noah Lyles", "Kishane Thompson", "Kishane Thompson"]),
    "hodgkinson-800m": (
        {("Keely Hodgkinson", "800m", "1:56.72"), ("Tsige Duguma", "800m", "1:57.15"),
         ("Mary Moraa", "800m", "1:57.42")},
        ["Keely Hodgkinson", "Keely Hodgkinson"]),
    "duplantis-625": (
        {("Armand Duplantis", "pole vault", "6.25m"), ("Armand Duplantis", "pole vault", "6.10m"),
         ("Sam Kendricks", "pole vault", "5.95m")},
        ["Armand Duplantis", "Armand Duplantis"]),
    "hocker-steals-1500m": (
        {("Cole Hocker", "1500m", "3:27.65"), ("Josh Kerr", "1500m", "3:27.79"), ("Yared Nuguse", "1500m", "3:27.80")},
        ["Cole Hocker", "Josh Kerr", "Josh Kerr"]),
    "hall-400m": (
        {("Quincy Hall", "400m", "43.40"), ("Matthew Hudson-Smith", "400m", "43.44"),
         ("Muzala Samukonga", "400m", "43.74")},
        ["Quincy Hall", "Matthew Hudson-Smith", "Matthew Hudson-Smith"]),
    "mclaughlin-levrone-wr": (
        {("Sydney McLaughlin-Levrone", "400m hurdles", "50.37"), ("Anna Cockrell", "400m hurdles", "51.87"),
         ("Femke Bol", "400m hurdles", "52.15")},
        ["Sydney McLaughlin-Levrone", "Sydney McLaughlin-Levrone", "Femke Bol"]),
    "tebogo-200m": (
        {("Letsile Tebogo", "200m", "19.46"), ("Kenny Bednarek", "200m", "19.62"), ("Noah Lyles", "200m", "19.70")},
        ["Letsile Tebogo", "Letsile Tebogo", "Noah Lyles"]),
    "nadeem-javelin": (
        {("Arshad Nadeem", "javelin throw", "92.97m"), ("Neeraj Chopra", "javelin throw", "89.45m")},
        ["Arshad Nadeem", "Arshad Nadeem", "Neeraj Chopra"]),
    "thiam-third-heptathlon": (
        {("Nafissatou Thiam", "heptathlon", "6880 points"),
         ("Katarina Johnson-Thompson", "heptathlon", "6844 points")},
        ["Nafissatou Thiam", "Nafissatou Thiam", "Katarina Johnson-Thompson"]),
    "chebet-double": (
        {("Beatrice Chebet", "10000m", "30:43.25"), ("Beatrice Chebet", "5000m", "14:28.56")},
        ["Beatrice Chebet", "Beatrice Chebet"]),
    "tola-marathon": (
        {("Tamirat Tola", "marathon", "2:06:26"), ("Bashir Abdi", "marathon", "2:06:47")},
        ["Tamirat Tola", "Eliud Kipchoge"]),
    "ingebrigtsen-5000m": (
        {("Jakob Ingebrigtsen", "5000m", "13:13.66")},
        ["Jakob Ingebrigtsen", "Jakob Ingebrigtsen"]),
    "kipyegon-three-in-a-row": (
        {("Faith Kipyegon", "1500m", "3:51.29"), ("Jessica Hull", "1500m", "3:52.56"),
         ("Georgia Bell", "1500m", "3:52.61")},
        ["Faith Kipyegon", "Faith Kipyegon", "Georgia Bell"]),
    "wanyonyi-800m": (
        {("Emmanuel Wanyonyi", "800m", "1:41.19"), ("Marco Arop", "800m", "1:41.20"),
         ("Djamel Sedjati", "800m", "1:41.50")},
        ["Emmanuel Wanyonyi", "Emmanuel Wanyonyi", "Marco Arop"]),
    "hassan-marathon": (
        {("Sifan Hassan", "marathon", "2:22:55")},
        ["Sifan Hassan", "Sifan Hassan", "Tigst Assefa"]),
}


@pytest.fixture(scope="module")
def demo_stories(demo_run):
    """The stories of the session's `trackwire demo` run (conftest), by slug."""
    with trackwire.open(demo_run[0]) as store:
        return {s.key.rstrip("/").rsplit("/", 1)[-1]: s for s in store.stories()}


def test_the_demo_stores_every_article(demo_stories):
    assert set(demo_stories) == set(EXPECTED)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_demo_article_performances(demo_stories, slug):
    story = demo_stories[slug]
    assert {(p.athlete, p.event, p.mark) for p in story.performances} == EXPECTED[slug][0]


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_demo_article_speakers(demo_stories, slug):
    assert [q.speaker for q in demo_stories[slug].quotes] == EXPECTED[slug][1]
