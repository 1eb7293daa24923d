"""Overdose reports: naloxone used, by whom, and what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.models.base import Base, sql_in
from outreach.models.mixins import VOID_COMPLETE, CountedMixin, FieldRecordMixin, LocatedMixin
from outreach.vocab import ADMINISTERED_BY, AGE_BANDS, OUTCOMES, PLACE_TYPES, ROUTES, SEX

if TYPE_CHECKING:
    from outreach.products.models import Product


class OverdoseReport(FieldRecordMixin, LocatedMixin, CountedMixin, Base):
    __tablename__ = "overdose_reports"
    __table_args__ = (
        CheckConstraint(sql_in("administered_by", ADMINISTERED_BY), name="administered_by_known"),
        CheckConstraint(sql_in("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint("route IS NULL OR " + sql_in("route", ROUTES), name="route_known"),
        CheckConstraint("doses IS NULL OR doses BETWEEN 0 AND 20", name="doses_range"),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="point_valid"
        ),
        CheckConstraint(VOID_COMPLETE, name="void_complete"),
        CheckConstraint(
            "age_band IS NULL OR " + sql_in("age_band", AGE_BANDS), name="age_band_known"
        ),
        CheckConstraint("sex IS NULL OR " + sql_in("sex", SEX), name="sex_known"),
        CheckConstraint(
            "place_type IS NULL OR " + sql_in("place_type", PLACE_TYPES), name="place_type_known"
        ),
        Index("ix_overdose_reports_org_occurred", "org_id", "occurred_at"),
    )

    administered_by: Mapped[str] = mapped_column(String(20))
    doses: Mapped[int | None]
    route: Mapped[str | None] = mapped_column(String(20))
    emergency_called: Mapped[bool | None]
    someone_stayed: Mapped[bool | None]
    # Where it happened, and what followed besides an ambulance and someone staying.
    place_type: Mapped[str | None] = mapped_column(String(20))
    referred: Mapped[bool | None]
    taken_to_hospital: Mapped[bool | None]
    outcome: Mapped[str] = mapped_column(String(10), default="unknown")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    product: Mapped[Product | None] = relationship()
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
