"""Synced handouts follow the stock rules: kits leave the bag once; a short bag refuses (422)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from outreach.extensions import db
from outreach.stock.models import Batch, Holding, StockBalance
from tests.api.conftest import bodies, new_id


def test_synced_handouts_take_kits_once_and_a_short_bag_is_refused(world, api):
    world.org.tracks_stock = True
    batch = Batch(product_id=world.product.id, batch_number="B1", expiry_date=date(2030, 1, 1))
    bag = Holding(org_id=world.org.id, kind="bag", user_id=world.peer.id)
    db.session.add_all([batch, bag])
    db.session.flush()
    db.session.add(StockBalance(holding_id=bag.id, batch_id=batch.id, quantity=3))
    db.session.commit()
    data = {**bodies(world)["handout"], "quantity": 2}
    records = [{"kind": "handout", "client_id": new_id(), "data": data} for _ in range(2)]
    first = api.post("/sync", {"records": records}).get_json()["results"]
    assert [r["http_status"] for r in first] == [201, 422]
    assert first[1]["errors"][0]["field"] == "quantity"
    again = api.post("/sync", {"records": records[:1]}).get_json()["results"]
    assert again[0]["status"] == "already_stored"
    db.session.expire_all()
    left = db.session.scalar(select(StockBalance.quantity).where(StockBalance.holding_id == bag.id))
    assert left == 1
