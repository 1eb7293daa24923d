"""Balances: kits of a batch in a holding, changed only by guarded single statements."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update

from outreach.domain import DomainError
from outreach.extensions import db, upsert_insert
from outreach.stock.models import Batch, Holding, StockBalance


class StockError(DomainError):
    pass


class InsufficientStock(StockError):
    pass


class ExpiredBatch(StockError):
    pass


def balance(holding: Holding, batch: Batch) -> int:
    return (
        db.session.scalar(
            select(StockBalance.quantity).where(
                StockBalance.holding_id == holding.id, StockBalance.batch_id == batch.id
            )
        )
        or 0
    )


@cache
def _take():
    """A Core statement built once: no ORM bookkeeping, no autoflush."""
    t, n = StockBalance.__table__, bindparam("n")
    return (
        update(t)
        .where(t.c.holding_id == bindparam("holding"), t.c.batch_id == bindparam("batch"))
        .where(t.c.quantity >= n)
        .values(quantity=t.c.quantity - n)
    )


def take(holding: Holding, batch: Batch, quantity: int) -> None:
    """Decrement in one guarded statement: it matches no row rather than go below zero."""
    params = {"holding": holding.id, "batch": batch.id, "n": quantity}
    result = db.session.connection().execute(_take(), params)
    if result.rowcount != 1:
        have = balance(holding, batch)
        if holding.kind == "bag":
            message = _l("Your bag has only %(num)d kits of this batch.", num=have)
            if have == 0:
                message = _l("Your bag has no kits of this batch. Ask for more kits.")
        else:
            message = _l("This holding has only %(num)d kits of this batch.", num=have)
        raise InsufficientStock("quantity", message)


def first_out(batch=Batch) -> tuple:
    """The order kits leave a holding in: the batch that expires first, then the oldest batch
    row (`batch` is the Batch class or its table's columns). Every list of a holding's batches
    shows them in this order, so the batch on top is the one a handout takes."""
    return batch.expiry_date, batch.id


def usable_batches(holding_ids, product, n, on):
    """THE first-to-expire rule, as a query: (holding_id, batch_id) of every batch of `product`
    unexpired on `on` with at least `n` kits in a holding `holding_ids` accepts (a callable on the
    holding id column), first out first. Handouts (take_first_to_expire), the handout form's
    suggestion, fulfilling a request (first_in_stores) and the API all ask it."""
    t, b = StockBalance.__table__, Batch.__table__
    return (
        select(t.c.holding_id, t.c.batch_id)
        .join(b, b.c.id == t.c.batch_id)
        .where(
            holding_ids(t.c.holding_id),
            t.c.quantity >= n,
            b.c.product_id == product,
            b.c.expiry_date >= on,
        )
        .order_by(*first_out(b.c))
    )


@cache
def _take_first_to_expire():
    """UPDATE … WHERE batch_id = (the first to expire holding enough) … RETURNING batch_id,
    built once (bound: holding, product, n, on)."""
    t = StockBalance.__table__
    holding, n = bindparam("holding"), bindparam("n")
    first = (
        usable_batches(lambda c: c == holding, bindparam("product"), n, bindparam("on"))
        .with_only_columns(t.c.batch_id)
        .limit(1)
        .scalar_subquery()
    )
    take = (
        update(t)
        .where(t.c.holding_id == holding, t.c.batch_id == first, t.c.quantity >= n)
        .values(quantity=t.c.quantity - n)
        .returning(t.c.batch_id)
    )
    return take, select(first)


def first_in_stores(org_id: int, product_id: int, on: date) -> tuple[int, int] | None:
    """(holding id, batch id): the organisation's store batch of the product that leaves first,
    what fulfilling a request for kits suggests; None when no store holds any."""
    stores = select(Holding.id).where(Holding.org_id == org_id, Holding.kind == "store")
    row = db.session.execute(
        usable_batches(lambda c: c.in_(stores), product_id, 1, on).limit(1)
    ).first()
    return None if row is None else (row.holding_id, row.batch_id)


def _first_to_expire_params(holding: Holding, product_id: int, quantity: int, on: date) -> dict:
    return {"holding": holding.id, "product": product_id, "n": quantity, "on": on}


def first_to_expire(holding: Holding, product_id: int, quantity: int, on: date) -> int | None:
    """The id of the holding's unexpired batch of the product that expires first and holds
    `quantity` kits (the batch `take_first_to_expire` takes from), or None."""
    _take, first = _take_first_to_expire()
    params = _first_to_expire_params(holding, product_id, quantity, on)
    return db.session.connection().execute(first, params).scalar()


def take_first_to_expire(holding: Holding, product_id: int, quantity: int, on: date) -> int | None:
    """Take `quantity` kits of the product from the holding's batch that expires first (and
    holds enough, unexpired on `on`) in ONE guarded statement; the batch id, or None when no
    batch holds enough. A batch emptied by another request in between is tried again."""
    take, _first = _take_first_to_expire()
    params = _first_to_expire_params(holding, product_id, quantity, on)
    for _attempt in range(3):
        if (taken := db.session.connection().execute(take, params).scalar()) is not None:
            return taken
        if first_to_expire(holding, product_id, quantity, on) is None:
            return None
    return None


def give(holding: Holding, batch: Batch, quantity: int) -> None:
    """Increment as one upsert, so two first receipts into a holding cannot collide."""
    values = {"holding_id": holding.id, "batch_id": batch.id, "quantity": quantity}
    stmt = upsert_insert(StockBalance).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["holding_id", "batch_id"],
        set_={"quantity": StockBalance.quantity + stmt.excluded.quantity},
    )
    db.session.execute(stmt)


def shift(source: Holding | None, target: Holding | None, batch: Batch, quantity: int) -> None:
    """Take the kits out of `source` and put them into `target` (either may be outside stock)."""
    if source is not None:
        take(source, batch, quantity)
    if target is not None:
        give(target, batch, quantity)


def set_balance(holding: Holding, batch: Batch, target: int) -> int:
    """Set a balance to `target` if nothing changed it since it was read; return what was seen.

    A compare-and-set loop: the UPDATE only matches the figure just read."""
    give(holding, batch, 0)  # make sure the row exists (and lock it where the engine can)
    for _ in range(20):
        seen = balance(holding, batch)
        if seen == target:
            return seen
        result = db.session.execute(
            update(StockBalance)
            .where(
                StockBalance.holding_id == holding.id,
                StockBalance.batch_id == batch.id,
                StockBalance.quantity == seen,
            )
            .values(quantity=target)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return seen
    raise StockError("counted", _l("The stock kept changing while it was counted. Try again."))
