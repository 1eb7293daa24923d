"""Organisations and their sites."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.models.base import Base, TimestampMixin, sql_in
from outreach.vocab import OUTLET_TYPES

# How long the person who recorded a field record may correct or void it (corrections.rules).
CORRECTION_DAYS = 7
MAX_CORRECTION_DAYS = 365
# The lengths of what a site tells the public (outreach/public), in characters.
HOURS_MAX = 300  # the opening times per day, written as outreach.orgs.hours keeps them
HOURS_NOTE_MAX = 200
LANGUAGES_MAX = 200  # language codes, comma-separated (orgs.publish.LANGUAGE_CODES)
ACCESSIBILITY_MAX = 300
ADDRESS_MAX = 200
# How many months person-level details are kept before retention-purge removes them.
RETENTION_MONTHS = 24
MIN_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            f"correction_days BETWEEN 0 AND {MAX_CORRECTION_DAYS}", name="correction_days_range"
        ),
        CheckConstraint(
            f"retention_months BETWEEN {MIN_RETENTION_MONTHS} AND {MAX_RETENTION_MONTHS}",
            name="retention_months_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    area: Mapped[str] = mapped_column(String(120), index=True)
    # Where its records count when they have no site of an area (outreach.areas).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # When on, every handout takes its kits out of the giver's bag (stock is exact). New
    # organisations track stock; ones that existed before the stock ledger do not until enabled.
    tracks_stock: Mapped[bool] = mapped_column(default=True, server_default=false())
    # Times are stored in UTC and shown in the organisation's zone.
    timezone: Mapped[str] = mapped_column(
        String(40), default="Europe/London", server_default="Europe/London"
    )

    # How many days after recording a record its recorder may still correct or void it
    # (coordinators and administrators may at any time; 0: only they may).
    correction_days: Mapped[int] = mapped_column(
        default=CORRECTION_DAYS, server_default=str(CORRECTION_DAYS)
    )

    # Person-level details older than this many whole months are purged (outreach.retention).
    retention_months: Mapped[int] = mapped_column(
        default=RETENTION_MONTHS, server_default=str(RETENTION_MONTHS)
    )
    # Coordinators, stock managers and administrators must use two-step verification
    # (outreach/auth/mfa.py); peers and trainers on shared tablets are exempt.
    mfa_required: Mapped[bool] = mapped_column(default=False, server_default=false())

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
        CheckConstraint(
            "outlet_type IS NULL OR " + sql_in("outlet_type", OUTLET_TYPES), name="outlet_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    area: Mapped[str] = mapped_column(String(120), index=True)
    # The local authority or kommun it is in (outreach.areas), and what kind of outlet it is
    # as Scotland counts supplies (vocab.OUTLET_TYPES; None: by each supply's setting).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    outlet_type: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float]
    longitude: Mapped[float]
    active: Mapped[bool] = mapped_column(default=True)

    # What the organisation chose to tell the public about the site. Only an active site of an
    # active organisation with `public` set is listed on the public page (outreach/public); none
    # is until its administrator says so.
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    address: Mapped[str | None] = mapped_column(String(ADDRESS_MAX))
    opening_hours: Mapped[str | None] = mapped_column(String(HOURS_MAX))
    hours_note: Mapped[str | None] = mapped_column(String(HOURS_NOTE_MAX))
    languages: Mapped[str | None] = mapped_column(String(LANGUAGES_MAX))
    accessibility: Mapped[str | None] = mapped_column(String(ACCESSIBILITY_MAX))
    offers_nasal: Mapped[bool] = mapped_column(default=False, server_default=false())
    offers_injectable: Mapped[bool] = mapped_column(default=False, server_default=false())
    offers_training: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Organisation] = relationship(back_populates="sites")


class Partnership(TimestampMixin, Base):
    """Two organisations that share aggregates (maps, reports), never person-level records.

    Stored once per pair, with the lower organisation id first."""

    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("org_a_id", "org_b_id", name="uq_partnerships_pair"),
        CheckConstraint("org_a_id < org_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_a_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_b_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
