"""How trackwire writes a datetime as text: the one format of every JSON output, export and manifest.

ISO 8601 in UTC with `Z` for the zone: `2024-08-04T20:10:00Z`, whole seconds, or with the
microseconds (`2024-08-04T20:10:00.250000Z`) when the value has a fraction of a second. Stored
datetimes are UTC (models.UTCDateTime); a naive value is taken as UTC, an aware one is converted.
Readers take both this form and `+00:00` (`datetime.fromisoformat` does, from Python 3.11).
"""

from __future__ import annotations

from datetime import datetime, timezone


def iso_utc(value: datetime | None) -> str | None:
    """`value` as `YYYY-MM-DDTHH:MM:SSZ` (`.ffffff` before the `Z` only when it has microseconds);
    None stays None."""
    if value is None:
        return None
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    spec = "microseconds" if value.microsecond else "seconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
