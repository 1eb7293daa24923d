"""Ten tablets void one stock handout at once on a real threaded server: one void, its kits
returned once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.stock import services as svc
from outreach.stock.models import Batch, StockMovement
from tests.api.conftest import token_for
from tests.api.test_concurrency import post, server  # noqa: F401  (the server fixture)
from tests.corrections.conftest import audit_events


def test_ten_parallel_voids_return_the_kits_once(app, client, world, stocked, server):  # noqa: F811
    handout_id = world.handout(quantity=3).id
    token = token_for(client, world.coordinator)
    url = f"{server}/api/v1/handouts/{handout_id}/void"
    peer_id, batch_id = world.peer.id, stocked.id
    db.session.commit()
    db.session.remove()  # the server's threads use their own sessions
    barrier = threading.Barrier(10)
    codes: list[int] = []

    def one():
        barrier.wait()
        codes.append(post(url, token, {"reason": "Recorded twice"}))

    threads = [threading.Thread(target=one) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert codes == [200] * 10
    reversals = select(func.count()).where(StockMovement.kind == "reversal")
    assert db.session.scalar(reversals) == 1
    bag = svc.bag_for(db.session.get(User, peer_id))
    assert svc.balance(bag, db.session.get(Batch, batch_id)) == 10
    assert len(audit_events("handout", handout_id, "void")) == 1
