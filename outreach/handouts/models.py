"""Naloxone supplies: one kit (or several) to one recipient, or an anonymous tally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.models.base import Base, sql_in
from outreach.models.mixins import (
    LIVE_ROWS,
    VOID_COMPLETE,
    CountedMixin,
    FieldRecordMixin,
    LocatedMixin,
)
from outreach.vocab import AGE_BANDS, RECIPIENT_TYPES, REPEAT_REASONS, SETTINGS, SEX

if TYPE_CHECKING:
    from outreach.auth.models import User
    from outreach.products.models import Product
    from outreach.stock.models import Batch

# What a month's figures group handouts by (reports.queries.handout_figures) ...
REPORT_GROUPS = (
    "kind",
    "product_id",
    "setting",
    "supply",
    "repeat_reason",
    "recipient_type",
    "training_given",
)
# ... and what the covering indexes hold so the report reads no table row.
REPORT_COLUMNS = (*REPORT_GROUPS, "quantity", "people_trained", "site_id")


class Handout(FieldRecordMixin, LocatedMixin, CountedMixin, Base):
    __tablename__ = "handouts"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("kind IN ('single', 'tally')", name="kind_known"),
        CheckConstraint(sql_in("setting", SETTINGS), name="setting_known"),
        CheckConstraint(
            "recipient_type IS NULL OR " + sql_in("recipient_type", RECIPIENT_TYPES),
            name="recipient_type_known",
        ),
        CheckConstraint("supply IS NULL OR supply IN ('first', 'repeat')", name="supply_known"),
        CheckConstraint("kind = 'tally' OR supply IS NOT NULL", name="single_has_supply"),
        CheckConstraint(
            "repeat_reason IS NULL OR (supply = 'repeat' AND "
            + sql_in("repeat_reason", REPEAT_REASONS)
            + ")",
            name="repeat_reason_only_on_repeat",
        ),
        CheckConstraint("people_count IS NULL OR people_count > 0", name="people_positive"),
        CheckConstraint(
            "people_trained IS NULL OR people_trained >= 0", name="trained_not_negative"
        ),
        CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="point_valid"
        ),
        CheckConstraint(VOID_COMPLETE, name="void_complete"),
        CheckConstraint(
            "age_band IS NULL OR " + sql_in("age_band", AGE_BANDS), name="age_band_known"
        ),
        CheckConstraint("sex IS NULL OR " + sql_in("sex", SEX), name="sex_known"),
        CheckConstraint("replaced_by_id IS NULL OR voided_at IS NOT NULL", name="replaced_is_void"),
        # Covering indexes of live handouts: the monthly report's grouped counts read only the
        # index, for one organisation (org first) or everything (time first). See
        # bench/report_bench.py.
        # Each code's supplies in time order: who is a new person (handouts/firsts.py).
        Index("ix_handouts_client_hash_occurred", "client_hash", "occurred_at"),
        # The national returns' unique people (reports/programme.py people_counts): an area's
        # coded live supplies over a period read from the index alone; every other figure of a
        # return is summed from the monthly tallies (outreach/tallies). See
        # bench/returns_bench.py.
        Index(
            "ix_handouts_area_people",
            "area_id",
            "occurred_at",
            "org_id",
            "client_hash",
            "age_band",
            "sex",
            "recipient_type",
            "voided_at",
            sqlite_where=text("voided_at IS NULL AND client_hash IS NOT NULL"),
            postgresql_where=text("voided_at IS NULL AND client_hash IS NOT NULL"),
        ),
        Index(
            "ix_handouts_org_occurred_cover",
            "org_id",
            "occurred_at",
            *REPORT_COLUMNS,
            "latitude",
            "longitude",
            "voided_at",
            **LIVE_ROWS,
        ),
        Index(
            "ix_handouts_occurred_cover",
            "occurred_at",
            "org_id",
            *REPORT_COLUMNS,
            "voided_at",
            **LIVE_ROWS,
        ),
        # The map's grid cells over a country and a year read only this index.
        Index(
            "ix_handouts_map_cover",
            "occurred_at",
            "org_id",
            "latitude",
            "longitude",
            "quantity",
            "product_id",
            "setting",
            "voided_at",
            **LIVE_ROWS,
        ),
    )

    kind: Mapped[str] = mapped_column(String(10), default="single")
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    batch_label: Mapped[str | None] = mapped_column(String(40))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    setting: Mapped[str] = mapped_column(String(20))
    recipient_type: Mapped[str | None] = mapped_column(String(20))
    supply: Mapped[str | None] = mapped_column(String(10))
    repeat_reason: Mapped[str | None] = mapped_column(String(20))
    previous_source: Mapped[str | None] = mapped_column(String(20))
    training_given: Mapped[bool] = mapped_column(default=False)
    people_count: Mapped[int | None]
    people_trained: Mapped[int | None]
    client_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The person's first supply anywhere in the programme (every organisation of this
    # deployment): True on the earliest live supply of each client code, False on the others,
    # None without a code. Kept by outreach/handouts/firsts.py on every write, and kept when
    # retention removes the code, so the "new people" of a past period never change.
    new_person: Mapped[bool | None]
    # Set when a correction of the stock it took replaced this handout with a new one.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("handouts.id"), unique=True)

    giver: Mapped[User] = relationship(foreign_keys=[giver_id])
    product: Mapped[Product] = relationship()
    batch: Mapped[Batch | None] = relationship()
