"""Organisations and their sites."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.models.base import Base, TimestampMixin


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    area: Mapped[str] = mapped_column(String(120), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    sites: Mapped[list[Site]] = relationship(
        back_populates="organisation", order_by="Site.name", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class Site(TimestampMixin, Base):
    __tablename__ = "sites"
    __table_args__ = (
        UniqueConstraint("org_id", "name", name="uq_sites_org_name"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    area: Mapped[str] = mapped_column(String(120), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="sites")
