"""Ledger primitives: holdings and batches on first use, guarded balance changes, movement rows."""

from __future__ import annotations

from datetime import date

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.products.models import Product
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockBalance, StockMovement


class StockError(DomainError):
    pass


class InsufficientStock(StockError):
    pass


class ExpiredBatch(StockError):
    pass


def tidy(text: str | None, limit: int) -> str | None:
    """Typed text stripped and cut to the column's length; None when nothing is left."""
    return (text or "").strip()[:limit] or None


def same_org(org_id: int, user: User, field: str) -> None:
    """Refuse to touch stock of another organisation than the user's."""
    if org_id != user.org_id:
        raise StockError(field, _l("Stock moves only within your organisation."))


def _insert(model):
    """The engine's INSERT, which knows ON CONFLICT."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    return insert(model)


def _insert_ignoring_conflict(model, values: dict, keys: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: safe when two requests create the same row at once."""
    db.session.execute(_insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def _holding(kind: str, org_id: int, **owner: int) -> Holding:
    column, value = next(iter(owner.items()))
    found = db.session.scalar(select(Holding).where(getattr(Holding, column) == value))
    if found is None:
        now = utcnow()
        values = {"kind": kind, "org_id": org_id, column: value, "min_level": 0}
        _insert_ignoring_conflict(
            Holding, values | {"created_at": now, "updated_at": now}, [column]
        )
        found = db.session.scalar(select(Holding).where(getattr(Holding, column) == value))
    return found


def store_for(site: Site) -> Holding:
    """The site's store (created on first use)."""
    return _holding("store", site.org_id, site_id=site.id)


def bag_for(user: User) -> Holding:
    """The person's bag (created on first use)."""
    return _holding("bag", user.org_id, user_id=user.id)


def _remembered(kind: type, key: int, load):
    """A bag or batch asked once per request. Neither is ever deleted and what is read of them
    (owner, number, expiry) never changes, so one found stays right; a missing one is asked
    again. Held here, so the session's identity map keeps the object for the request."""
    memo = g.setdefault("stock_rows_memo", {}) if has_app_context() else {}
    found = memo.get((kind, key))
    if found is None:
        found = load()
        if found is not None:
            memo[(kind, key)] = found
    return found


def existing_bag(user: User) -> Holding | None:
    """The person's bag if they have one (not created: an empty bag hands nothing out)."""
    stmt = select(Holding).where(Holding.user_id == user.id)
    return _remembered(Holding, user.id, lambda: db.session.scalar(stmt))


def known_batch(batch_id: int) -> Batch | None:
    return _remembered(Batch, batch_id, lambda: db.session.get(Batch, batch_id))


def find_or_add_batch(product: Product, batch_number: str, expiry_date: date) -> Batch:
    number = (batch_number or "").strip().upper()
    if not number or len(number) > 40:
        raise StockError("batch_number", _l("A batch number has 1 to 40 characters."))
    if expiry_date is None:
        raise StockError("expiry_date", _l("Give the expiry date printed on the kits."))
    where = (Batch.product_id == product.id, Batch.batch_number == number)
    batch = db.session.scalar(select(Batch).where(*where))
    if batch is None:
        now = utcnow()
        values = {"product_id": product.id, "batch_number": number, "expiry_date": expiry_date}
        values |= {"created_at": now, "updated_at": now}
        _insert_ignoring_conflict(Batch, values, ["product_id", "batch_number"])
        batch = db.session.scalar(select(Batch).where(*where))
    if batch.expiry_date != expiry_date:
        raise StockError(
            "expiry_date",
            _l(
                "Batch %(number)s of this product is known with expiry date %(date)s. "
                "Check the date on the kits.",
                number=number,
                date=batch.expiry_date.isoformat(),
            ),
        )
    return batch


def balance(holding: Holding, batch: Batch) -> int:
    return (
        db.session.scalar(
            select(StockBalance.quantity).where(
                StockBalance.holding_id == holding.id, StockBalance.batch_id == batch.id
            )
        )
        or 0
    )


def take(holding: Holding, batch: Batch, quantity: int) -> None:
    """Decrement in one guarded statement: it matches no row rather than go below zero."""
    t = StockBalance.__table__  # a Core statement: no ORM bookkeeping, no autoflush
    result = db.session.connection().execute(
        update(t)
        .where(t.c.holding_id == holding.id, t.c.batch_id == batch.id, t.c.quantity >= quantity)
        .values(quantity=t.c.quantity - quantity)
    )
    if result.rowcount != 1:
        have = balance(holding, batch)
        if holding.kind == "bag":
            message = _l("Your bag has only %(num)d kits of this batch.", num=have)
            if have == 0:
                message = _l("Your bag has no kits of this batch. Ask for more kits.")
        else:
            message = _l("This holding has only %(num)d kits of this batch.", num=have)
        raise InsufficientStock("quantity", message)


def take_first_to_expire(holding: Holding, product_id: int, quantity: int, on: date) -> int | None:
    """Take `quantity` kits of the product from the holding's batch that expires first (and
    holds enough, unexpired on `on`) in ONE guarded statement; the batch id, or None when no
    batch holds enough. A batch emptied by another request in between is tried again."""
    t, b = StockBalance.__table__, Batch.__table__
    first = (
        select(t.c.batch_id)
        .join(b, b.c.id == t.c.batch_id)
        .where(
            t.c.holding_id == holding.id,
            t.c.quantity >= quantity,
            b.c.product_id == product_id,
            b.c.expiry_date >= on,
        )
        .order_by(b.c.expiry_date, b.c.id)
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        update(t)
        .where(t.c.holding_id == holding.id, t.c.batch_id == first, t.c.quantity >= quantity)
        .values(quantity=t.c.quantity - quantity)
        .returning(t.c.batch_id)
    )
    for _attempt in range(3):
        if (taken := db.session.connection().execute(stmt).scalar()) is not None:
            return taken
        if db.session.connection().execute(select(first)).scalar() is None:
            return None
    return None


def give(holding: Holding, batch: Batch, quantity: int) -> None:
    """Increment as one upsert, so two first receipts into a holding cannot collide."""
    values = {"holding_id": holding.id, "batch_id": batch.id, "quantity": quantity}
    stmt = _insert(StockBalance).values(**values)
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


def write_movement(
    kind: str,
    batch: Batch,
    quantity: int,
    recorded_by: User,
    source: Holding | None,
    target: Holding | None,
    flush: bool = True,
    **extra,
) -> StockMovement:
    """Add the ledger row for a change already made to the balances."""
    extra.setdefault("recorded_by_id", recorded_by.id)
    movement = StockMovement(
        org_id=recorded_by.org_id,
        kind=kind,
        batch_id=batch.id,
        from_holding_id=source.id if source else None,
        to_holding_id=target.id if target else None,
        quantity=quantity,
        **extra,
    )
    db.session.add(movement)
    if flush:
        db.session.flush()
    return movement


def move(
    kind: str,
    batch: Batch,
    quantity: int,
    recorded_by: User,
    *,
    source: Holding | None = None,
    target: Holding | None = None,
    flush: bool = True,
    **extra,
) -> StockMovement:
    """Check, change the balances and write the movement: the one way kits move by a number.
    `flush=False`: the movement is left pending for the caller's flush."""
    if not isinstance(quantity, int) or quantity < 1:
        raise StockError("quantity", _l("The number of kits must be at least 1."))
    for holding in (source, target):
        if holding is not None:
            same_org(holding.org_id, recorded_by, "to_holding")
    if source is not None and target is not None and source.id == target.id:
        raise StockError("to_holding", _l("Choose a different place to move the kits to."))
    shift(source, target, batch, quantity)
    return write_movement(kind, batch, quantity, recorded_by, source, target, flush, **extra)


def transfer(
    *,
    from_holding: Holding,
    to_holding: Holding,
    batch: Batch,
    quantity: int,
    recorded_by: User,
    request: ResupplyRequest | None = None,
) -> StockMovement:
    """Kits from one holding into another, answering a request or not."""
    return move(
        "transfer",
        batch,
        quantity,
        recorded_by,
        source=from_holding,
        target=to_holding,
        request_id=request.id if request else None,
    )
