"""Dates as pages, feeds and sitemaps write them, read as aware UTC. Pure functions: no clock.

Time-zone names. RFC 822 dates (RSS `pubDate`, HTTP dates) may end in a zone
name instead of an offset. Python's `email.utils` knows only the ten North
American names of RFC 822 and reads any other name (CEST, BST, AEST...) as
UTC, which moves the story by hours and often to another day. `ZONES` below is
the table trackwire reads them with. Where a name means several zones, the
table picks one:

| name | read as | also used for |
| --- | --- | --- |
| CST, CDT | US Central, UTC-6 / -5 (RFC 822 section 5) | China Standard Time (+8), Cuba |
| IST | India Standard Time, UTC+5:30 | Irish Standard Time (+1), Israel (+2) |
| BST | British Summer Time, UTC+1 | Bangladesh Standard Time (+6) |
| AST, ADT | Atlantic, UTC-4 / -3 | Arabia Standard Time (+3) |
| GST | Gulf Standard Time, UTC+4 | South Georgia (-2) |

A source whose publisher means the other one names its zone in the sources
file (`timezone = "Europe/Dublin"`): every name that zone uses (GMT and IST for
Dublin) is then read in that zone, with its daylight-saving rules, and so are
times written with no zone at all. A name in neither is ignored (the time is
read as UTC, or in the source's zone).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_tz
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Zone names -> minutes east of UTC. Sources: RFC 822 section 5 for the North American names;
# the IANA tz database's abbreviations for the rest.
ZONES: dict[str, int] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
    "BRT": -180, "ART": -180,
    "BST": 60, "IST": 330, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180,
    "MSK": 180, "SAST": 120, "CAT": 120, "EAT": 180, "WAT": 60, "GST": 240, "PKT": 300, "NPT": 345,
    "ICT": 420, "WIB": 420, "HKT": 480, "SGT": 480, "PHT": 480, "AWST": 480, "JST": 540, "KST": 540,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}
_NAMED_ZONE = re.compile(r"^(?P<rest>.*?\d)\s*\(?(?P<zone>[A-Za-z]{1,5})\)?$")
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_CLOCK = re.compile(r"\d{1,2}:\d\d")


class BadZone(ValueError):
    """A `timezone` that is not an IANA zone name."""


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone `name` ("Europe/Dublin"), None for None; BadZone when unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadZone(f"unknown time zone {name!r}: use an IANA name such as \"Europe/Dublin\"") from None


@lru_cache(maxsize=64)
def _names(tz: ZoneInfo) -> frozenset[str]:
    """The abbreviations a zone has used lately (winter and summer, two recent years)."""
    return frozenset(tz.tzname(datetime(year, month, 15, 12)) or "" for year in (2015, 2024) for month in (1, 7))


def zone_for(name: str, local: str | None = None) -> tzinfo | None:
    """The tzinfo a zone name stands for: the source's zone `local` if it uses that name, else ZONES."""
    tz = zone(local)
    if tz is not None and name.upper() in _names(tz):
        return tz
    minutes = ZONES.get(name.upper())
    return None if minutes is None else timezone(timedelta(minutes=minutes))


def to_utc(parsed: datetime, local: str | None = None) -> datetime:
    """Aware UTC. A naive time is in the source's zone `local`, or UTC when it has none."""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(local) or timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_date(value: str | None, local: str | None = None) -> datetime | None:
    """A structured date (ISO 8601, or RFC 822 with an offset or a zone name) as aware UTC.

    None when missing or malformed. `local` is the source's IANA zone (see the module notes)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")), local)
    except ValueError:
        pass
    return _rfc822(value, local)


def _rfc822(value: str, local: str | None) -> datetime | None:
    tz: tzinfo | None = None
    named = _NAMED_ZONE.match(value)
    if named and named.group("zone").upper() not in ("AM", "PM"):
        tz = zone_for(named.group("zone"), local)
        value = named.group("rest")
    parts = parsedate_tz(value)
    if parts is None:  # "2024-05-30 21:40 CEST": ISO before the zone name
        try:
            naive = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return to_utc(naive.replace(tzinfo=tz) if tz and naive.tzinfo is None else naive, local)
    try:
        naive = datetime(*parts[:6])
    except (ValueError, OverflowError):
        return None
    if tz is None and re.search(r"[+-]\d{4}\s*$", value):
        tz = timezone(timedelta(seconds=parts[9] or 0))
    return to_utc(naive.replace(tzinfo=tz) if tz else naive, local)


def parse_human_date(value: str | None, local: str | None = None) -> datetime | None:
    """A date as pages print it ("23 AUG 2023", "August 23, 2023 4:05 pm BST"), as aware UTC.

    Only strings with a four-digit year are read, so that a bare "Tuesday" never becomes
    today's date; day first when ambiguous (03/04/2024 is 3 April)."""
    from dateutil import parser

    if not value or not _YEAR.search(value):
        return None
    try:
        parsed = parser.parse(value, fuzzy=True, dayfirst=True,
                              tzinfos=lambda name, offset: _tzinfo(name, offset, local),
                              default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return to_utc(parsed, local)


def _tzinfo(name: str | None, offset: int | None, local: str | None) -> tzinfo | None:
    """dateutil's question: the zone for a name, or for a bare offset in seconds."""
    if name:
        return zone_for(name, local)
    return timezone(timedelta(seconds=offset)) if offset is not None else None


def day_only(value: str | None) -> bool:
    """Whether a printed or structured date gives a day but no time of day ("2024-05-30", "30 May 2024")."""
    return bool(value) and not _CLOCK.search(value)


def best_date(page: datetime | None, feed: datetime | None, page_day_only: bool = False) -> datetime | None:
    """The page's date, unless it is missing or only a day (printed "11 AUG 2024", read as
    midnight; `page_day_only`) and the feed or sitemap gives a time within 36 hours: then the
    feed's. A page time that happens to be 00:00 UTC ("02:00+02:00") is a time, and kept."""
    if page is None:
        return feed
    if feed is not None and page_day_only and abs((feed - page).total_seconds()) < 36 * 3600:
        return feed
    return page
