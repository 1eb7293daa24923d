"""The demo's stock: the ledger behind its handouts, and the cases the stock pages show."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import insert, select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.seed import draw, ledger, stock
from outreach.seed.generate import OrgPlan
from outreach.stock.models import ResupplyRequest, StockBalance, StockMovement

SWANSEA, CARDIFF, NEWPORT, BIRMINGHAM, GOTEBORG = range(5)  # the order of DEMO_ORGS
PRENOXAD, NYXOID = 0, 1
LOW_STORE_MIN = 20  # Birmingham's hostel store is set to alert below this, and holds 8


def _keepers(plans: list[OrgPlan]) -> list[int]:
    """Who records an org's stock: its stock manager, or else its coordinator."""
    out = []
    for plan in plans:
        manager = db.session.scalar(
            select(User.id).where(User.org_id == plan.org_id, User.role == "stock_manager")
        )
        out.append(manager or plan.coordinator_id)
    return out


def _wanted(rng, stores: ledger.Stores, plans, product_ids: list[int]) -> dict:
    """Every bag ends with 4 to 8 kits of its owner's usual product (for handing out at once)."""
    rows = {k: [] for k in ("bag", "store", "org", "keeper", "product", "kits")}
    for i, plan in enumerate(plans):
        for user_id in dict.fromkeys(u for u, _, _ in plan.peers):
            usual = db.session.get(User, user_id).usual_product_id or product_ids[0]
            for key, value in (
                ("bag", stores.bag[user_id].id),
                ("store", stores.hub[i]),
                ("org", plan.org_id),
                ("keeper", stores.keeper[i]),
                ("product", product_ids.index(usual)),
                ("kits", int(rng.integers(4, 9))),
            ):
                rows[key].append(value)
    return {k: np.array(v, dtype=np.int64) for k, v in rows.items()}


def _at(day: datetime, hours: int = 10) -> np.datetime64:
    stamp = draw.to_datetime64(day).astype("datetime64[D]").astype("datetime64[us]")
    return stamp + hours * stock.HOUR


def _showcases(moves: dict, stores: ledger.Stores, lots: stock.Lots, start, now) -> list[dict]:
    """An expired lot still in Swansea's hub (after a damaged write-off and a count), a lot
    expiring within 90 days in Cardiff's, one that expired and was written off in Newport, a
    count that found two kits more in Göteborg, and Birmingham's hostel store running low."""
    return [
        *_expiry_cases(stores, lots, start, now),
        _goteborg_count(moves, stores, lots, now),
        _birmingham_low(stores, lots, now),
    ]


def _expiry_cases(stores: ledger.Stores, lots: stock.Lots, start, now) -> list[dict]:
    """Swansea's expired lot (damaged write-off, then a count), Cardiff's short-dated lot and
    Newport's lot written off when it expired, all from an opening stock count."""
    today = draw.to_datetime64(now).astype("datetime64[D]")
    begin = draw.to_datetime64(start).astype("datetime64[D]")
    hub, keeper, org = stores.hub, stores.keeper, stores.org_id
    expired = lots.expiring(PRENOXAD, today - 45, today - 10)
    short = lots.expiring(PRENOXAD, today + 30, today + 75)
    lapsed = lots.expiring(PRENOXAD, min(begin + 20, today - 60), today - 20)
    opening = _at(min(start, now - timedelta(days=90)) - timedelta(days=2))
    span = draw.to_datetime64(now) - opening
    out = [
        stock.piece(
            "receipt",
            1,
            lot=lot,
            dst=hub[i],
            qty=kits,
            when=opening,
            org=org[i],
            by=keeper[i],
            ref="Opening stock count",
        )
        for i, lot, kits in ((SWANSEA, expired, 16), (CARDIFF, short, 12), (NEWPORT, lapsed, 10))
    ]
    s = {"src": hub[SWANSEA], "org": org[SWANSEA], "by": keeper[SWANSEA], "lot": expired}
    out.append(
        stock.piece("writeoff", 1, qty=2, when=opening + span * 3 // 10, reason="damaged", **s)
    )
    counted = {"counted": 13, "ref": "Count sheet"}
    out.append(stock.piece("adjustment", 1, qty=1, when=opening + span * 6 // 10, **counted, **s))
    lapse_day = (lots.expiry[lapsed] + 3).astype("datetime64[us]") + 10 * stock.HOUR
    out.append(
        stock.piece(
            "writeoff",
            1,
            lot=lapsed,
            src=hub[NEWPORT],
            qty=10,
            when=lapse_day,
            org=org[NEWPORT],
            by=keeper[NEWPORT],
            reason="expired",
        )
    )
    return out


def _goteborg_count(moves: dict, stores: ledger.Stores, lots: stock.Lots, now) -> dict:
    """A count in Göteborg's hub eight days ago that found two kits more than the ledger."""
    hub = stores.hub[GOTEBORG]
    when = draw.to_datetime64(now) - 8 * stock.DAY
    lot = int(lots.delivered(np.array([NYXOID]), np.array([when]))[0])
    before = (moves["when"] < when) & (moves["lot"] == lot)
    held = moves["qty"][before & (moves["dst"] == hub)].sum()
    held -= moves["qty"][before & (moves["src"] == hub)].sum()
    return stock.piece(
        "adjustment",
        1,
        lot=lot,
        dst=hub,
        qty=2,
        counted=int(held) + 2,
        when=when,
        org=stores.org_id[GOTEBORG],
        by=stores.keeper[GOTEBORG],
        ref="Count sheet",
    )


def _birmingham_low(stores: ledger.Stores, lots: stock.Lots, now) -> dict:
    """Birmingham's hostel store: eight kits received 20 days ago, under its minimum."""
    when = draw.to_datetime64(now) - 20 * stock.DAY
    hostel = stores.site_store[BIRMINGHAM][2]
    hostel.min_level = LOW_STORE_MIN
    return stock.piece(
        "receipt",
        1,
        lot=int(lots.delivered(np.array([PRENOXAD]), np.array([when]))[0]),
        dst=hostel.id,
        qty=8,
        when=when,
        org=stores.org_id[BIRMINGHAM],
        by=stores.keeper[BIRMINGHAM],
        ref="DN-HOSTEL-1",
    )


def load_demo_stock(rng, plans, product_ids, handouts: list[Handout], cols, start, now) -> int:
    """Holdings, batches, movements and balances behind the demo's (flushed) handouts, and an
    open resupply request; returns the number of movements."""
    stores = ledger.Stores(plans, _keepers(plans))
    lots = ledger.lots_for(start, now)
    h = stores.handouts([row.id for row in handouts], cols, product_ids)
    at = draw.to_datetime64(now)
    moves, taken = ledger.ledger(rng, h, lots, at, _wanted(rng, stores, plans, product_ids))
    moves = stock.concat([moves, *_showcases(moves, stores, lots, start, now)])
    batch_of = ledger.save_batches(lots, moves["lot"], product_ids)
    for row, lot in zip(handouts, taken.tolist(), strict=True):
        row.batch_id, row.batch_label = int(batch_of[lot]), lots.number[lot]
    table = ledger.movement_columns(rng, moves, batch_of)
    db.session.execute(insert(StockMovement.__table__), _rows(table))
    db.session.execute(
        insert(StockBalance.__table__), _rows(ledger.balance_columns(moves, batch_of))
    )
    asker = db.session.scalar(select(User).where(User.username == "peer2.cardiff"))
    db.session.add(
        ResupplyRequest(
            org_id=asker.org_id,
            user_id=asker.id,
            product_id=asker.usual_product_id,
            quantity=10,
            note="Two hostel sessions this week; my bag is nearly empty.",
            created_at=now - timedelta(hours=20),
            updated_at=now - timedelta(hours=20),
        )
    )
    db.session.flush()
    return len(table["kind"])


def _rows(cols: dict) -> list[dict]:
    from outreach.seed.generate import as_python

    names = list(cols)
    values = [as_python(cols[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
