"""The crash test's seeded world and the audit comparing the database with what tablets sent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import bindparam, create_engine, text

PASSWORD = "crash password 123"
RECORD_TABLES = {
    "handout": "handouts",
    "tally": "handouts",
    "contact": "outreach_contacts",
    "overdose_report": "overdose_reports",
}


@dataclass
class World:
    password: str
    org_ids: list[int]
    product: int
    stock_product: int
    site: int
    peers: list[tuple[str, bool]] = field(default_factory=list)  # (username, tracks stock)
    bags: dict[str, tuple[int, int]] = field(default_factory=dict)  # username: (bag id, kits)


def seed(url: str, stock_peers: int, peers: int, kits_per_batch: int) -> World:
    """Two organisations: one that does not track stock (the volume) and one that does, whose
    peers each carry two batches of `kits_per_batch` kits. Every peer is trained."""
    from outreach import create_app
    from outreach.auth.services import create_user
    from outreach.extensions import db
    from outreach.orgs.models import Organisation, Site
    from outreach.products.models import Product
    from outreach.stock import services as stock
    from outreach.trainings.services import record_session

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "seed",
            "CLIENT_CODE_KEY": "seed",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
        }
    )
    with app.app_context(), app.test_request_context():
        volume = Organisation(name="Volume org", area="Swansea Bay", tracks_stock=False)
        stocked = Organisation(name="Stock org", area="Cardiff", tracks_stock=True)
        db.session.add_all([volume, stocked])
        db.session.flush()
        site = Site(
            org_id=volume.id,
            name="Volume site",
            area="Swansea Bay",
            latitude=51.62,
            longitude=-3.94,
        )
        store = Site(
            org_id=stocked.id, name="Stock site", area="Cardiff", latitude=51.48, longitude=-3.18
        )
        product = Product(name="Crash kit", strength="1.8 mg", route="intranasal", doses_per_kit=2)
        db.session.add_all([site, store, product])
        db.session.flush()
        world = World(PASSWORD, [volume.id, stocked.id], product.id, product.id, site.id)
        for org, count, tracks in ((volume, peers, False), (stocked, stock_peers, True)):
            if not count:
                continue
            trainer = create_user(f"trainer{org.id}", PASSWORD, org, "trainer")
            manager = create_user(f"manager{org.id}", PASSWORD, org, "stock_manager")
            people = [create_user(f"peer{org.id}x{i}", PASSWORD, org, "peer") for i in range(count)]
            record_session(
                org_id=org.id,
                recorded_by=trainer,
                trainer=trainer,
                held_on=date.today() - timedelta(60),
                place="Room",
                kind="peer_distributor",
                topics=[],
                attendee_users=people,
            )
            world.peers += [(p.username, tracks) for p in people]
        # The bags were filled before the tablets' records, which go back 20 days: a handout
        # cannot be dated before its kits reached the bag.
        filled = time_machine.travel(datetime.now(UTC) - timedelta(days=30), tick=True)
        filled.start()
        for number in ("CRASH-A", "CRASH-B") if stock_peers else ():
            received = stock.receive(
                site=store,
                product=product,
                batch_number=number,
                expiry_date=date.today() + timedelta(365),
                quantity=kits_per_batch * stock_peers,
                reference="DN-CRASH",
                supplier="Martindale",
                add_to_existing=True,  # two batches of one delivery
                recorded_by=manager,
            )
            for peer in people:
                bag = stock.bag_for(peer)
                stock.transfer(
                    from_holding=stock.store_for(store),
                    to_holding=bag,
                    batch=received.batch,
                    quantity=kits_per_batch,
                    recorded_by=manager,
                )
                world.bags[peer.username] = (bag.id, 2 * kits_per_batch)
        filled.stop()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def _rows(conn, sql: str, **params) -> list:
    stmt = text(sql)
    for name, value in params.items():
        if isinstance(value, list):
            stmt = stmt.bindparams(bindparam(name, expanding=True))
    return list(conn.execute(stmt, params))


def audit(url: str, world: World, tablets: list) -> dict:
    """Compare the database with every tablet's outbox: lost, duplicated, stock exact."""
    sent = {r["client_id"]: r for t in tablets for r in t.outbox}
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            stored: Counter = Counter()
            per_kind: Counter = Counter()
            for table in sorted(set(RECORD_TABLES.values())):
                kind_col = "kind" if table == "handouts" else "'x'"
                for cid, kind in _rows(
                    conn,
                    f"SELECT client_id, {kind_col} FROM {table} WHERE org_id IN :orgs",  # noqa: S608 - fixed names
                    orgs=world.org_ids,
                ):
                    if cid in sent:
                        stored[cid] += 1
                        per_kind[(table, kind)] += 1
            receipts = Counter(r[0] for r in _rows(conn, "SELECT client_id FROM api_receipts"))
            stock = [
                _bag(conn, name, bag, kits, tablets) for name, (bag, kits) in world.bags.items()
            ]
    finally:
        engine.dispose()
    expected: Counter = Counter()
    for record in sent.values():
        table = RECORD_TABLES[record["kind"]]
        key = {"handout": "single", "tally": "tally"}.get(record["kind"], "x")
        expected[(table, key)] += 1
    return {
        "lost": sum(1 for cid in sent if stored[cid] == 0),
        "duplicated": sum(n - 1 for n in stored.values() if n > 1),
        "receipts_duplicated": sum(n - 1 for n in receipts.values() if n > 1),
        "receipts_missing": sum(1 for cid in sent if receipts[cid] == 0),
        "table_counts": {f"{t}/{k}": per_kind[(t, k)] for t, k in sorted(expected)},
        "sent_counts": {f"{t}/{k}": n for (t, k), n in sorted(expected.items())},
        "stock": stock,
        "stock_exact": all(b["exact"] for b in stock),
    }


def _bag(conn, username: str, bag_id: int, kits: int, tablets: list) -> dict:
    tablet = next(t for t in tablets if t.username == username)
    taken = sum(r["data"]["quantity"] for r in tablet.confirmed.values() if r["kind"] == "handout")
    balances = dict(
        _rows(
            conn,
            "SELECT batch_id, quantity FROM stock_balances WHERE holding_id = :bag",
            bag=bag_id,
        )
    )
    ledger: Counter = Counter()
    for batch_id, to_id, qty in _rows(
        conn,
        "SELECT batch_id, to_holding_id, quantity "
        "FROM stock_movements WHERE from_holding_id = :bag "
        "OR to_holding_id = :bag",
        bag=bag_id,
    ):
        ledger[batch_id] += qty if to_id == bag_id else -qty
    balance = sum(balances.values())
    return {
        "peer": username,
        "initial": kits,
        "handed_out": taken,
        "balance": balance,
        "ledger": sum(ledger.values()),
        "exact": balance == kits - taken
        and all(balances.get(b, 0) == n for b, n in ledger.items())
        and all(q >= 0 for q in balances.values()),
    }
