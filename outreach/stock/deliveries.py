"""Deliveries: kits from a supplier into a site's store, named by supplier and reference.

A delivery (StockReceipt) is recorded once: the same organisation, supplier and delivery
reference again is refused by a partial unique index, unless the stock manager says the kits
are another batch of that same delivery. A supplier is needed with a reference (it is what makes
the reference unique); a delivery with neither is still recorded, unchecked. A delivery may be
recorded after it arrived: its time is then the time it arrived, and more than a day late needs
a reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.extensions import db, upsert_insert
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.products.models import Product
from outreach.stock.balances import ExpiredBatch, StockError
from outreach.stock.ledger import find_or_add_batch, move, store_for, tidy
from outreach.stock.models import NAMED_DELIVERY, StockMovement, StockReceipt

LATE_AFTER = timedelta(days=1)  # recorded later than this after arriving: say why
FUTURE_GRACE = timedelta(minutes=10)  # a tablet's clock may run a little ahead


class DuplicateDelivery(StockError):
    """The organisation already has a delivery with this supplier and reference."""

    def __init__(self, field: str, message, existing: StockReceipt):
        super().__init__(field, message)
        self.existing = existing


def _words(text: str | None, limit: int) -> str | None:
    return tidy(" ".join((text or "").split()), limit)


def supplier_name(org_id: int, typed: str | None) -> str | None:
    """The supplier as typed, spelt as the organisation first wrote it ("martindale" is the
    "Martindale" already known), so one supplier is one name."""
    name = _words(typed, 80)
    if name is None:
        return None
    known = db.session.scalar(
        select(StockReceipt.supplier)
        .where(StockReceipt.org_id == org_id, func.lower(StockReceipt.supplier) == name.lower())
        .order_by(StockReceipt.id)
        .limit(1)
    )
    return known or name


def known_suppliers(org_id: int) -> list[str]:
    """The organisation's suppliers so far, for the form's suggestions."""
    return list(
        db.session.scalars(
            select(StockReceipt.supplier)
            .where(StockReceipt.org_id == org_id, StockReceipt.supplier.is_not(None))
            .distinct()
            .order_by(StockReceipt.supplier)
        )
    )


def _when(received_at: datetime | None, late_reason: str | None) -> tuple[datetime, str | None]:
    now = utcnow()
    at = received_at or now
    reason = _words(late_reason, 120)
    if at > now + FUTURE_GRACE:
        raise StockError("received_at", _l("The time cannot be in the future."))
    if at < now - LATE_AFTER and not reason:
        raise StockError(
            "late_reason",
            _l("Say why this delivery is recorded more than a day after it arrived."),
        )
    return at, reason


def _delivery(values: dict, add_to_existing: bool) -> StockReceipt:
    """Insert the delivery, or meet the one already recorded under its supplier and reference
    (ON CONFLICT on the partial unique index: the index decides, also under concurrency)."""
    if values["supplier"] is None or values["reference"] is None:
        receipt = StockReceipt(**values)
        db.session.add(receipt)
        db.session.flush()
        return receipt
    stmt = (
        upsert_insert(StockReceipt)
        .values(**values, created_at=utcnow())
        .on_conflict_do_nothing(
            index_elements=["org_id", "supplier", "reference"], index_where=NAMED_DELIVERY
        )
        .returning(StockReceipt.id)
    )
    new_id = db.session.execute(stmt).scalar()
    if new_id is not None:
        return db.session.get(StockReceipt, new_id)
    existing = db.session.scalar(
        select(StockReceipt).where(
            StockReceipt.org_id == values["org_id"],
            StockReceipt.supplier == values["supplier"],
            StockReceipt.reference == values["reference"],
        )
    )
    if add_to_existing:
        return existing
    kits = db.session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.receipt_id == existing.id, StockMovement.kind == "receipt"
        )
    )
    site = db.session.get(Site, existing.site_id)
    raise DuplicateDelivery(
        "reference",
        _l(
            "Delivery %(reference)s from %(supplier)s was already recorded: %(num)d kits into "
            "%(site)s on %(when)s. Nothing was saved. If these kits are another batch of that "
            "same delivery, tick “Add to that delivery” and save again.",
            reference=existing.reference,
            supplier=existing.supplier,
            num=kits,
            site=site.name if site else "?",
            when=format_datetime(existing.received_at, "short"),
        ),
        existing,
    )


def receive(
    *,
    site: Site,
    product: Product,
    batch_number: str,
    expiry_date: date,
    quantity: int,
    reference: str | None,
    recorded_by: User,
    supplier: str | None = None,
    received_at: datetime | None = None,
    late_reason: str | None = None,
    add_to_existing: bool = False,
) -> StockMovement:
    """A delivery (or one more batch of a delivery) from the supplier into a site's store."""
    if site.org_id != recorded_by.org_id:
        raise StockError("site_id", _l("Choose one of your organisation's sites."))
    if expiry_date is not None and expiry_date < org_today(site.org_id):
        raise ExpiredBatch(
            "expiry_date",
            _l(
                "These kits expired on %(date)s: an expired batch cannot be received. "
                "Check the date on the kits, or return them to the supplier.",
                date=expiry_date.isoformat(),
            ),
        )
    at, reason = _when(received_at, late_reason)
    ref = _words(reference, 80)
    ref = ref.upper() if ref else None
    supplier = supplier_name(site.org_id, supplier)
    if ref and not supplier:
        raise StockError(
            "supplier", _l("Give the supplier: a delivery reference is checked per supplier.")
        )
    batch = find_or_add_batch(product, batch_number, expiry_date)
    values = {
        "org_id": site.org_id,
        "site_id": site.id,
        "supplier": supplier,
        "reference": ref,
        "received_at": at,
        "late_reason": reason,
        "recorded_by_id": recorded_by.id,
    }
    receipt = _delivery(values, add_to_existing)
    return move(
        "receipt",
        batch,
        quantity,
        recorded_by,
        target=store_for(site),
        reference=ref,
        receipt_id=receipt.id,
        occurred_at=at,
    )
