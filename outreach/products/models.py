"""Naloxone products (kit types)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base, TimestampMixin


class Product(TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("route IN ('intramuscular', 'intranasal')", name="route_known"),
        CheckConstraint("doses_per_kit > 0", name="doses_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    strength: Mapped[str] = mapped_column(String(60))
    route: Mapped[str] = mapped_column(String(20))
    doses_per_kit: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name
