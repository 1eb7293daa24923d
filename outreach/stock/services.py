"""Changing stock: receipts, transfers, handouts, counts, write-offs, recalls and reversals."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.orgs.services import org_zone
from outreach.stock.balances import (
    ExpiredBatch,
    InsufficientStock,
    StockError,
    balance,
    first_in_stores,
    first_out,
    first_to_expire,
    set_balance,
    shift,
    take,
    take_first_to_expire,
)
from outreach.stock.deliveries import DuplicateDelivery, known_suppliers, receive
from outreach.stock.history import short_at_the_time, shortfall
from outreach.stock.ledger import (
    bag_for,
    existing_bag,
    find_or_add_batch,
    is_expired,
    known_batch,
    move,
    same_org,
    store_for,
    tidy,
    transfer,
    write_movement,
    write_reversal,
)
from outreach.stock.models import WRITEOFF_REASONS, Batch, Holding, StockBalance, StockMovement
from outreach.stock.resupply import cancel_request, fulfil_request, request_resupply
from outreach.stock.returns import return_handout_kits
from outreach.timezones import local_day

__all__ = [  # what callers import from here, wherever it is defined
    "DuplicateDelivery",
    "ExpiredBatch",
    "InsufficientStock",
    "StockError",
    "bag_for",
    "balance",
    "cancel_request",
    "count",
    "first_in_stores",
    "first_out",
    "find_or_add_batch",
    "first_batches",
    "fulfil_request",
    "is_expired",
    "is_short_dated",
    "known_batch",
    "known_suppliers",
    "recall",
    "receive",
    "request_resupply",
    "return_handout_kits",
    "reverse",
    "set_min_level",
    "store_for",
    "take_first_to_expire",
    "take_for_handout",
    "transfer",
    "write_off",
]


def is_short_dated(batch: Batch, on: date) -> bool:
    days = current_app.config.get("SHORT_DATED_DAYS", 30)
    return not is_expired(batch, on) and batch.expiry_date <= on + timedelta(days)


def first_batches(giver: User, on: date) -> dict[int, int]:
    """Per product in the giver's bag, the batch a handout of one kit takes first (the
    first-to-expire rule of outreach.stock.balances): what the handout form suggests."""
    bag = existing_bag(giver)
    if bag is None:
        return {}
    products = db.session.scalars(
        select(Batch.product_id)
        .join(StockBalance, StockBalance.batch_id == Batch.id)
        .where(StockBalance.holding_id == bag.id, StockBalance.quantity > 0)
        .distinct()
    )
    found = {p: first_to_expire(bag, p, 1, on) for p in products}
    return {p: batch_id for p, batch_id in found.items() if batch_id is not None}


def take_for_handout(
    handout, giver: User, batch: Batch | None, quantity: int, flush: bool = True
) -> StockMovement:
    """Take the handout's kits out of the giver's bag, in the handout's transaction.

    The handout may still be pending: its batch is set before it is written, and the movement
    points at it, so one flush writes both (`flush=False` leaves that flush to the caller).
    Nothing pending is flushed early (no autoflush): the reads here touch only stock rows."""
    with db.session.no_autoflush:
        bag = existing_bag(giver)
        on = local_day(handout.occurred_at, org_zone(giver.organisation))
        if batch is None:  # the first to expire: chosen and taken in one statement
            taken = take_first_to_expire(bag, handout.product_id, quantity, on) if bag else None
            if taken is None:
                raise _no_batch_for(bag, handout.product_id, on)
            batch = known_batch(taken)
            source = None  # already taken
        elif bag is None:
            raise InsufficientStock(
                "quantity", _l("Your bag has no kits of this batch. Ask for more kits.")
            )
        else:
            source = bag
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
        if source is not None:
            take(source, batch, quantity)
        # The balance row is held now: the bag's ledger cannot change under this check.
        if (short := shortfall(bag, batch, quantity, handout.occurred_at)) is not None:
            raise short_at_the_time(giver, batch, quantity, handout.occurred_at, short)
        handout.batch_id = batch.id
        handout.batch_label = batch.batch_number
        return write_movement(
            "handout",
            batch,
            quantity,
            giver,
            bag,
            None,
            flush,
            handout=handout,
            occurred_at=handout.occurred_at,
            recorded_by_id=handout.recorded_by_id,
        )


def _no_batch_for(bag: Holding | None, product_id: int, on: date) -> InsufficientStock:
    have = 0
    if bag is not None:
        have = db.session.scalar(
            select(func.coalesce(func.sum(StockBalance.quantity), 0))
            .join(Batch, Batch.id == StockBalance.batch_id)
            .where(
                StockBalance.holding_id == bag.id,
                Batch.product_id == product_id,
                Batch.expiry_date >= on,
            )
        )
    message = _l("Your bag has only %(num)d unexpired kits of this product in one batch.", num=have)
    if not have:
        message = _l("Your bag has no unexpired kits of this product. Ask for more kits.")
    return InsufficientStock("quantity", message)


def count(
    *, holding: Holding, batch: Batch, counted: int, reason: str, recorded_by: User
) -> StockMovement | None:
    """Record a stock count: one adjustment by the difference, or nothing when it agrees."""
    same_org(holding.org_id, recorded_by, "holding")
    if not isinstance(counted, int) or counted < 0:
        raise StockError("counted", _l("The counted figure cannot be negative."))
    reason = tidy(reason, 40)
    if not reason:
        raise StockError("reason", _l("Say why the count differs, or what the count was for."))
    seen = set_balance(holding, batch, counted)
    if seen == counted:
        return None
    lower = counted < seen
    return write_movement(
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
    return move("writeoff", batch, quantity, recorded_by, source=holding, reason=reason)


def recall(
    batch: Batch, *, org_id: int, recorded_by: User, reference: str | None
) -> list[StockMovement]:
    """Take every kit of the batch out of every holding of the organisation."""
    same_org(org_id, recorded_by, "batch")
    ref = tidy(reference, 80)
    holdings = db.session.scalars(
        select(Holding)
        .join(StockBalance, StockBalance.holding_id == Holding.id)
        .where(Holding.org_id == org_id, StockBalance.batch_id == batch.id)
        .order_by(Holding.id)
    ).all()
    out = []
    for holding in holdings:
        seen = set_balance(holding, batch, 0)
        if seen > 0:
            out.append(
                write_movement(
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
    same_org(movement.org_id, recorded_by, "movement")
    if movement.kind in ("handout", "reversal"):  # a handout's kits return when it is voided
        raise StockError(
            "movement",
            _l("Handouts and reversals cannot be reversed here. Void the handout instead."),
        )
    reason = tidy(reason, 40)
    if not reason:
        raise StockError("reason", _l("Say why this movement is reversed."))
    source, target = movement.to_holding, movement.from_holding
    try:
        shift(source, target, movement.batch, movement.quantity)
    except InsufficientStock as exc:
        raise StockError(
            "movement",
            _l(
                "These kits have moved on since, so this movement cannot be reversed. "
                "Record a count or a transfer instead."
            ),
        ) from exc
    already = _l("This movement has already been reversed.")
    return write_reversal(movement, recorded_by, source, target, already, reason=reason)


def set_min_level(holding: Holding, level: int) -> None:
    if not isinstance(level, int) or not 0 <= level <= 100000:
        raise StockError("min_level", _l("The minimum must be 0 or more."))
    holding.min_level = level
    db.session.flush()
