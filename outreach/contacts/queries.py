"""Read-side: lists of outreach contacts, scoped to what the user may see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select

from outreach.contacts.models import OutreachContact
from outreach.listing import with_who_and_where
from outreach.tenancy import scoped_select, with_voided


def filtered(
    user,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    setting: str | None = None,
    voided: str | None = None,
) -> Select:
    """Contacts `user` may see, newest first; `start`/`end` are a half-open UTC range;
    `voided`: None (live ones), "with" or "only"."""
    stmt = with_voided(scoped_select(OutreachContact, user), OutreachContact, voided)
    if start is not None:
        stmt = stmt.where(OutreachContact.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(OutreachContact.occurred_at < end)
    if setting:
        stmt = stmt.where(OutreachContact.setting == setting)
    return stmt.order_by(OutreachContact.occurred_at.desc(), OutreachContact.id.desc())


def listed(user, **filters) -> Select:
    """The list's rows: (record, recorder's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(
        filtered(user, **filters), OutreachContact, OutreachContact.recorded_by_id
    )
