"""The stock ledger behind generated handouts: lots, receipts, bag refills and handout rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from outreach.seed.generate import BATCH_PREFIX

REFILL = 10  # kits a bag is topped up by, roughly: a refill covers the handouts of ~10 kits
SHELF_MONTHS = (36, 24, 24)  # Prenoxad, Nyxoid, ampoule kit (the order of STANDARD_PRODUCTS)
LAG_MONTHS = 3  # from manufacture to a store, so a delivered lot has ~20 months or more left
RUN_DAYS = 182  # one refill is never used for longer than half a year
HOUR = np.timedelta64(3600_000_000, "us")
DAY = 24 * HOUR
FIELDS = ("kind", "lot", "src", "dst", "qty", "when", "org", "by", "handout", "ref", "reason")
FIELDS += ("counted",)
_INT = ("lot", "src", "dst", "qty", "org", "by", "handout", "counted")


@dataclass
class Lots:
    """One lot of every product made each month from `first` (a numpy month) for `count` months;
    lot index = product * count + month offset. Expiry: the end of the shelf-life month."""

    first: np.datetime64
    count: int

    def __post_init__(self):
        made = self.first + np.arange(self.count)
        self.product = np.repeat(np.arange(len(SHELF_MONTHS)), self.count)
        self.made = np.tile(made, len(SHELF_MONTHS))
        shelf = np.array(SHELF_MONTHS)[self.product].astype("timedelta64[M]")
        self.expiry = (self.made + shelf + 1).astype("datetime64[D]") - 1
        yymm = [f"{m.year % 100:02d}{m.month:02d}" for m in self.made.astype(object)]
        self.number = [f"{BATCH_PREFIX[p]}{y}" for p, y in zip(self.product, yymm, strict=True)]

    def index(self, product: np.ndarray, made: np.ndarray) -> np.ndarray:
        offset = (made.astype("datetime64[M]") - self.first).astype(np.int64)
        if (offset < 0).any() or (offset >= self.count).any():
            raise ValueError("a lot outside the generated range was asked for")
        return np.asarray(product) * self.count + offset

    def delivered(self, product: np.ndarray, when: np.ndarray) -> np.ndarray:
        """The lot a store receives in the month of `when`: made LAG_MONTHS before."""
        return self.index(product, when.astype("datetime64[M]") - LAG_MONTHS)

    def expiring(self, product: int, lo: np.datetime64, hi: np.datetime64) -> int:
        """A lot of `product` whose expiry falls in [lo, hi] (days)."""
        idx = np.flatnonzero((self.product == product) & (self.expiry >= lo) & (self.expiry <= hi))
        return int(idx[len(idx) // 2])


def piece(kind: str, n: int, **cols) -> dict:
    """Columns for n movements of one kind; holdings, handout and count default to -1 (none)."""
    out = {"kind": np.full(n, kind, dtype=object)}
    for name in FIELDS[1:]:
        value = cols.get(name, -1 if name in _INT else None)
        if name == "when":
            out[name] = np.broadcast_to(np.asarray(value, "datetime64[us]"), (n,)).copy()
        elif name in _INT:
            out[name] = np.broadcast_to(np.asarray(value, np.int64), (n,)).copy()
        else:
            out[name] = np.broadcast_to(np.asarray(value, dtype=object), (n,)).copy()
    return out


def concat(pieces: list[dict]) -> dict:
    return {name: np.concatenate([p[name] for p in pieces]) for name in FIELDS}


def balances(moves: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(holding, lot, quantity) for every pair that has movements: sum(in) - sum(out)."""
    width = int(moves["lot"].max()) + 1
    into, out = moves["dst"] >= 0, moves["src"] >= 0
    key = np.concatenate(
        [
            moves["dst"][into] * width + moves["lot"][into],
            moves["src"][out] * width + moves["lot"][out],
        ]
    )
    qty = np.concatenate([moves["qty"][into], -moves["qty"][out]])
    pairs, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=qty, minlength=len(pairs)).astype(np.int64)
    return pairs // width, pairs % width, total


@dataclass
class Handouts:
    """Per handout (in any order): its bag, the hub store and keeper of its org, and the rest."""

    handout: np.ndarray
    bag: np.ndarray
    store: np.ndarray
    org: np.ndarray
    keeper: np.ndarray
    recorder: np.ndarray
    product: np.ndarray  # index into STANDARD_PRODUCTS
    qty: np.ndarray
    when: np.ndarray  # datetime64[us], UTC


def bag_refills(rng, h: Handouts, lots: Lots, now: np.datetime64) -> tuple[dict, dict, np.ndarray]:
    """Refills (store -> bag) and handout rows (bag -> out), and the lot each handout took.

    Per bag and product, in time order, the handouts are cut into runs of about REFILL kits (and
    at most RUN_DAYS long); each run is covered by one refill of one lot, moved in shortly before
    its first handout. So the bag never goes below zero and holds one lot of a product at a time
    (first expiry first holds), and the lot, delivered that month, outlives the run. The last
    run of a bag in use brings a few kits more than it needs: the bag keeps them."""
    n = len(h.qty)
    group = h.bag.astype(np.int64) * 8 + h.product
    order = np.lexsort((h.when, group))
    g, q, t = group[order], h.qty[order].astype(np.int64), h.when[order]
    start = np.r_[True, g[1:] != g[:-1]]
    cum = np.cumsum(q)
    before = cum - q - np.maximum.accumulate(np.where(start, cum - q, 0))
    half = t.astype("datetime64[D]").astype(np.int64) // RUN_DAYS
    block = before // REFILL
    new = start | np.r_[True, (block[1:] != block[:-1]) | (half[1:] != half[:-1])]
    run = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    last = np.r_[first[1:], n] - 1
    t_first, t_last = t[first], t[last]
    prev = np.where(start[first], t_first - 3 * DAY, t[np.maximum(first - 1, 0)])
    lead = ((t_first - prev).astype(np.int64) * rng.uniform(0.1, 0.7, len(first))).astype(np.int64)
    t_move = t_first - np.maximum(lead, 60_000_000).astype("timedelta64[us]")
    final = np.r_[start[first[1:]], True]
    recent = final & (t_last > now - 90 * DAY)
    spare = rng.integers(2, 6, len(first))
    qty = np.add.reduceat(q, first) + np.where(recent, spare, 0)
    product = (g % 8)[first]
    lot = lots.delivered(product, t_move)
    if (lots.expiry[lot] <= t_last.astype("datetime64[D]")).any():
        raise RuntimeError("a refill would expire before its last handout")
    taken = np.empty(n, dtype=np.int64)
    taken[order] = lot[run]
    src = h.store[order][first]
    refills = piece(
        "transfer",
        len(first),
        lot=lot,
        src=src,
        dst=h.bag[order][first],
        qty=qty,
        when=t_move,
        org=h.org[order][first],
        by=h.keeper[order][first],
    )
    handouts = piece(
        "handout",
        n,
        lot=taken,
        src=h.bag,
        qty=h.qty,
        when=h.when,
        org=h.org,
        by=h.recorder,
        handout=h.handout,
    )
    return refills, handouts, taken


def top_ups(rng, moves: dict, want: dict, lots: Lots, now: np.datetime64) -> dict:
    """Refills a few days ago for bags holding fewer kits of a product than wanted.
    `want` holds arrays bag, store, org, keeper, product, kits.

    A top-up brings the lot delivered in its own month. Dated before a handout from the same
    bag, it could bring an older lot than the run that handout takes (a top-up on 30 November,
    a run refilled on 1 December): first-to-expire would be broken. So a top-up always comes
    after the bag's last handout of that product, whatever the day of the month."""
    holding, lot, qty = balances(moves)
    held = {}
    for b, p, k in zip(holding, lots.product[lot], qty, strict=True):
        held[(int(b), int(p))] = held.get((int(b), int(p)), 0) + int(k)
    last_out: dict[tuple[int, int], np.datetime64] = {}
    outs = np.flatnonzero(moves["kind"] == "handout")
    out_product = lots.product[moves["lot"][outs]]
    for b, p, t in zip(moves["src"][outs], out_product, moves["when"][outs], strict=True):
        key = (int(b), int(p))
        if key not in last_out or t > last_out[key]:
            last_out[key] = t
    pairs = list(zip(want["bag"].tolist(), want["product"].tolist(), strict=True))
    have = np.array([held.get(pair, 0) for pair in pairs], dtype=np.int64)
    short = want["kits"] - have
    rows = np.flatnonzero(short > 0)
    when = now - (rng.uniform(1, 6, len(rows)) * DAY.astype(np.int64)).astype("timedelta64[us]")
    never = np.datetime64("1970-01-01", "us")
    floor = np.array([last_out.get(pairs[i], never) for i in rows], dtype="datetime64[us]")
    # After the last handout (half-way to now when that was recent), never after now.
    when = np.where(when > floor, when, floor + (now - floor) // 2)
    return piece(
        "transfer",
        len(rows),
        lot=lots.delivered(want["product"][rows], when),
        src=want["store"][rows],
        dst=want["bag"][rows],
        qty=short[rows],
        when=when,
        org=want["org"][rows],
        by=want["keeper"][rows],
    )


def receipts(rng, refills: dict, lots: Lots, now: np.datetime64) -> dict:
    """A delivery into each store for each month it refills bags in: that month's refills and
    ~15% more, in boxes of 10, dated the day before the month starts; the last two months
    bring a month's use more, so stores end with stock."""
    month = refills["when"].astype("datetime64[M]")
    product = lots.product[refills["lot"]]
    key = (refills["src"] * 8 + product) * 100_000 + month.astype(np.int64)
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    need = np.bincount(inverse, weights=refills["qty"]).astype(np.int64)
    m = month[first]
    qty = -(-(need * 115) // 1000) * 10
    qty += np.where(m >= now.astype("datetime64[M]") - 1, -(-need // 10) * 10, 0)
    when = m.astype("datetime64[us]") - 14 * HOUR
    store = refills["src"][first]
    ref = [
        f"DN-{d.year}{d.month:02d}-{s:04d}{p}"
        for d, s, p in zip(m.astype(object), store, product[first], strict=True)
    ]
    return piece(
        "receipt",
        len(keys),
        lot=lots.delivered(product[first], m),
        dst=store,
        qty=qty,
        when=when,
        org=refills["org"][first],
        by=refills["by"][first],
        ref=np.array(ref, dtype=object),
    )


def expired_write_offs(rng, moves: dict, deliveries: dict, lots: Lots, now: np.datetime64) -> dict:
    """Kits left in a store two weeks past their expiry are written off within two weeks of it."""
    holding, lot, qty = balances(moves)
    stores, at = np.unique(deliveries["dst"], return_index=True)
    where = np.searchsorted(stores, holding).clip(0, len(stores) - 1)
    today = now.astype("datetime64[D]")
    in_store = stores[where] == holding
    rows = np.flatnonzero(in_store & (qty > 0) & (lots.expiry[lot] < today - 14))
    days = (lots.expiry[lot[rows]] + 1 + rng.integers(0, 14, len(rows))).astype("datetime64[us]")
    return piece(
        "writeoff",
        len(rows),
        lot=lot[rows],
        src=holding[rows],
        qty=qty[rows],
        when=np.minimum(days + 10 * HOUR, now - HOUR),
        org=deliveries["org"][at][where[rows]],
        by=deliveries["by"][at][where[rows]],
        reason="expired",
    )
