"""Read-side: lists of outreach contacts, scoped to what the user may see."""

from __future__ import annotations

from sqlalchemy import Select

from outreach.contacts.models import OutreachContact
from outreach.listing import filtered_rows, with_who_and_where


def filtered(user, **filters) -> Select:
    """Contacts `user` may see, newest first, by the filters of filtered_rows."""
    return filtered_rows(user, OutreachContact, **filters)


def listed(user, **filters) -> Select:
    """The list's rows: (record, recorder's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(
        filtered(user, **filters), OutreachContact, OutreachContact.recorded_by_id
    )
