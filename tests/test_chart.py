"""The progression chart's geometry and the page helpers, as pure functions of records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from trackwire.progression import progression
from trackwire.records import DatedPerformance
from trackwire.web.chart import date_ticks, progression_chart
from trackwire.web.markup import clock, highlighted, safe_url

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def marks(values: list[float], unit: str = "s", days: int = 10) -> list[DatedPerformance]:
    return [DatedPerformance(event="800m", mark=str(v), value=v, unit=unit, story_key=f"s{i}",
                             published_at=START + timedelta(days=days * i)) for i, v in enumerate(values)]


def test_a_faster_time_is_drawn_higher():
    chart = progression_chart(progression("800m", marks([105.0, 103.5])))
    assert chart.points[1].y < chart.points[0].y


def test_time_ticks_read_as_a_clock():
    chart = progression_chart(progression("800m", marks([105.0, 103.5])))
    assert all(":" in t.label for t in chart.y_ticks)


def test_past_the_limit_each_month_keeps_its_best_and_the_bests_stay():
    p = progression("800m", marks([110 + (i * 37 % 60) * 0.01 for i in range(60)] + [101.0], days=3))
    chart = progression_chart(p, max_points=20)
    assert len(chart.points) < 20 and any(pt.best.startswith("pb") for pt in chart.points)
    assert "best mark of each month" in chart.title


def test_date_ticks_fall_on_month_starts():
    ticks = date_ticks(START, START + timedelta(days=200))
    assert all(d.day == 1 for d, _ in ticks) and ticks[0][1] == "Jan 2024"


@pytest.mark.parametrize("url, safe", [("https://a.test/x", "https://a.test/x"), ("javascript:alert(1)", None),
                                       (" JavaScript:alert(1)", None), ("data:text/html,x", None),
                                       ("//a.test/x", None), ("http:///x", None)],
                         ids=["https", "javascript", "spaced-case", "data", "scheme-relative", "no-host"])
def test_only_http_urls_become_links(url, safe):
    assert safe_url(url) == safe


def test_highlights_cut_the_snippet_into_runs():
    assert highlighted("a world record", [(2, 7)]) == [("a ", False), ("world", True), (" record", False)]


@pytest.mark.parametrize("seconds, text", [(51.456, "51.46"), (119.999, "2:00.00"), (7512.0, "2:05:12")])
def test_clock(seconds, text):
    assert clock(seconds) == text


def test_one_mark_is_one_mark():
    assert progression_chart(progression("800m", marks([105.0]))).title == "800m: 1 mark"
    assert progression_chart(progression("800m", marks([105.0, 104.0]))).title == "800m: 2 marks"
