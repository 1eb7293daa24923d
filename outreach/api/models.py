"""API bearer tokens (kept only as SHA-256) and idempotency receipts of device-made records
(kept only as a keyed hash)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base, utcnow


class ApiToken(Base):
    """A bearer token: valid until it expires, is revoked, or the user's session version moves."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The user's session_version at issue: logout, password change and deactivation bump it.
    session_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]


class ApiReceipt(Base):
    """One row per device-made client_id: what was sent (its keyed hash: a record may hold a
    client code digest, see clientcode.receipt_mac) and the record it made.

    Written in the same transaction as the record; the primary key on client_id (with the
    unique client_id of every record table) is what stops a record being stored twice."""

    __tablename__ = "api_receipts"
    __table_args__ = (Index("ix_api_receipts_org_kind", "org_id", "kind"),)

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    payload_mac: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
