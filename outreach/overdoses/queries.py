"""Read-side: lists of overdose reports, scoped to what the user may see."""

from __future__ import annotations

from sqlalchemy import Select

from outreach.listing import filtered_rows, with_who_and_where
from outreach.overdoses.models import OverdoseReport


def filtered(user, **filters) -> Select:
    """Reports `user` may see, newest first, by the filters of filtered_rows."""
    return filtered_rows(user, OverdoseReport, **filters)


def listed(user, **filters) -> Select:
    """The list's rows: (record, recorder's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(
        filtered(user, **filters), OverdoseReport, OverdoseReport.recorded_by_id
    )
