"""Columns shared by every record made in the field: tenant, device id, when, where, and a void."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from outreach.models.base import TimestampMixin

if TYPE_CHECKING:  # named by string: the models package knows no feature
    from outreach.auth.models import User
    from outreach.orgs.models import Site


def new_client_id() -> str:
    return str(uuid.uuid4())


# A void is complete or absent: when, by whom and why, all three or none.
VOID_COMPLETE = (
    "(voided_at IS NULL AND voided_by_id IS NULL AND void_reason IS NULL) OR "
    "(voided_at IS NOT NULL AND voided_by_id IS NOT NULL AND void_reason IS NOT NULL)"
)
# The covering indexes hold live records only; `voided_at` is in them so a query that asks for
# live rows (tenancy.live) still reads only the index (SQLite wants the column itself).
LIVE_ROWS = {
    "sqlite_where": text("voided_at IS NULL"),
    "postgresql_where": text("voided_at IS NULL"),
}


class FieldRecordMixin(TimestampMixin):
    """A record typed on a tablet: owned by one organisation, identified by a device-made id."""

    __owner_column__ = "recorded_by_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the tablet; a resend with the same id finds this row instead of adding one.
    client_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_client_id)
    occurred_at: Mapped[datetime] = mapped_column(index=True)

    @declared_attr
    def org_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisations.id"), index=True)

    @declared_attr
    def recorded_by_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"), index=True)

    # A voided record stays, marked, out of every list, count, map and report (tenancy.live).
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(200))

    @declared_attr
    def voided_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def recorded_by(cls) -> Mapped[User]:
        return relationship("User", foreign_keys=lambda: [cls.recorded_by_id])

    @declared_attr
    def voided_by(cls) -> Mapped[User | None]:
        return relationship("User", foreign_keys=lambda: [cls.voided_by_id])

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class CountedMixin:
    """What the national figures count a supply or an overdose by, beside the record's own
    fields: the area it counts in (its site's, else the recorder's base site's, else the
    organisation's home area: outreach/areas/services.py record_area_id) and the person's age
    band and sex (outreach/demographics.py; the birth date is never stored)."""

    age_band: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))

    @declared_attr
    def area_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("areas.id"), index=True)


class LocatedMixin:
    """A point on the map (always set: from GPS, a site, or a geocoded place name)."""

    latitude: Mapped[float]
    longitude: Mapped[float]
    location_source: Mapped[str] = mapped_column(String(10), default="gps")
    place_name: Mapped[str | None] = mapped_column(String(120))

    @declared_attr
    def site_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("sites.id"), index=True)

    @declared_attr
    def site(cls) -> Mapped[Site | None]:
        return relationship("Site")
