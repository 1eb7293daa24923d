"""Monthly tallies: per organisation, local month (its own zone) and a few coded columns, how
many records there are and how many kits they hold. Derived data, kept by outreach/tallies/keep.py
on every write and rebuilt from the records by `refresh`; the national returns read them.

A row is found again by (org_id, month, key): `key` spells its coded columns (JSON), so a tally
with a column left empty (NULL) still has one row per combination on every database."""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outreach.models.base import Base


class TallyMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)  # the local month as YYYYMM, e.g. 202604
    key: Mapped[str] = mapped_column(Text)
    area_id: Mapped[int | None] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer, default=0)


def _table_args(name: str) -> tuple:
    return (
        UniqueConstraint("org_id", "month", "key", name=f"uq_{name}_cell"),
        Index(f"ix_{name}_area_month", "area_id", "month"),
    )


class SupplyKitMonth(TallyMixin, Base):
    """Kits by site, setting and product."""

    __tablename__ = "supply_kit_months"
    __table_args__ = _table_args(__tablename__)

    site_id: Mapped[int | None] = mapped_column(Integer)
    setting: Mapped[str | None] = mapped_column(String(20))
    product_id: Mapped[int | None] = mapped_column(Integer)
    kits: Mapped[int] = mapped_column(Integer, default=0)


class SupplyMonth(TallyMixin, Base):
    """Supplies and kits by kind, first or repeat and its reason, recipient and new person."""

    __tablename__ = "supply_months"
    __table_args__ = _table_args(__tablename__)

    kind: Mapped[str | None] = mapped_column(String(10))
    supply: Mapped[str | None] = mapped_column(String(10))
    recipient_type: Mapped[str | None] = mapped_column(String(20))
    repeat_reason: Mapped[str | None] = mapped_column(String(30))
    new_person: Mapped[bool | None]
    kits: Mapped[int] = mapped_column(Integer, default=0)


class OverdoseMonth(TallyMixin, Base):
    """Overdose reports by place, what followed, outcome, route and the person helped."""

    __tablename__ = "overdose_months"
    __table_args__ = _table_args(__tablename__)

    place_type: Mapped[str | None] = mapped_column(String(20))
    emergency_called: Mapped[bool | None]
    someone_stayed: Mapped[bool | None]
    referred: Mapped[bool | None]
    taken_to_hospital: Mapped[bool | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(10))
