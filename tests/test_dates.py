"""Dates with named zones, a source's own zone, and days without a time (crawler.dates)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from trackwire.crawler.dates import BadZone, best_date, parse_date, parse_human_date, zone
from trackwire.crawler.extract import extract
from test_extract_cases import URL, page


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw,expected", [
    ("Thu, 30 May 2024 21:40:00 CEST", utc(2024, 5, 30, 19, 40)),
    ("Thu, 30 May 2024 21:40:00 BST", utc(2024, 5, 30, 20, 40)),
    ("Thu, 30 May 2024 21:40:00 AEST", utc(2024, 5, 30, 11, 40)),
    ("Thu, 30 May 2024 21:40:00 IST", utc(2024, 5, 30, 16, 10)),
    ("Thu, 30 May 2024 21:40:00 CST", utc(2024, 5, 31, 3, 40)),
    ("Thu, 30 May 2024 21:40:00 EDT", utc(2024, 5, 31, 1, 40)),
    ("Thu, 30 May 2024 21:40:00 GMT", utc(2024, 5, 30, 21, 40)),
    ("Thu, 30 May 2024 21:40:00 +0530", utc(2024, 5, 30, 16, 10)),
    ("2024-05-30 21:40 CEST", utc(2024, 5, 30, 19, 40)),
], ids=["cest", "bst", "aest", "ist-india-by-default", "cst-us-central-by-default", "edt", "gmt", "numeric",
        "iso-then-zone-name"])
def test_rfc822_named_zones(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw,local,expected", [
    ("Thu, 30 May 2024 21:40:00 IST", "Europe/Dublin", utc(2024, 5, 30, 20, 40)),
    ("Thu, 30 May 2024 21:40:00 CST", "Asia/Shanghai", utc(2024, 5, 30, 13, 40)),
    ("Thu, 30 May 2024 21:40:00 BST", "Asia/Dhaka", utc(2024, 5, 30, 20, 40)),
    ("Thu, 30 May 2024 21:40:00 CEST", "Europe/Dublin", utc(2024, 5, 30, 19, 40)),
    ("2024-05-30T21:40:00", "Europe/Dublin", utc(2024, 5, 30, 20, 40)),
    ("2024-01-30T21:40:00", "Europe/Dublin", utc(2024, 1, 30, 21, 40)),
], ids=["ist-irish", "cst-china", "bst-not-a-dhaka-name", "other-names-keep-the-table", "naive-summer",
        "naive-winter"])
def test_a_source_zone_overrides_the_table(raw, local, expected):
    assert parse_date(raw, local) == expected


@pytest.mark.parametrize("raw,expected", [
    ("May 30, 2024 9:40 pm CEST", utc(2024, 5, 30, 19, 40)),
    ("May 30, 2024 9:40 pm +02:00", utc(2024, 5, 30, 19, 40)),
    ("30 MAY 2024", utc(2024, 5, 30)),
], ids=["zone-name", "offset", "day"])
def test_printed_dates(raw, expected):
    assert parse_human_date(raw) == expected


def test_an_unknown_zone_is_a_one_line_error():
    with pytest.raises(BadZone, match="Europe/Dublin"):
        zone("Europe/Atlantis")


def test_a_named_zone_in_a_page_meta_tag():
    head = '<meta property="article:published_time" content="Thu, 30 May 2024 21:40:00 CEST">'
    assert extract(page(head), URL).published_at == utc(2024, 5, 30, 19, 40)


def test_the_source_zone_reaches_extract():
    head = '<meta property="article:published_time" content="2024-05-30T21:40:00">'
    assert extract(page(head), URL, timezone="Europe/Dublin").published_at == utc(2024, 5, 30, 20, 40)


def test_a_time_at_utc_midnight_is_not_taken_for_a_bare_day():
    """02:00+02:00 is 00:00 UTC: a time, so the feed's time on that day does not replace it."""
    head = '<meta property="article:published_time" content="2024-05-31T02:00:00+02:00">'
    got = extract(page(head), URL)
    assert best_date(got.published_at, utc(2024, 5, 31, 9, 0), got.day_only) == utc(2024, 5, 31, 0, 0)


def test_a_bare_day_takes_the_feed_time():
    head = '<meta property="article:published_time" content="2024-05-31">'
    got = extract(page(head), URL)
    assert best_date(got.published_at, utc(2024, 5, 31, 9, 0), got.day_only) == utc(2024, 5, 31, 9, 0)
