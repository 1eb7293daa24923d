"""What every list page shares: filters (dates, codes) from the query string, and each row's
who and where."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Select

from outreach.auth.models import User
from outreach.i18n import current_zone
from outreach.limits import MAX_DB_INT
from outreach.orgs.models import Site
from outreach.timezones import start_of_day


def _midnight(day: date | None, tz, days: int = 0) -> datetime | None:
    """Local midnight `days` after `day`, in UTC; None (no bound) when past datetime's range."""
    if day is None:
        return None
    try:
        return start_of_day(day + timedelta(days=days), tz)
    except OverflowError:  # e.g. the day after 9999-12-31: no record is that far away
        return None


def day_bounds(start: date | None, end: date | None, tz) -> tuple[datetime | None, datetime | None]:
    """Inclusive local days as a half-open UTC range, so the occurred_at index is used."""
    return _midnight(start, tz), _midnight(end, tz, days=1)


def date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def date_range_args():
    """(start_utc, end_utc, start_date, end_date) from ?start=YYYY-MM-DD&end=YYYY-MM-DD."""
    start, end = date_arg("start"), date_arg("end")
    lo, hi = day_bounds(start, end, current_zone())
    return lo, hi, start, end


def id_arg(name: str, source=None) -> int | None:
    """A record id from the query string (or `source`), or None when absent or out of range:
    a number past the database's integer range must not reach a query."""
    raw = (source if source is not None else request.args).get(name, "")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_DB_INT else None


def with_who_and_where(stmt: Select, model: Any, person: Any) -> Select:
    """`stmt`'s records as rows of (record, display name of the user in `person`, site name):
    the giver of a handout, the recorder of anything else, and the site it was at, if any."""
    return (
        stmt.add_columns(User.display_name, Site.name)
        .outerjoin(User, User.id == person)
        .outerjoin(Site, Site.id == model.site_id)
    )


def where_label(record: Any, site_name: str | None) -> str:
    """Where a record happened, in words: its site, else the place name typed, else a GPS point
    (the record's page and the CSV give the point itself)."""
    return site_name or record.place_name or _("GPS point")


def filter_args(names: tuple[str, ...]) -> dict[str, str]:
    """The list filters `names` given in the query string (no page number, no empty ones)."""
    return {name: request.args[name] for name in names if request.args.get(name)}
