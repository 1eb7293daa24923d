"""Ledger primitives: holdings and batches on first use, and movement rows (balances are
changed by outreach.stock.balances)."""

from __future__ import annotations

from datetime import date

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.auth.models import User
from outreach.extensions import db, upsert_insert
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.products.models import Product
from outreach.stock.balances import ExpiredBatch, StockError, shift
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockMovement


def is_expired(batch: Batch, on: date) -> bool:
    """A batch may be used up to and including its expiry date (`on`: a local day)."""
    return batch.expiry_date < on


def refuse_expired(batch: Batch, org_id: int) -> None:
    """Expired kits are not received or moved: they are written off where they are."""
    if is_expired(batch, org_today(org_id)):
        raise ExpiredBatch(
            "batch_id",
            _l(
                "Batch %(number)s expired on %(date)s and cannot be moved. "
                "Write it off where it is.",
                number=batch.batch_number,
                date=batch.expiry_date.isoformat(),
            ),
        )


def tidy(text: str | None, limit: int) -> str | None:
    """Typed text stripped and cut to the column's length; None when nothing is left."""
    return (text or "").strip()[:limit] or None


def same_org(org_id: int, user: User, field: str) -> None:
    """Refuse to touch stock of another organisation than the user's."""
    if org_id != user.org_id:
        raise StockError(field, _l("Stock moves only within your organisation."))


def _insert_ignoring_conflict(model, values: dict, keys: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: safe when two requests create the same row at once."""
    db.session.execute(
        upsert_insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


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

    def load() -> Holding | None:
        return db.session.scalar(select(Holding).where(Holding.user_id == user.id))

    return _remembered(Holding, user.id, load)


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


def write_reversal(
    movement: StockMovement,
    recorded_by: User,
    source: Holding | None,
    target: Holding | None,
    already: str,
    **extra,
) -> StockMovement:
    """The ledger row reversing `movement`, once its kits are back (from `source` to `target`).
    Refused with `already` when it has been reversed before: checked after the balance rows are
    locked, so two reversals at once cannot both pass."""
    if db.session.scalar(select(StockMovement.id).where(StockMovement.reverses_id == movement.id)):
        raise StockError("movement", already)
    return write_movement(
        "reversal",
        movement.batch,
        movement.quantity,
        recorded_by,
        source,
        target,
        reverses_id=movement.id,
        **extra,
    )


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
    """Kits from one holding into another, answering a request or not (never expired ones)."""
    refuse_expired(batch, recorded_by.org_id)
    return move(
        "transfer",
        batch,
        quantity,
        recorded_by,
        source=from_holding,
        target=to_holding,
        request_id=request.id if request else None,
    )
