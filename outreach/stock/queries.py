"""Read-side of stock: what is where, what expires, what runs low, and a holding's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from outreach.auth.models import User
from outreach.extensions import db
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.products.models import Product
from outreach.stock.balances import first_out
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockBalance, StockMovement


@dataclass
class Place:
    """A holding as people name it: a site's store or a person's bag."""

    key: str  # "store:<site id>" or "bag:<user id>", usable before the holding exists
    label: str
    holding_id: int | None = None


def holding_label(holding: Holding) -> str:
    from flask_babel import gettext as _

    if holding.kind == "store":
        return _("Store: %(name)s", name=holding.site.name if holding.site else "?")
    return _("Bag: %(name)s", name=holding.user.display_name if holding.user else "?")


def holding_labels(org_id: int) -> dict[int, str]:
    """Every holding of the organisation by id, named in one query."""
    from flask_babel import gettext as _

    rows = db.session.execute(
        select(Holding.id, Holding.kind, Site.name, User.display_name)
        .outerjoin(Site, Site.id == Holding.site_id)
        .outerjoin(User, User.id == Holding.user_id)
        .where(Holding.org_id == org_id)
    ).all()
    return {
        hid: _("Store: %(name)s", name=site) if kind == "store" else _("Bag: %(name)s", name=person)
        for hid, kind, site, person in rows
    }


def org_holdings(org_id: int) -> list[Holding]:
    return list(
        db.session.scalars(select(Holding).where(Holding.org_id == org_id).order_by(Holding.id))
    )


def places(org_id: int) -> list[Place]:
    """Every site store and every active member's bag of the organisation."""
    from flask_babel import gettext as _

    existing = {(h.kind, h.site_id or h.user_id): h.id for h in org_holdings(org_id)}
    sites = db.session.scalars(
        select(Site).where(Site.org_id == org_id, Site.active).order_by(Site.name)
    )
    users = db.session.scalars(
        select(User).where(User.org_id == org_id, User.active).order_by(User.display_name)
    )
    out = [
        Place(f"store:{s.id}", _("Store: %(name)s", name=s.name), existing.get(("store", s.id)))
        for s in sites
    ]
    out += [
        Place(f"bag:{u.id}", _("Bag: %(name)s", name=u.display_name), existing.get(("bag", u.id)))
        for u in users
    ]
    return out


def holding_or_404(holding_id: int, org_id: int) -> Holding:
    holding = db.session.get(Holding, holding_id)
    if holding is None or holding.org_id != org_id:
        abort(404)
    return holding


def batch_for_org_or_404(batch_id: int, org_id: int) -> Batch:
    """A batch this organisation has had stock of; any other batch is a 404 here."""
    batch = db.session.get(Batch, batch_id)
    seen = batch is not None and db.session.scalar(
        select(StockMovement.id)
        .where(StockMovement.batch_id == batch_id, StockMovement.org_id == org_id)
        .limit(1)
    )
    if not seen:
        abort(404)
    return batch


def on_hand(org_id: int, product_id: int | None = None) -> list:
    """Rows (holding, batch, product name, quantity) with kits, by holding then expiry."""
    stmt = (
        select(Holding, Batch, Product.name, StockBalance.quantity)
        .join(StockBalance, StockBalance.holding_id == Holding.id)
        .join(Batch, Batch.id == StockBalance.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .where(Holding.org_id == org_id, StockBalance.quantity > 0)
        .order_by(Holding.kind.desc(), Holding.id, Product.name, *first_out())
    )
    if product_id:
        stmt = stmt.where(Batch.product_id == product_id)
    return list(db.session.execute(stmt).all())


def totals_by_product(org_id: int) -> list:
    """(product name, kits in stores, kits in bags, total)."""
    in_kind = lambda kind: func.coalesce(  # noqa: E731
        func.sum(case((Holding.kind == kind, StockBalance.quantity), else_=0)), 0
    )
    return list(
        db.session.execute(
            select(Product.name, in_kind("store"), in_kind("bag"), func.sum(StockBalance.quantity))
            .join(Batch, Batch.product_id == Product.id)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .join(Holding, Holding.id == StockBalance.holding_id)
            .where(Holding.org_id == org_id)
            .group_by(Product.name)
            .having(func.sum(StockBalance.quantity) > 0)
            .order_by(Product.name)
        ).all()
    )


def holding_batches(holding: Holding, product_id: int | None = None) -> list:
    """(batch, product name, quantity) in one holding with kits, in the order they leave it."""
    stmt = (
        select(Batch, Product.name, StockBalance.quantity)
        .join(StockBalance, StockBalance.batch_id == Batch.id)
        .join(Product, Product.id == Batch.product_id)
        .where(StockBalance.holding_id == holding.id, StockBalance.quantity > 0)
        .order_by(*first_out())
    )
    if product_id:
        stmt = stmt.where(Batch.product_id == product_id)
    return list(db.session.execute(stmt).all())


def bag_contents(user_id: int, product_id: int | None = None) -> list:
    holding = db.session.scalar(select(Holding).where(Holding.user_id == user_id))
    return holding_batches(holding, product_id) if holding else []


def org_batches(org_id: int) -> list:
    """(batch, product name, kits now held) for every batch the organisation has had."""
    held = (
        select(StockBalance.batch_id, func.sum(StockBalance.quantity).label("kits"))
        .join(Holding, Holding.id == StockBalance.holding_id)
        .where(Holding.org_id == org_id)
        .group_by(StockBalance.batch_id)
        .subquery()
    )
    return list(
        db.session.execute(
            select(Batch, Product.name, held.c.kits)
            .join(held, held.c.batch_id == Batch.id)
            .join(Product, Product.id == Batch.product_id)
            .order_by(Batch.expiry_date, Batch.batch_number)
        ).all()
    )


def expiring(org_id: int, within_days: int = 90, today: date | None = None) -> list:
    """(holding, batch, product name, quantity, days left) for kits expiring within the window."""
    today = today or org_today(org_id)
    rows = db.session.execute(
        select(Holding, Batch, Product.name, StockBalance.quantity)
        .join(StockBalance, StockBalance.holding_id == Holding.id)
        .join(Batch, Batch.id == StockBalance.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .where(
            Holding.org_id == org_id,
            StockBalance.quantity > 0,
            Batch.expiry_date <= today + timedelta(days=within_days),
        )
        .order_by(Batch.expiry_date, Holding.id)
    ).all()
    return [(h, b, name, qty, (b.expiry_date - today).days) for h, b, name, qty in rows]


def low_stock(org_id: int) -> list:
    """(holding, kits held) for holdings under their minimum."""
    kits = func.coalesce(func.sum(StockBalance.quantity), 0)
    return list(
        db.session.execute(
            select(Holding, kits)
            .outerjoin(StockBalance, StockBalance.holding_id == Holding.id)
            .where(Holding.org_id == org_id, Holding.min_level > 0)
            .group_by(Holding.id)
            .having(kits < Holding.min_level)
            .order_by(Holding.id)
        ).all()
    )


def holding_ledger(holding: Holding) -> Select:
    """Its movements, newest first, each with whether it has been reversed."""
    reversal = aliased(StockMovement)
    return (
        select(StockMovement, reversal.id)
        .outerjoin(reversal, reversal.reverses_id == StockMovement.id)
        .where(
            StockMovement.org_id == holding.org_id,
            or_(
                StockMovement.from_holding_id == holding.id,
                StockMovement.to_holding_id == holding.id,
            ),
        )
        .order_by(StockMovement.occurred_at.desc(), StockMovement.id.desc())
        .options(selectinload(StockMovement.receipt))  # a delivery's supplier, in one query
    )


def batch_locations(batch: Batch, org_id: int) -> list:
    """(holding, quantity) for every holding of the organisation with kits of the batch."""
    return list(
        db.session.execute(
            select(Holding, StockBalance.quantity)
            .join(StockBalance, StockBalance.holding_id == Holding.id)
            .where(
                Holding.org_id == org_id,
                StockBalance.batch_id == batch.id,
                StockBalance.quantity > 0,
            )
            .order_by(Holding.kind.desc(), Holding.id)
        ).all()
    )


def open_requests(org_id: int) -> list[ResupplyRequest]:
    return list(
        db.session.scalars(
            select(ResupplyRequest)
            .where(ResupplyRequest.org_id == org_id, ResupplyRequest.status == "open")
            .order_by(ResupplyRequest.created_at)
        )
    )


def my_requests(user_id: int, limit: int = 10) -> list[ResupplyRequest]:
    return list(
        db.session.scalars(
            select(ResupplyRequest)
            .where(ResupplyRequest.user_id == user_id)
            .order_by(ResupplyRequest.created_at.desc())
            .limit(limit)
        )
    )


def batch_label(batch: Batch, quantity: int, today: date, in_bag: bool = True) -> str:
    """E.g. "expires 2027-03-01 · 7 in bag · AB123" (`today`: the organisation's local day)."""
    from flask_babel import gettext as _

    values = {"number": batch.batch_number, "date": batch.expiry_date.isoformat(), "num": quantity}
    if batch.expiry_date < today:
        return _("EXPIRED %(date)s · %(num)d held · %(number)s", **values)
    # Expiry and kits first: a phone's select box shows the start of the label only.
    if in_bag:
        return _("expires %(date)s · %(num)d in bag · %(number)s", **values)
    return _("expires %(date)s · %(num)d in store · %(number)s", **values)


def handouts_for_batch(org_id: int, batch: Batch) -> list:
    """The organisation's handouts of one batch, newest first (who got it, for a recall)."""
    return list(db.session.scalars(batch.live_handouts.select().filter_by(org_id=org_id)))
