"""Changing stock: receipts, transfers, handouts, counts, write-offs, recalls and reversals."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.products.models import Product
from outreach.stock.models import (
    WRITEOFF_REASONS,
    Batch,
    Holding,
    ResupplyRequest,
    StockBalance,
    StockMovement,
)


class StockError(DomainError):
    pass


class InsufficientStock(StockError):
    pass


class ExpiredBatch(StockError):
    pass


def _insert_ignoring_conflict(model, values: dict, keys: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: safe when two requests create the same row at once."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


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


def balance(holding: Holding, batch: Batch) -> int:
    return (
        db.session.scalar(
            select(StockBalance.quantity).where(
                StockBalance.holding_id == holding.id, StockBalance.batch_id == batch.id
            )
        )
        or 0
    )


def _take(holding: Holding, batch: Batch, quantity: int) -> None:
    """Decrement in one guarded statement: it matches no row rather than go below zero."""
    result = db.session.execute(
        update(StockBalance)
        .where(
            StockBalance.holding_id == holding.id,
            StockBalance.batch_id == batch.id,
            StockBalance.quantity >= quantity,
        )
        .values(quantity=StockBalance.quantity - quantity)
        .execution_options(synchronize_session=False)
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


def _give(holding: Holding, batch: Batch, quantity: int) -> None:
    """Increment as one upsert, so two first receipts into a holding cannot collide."""
    values = {"holding_id": holding.id, "batch_id": batch.id, "quantity": quantity}
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(StockBalance).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["holding_id", "batch_id"],
        set_={"quantity": StockBalance.quantity + stmt.excluded.quantity},
    )
    db.session.execute(stmt)


def _move(
    kind: str,
    batch: Batch,
    quantity: int,
    recorded_by: User,
    *,
    source: Holding | None = None,
    target: Holding | None = None,
    **extra,
) -> StockMovement:
    if not isinstance(quantity, int) or quantity < 1:
        raise StockError("quantity", _l("The number of kits must be at least 1."))
    for holding in (source, target):
        if holding is not None and holding.org_id != recorded_by.org_id:
            raise StockError("to_holding", _l("Stock moves only within your organisation."))
    if source is not None and target is not None and source.id == target.id:
        raise StockError("to_holding", _l("Choose a different place to move the kits to."))
    if source is not None:
        _take(source, batch, quantity)
    if target is not None:
        _give(target, batch, quantity)
    return _ledger_row(kind, batch, quantity, recorded_by, source, target, **extra)


def _ledger_row(kind, batch, quantity, recorded_by, source, target, **extra) -> StockMovement:
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
    db.session.flush()
    return movement


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


def receive(
    *,
    site: Site,
    product: Product,
    batch_number: str,
    expiry_date: date,
    quantity: int,
    reference: str | None,
    recorded_by: User,
) -> StockMovement:
    """A delivery from the supplier into a site's store."""
    if site.org_id != recorded_by.org_id:
        raise StockError("site_id", _l("Choose one of your organisation's sites."))
    batch = find_or_add_batch(product, batch_number, expiry_date)
    ref = (reference or "").strip()[:80] or None
    return _move("receipt", batch, quantity, recorded_by, target=store_for(site), reference=ref)


def transfer(
    *,
    from_holding: Holding,
    to_holding: Holding,
    batch: Batch,
    quantity: int,
    recorded_by: User,
    request: ResupplyRequest | None = None,
) -> StockMovement:
    return _move(
        "transfer",
        batch,
        quantity,
        recorded_by,
        source=from_holding,
        target=to_holding,
        request_id=request.id if request else None,
    )


def is_expired(batch: Batch, on: date | None = None) -> bool:
    """A batch may be used up to and including its expiry date."""
    return batch.expiry_date < (on or date.today())


def is_short_dated(batch: Batch, on: date | None = None) -> bool:
    days = current_app.config.get("SHORT_DATED_DAYS", 30)
    return not is_expired(batch, on) and batch.expiry_date <= (on or date.today()) + timedelta(days)


def fefo_batch(holding: Holding, product_id: int, quantity: int = 1, on: date | None = None):
    """The unexpired batch in `holding` that expires first and holds `quantity` kits."""
    return db.session.scalar(
        select(Batch)
        .join(StockBalance, StockBalance.batch_id == Batch.id)
        .where(
            StockBalance.holding_id == holding.id,
            StockBalance.quantity >= quantity,
            Batch.product_id == product_id,
            Batch.expiry_date >= (on or date.today()),
        )
        .order_by(Batch.expiry_date, Batch.id)
        .limit(1)
    )


def take_for_handout(handout, giver: User, batch: Batch | None, quantity: int) -> StockMovement:
    """Take the handout's kits out of the giver's bag, in the handout's transaction."""
    bag = bag_for(giver)
    on = handout.occurred_at.date()
    if batch is None:
        batch = fefo_batch(bag, handout.product_id, quantity, on)
        if batch is None:
            have = db.session.scalar(
                select(func.coalesce(func.sum(StockBalance.quantity), 0))
                .join(Batch, Batch.id == StockBalance.batch_id)
                .where(
                    StockBalance.holding_id == bag.id,
                    Batch.product_id == handout.product_id,
                    Batch.expiry_date >= on,
                )
            )
            message = _l(
                "Your bag has only %(num)d unexpired kits of this product in one batch.", num=have
            )
            if not have:
                message = _l("Your bag has no unexpired kits of this product. Ask for more kits.")
            raise InsufficientStock("quantity", message)
    if batch.product_id != handout.product_id:
        raise StockError("batch_id", _l("This batch is of another product."))
    if is_expired(batch, on):
        raise ExpiredBatch(
            "batch_id",
            _l(
                "Batch %(number)s expired on %(date)s and cannot be handed out. "
                "Record it as written off.",
                number=batch.batch_number,
                date=batch.expiry_date.isoformat(),
            ),
        )
    handout.batch_id = batch.id
    handout.batch_label = batch.batch_number
    return _move(
        "handout",
        batch,
        quantity,
        giver,
        source=bag,
        handout_id=handout.id,
        occurred_at=handout.occurred_at,
        recorded_by_id=handout.recorded_by_id,
    )


def _set_to(holding: Holding, batch: Batch, target: int) -> int:
    """Set a balance to `target` if nothing changed it since it was read; return what was seen.

    A compare-and-set loop: the UPDATE only matches the figure just read."""
    _give(holding, batch, 0)  # make sure the row exists (and lock it where the engine can)
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


def _own(holding: Holding, recorded_by: User) -> None:
    if holding.org_id != recorded_by.org_id:
        raise StockError("holding", _l("Stock moves only within your organisation."))


def count(
    *, holding: Holding, batch: Batch, counted: int, reason: str, recorded_by: User
) -> StockMovement | None:
    """Record a stock count: one adjustment by the difference, or nothing when it agrees."""
    _own(holding, recorded_by)
    if not isinstance(counted, int) or counted < 0:
        raise StockError("counted", _l("The counted figure cannot be negative."))
    reason = (reason or "").strip()[:40]
    if not reason:
        raise StockError("reason", _l("Say why the count differs, or what the count was for."))
    seen = _set_to(holding, batch, counted)
    if seen == counted:
        return None
    lower = counted < seen
    return _ledger_row(
        "adjustment",
        batch,
        abs(counted - seen),
        recorded_by,
        holding if lower else None,
        None if lower else holding,
        counted=counted,
        reason=reason,
    )


def write_off(
    *, holding: Holding, batch: Batch, quantity: int, reason: str, recorded_by: User
) -> StockMovement:
    if reason not in WRITEOFF_REASONS:
        raise StockError("reason", _l("Choose why the kits are written off."))
    return _move("writeoff", batch, quantity, recorded_by, source=holding, reason=reason)


def recall(
    batch: Batch, *, org_id: int, recorded_by: User, reference: str | None
) -> list[StockMovement]:
    """Take every kit of the batch out of every holding of the organisation."""
    if org_id != recorded_by.org_id:
        raise StockError("batch", _l("Stock moves only within your organisation."))
    ref = (reference or "").strip()[:80] or None
    holdings = db.session.scalars(
        select(Holding)
        .join(StockBalance, StockBalance.holding_id == Holding.id)
        .where(Holding.org_id == org_id, StockBalance.batch_id == batch.id)
        .order_by(Holding.id)
    ).all()
    out = []
    for holding in holdings:
        seen = _set_to(holding, batch, 0)
        if seen > 0:
            out.append(
                _ledger_row(
                    "recall",
                    batch,
                    seen,
                    recorded_by,
                    holding,
                    None,
                    reason="recall",
                    reference=ref,
                )
            )
    return out


def reverse(movement: StockMovement, *, recorded_by: User, reason: str) -> StockMovement:
    """Undo a movement with a new one the other way; a row is reversed at most once."""
    if movement.org_id != recorded_by.org_id:
        raise StockError("movement", _l("Stock moves only within your organisation."))
    if movement.kind in ("handout", "reversal"):
        raise StockError("movement", _l("Handouts and reversals cannot be reversed here."))
    reason = (reason or "").strip()[:40]
    if not reason:
        raise StockError("reason", _l("Say why this movement is reversed."))
    source = db.session.get(Holding, movement.to_holding_id) if movement.to_holding_id else None
    target = db.session.get(Holding, movement.from_holding_id) if movement.from_holding_id else None
    try:
        if source is not None:
            _take(source, movement.batch, movement.quantity)
        if target is not None:
            _give(target, movement.batch, movement.quantity)
    except InsufficientStock as exc:
        raise StockError(
            "movement",
            _l(
                "These kits have moved on since, so this movement cannot be reversed. "
                "Record a count or a transfer instead."
            ),
        ) from exc
    # Checked after the balance rows are locked, so two reversals at once cannot both pass.
    if db.session.scalar(select(StockMovement.id).where(StockMovement.reverses_id == movement.id)):
        raise StockError("movement", _l("This movement has already been reversed."))
    return _ledger_row(
        "reversal",
        movement.batch,
        movement.quantity,
        recorded_by,
        source,
        target,
        reverses_id=movement.id,
        reason=reason,
    )


def request_resupply(
    user: User, product: Product | None, quantity: int, note: str | None
) -> ResupplyRequest:
    if not isinstance(quantity, int) or not 1 <= quantity <= 500:
        raise StockError("quantity", _l("The number of kits must be between 1 and 500."))
    req = ResupplyRequest(
        org_id=user.org_id,
        user_id=user.id,
        product_id=product.id if product else None,
        quantity=quantity,
        note=(note or "").strip()[:255] or None,
    )
    db.session.add(req)
    db.session.flush()
    return req


def _close(req: ResupplyRequest, status: str, user: User) -> None:
    result = db.session.execute(
        update(ResupplyRequest)
        .where(ResupplyRequest.id == req.id, ResupplyRequest.status == "open")
        .values(status=status, fulfilled_at=utcnow(), fulfilled_by_id=user.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StockError("request", _l("This request is no longer open."))
    db.session.refresh(req)


def fulfil_request(
    req: ResupplyRequest, *, from_holding: Holding, batch: Batch, quantity: int, recorded_by: User
) -> StockMovement:
    """Move kits into the requester's bag and close the request."""
    if req.org_id != recorded_by.org_id:
        raise StockError("request", _l("Stock moves only within your organisation."))
    if req.product_id and batch.product_id != req.product_id:
        raise StockError("batch_id", _l("This batch is of another product than was asked for."))
    _close(req, "fulfilled", recorded_by)
    bag = bag_for(db.session.get(User, req.user_id))
    return transfer(
        from_holding=from_holding,
        to_holding=bag,
        batch=batch,
        quantity=quantity,
        recorded_by=recorded_by,
        request=req,
    )


def cancel_request(req: ResupplyRequest, *, user: User) -> None:
    if req.org_id != user.org_id:
        raise StockError("request", _l("Stock moves only within your organisation."))
    _close(req, "cancelled", user)


def set_min_level(holding: Holding, level: int) -> None:
    if not isinstance(level, int) or not 0 <= level <= 100000:
        raise StockError("min_level", _l("The minimum must be 0 or more."))
    holding.min_level = level
    db.session.flush()
