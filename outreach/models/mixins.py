"""Columns shared by every record made in the field: tenant, device id, when and where."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from outreach.models.base import TimestampMixin


def new_client_id() -> str:
    return str(uuid.uuid4())


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


class LocatedMixin:
    """A point on the map (always set: from GPS, a site, or a geocoded place name)."""

    latitude: Mapped[float]
    longitude: Mapped[float]
    location_source: Mapped[str] = mapped_column(String(10), default="gps")
    place_name: Mapped[str | None] = mapped_column(String(120))

    @declared_attr
    def site_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("sites.id"), index=True)
