"""Read-side of corrections: a record's history (made, corrected, voided) for its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.extensions import db


@dataclass
class Change:
    at: datetime
    action: str  # create, update, void
    who: str | None
    detail: str | None


def history(record_type: str, record_id: int, org_id: int) -> list[Change]:
    """When the record was made, corrected and voided, by whom, oldest first (from the audit
    log, whose details name fields, never client codes or free text)."""
    rows = db.session.execute(
        select(AuditEvent.at, AuditEvent.action, User.display_name, AuditEvent.detail)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(
            AuditEvent.record_type == record_type,
            AuditEvent.record_id == record_id,
            AuditEvent.org_id == org_id,
            AuditEvent.action.in_(("create", "update", "void")),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [Change(*row) for row in rows]
