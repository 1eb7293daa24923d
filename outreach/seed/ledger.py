"""Holdings and batches for generated data, and the ledger's rows as columns for loading."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from outreach.extensions import db
from outreach.seed import draw, stock
from outreach.seed.generate import OrgPlan
from outreach.stock.models import Batch, Holding


class Stores:
    """Each org's holdings: a store per site (the first site's store is the hub that receives
    deliveries), a bag per giver, and who records its stock movements (the keeper)."""

    def __init__(self, plans: list[OrgPlan], keepers: list[int]):
        self.site_store: list[list[Holding]] = []
        self.bag: dict[int, Holding] = {}
        for plan in plans:
            stores = [Holding(org_id=plan.org_id, kind="store", site_id=s) for s in plan.site_ids]
            givers = dict.fromkeys(user for user, _, _ in plan.peers)
            bags = {u: Holding(org_id=plan.org_id, kind="bag", user_id=u) for u in givers}
            db.session.add_all(stores + list(bags.values()))
            self.site_store.append(stores)
            self.bag.update(bags)
        db.session.flush()
        self.hub = np.array([stores[0].id for stores in self.site_store])
        self.keeper = np.array(keepers)
        self.org_id = np.array([plan.org_id for plan in plans])
        users = np.array(list(self.bag), dtype=np.int64)
        self.bag_of = np.full(int(users.max(initial=0)) + 1, -1, dtype=np.int64)
        self.bag_of[users] = [h.id for h in self.bag.values()]

    def handouts(self, ids, cols: dict, product_ids: list[int]) -> stock.Handouts:
        """The stock view of generated handout columns whose rows got the ids `ids`."""
        org = _positions(self.org_id)[np.asarray(cols["org_id"], dtype=np.int64)]
        product = _positions(np.array(product_ids))[np.asarray(cols["product_id"], np.int64)]
        return stock.Handouts(
            handout=np.asarray(ids, dtype=np.int64),
            bag=self.bag_of[np.asarray(cols["giver_id"], dtype=np.int64)],
            store=self.hub[org],
            org=self.org_id[org],
            keeper=self.keeper[org],
            recorder=np.asarray(cols["recorded_by_id"], dtype=np.int64),
            product=product,
            qty=np.asarray(cols["quantity"], dtype=np.int64),
            when=np.asarray(cols["occurred_at"], dtype="datetime64[us]"),
        )


def _positions(ids: np.ndarray) -> np.ndarray:
    """A lookup array: the position of each id in `ids` (-1 for other ids)."""
    out = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
    out[ids] = np.arange(len(ids))
    return out


def lots_for(start: datetime, now: datetime) -> stock.Lots:
    """Monthly lots from well before `start` (old lots, some expired) up to this month."""
    first = min(
        draw.to_datetime64(start).astype("datetime64[M]") - stock.LAG_MONTHS - 2,
        draw.to_datetime64(now).astype("datetime64[M]") - 40,
    )
    last = draw.to_datetime64(now).astype("datetime64[M]")
    return stock.Lots(first, int((last - first).astype(np.int64)) + 1)


def ledger(rng, h: stock.Handouts, lots: stock.Lots, now, want: dict | None = None):
    """Every movement behind the handouts, and the lot each handout took."""
    refills, outs, taken = stock.bag_refills(rng, h, lots, now)
    pieces = [refills, outs]
    if want is not None:
        pieces.append(stock.top_ups(rng, stock.concat(pieces), want, lots, now))
    transfers = stock.concat([refills, *pieces[2:]])
    deliveries = stock.receipts(rng, transfers, lots, now)
    moves = stock.concat([*pieces, deliveries])
    expired = stock.expired_write_offs(rng, moves, deliveries, lots, now)
    return stock.concat([moves, expired]), taken


def save_batches(lots: stock.Lots, used: np.ndarray, product_ids: list[int]) -> np.ndarray:
    """Batch rows for the lots in use; returns the batch id of each lot index (-1: none)."""
    used = np.unique(used)
    rows = [
        Batch(
            product_id=product_ids[int(lots.product[i])],
            batch_number=lots.number[i],
            expiry_date=lots.expiry[i].astype(object),
        )
        for i in used
    ]
    db.session.add_all(rows)
    db.session.flush()
    batch_of = np.full(len(lots.product), -1, dtype=np.int64)
    batch_of[used] = [b.id for b in rows]
    return batch_of


def movement_columns(rng, moves: dict, batch_of: np.ndarray) -> dict:
    """Columns of stock_movements, in time order as a live ledger fills."""
    order = np.argsort(moves["when"], kind="stable")
    m = {name: column[order] for name, column in moves.items()}
    n = len(order)
    return {
        "client_id": draw.uuid_strings(rng, n),
        "org_id": m["org"],
        "occurred_at": m["when"],
        "kind": m["kind"],
        "batch_id": batch_of[m["lot"]],
        "from_holding_id": draw.optional(m["src"], m["src"] >= 0),
        "to_holding_id": draw.optional(m["dst"], m["dst"] >= 0),
        "quantity": m["qty"],
        "reference": m["ref"],
        "reason": m["reason"],
        "counted": draw.optional(m["counted"], m["counted"] >= 0),
        "handout_id": draw.optional(m["handout"], m["handout"] >= 0),
        "recorded_by_id": m["by"],
    }


def balance_columns(moves: dict, batch_of: np.ndarray) -> dict:
    holding, lot, qty = stock.balances(moves)
    if (qty < 0).any():
        raise RuntimeError("a generated balance is negative")
    return {"holding_id": holding, "batch_id": batch_of[lot], "quantity": qty}
