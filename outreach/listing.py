"""Reading list filters (dates, codes) from the query string, shared by every list page."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import get_timezone

from outreach.handouts.queries import day_bounds


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
