"""Progressions: an athlete's dated marks per event, with the personal and season's bests.

Pure functions of `DatedPerformance` records; the athlete profile carries their result
(`AthleteProfile.progressions`) and the web app draws it (trackwire.web.chart).
"""

from __future__ import annotations

from collections.abc import Iterable

from trackwire.records import DatedPerformance, EventProgression


def lower_is_better(unit: str) -> bool:
    """Times (`s`) are better lower; distances (`m`) and points (`pts`) higher."""
    return unit == "s"


def best(points: Iterable[DatedPerformance]) -> DatedPerformance:
    """The best of `points` (the earliest among equals). Raises ValueError when there are none."""
    ranked = sorted(points, key=lambda p: (p.value if lower_is_better(p.unit) else -p.value, p.published_at))
    if not ranked:
        raise ValueError("no points")
    return ranked[0]


def progression(event: str, performances: Iterable[DatedPerformance]) -> EventProgression | None:
    """The dated marks of one event: one point per distinct (value, unit), dated by the first story that
    states it, oldest first; None when no mark is dated. Marks of the event's most common unit only."""
    dated = sorted((p for p in performances if p.event == event and p.published_at is not None),
                   key=lambda p: p.published_at)
    if not dated:
        return None
    units = [p.unit for p in dated]
    unit = max(set(units), key=units.count)
    first: dict[float, DatedPerformance] = {}
    for p in dated:
        if p.unit == unit:
            first.setdefault(round(p.value, 3), p)
    points = list(first.values())
    season = max(p.published_at.year for p in points)
    return EventProgression(event=event, unit=unit, lower_is_better=lower_is_better(unit), points=points,
                            personal_best=best(points), season=season,
                            season_best=best(p for p in points if p.published_at.year == season))


def progressions(performances: list[DatedPerformance]) -> list[EventProgression]:
    """A progression for every event with at least one dated mark, by event code."""
    found = (progression(event, performances) for event in sorted({p.event for p in performances}))
    return [p for p in found if p is not None]
