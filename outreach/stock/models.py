"""Naloxone stock: batches, holdings (site stores and peers' bags), balances and the ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from outreach.models.base import Base, TimestampMixin, sql_in, utcnow
from outreach.models.mixins import new_client_id
from outreach.products.models import Product

if TYPE_CHECKING:  # named by string: handouts take kits from stock, not the other way
    from outreach.auth.models import User
    from outreach.handouts.models import Handout
    from outreach.orgs.models import Site

MOVEMENT_KINDS = ("receipt", "transfer", "handout", "adjustment", "writeoff", "recall", "reversal")
WRITEOFF_REASONS = ("expired", "damaged", "lost", "stolen")


class Batch(TimestampMixin, Base):
    """A manufacturer's lot of one product; shared by every organisation of the deployment."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("product_id", "batch_number", name="uq_batches_product_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    batch_number: Mapped[str] = mapped_column(String(40))
    expiry_date: Mapped[date] = mapped_column(index=True)

    product: Mapped[Product] = relationship(lazy="joined")
    # Every organisation's live handouts of the lot, newest first: select from it with the
    # reader's organisation (`batch.live_handouts.select().filter_by(org_id=...)`).
    live_handouts: WriteOnlyMapped[Handout] = relationship(
        primaryjoin="and_(Batch.id == foreign(Handout.batch_id), Handout.voided_at.is_(None))",
        order_by="(Handout.occurred_at.desc(), Handout.id.desc())",
        viewonly=True,
    )


class Holding(TimestampMixin, Base):
    """Where kits are kept: a site's store or a peer's bag."""

    __tablename__ = "holdings"
    __table_args__ = (
        CheckConstraint("kind IN ('store', 'bag')", name="kind_known"),
        CheckConstraint(
            "(kind = 'store' AND site_id IS NOT NULL AND user_id IS NULL) OR "
            "(kind = 'bag' AND user_id IS NOT NULL AND site_id IS NULL)",
            name="store_has_site_bag_has_user",
        ),
        CheckConstraint("min_level >= 0", name="min_level_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    # Below this many kits in all, the holding shows a low-stock alert (0: no alert).
    min_level: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site | None] = relationship()
    user: Mapped[User | None] = relationship()


class StockBalance(Base):
    """Kits of one batch in one holding: always the sum of its movements, never below zero."""

    __tablename__ = "stock_balances"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)

    holding_id: Mapped[int] = mapped_column(ForeignKey("holdings.id"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True, index=True)
    quantity: Mapped[int] = mapped_column(default=0)


# A delivery reference is unique per organisation and supplier; a delivery without both is not
# checked (a donation with no paperwork, an old receipt from before suppliers were recorded).
NAMED_DELIVERY = text("supplier IS NOT NULL AND reference IS NOT NULL")


class StockReceipt(Base):
    """A delivery from a supplier into a site's store; its batches are its receipt movements."""

    __tablename__ = "stock_receipts"
    __table_args__ = (
        Index(
            "uq_stock_receipts_org_supplier_reference",
            "org_id",
            "supplier",
            "reference",
            unique=True,
            sqlite_where=NAMED_DELIVERY,
            postgresql_where=NAMED_DELIVERY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    supplier: Mapped[str | None] = mapped_column(String(80))
    reference: Mapped[str | None] = mapped_column(String(80))  # the delivery note's number
    received_at: Mapped[datetime]
    # Why it was recorded more than a day after it arrived (required then).
    late_reason: Mapped[str | None] = mapped_column(String(120))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockFormKey(Base):
    """The one-time key of a stock form that saved: the same form sent again (a double click,
    back and resubmit, a retry after a timeout) meets this row and saves nothing."""

    __tablename__ = "stock_form_keys"

    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockMovement(Base):
    """One row of the append-only ledger. Never edited: a mistake is reversed by a new row."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(sql_in("kind", MOVEMENT_KINDS), name="kind_known"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "from_holding_id IS NOT NULL OR to_holding_id IS NOT NULL", name="moves_somewhere"
        ),
        CheckConstraint(
            "from_holding_id IS NULL OR to_holding_id IS NULL OR from_holding_id <> to_holding_id",
            name="not_to_itself",
        ),
        CheckConstraint("kind <> 'reversal' OR reverses_id IS NOT NULL", name="reversal_names_row"),
        CheckConstraint("kind <> 'handout' OR handout_id IS NOT NULL", name="handout_names_row"),
        Index("ix_stock_movements_org_at", "org_id", "occurred_at"),
        Index("ix_stock_movements_occurred_at", "occurred_at"),  # the report's stock flow
        Index("ix_stock_movements_batch_at", "batch_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_client_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(12))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    from_holding_id: Mapped[int | None] = mapped_column(ForeignKey("holdings.id"), index=True)
    to_holding_id: Mapped[int | None] = mapped_column(ForeignKey("holdings.id"), index=True)
    quantity: Mapped[int]
    reference: Mapped[str | None] = mapped_column(String(80))  # delivery note, count sheet …
    reason: Mapped[str | None] = mapped_column(String(40))
    counted: Mapped[int | None]  # the figure a stock count found
    handout_id: Mapped[int | None] = mapped_column(ForeignKey("handouts.id"), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"), unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("resupply_requests.id"), index=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("stock_receipts.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    batch: Mapped[Batch] = relationship(lazy="joined")
    receipt: Mapped[StockReceipt | None] = relationship()
    from_holding: Mapped[Holding | None] = relationship(foreign_keys=[from_holding_id])
    to_holding: Mapped[Holding | None] = relationship(foreign_keys=[to_holding_id])
    # Set on a pending handout, so one flush writes the handout and then its movement.
    handout = relationship("Handout")


class ResupplyRequest(TimestampMixin, Base):
    """A peer's "resupply me": open until a stock manager moves kits into their bag."""

    __tablename__ = "resupply_requests"
    __owner_column__ = "user_id"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'fulfilled', 'cancelled')", name="status_known"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_client_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    fulfilled_at: Mapped[datetime | None]
    fulfilled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    product: Mapped[Product | None] = relationship()
