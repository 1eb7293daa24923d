"""Named hot spots that peers report, and emerging-spike alerts for coordinators."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base, TimestampMixin, sql_in

HOT_SPOT_CATEGORIES = {
    "rough_sleeping": _l("Rough sleeping"),
    "injecting_site": _l("Injecting site"),
    "dealing_area": _l("Dealing area"),
    "hostel_cluster": _l("Hostel cluster"),
    "other": _l("Other"),
}
MAX_RADIUS_M = 5000

SPIKE_WINDOWS = {"24h": _l("24 hours"), "7d": _l("7 days")}
SPIKE_SCOPES = {"area": _l("Area"), "cell": _l("About 1 km square")}


class HotSpot(TimestampMixin, Base):
    """A place a peer or coordinator named: a point, a radius, a category and notes."""

    __tablename__ = "hot_spots"
    __table_args__ = (
        CheckConstraint(sql_in("category", HOT_SPOT_CATEGORIES), name="category_known"),
        CheckConstraint(f"radius_m > 0 AND radius_m <= {MAX_RADIUS_M}", name="radius_range"),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="point_valid"
        ),
        CheckConstraint(
            "(active AND closed_at IS NULL) OR (NOT active AND closed_at IS NOT NULL)",
            name="closed_when_inactive",
        ),
        Index("ix_hot_spots_org_active", "org_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20))
    latitude: Mapped[float]
    longitude: Mapped[float]
    radius_m: Mapped[int] = mapped_column(default=200)
    notes: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    def __repr__(self) -> str:
        return f"<HotSpot {self.name!r} {self.category}>"


class SpikeAlert(TimestampMixin, Base):
    """Overdose reports over a threshold in an area or a ~1 km cell within 24 hours or 7 days.

    One row per organisation whose coordinators are alerted (`org_id`); `key` names what was
    counted ("area:Swansea Bay" or "cell:0.01:5162:-395")."""

    __tablename__ = "spike_alerts"
    __table_args__ = (
        CheckConstraint(sql_in("time_window", SPIKE_WINDOWS), name="window_known"),
        CheckConstraint(sql_in("scope", SPIKE_SCOPES), name="scope_known"),
        CheckConstraint("threshold > 0 AND count >= threshold", name="count_reaches_threshold"),
        CheckConstraint(
            "(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)", name="ack_complete"
        ),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="point_valid"
        ),
        Index("ix_spike_alerts_org_key_window", "org_id", "key", "time_window", "detected_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(160))
    area: Mapped[str | None] = mapped_column(String(120))
    # "window" is a reserved word in PostgreSQL; the Python attribute keeps the plain name.
    window: Mapped[str] = mapped_column("time_window", String(4))
    started_at: Mapped[datetime]
    detected_at: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int]
    threshold: Mapped[int]
    latitude: Mapped[float]
    longitude: Mapped[float]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    acknowledged_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    def __repr__(self) -> str:
        return f"<SpikeAlert {self.key} {self.window} {self.count}>"
