"""Audit events: append-only rows of who did what to which record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base, sql_in, utcnow

ACTIONS = (
    "create",
    "update",
    "void",
    "view",
    "login",
    "logout",
    "login_failed",
    "export",
    "delete",
)
# A correction lists each field changed (old -> new), which can be long.
DETAIL_MAX = 1000


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(sql_in("action", ACTIONS), name="action_known"),
        Index("ix_audit_events_org_at", "org_id", "at"),
        Index("ix_audit_events_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None]
    detail: Mapped[str | None] = mapped_column(String(DETAIL_MAX))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
