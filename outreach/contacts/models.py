"""Outreach contacts: who was reached, where, and what was offered."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.models.base import Base, sql_in
from outreach.models.mixins import LIVE_ROWS, VOID_COMPLETE, FieldRecordMixin, LocatedMixin
from outreach.vocab import REFERRALS, SERVICES, SETTINGS


class OutreachContact(FieldRecordMixin, LocatedMixin, Base):
    __tablename__ = "outreach_contacts"
    __table_args__ = (
        CheckConstraint("people_count > 0", name="people_positive"),
        CheckConstraint(sql_in("setting", SETTINGS), name="setting_known"),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="point_valid"
        ),
        CheckConstraint(VOID_COMPLETE, name="void_complete"),
        Index(
            "ix_outreach_contacts_org_occurred_cover",
            "org_id",
            "occurred_at",
            "latitude",
            "longitude",
            "setting",
            "people_count",
            "voided_at",
            **LIVE_ROWS,
        ),
        Index(
            "ix_outreach_contacts_map_cover",
            "occurred_at",
            "org_id",
            "latitude",
            "longitude",
            "setting",
            "voided_at",
            **LIVE_ROWS,
        ),
    )

    setting: Mapped[str] = mapped_column(String(20))
    people_count: Mapped[int] = mapped_column(default=1)
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    services: Mapped[list[ContactService]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ContactService.service"
    )
    referrals: Mapped[list[ContactReferral]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ContactReferral.referral"
    )

    @property
    def service_codes(self) -> list[str]:
        return [s.service for s in self.services]

    @property
    def referral_codes(self) -> list[str]:
        return [r.referral for r in self.referrals]


class ContactService(Base):
    __tablename__ = "contact_services"
    __table_args__ = (CheckConstraint(sql_in("service", SERVICES), name="service_known"),)

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("outreach_contacts.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class ContactReferral(Base):
    __tablename__ = "contact_referrals"
    __table_args__ = (CheckConstraint(sql_in("referral", REFERRALS), name="referral_known"),)

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("outreach_contacts.id", ondelete="CASCADE"), primary_key=True
    )
    referral: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)
