"""Many handouts racing for the last kits of one bag never oversell, on SQLite and PostgreSQL.

The same race run with a naive read-then-write take does oversell: the test can fail."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.places import Location
from outreach.stock import services as svc
from outreach.stock.models import StockBalance, StockMovement

THREADS = 20


def _race(app, work) -> list[str]:
    """Run `work(barrier)` in THREADS threads, each with its own app context and session."""
    barrier = threading.Barrier(THREADS, timeout=60)
    results: list[str] = [""] * THREADS

    def run(i: int) -> None:
        with app.app_context(), app.test_request_context():
            try:
                work(barrier)
                db.session.commit()
                results[i] = "ok"
            except svc.InsufficientStock:
                db.session.rollback()
                results[i] = "refused"
            except Exception as exc:  # noqa: BLE001 - reported in the assertion below
                db.session.rollback()
                results[i] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _ids(world):
    batch = world.fill_bag(10)
    bag = svc.bag_for(world.peer)
    ids = (world.peer.id, world.product.id, bag.id, batch.id)
    db.session.commit()  # the test's own session holds no lock while the threads race
    return ids


@pytest.mark.parametrize("per_handout", [1, 2])
def test_racing_handouts_take_exactly_the_kits_in_the_bag_and_never_more(app, world, per_handout):
    peer_id, product_id, bag_id, batch_id = _ids(world)

    def work(barrier):
        barrier.wait()  # all start together (before any takes a pooled connection)
        peer = db.session.get(User, peer_id)
        data = HandoutInput(
            product_id=product_id,
            quantity=per_handout,
            location=Location(51.62, -3.94, "gps"),
            supply="first",
        )
        record_handout(data, giver=peer, recorded_by=peer)

    results = _race(app, work)
    db.session.expire_all()
    succeeded = results.count("ok")
    assert set(results) <= {"ok", "refused"}, results
    assert succeeded == 10 // per_handout
    assert results.count("refused") == THREADS - succeeded
    balance = db.session.scalar(
        select(StockBalance.quantity).where(
            StockBalance.holding_id == bag_id, StockBalance.batch_id == batch_id
        )
    )
    assert balance == 0
    handout_moves = db.session.scalars(
        select(StockMovement.quantity).where(StockMovement.kind == "handout")
    ).all()
    assert len(handout_moves) == succeeded and sum(handout_moves) == 10
    assert db.session.scalar(select(func.count()).select_from(Handout)) == succeeded
    print(
        f"\n[{db.engine.dialect.name}] {succeeded}/{THREADS} handouts of {per_handout} "
        f"succeeded, balance {balance}"
    )


def naive_take(holding_id: int, batch_id: int, quantity: int, barrier) -> None:
    """The bug the guarded UPDATE prevents: read the balance, then write balance − n."""
    where = (StockBalance.holding_id == holding_id, StockBalance.batch_id == batch_id)
    seen = db.session.scalar(select(StockBalance.quantity).where(*where))
    db.session.commit()  # as a form read on one request and saved on the next
    barrier.wait()  # everyone has read before anyone writes: the race, made certain
    if seen < quantity:
        raise svc.InsufficientStock("quantity", "not enough")
    db.session.execute(update(StockBalance).where(*where).values(quantity=seen - quantity))


def test_demonstration_naive_read_then_write_oversells_under_the_same_race(app, world):
    _peer_id, _product_id, bag_id, batch_id = _ids(world)
    results = _race(app, lambda barrier: naive_take(bag_id, batch_id, 1, barrier))
    db.session.expire_all()
    balance = db.session.scalar(
        select(StockBalance.quantity).where(
            StockBalance.holding_id == bag_id, StockBalance.batch_id == batch_id
        )
    )
    assert set(results) <= {"ok", "refused"}, results
    taken = results.count("ok")
    print(f"\n[{db.engine.dialect.name}] naive: {taken} kits 'taken' out of 10, balance {balance}")
    assert taken > 10, "the naive version did not oversell"  # 20 takes out of 10 kits
    assert balance == 9  # and the balance no longer matches what left the bag
