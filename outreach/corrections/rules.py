"""Who may correct or void a field record: the one rule behind pages and API alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l

from outreach.access import can
from outreach.models.base import utcnow


def refusal(user: Any, record: Any):
    """Why `user` may not correct or void `record` (a translated message), or None if they may.

    The person who recorded it may, for the organisation's correction period (days from when
    it was recorded); a coordinator or an organisation administrator may, for any record of
    their organisation. The platform administrator records no field work and changes none."""
    if record.org_id != user.org_id or not can(user, "record_field_work"):
        return _l("You may not change this record.")
    if can(user, "correct_any_record"):
        return None
    if record.recorded_by_id != user.id:
        return _l(
            "Only the person who recorded it, a coordinator or an administrator "
            "may change this record."
        )
    days = user.organisation.correction_days
    if utcnow() < record.created_at + timedelta(days=days):
        return None
    if not days:
        return _l("In your organisation only a coordinator or an administrator corrects records.")
    return _l(
        "A record can be changed by the person who recorded it for %(days)d days. "
        "Ask a coordinator.",
        days=days,
    )


def may_change(user: Any, record: Any) -> bool:
    return refusal(user, record) is None


def require_changeable(user: Any, record: Any) -> None:
    """A page's guard: 403 unless `user` may correct or void `record`."""
    if refusal(user, record) is not None:
        abort(403)
