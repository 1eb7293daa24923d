"""Reading list filters (dates, codes) from the query string, shared by every list page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import request
from flask_babel import get_timezone


def day_bounds(start: date | None, end: date | None, tz) -> tuple[datetime | None, datetime | None]:
    """Inclusive local days as a half-open UTC range, so the occurred_at index is used."""
    lo = datetime.combine(start, time.min, tz) if start else None
    hi = datetime.combine(end + timedelta(days=1), time.min, tz) if end else None
    return lo, hi


def date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def date_range_args():
    """(start_utc, end_utc, start_date, end_date) from ?start=YYYY-MM-DD&end=YYYY-MM-DD."""
    start, end = date_arg("start"), date_arg("end")
    lo, hi = day_bounds(start, end, get_timezone())
    return lo, hi, start, end
