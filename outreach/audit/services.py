"""Writing audit events; callers pass plain values, never the request."""

from __future__ import annotations

from outreach.audit.models import DETAIL_MAX, AuditEvent
from outreach.extensions import db


def record(
    action: str,
    record_type: str,
    record_id: int | None = None,
    *,
    user=None,
    detail: str | None = None,
    remote_addr: str | None = None,
    org_id: int | None = None,
) -> AuditEvent:
    """`org_id`: the organisation whose log holds the event when no user of it acted (another
    organisation's look-up of its data); otherwise the user's organisation."""
    event = AuditEvent(
        action=action,
        record_type=record_type,
        record_id=record_id,
        user_id=getattr(user, "id", None),
        org_id=org_id if org_id is not None else getattr(user, "org_id", None),
        detail=detail[:DETAIL_MAX] if detail else None,
        remote_addr=remote_addr,
    )
    db.session.add(event)
    return event
