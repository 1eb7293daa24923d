"""Stock flow per product from the ledger: opening, in, out, closing, and expiring batches."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import aliased

from outreach.auth.models import User
from outreach.extensions import db
from outreach.reports.scope import Scope, local_after
from outreach.stock.models import Batch, Holding, StockBalance, StockMovement

FLOW_KEYS = (
    "opening",
    "received",
    "transferred_in",
    "transferred_out",
    "handed_out",
    "written_off",
    "adjustments",
    "closing",
)


def scope_holdings(scope: Scope):
    """A subquery of the ids of the holdings inside the scope. A site's holdings are its store
    and the bags of the people based there (users.site_id), as they are based now: moving a
    peer to another site moves their bag's whole history with them."""
    stmt = select(Holding.id)
    if scope.org_ids is not None:
        stmt = stmt.where(Holding.org_id.in_(scope.org_ids))
    if scope.site_id is not None:
        based = select(User.id).where(User.site_id == scope.site_id)
        stmt = stmt.where(or_(Holding.site_id == scope.site_id, Holding.user_id.in_(based)))
    return stmt


def _sides(scope: Scope) -> tuple:
    """(into the scope, out of the scope, conditions a movement must meet to touch the scope).

    Stock only moves inside one organisation, so a movement's own org_id narrows the ledger to
    the scope's organisations first (through the (org_id, occurred_at) index); a report over
    everything needs no membership test at all."""
    m = StockMovement
    if scope.org_ids is None and scope.site_id is None:
        into = case((m.to_holding_id.is_not(None), 1), else_=0)
        out_of = case((m.from_holding_id.is_not(None), 1), else_=0)
        return into, out_of, []
    inside = scope_holdings(scope)
    into = case((m.to_holding_id.in_(inside), 1), else_=0)
    out_of = case((m.from_holding_id.in_(inside), 1), else_=0)
    touches = [or_(m.to_holding_id.in_(inside), m.from_holding_id.in_(inside))]
    if scope.org_ids is not None:
        touches.append(m.org_id.in_(scope.org_ids))
    return into, out_of, touches


def stock_flow(scope: Scope, start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """Per product, the month's flows across the scope boundary and the balances either side.
    `start` and `end` are naive local midnights, taken in each organisation's own zone.

    Balances are worked back from today's stock balances through the movements since `start`
    (so only the recent ledger is read, not all of it). Transfers between two holdings of the
    scope count on both sides and so net out. A reversal counts under the kind of the movement
    it reverses, with its direction swapped."""
    m = StockMovement
    original = aliased(StockMovement)
    since = local_after(m.occurred_at, m.org_id, scope.zones, start)
    later = case(
        (local_after(m.occurred_at, m.org_id, scope.zones, end), literal(True)),
        else_=literal(False),
    )
    to_in, from_in, touches = _sides(scope)
    # Group by batch without joins (most of the ledger), then name each batch's product; the
    # rare reversals are read apart, under the kind of the row they reverse.
    plain = (
        select(m.batch_id, m.kind, later, to_in, from_in, func.sum(m.quantity))
        .where(since, m.kind != "reversal", *touches)
        .group_by(m.batch_id, m.kind, later, to_in, from_in)
    )
    reversed_ = (
        select(m.batch_id, original.kind, later, to_in, from_in, func.sum(m.quantity))
        .join(original, original.id == m.reverses_id)
        .where(since, m.kind == "reversal", *touches)
        .group_by(m.batch_id, original.kind, later, to_in, from_in)
    )
    rows = list(db.session.execute(plain)) + list(db.session.execute(reversed_))
    product_of = dict(
        db.session.execute(
            select(Batch.id, Batch.product_id).where(Batch.id.in_({r[0] for r in rows}))
        ).all()
    )
    flows: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FLOW_KEYS, 0))
    current = current_balances(scope)
    for product, balance in current.items():
        flows[product]["opening"] = flows[product]["closing"] = balance
    for batch_id, kind, is_later, into, out_of, quantity in rows:
        _add_movements(flows[product_of[batch_id]], kind, is_later, into, out_of, int(quantity))
    for flow in flows.values():
        _no_negative_balance(flow)
    return {p: f for p, f in flows.items() if any(f.values())}


def _add_movements(row: dict, kind: str, is_later, into, out_of, quantity: int) -> None:
    """Work one group of movements back into a product's flows: every group moves the opening
    balance; only those inside the month (not `is_later`) count under their kind."""
    signed = quantity * (int(into) - int(out_of))
    row["opening"] -= signed
    if is_later:
        row["closing"] -= signed
        return
    if kind == "receipt":
        row["received"] += signed
    elif kind == "transfer":
        if into and not out_of:
            row["transferred_in"] += quantity
        elif out_of and not into:
            row["transferred_out"] += quantity
    elif kind == "handout":
        row["handed_out"] -= signed
    elif kind in ("writeoff", "recall"):
        row["written_off"] -= signed
    else:  # adjustments, and reversals of rows we cannot name
        row["adjustments"] += signed


def _no_negative_balance(flow: dict[str, int]) -> None:
    """A scope never holds fewer than no kits. The ledger can say it did at the month's start
    or end when kits left before the row that brought them in: a handout dated before its
    delivery was recorded (back-dated, or synced from a tablet whose stock arrived late), which
    the services now refuse but older records may hold. Such a balance is shown as zero, the
    difference as an adjustment, so the flow still adds up."""
    opening_short, closing_short = min(0, flow["opening"]), min(0, flow["closing"])
    flow["opening"] -= opening_short
    flow["closing"] -= closing_short
    flow["adjustments"] += opening_short - closing_short


def current_balances(scope: Scope) -> dict[int, int]:
    """Kits per product held now in the scope's holdings (the stock_balances table)."""
    stmt = (
        select(Batch.product_id, func.sum(StockBalance.quantity))
        .join(Batch, Batch.id == StockBalance.batch_id)
        .where(StockBalance.holding_id.in_(scope_holdings(scope)))
        .group_by(Batch.product_id)
    )
    return {p: int(n or 0) for p, n in db.session.execute(stmt)}


def closing_balances(scope: Scope, end: datetime) -> dict[int, int]:
    """Per product, sum(to) − sum(from) of every movement before the local midnight `end`:
    the ledger's own view."""
    m = StockMovement
    inside = scope_holdings(scope)
    signed = case((m.to_holding_id.in_(inside), m.quantity), else_=0) - case(
        (m.from_holding_id.in_(inside), m.quantity), else_=0
    )
    stmt = (
        select(Batch.product_id, func.sum(signed))
        .join(Batch, Batch.id == m.batch_id)
        .where(
            ~local_after(m.occurred_at, m.org_id, scope.zones, end),
            or_(m.to_holding_id.in_(inside), m.from_holding_id.in_(inside)),
        )
        .group_by(Batch.product_id)
    )
    return {p: int(n or 0) for p, n in db.session.execute(stmt)}


def balances(flow: dict[str, int]) -> bool:
    """opening + received + in − out − handed out − written off + adjustments = closing."""
    return (
        flow["opening"]
        + flow["received"]
        + flow["transferred_in"]
        - flow["transferred_out"]
        - flow["handed_out"]
        - flow["written_off"]
        + flow["adjustments"]
        == flow["closing"]
    )


def expiring(scope: Scope, end: datetime, within_days: int = 90) -> list[tuple]:
    """Kits per batch in the scope's holdings at the report month's end (`end`, the naive local
    midnight after it) that expire within `within_days` of its last day: (product, number,
    expiry, kits, days left from that last day). A past month's table is as it stood then."""
    as_of = (end - timedelta(days=1)).date()
    held = batch_balances_at(scope, end)
    if not held:
        return []
    rows = db.session.execute(
        select(Batch.id, Batch.product_id, Batch.batch_number, Batch.expiry_date)
        .where(Batch.id.in_(list(held)), Batch.expiry_date <= as_of + timedelta(within_days))
        .order_by(Batch.expiry_date, Batch.batch_number)
    )
    return [
        (product, number, expiry, held[batch], (expiry - as_of).days)
        for batch, product, number, expiry in rows
        if held[batch] > 0
    ]


def batch_balances_at(scope: Scope, end: datetime) -> dict[int, int]:
    """Kits per batch in the scope's holdings just before the local midnight `end`: today's
    balances less what moved in or out since (never below zero)."""
    inside = scope_holdings(scope)
    held = dict(
        db.session.execute(
            select(StockBalance.batch_id, func.sum(StockBalance.quantity))
            .where(StockBalance.holding_id.in_(inside))
            .group_by(StockBalance.batch_id)
        ).all()
    )
    m = StockMovement
    signed = case((m.to_holding_id.in_(inside), m.quantity), else_=0) - case(
        (m.from_holding_id.in_(inside), m.quantity), else_=0
    )
    later = db.session.execute(
        select(m.batch_id, func.sum(signed))
        .where(
            local_after(m.occurred_at, m.org_id, scope.zones, end),
            or_(m.to_holding_id.in_(inside), m.from_holding_id.in_(inside)),
        )
        .group_by(m.batch_id)
    )
    for batch, moved in later:
        held[batch] = int(held.get(batch, 0)) - int(moved or 0)
    return {batch: max(int(kits or 0), 0) for batch, kits in held.items()}
