"""Writing audit events; callers pass plain values, never the request. Every event is sealed
into the hash chain when it is flushed (outreach.audit.chain)."""

from __future__ import annotations

from sqlalchemy import insert

from outreach.audit import chain  # seals every new event as it is flushed
from outreach.audit.models import DETAIL_MAX, AuditEvent
from outreach.extensions import db

# The record type of a table's rows, for events that know only the model (a refused look-up).
TABLE_TYPES = {
    "handouts": "handout",
    "outreach_contacts": "contact",
    "overdose_reports": "overdose_report",
    "training_sessions": "training_session",
    "resupply_requests": "resupply_request",
    "hot_spots": "hot_spot",
    "spike_alerts": "spike_alert",
    "sites": "site",
    "users": "user",
}


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
    """Add one event to the session; it is written (and sealed) with the caller's transaction.
    `org_id` names the log it goes into when there is no user, or another organisation's."""
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


def record_many(rows: list[dict]) -> None:
    """Write many events in one statement (a tablet's batch), sealed into the chain: each row
    holds AuditEvent's columns (at, user_id, org_id, action, record_type, record_id, detail,
    remote_addr)."""
    if not rows:
        return
    for row in rows:
        if row.get("detail"):
            row["detail"] = row["detail"][:DETAIL_MAX]
    chain.seal_rows(db.session, rows)
    db.session.execute(insert(AuditEvent), rows)


def record_denial(record_type: str, record_id: int | None, *, user, detail: str, remote_addr):
    """A refused request, in the caller's organisation's log, written at once: the refusal
    (a 403 or 404) ends the request, whose transaction would otherwise be rolled back."""
    record("denied", record_type, record_id, user=user, detail=detail, remote_addr=remote_addr)
    db.session.commit()


def record_type_of(model) -> str:
    return TABLE_TYPES.get(model.__tablename__, model.__tablename__)
