"""A progression chart as plain geometry for an SVG template: marks over date, better always up (the
time axis runs downwards for times), the personal best and the season's best called out, each point
linking to its story. Pure: an `EventProgression` in, a `Chart` out; templates/_chart.html draws it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from trackwire.progression import best
from trackwire.records import DatedPerformance, EventProgression
from trackwire.views import plural
from trackwire.web.markup import clock, day, story_url, value_label

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 28, 24, 46  # margins, px
TIME_STEPS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]  # seconds: steps a clock reads well
AXIS_TITLES = {"s": "time (faster ↑)", "m": "metres (better ↑)", "pts": "points (better ↑)"}


@dataclass
class Tick:
    at: float  # px along its axis
    label: str


@dataclass
class Point:
    x: float
    y: float
    href: str
    tip: str
    best: str = ""  # "pb", "sb", "pb sb" or ""


@dataclass
class Callout:
    x: float
    y: float
    text: str
    anchor: str  # start or end


@dataclass
class Chart:
    event: str
    title: str
    y_title: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    points: list[Point]
    callouts: list[Callout] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def line(self) -> str:
        """The points joined in date order, as an SVG polyline's `points`."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def progression_chart(p: EventProgression, max_points: int = 150) -> Chart:
    """The chart of one event's progression (see the module docstring). Past `max_points` marks, each
    month shows its best mark only (the personal and season's bests always among them), so that the
    chart stays readable and the page light; the title says so."""
    shown = p.points if len(p.points) <= max_points else monthly_bests(p)
    lo, hi, step = value_axis(min(q.value for q in shown), max(q.value for q in shown), p.unit)
    first, last = date_domain([q.published_at for q in shown])
    span_y, span_x = hi - lo, (last - first).total_seconds()

    def y(v: float) -> float:
        share = (v - lo) / span_y
        return TOP + share * (HEIGHT - TOP - BOTTOM) if p.lower_is_better else HEIGHT - BOTTOM - share * (
            HEIGHT - TOP - BOTTOM)

    def x(d: datetime) -> float:
        return LEFT + (d - first).total_seconds() / span_x * (WIDTH - LEFT - RIGHT)

    decimals = _decimals(step)
    y_ticks = [Tick(y(v), _tick_label(v, p.unit, decimals)) for v in _steps(lo, hi, step)]
    x_ticks = [Tick(x(d), label) for d, label in date_ticks(first, last)]
    points = [Point(x(q.published_at), y(q.value), story_url(q.story_key), _tip(q), _best(p, q)) for q in shown]
    title = f"{p.event}: {plural(len(points), 'mark')}" if shown is p.points else \
        f"{p.event}: the best mark of each month ({len(points)} of {plural(len(p.points), 'mark')})"
    chart = Chart(p.event, title, AXIS_TITLES.get(p.unit, p.unit), x_ticks, y_ticks, points)
    chart.callouts = [_callout(chart, pt, p) for pt in points if pt.best]
    return chart


def monthly_bests(p: EventProgression) -> list[DatedPerformance]:
    """The best point of each calendar month, oldest month first."""
    months: dict[tuple[int, int], DatedPerformance] = {}
    for q in p.points:
        month = (q.published_at.year, q.published_at.month)
        if month not in months or best([months[month], q]) is q:
            months[month] = q
    return [months[m] for m in sorted(months)]


def value_axis(vmin: float, vmax: float, unit: str) -> tuple[float, float, float]:
    """(low, high, step): a padded domain rounded out to whole steps, with 3 to 7 ticks."""
    pad = (vmax - vmin) * 0.08 or max(abs(vmax) * 0.01, 0.01)
    vmin, vmax = vmin - pad, vmax + pad
    for step in _candidate_steps(unit):
        lo, hi = math.floor(vmin / step) * step, math.ceil(vmax / step) * step
        if round((hi - lo) / step) <= 6:
            return lo, hi, step
    return vmin, vmax, (vmax - vmin) / 4


def _candidate_steps(unit: str) -> list[float]:
    decimal = [m * 10.0 ** e for e in range(-2, 6) for m in (1, 2, 2.5, 5)]
    return [s for s in decimal if s < 10] + TIME_STEPS if unit == "s" else decimal


def _steps(lo: float, hi: float, step: float) -> list[float]:
    return [lo + i * step for i in range(round((hi - lo) / step) + 1)]


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _tick_label(v: float, unit: str, decimals: int) -> str:
    if unit == "s":
        return clock(v, decimals)
    return f"{v:,.{decimals}f}" + (" m" if unit == "m" else "")


def date_domain(dates: list[datetime]) -> tuple[datetime, datetime]:
    """The dates' range padded by 4% a side, and to 60 days at least."""
    first, last = min(dates), max(dates)
    pad = max((last - first) * 0.04, (timedelta(days=60) - (last - first)) / 2, timedelta(days=3))
    return first - pad, last + pad


def date_ticks(first: datetime, last: datetime) -> list[tuple[datetime, str]]:
    """Ticks on the first of a month: every 1, 2, 3 or 6 months ('Jun 2023'), or every N years ('2023'),
    at most 8."""
    months = (last.year - first.year) * 12 + last.month - first.month
    for every in (1, 2, 3, 6):
        if months / every <= 8:
            return [(d, d.strftime("%b %Y")) for d in _month_starts(first, last, every)]
    years = next(n for n in range(1, 1000) if (last.year - first.year) / n <= 8)
    return [(d, str(d.year)) for d in _month_starts(first, last, 12 * years)]


def _month_starts(first: datetime, last: datetime, every: int) -> list[datetime]:
    out, y, m = [], first.year, 1
    while True:
        d = datetime(y, m, 1, tzinfo=timezone.utc)
        if d > last:
            return out
        if d >= first and ((y * 12 + m - 1) % every == 0):
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _tip(q: DatedPerformance) -> str:
    return f"{value_label(q.value, q.unit)} ({q.mark}), {day(q.published_at)}: {q.story_title or q.story_key}"


def _best(p: EventProgression, q: DatedPerformance) -> str:
    flags = ["pb"] if q == p.personal_best else []
    return " ".join(flags + (["sb"] if q == p.season_best else []))


def _callout(chart: Chart, pt: Point, p: EventProgression) -> Callout:
    q = p.personal_best if "pb" in pt.best else p.season_best
    names = (["PB"] if "pb" in pt.best else []) + ([f"SB {p.season}"] if "sb" in pt.best else [])
    text = f"{' · '.join(names)}: {q.mark}"
    left_half = pt.x < (chart.left + chart.right) / 2
    return Callout(pt.x + 11 if left_half else pt.x - 11, pt.y + 4, text, "start" if left_half else "end")
