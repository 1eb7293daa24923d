"""Audit events: append-only rows of who did what to which record, each sealed into a hash chain
(outreach.audit.chain) whose head is the one row of `audit_chain_head`."""

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
    "denied",  # a refused request: a missing capability, or another organisation's record
    "purge",  # retention: a month's person-level details removed (counts only)
    "erase",  # erasure of one client code's links (counts only, never the code)
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
    # The hash chain: position, the previous event's hash, and this event's
    # HMAC(AUDIT_KEY or SECRET_KEY, prev_hash + fields). NULL only on events older than the chain.
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The chain's one row (id 1): the last sealed event's position and hash. Every append
    updates it first, so appends queue on its lock and the chain never forks."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")
