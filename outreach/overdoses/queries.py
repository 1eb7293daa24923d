"""Read-side: lists of overdose reports, scoped to what the user may see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select

from outreach.listing import with_who_and_where
from outreach.overdoses.models import OverdoseReport
from outreach.tenancy import scoped_select, with_voided


def filtered(
    user,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    outcome: str | None = None,
    administered_by: str | None = None,
    voided: str | None = None,
) -> Select:
    """Reports `user` may see, newest first; `start`/`end` are a half-open UTC range;
    `voided`: None (live ones), "with" or "only"."""
    stmt = with_voided(scoped_select(OverdoseReport, user), OverdoseReport, voided)
    if start is not None:
        stmt = stmt.where(OverdoseReport.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(OverdoseReport.occurred_at < end)
    if outcome:
        stmt = stmt.where(OverdoseReport.outcome == outcome)
    if administered_by:
        stmt = stmt.where(OverdoseReport.administered_by == administered_by)
    return stmt.order_by(OverdoseReport.occurred_at.desc(), OverdoseReport.id.desc())


def listed(user, **filters) -> Select:
    """The list's rows: (record, recorder's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(
        filtered(user, **filters), OverdoseReport, OverdoseReport.recorded_by_id
    )
