"""Local time for an organisation: typed wall-clock times to UTC and back, local days and months.

Plain zoneinfo arithmetic, no Flask. Every time is stored in UTC; an organisation works in its own
zone (Europe/London, Europe/Stockholm), so "today", a day filter and a report's month are its
local ones. Two wall-clock times need a rule:

- in spring the clocks jump (London 01:00 -> 02:00, Stockholm 02:00 -> 03:00): a time in the gap
  never happened, and is refused (NonexistentTime);
- in autumn an hour happens twice (London 01:00-02:00, Stockholm 02:00-03:00): a time in it means
  its first occurrence, still in summer time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/London"
# The zones offered when an organisation is created or edited (the places Outreach serves).
ZONES = ("Europe/London", "Europe/Stockholm")


class NonexistentTime(ValueError):
    """A local wall-clock time inside the spring-forward gap: it never happened."""


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo:
    """The zone called `name` (an IANA name); the default zone for an empty or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def is_zone(name: str | None) -> bool:
    try:
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_utc(local: datetime, tz: tzinfo) -> datetime:
    """A naive wall-clock time in `tz` as an aware UTC datetime.

    A time that happens twice (autumn) is its first occurrence; a time that never happened
    (spring) raises NonexistentTime."""
    first = local.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(local)
    return utc


def to_local(moment: datetime, tz: tzinfo) -> datetime:
    """An aware datetime as an aware wall-clock time in `tz`."""
    return moment.astimezone(tz)


def local_now(tz: tzinfo, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(tz)


def local_today(tz: tzinfo, now: datetime | None = None) -> date:
    """The calendar day it is now in `tz` (00:30 on the 1st in Stockholm is the 1st)."""
    return local_now(tz, now).date()


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The local calendar day of an aware moment in `tz`."""
    return moment.astimezone(tz).date()


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """Local midnight of `day` in UTC (midnight always exists in Europe's zones)."""
    return datetime.combine(day, time.min, tz).astimezone(UTC)


def day_bounds(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The local days `start` to `end` (inclusive) as a half-open UTC range."""
    return start_of_day(start, tz), start_of_day(end + timedelta(days=1), tz)


def month_bounds(year: int, month: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """The local calendar month as a half-open UTC range."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return start_of_day(date(year, month, 1), tz), start_of_day(date(*nxt, 1), tz)


def local_input(moment: datetime, tz: tzinfo) -> datetime:
    """A datetime-local form value (naive, to the minute) showing `moment` in `tz`."""
    return moment.astimezone(tz).replace(second=0, microsecond=0, tzinfo=None)


def offset_label(moment: datetime, tz: tzinfo) -> str:
    """e.g. 'Europe/London (UTC+01:00)': how an export names its zone."""
    offset = moment.astimezone(tz).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{tz} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"
