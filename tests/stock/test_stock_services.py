"""The stock services: every change is a ledger row, and balances follow the ledger exactly."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.orgs.services import org_today
from outreach.stock import services as svc
from outreach.stock.models import Batch, ResupplyRequest, StockBalance, StockMovement


def _movements(kind=None):
    stmt = select(StockMovement).order_by(StockMovement.id)
    if kind:
        stmt = stmt.where(StockMovement.kind == kind)
    return list(db.session.scalars(stmt))


def _ledger_sum(holding_id: int, batch_id: int) -> int:
    into = db.session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.to_holding_id == holding_id, StockMovement.batch_id == batch_id
        )
    )
    out = db.session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.from_holding_id == holding_id, StockMovement.batch_id == batch_id
        )
    )
    return into - out


def test_receiving_a_delivery_puts_kits_in_the_site_store_with_a_receipt_row(world):
    batch = world.receive(40, "ab123", supplier="Martindale", reference="dn-1")
    store = svc.store_for(world.site)
    assert batch.batch_number == "AB123"
    assert svc.balance(store, batch) == 40
    (receipt,) = _movements()
    assert (receipt.kind, receipt.to_holding_id, receipt.from_holding_id) == (
        "receipt",
        store.id,
        None,
    )
    assert receipt.reference == "DN-1" and receipt.org_id == world.org.id
    assert (receipt.receipt.supplier, receipt.receipt.reference) == ("Martindale", "DN-1")


def test_a_known_batch_number_with_another_expiry_is_refused(world):
    world.receive(10, "AB123", days=365)
    with pytest.raises(svc.StockError) as exc:
        world.receive(10, "AB123", days=200)
    assert exc.value.field == "expiry_date"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Batch)) == 1


def test_transfer_from_store_to_bag_moves_the_kits(world):
    batch = world.fill_bag(10)
    assert svc.balance(svc.store_for(world.site), batch) == 0
    assert svc.balance(svc.bag_for(world.peer), batch) == 10
    transfer = _movements("transfer")[0]
    assert transfer.from_holding_id == svc.store_for(world.site).id
    assert transfer.to_holding_id == svc.bag_for(world.peer).id


def test_transfer_of_more_than_the_store_holds_is_refused_and_changes_nothing(world):
    batch = world.receive(5)
    with pytest.raises(svc.InsufficientStock) as exc:
        svc.transfer(
            from_holding=svc.store_for(world.site),
            to_holding=svc.bag_for(world.peer),
            batch=batch,
            quantity=6,
            recorded_by=world.manager,
        )
    assert "only 5 kits" in str(exc.value.message)
    db.session.rollback()
    assert svc.balance(svc.store_for(world.site), batch) == 5
    assert len(_movements("transfer")) == 0


def test_transfer_to_another_organisations_bag_is_refused(world, make):
    stranger = make.user()
    make.commit()
    batch = world.receive(5)
    with pytest.raises(svc.StockError):
        svc.transfer(
            from_holding=svc.store_for(world.site),
            to_holding=svc.bag_for(stranger),
            batch=batch,
            quantity=1,
            recorded_by=world.manager,
        )


def test_fefo_suggests_the_unexpired_batch_that_expires_first(world):
    world.fill_bag(3, "LATE", days=300)
    early = world.fill_bag(3, "EARLY", days=40)
    world.fill_bag(3, "GONE", days=-2)
    bag = svc.bag_for(world.peer)
    today = org_today(world.org)
    assert svc.first_to_expire(bag, world.product.id, 1, today) == early.id
    assert svc.first_to_expire(bag, world.product.id, 4, today) is None


def test_take_first_to_expire_takes_from_the_first_batch_that_holds_enough(world):
    from datetime import date

    late = world.fill_bag(5, "LATE", days=300)
    early = world.fill_bag(2, "EARLY", days=40)
    world.fill_bag(9, "GONE", days=-2)
    bag = svc.bag_for(world.peer)
    today = date.today()
    assert svc.take_first_to_expire(bag, world.product.id, 2, today) == early.id
    assert svc.balance(bag, early) == 0
    assert svc.take_first_to_expire(bag, world.product.id, 1, today) == late.id
    assert svc.balance(bag, late) == 4
    assert svc.take_first_to_expire(bag, world.product.id, 5, today) is None  # none holds 5
    assert svc.balance(bag, late) == 4


def test_count_with_a_difference_writes_one_adjustment_with_the_counted_figure(world):
    batch = world.fill_bag(10)
    bag = svc.bag_for(world.peer)
    movement = svc.count(
        holding=bag, batch=batch, counted=7, reason="monthly count", recorded_by=world.manager
    )
    db.session.commit()
    assert (movement.kind, movement.quantity, movement.counted) == ("adjustment", 3, 7)
    assert movement.from_holding_id == bag.id and movement.to_holding_id is None
    assert svc.balance(bag, batch) == 7
    up = svc.count(holding=bag, batch=batch, counted=9, reason="found", recorded_by=world.manager)
    assert (up.to_holding_id, up.quantity) == (bag.id, 2)
    assert (
        svc.count(holding=bag, batch=batch, counted=9, reason="x", recorded_by=world.manager)
        is None
    )
    assert len(_movements("adjustment")) == 2


def test_write_off_needs_a_known_reason_and_takes_the_kits(world):
    batch = world.receive(10)
    store = svc.store_for(world.site)
    with pytest.raises(svc.StockError):
        svc.write_off(
            holding=store, batch=batch, quantity=2, reason="bored", recorded_by=world.manager
        )
    movement = svc.write_off(
        holding=store, batch=batch, quantity=2, reason="damaged", recorded_by=world.manager
    )
    assert (movement.kind, movement.reason) == ("writeoff", "damaged")
    assert svc.balance(store, batch) == 8


def test_reversal_restores_the_balance_and_a_second_reversal_is_refused(world):
    batch = world.receive(10)
    store = svc.store_for(world.site)
    wrong = svc.write_off(
        holding=store, batch=batch, quantity=4, reason="lost", recorded_by=world.manager
    )
    db.session.commit()
    rev = svc.reverse(wrong, recorded_by=world.manager, reason="found in van")
    db.session.commit()
    assert (rev.kind, rev.reverses_id, rev.to_holding_id, rev.from_holding_id) == (
        "reversal",
        wrong.id,
        store.id,
        None,
    )
    assert svc.balance(store, batch) == 10
    with pytest.raises(svc.StockError) as exc:
        svc.reverse(wrong, recorded_by=world.manager, reason="again")
    assert "already been reversed" in str(exc.value.message)


def test_reversal_is_refused_when_the_stock_has_moved_on(world):
    batch = world.receive(10)
    receipt = _movements("receipt")[0]
    world_bag = svc.bag_for(world.peer)
    svc.transfer(
        from_holding=svc.store_for(world.site),
        to_holding=world_bag,
        batch=batch,
        quantity=8,
        recorded_by=world.manager,
    )
    db.session.commit()
    with pytest.raises(svc.StockError) as exc:
        svc.reverse(receipt, recorded_by=world.manager, reason="wrong delivery")
    assert "moved on" in str(exc.value.message)
    db.session.rollback()
    assert svc.balance(svc.store_for(world.site), batch) == 2


def test_recall_empties_every_holding_of_the_batch_with_one_movement_each(world, make):
    batch = world.fill_bag(6)
    other_peer = make.user(organisation=world.org)
    make.commit()
    world.receive(10)  # 10 more of the same batch into the store
    svc.transfer(
        from_holding=svc.store_for(world.site),
        to_holding=svc.bag_for(other_peer),
        batch=batch,
        quantity=3,
        recorded_by=world.manager,
    )
    moved = svc.recall(batch, org_id=world.org.id, recorded_by=world.manager, reference="MHRA-1")
    db.session.commit()
    assert sorted(m.quantity for m in moved) == [3, 6, 7]
    assert {m.reason for m in moved} == {"recall"} and {m.reference for m in moved} == {"MHRA-1"}
    total = db.session.scalar(
        select(func.sum(StockBalance.quantity)).where(StockBalance.batch_id == batch.id)
    )
    assert total == 0


def test_resupply_request_fulfilled_moves_kits_into_the_bag_and_closes_it(world):
    batch = world.receive(20)
    req = svc.request_resupply(world.peer, world.product, 5, "running low")
    db.session.commit()
    movement = svc.fulfil_request(
        req,
        from_holding=svc.store_for(world.site),
        batch=batch,
        quantity=5,
        recorded_by=world.manager,
    )
    db.session.commit()
    assert movement.request_id == req.id and movement.kind == "transfer"
    assert svc.balance(svc.bag_for(world.peer), batch) == 5
    req = db.session.get(ResupplyRequest, req.id)
    assert req.status == "fulfilled" and req.fulfilled_by_id == world.manager.id
    with pytest.raises(svc.StockError):
        svc.fulfil_request(
            req,
            from_holding=svc.store_for(world.site),
            batch=batch,
            quantity=5,
            recorded_by=world.manager,
        )


def test_balance_equals_the_sum_of_movements_after_a_random_mix_of_operations(world, make):
    rng = random.Random(20240601)
    site2 = make.site(organisation=world.org)
    peer2 = make.user(organisation=world.org)
    make.commit()
    holdings = [
        svc.store_for(world.site),
        svc.store_for(site2),
        svc.bag_for(world.peer),
        svc.bag_for(peer2),
    ]
    batches = [world.receive(30, "P1"), world.receive(30, "P2", days=100)]
    done = []
    for _ in range(200):
        op = rng.choice(["transfer", "transfer", "count", "writeoff", "reverse", "receive"])
        batch = rng.choice(batches)
        a, b = rng.sample(holdings, 2)
        try:
            if op == "transfer":
                done.append(
                    svc.transfer(
                        from_holding=a,
                        to_holding=b,
                        batch=batch,
                        quantity=rng.randint(1, 8),
                        recorded_by=world.manager,
                    )
                )
            elif op == "count":
                svc.count(
                    holding=a,
                    batch=batch,
                    counted=rng.randint(0, 12),
                    reason="spot check",
                    recorded_by=world.manager,
                )
            elif op == "writeoff":
                svc.write_off(
                    holding=a,
                    batch=batch,
                    quantity=rng.randint(1, 3),
                    reason="damaged",
                    recorded_by=world.manager,
                )
            elif op == "receive":
                world.receive(
                    rng.randint(1, 10),
                    batch.batch_number,
                    site=site2,
                    days=(batch.expiry_date - date.today()).days,
                )
            elif done:
                svc.reverse(rng.choice(done), recorded_by=world.manager, reason="mistake")
            db.session.commit()
        except svc.StockError:
            db.session.rollback()
    kinds = {m.kind for m in _movements()}
    assert {"transfer", "adjustment", "writeoff", "reversal", "receipt"} <= kinds
    for holding in holdings:
        for batch in batches:
            bal = svc.balance(holding, batch)
            assert bal >= 0
            assert bal == _ledger_sum(holding.id, batch.id)


def test_first_in_stores_is_the_same_rule_across_the_organisations_stores(world, make):
    """Fulfilling a request suggests what a handout would take: unexpired, first to expire,
    from any of the organisation's stores, never a bag's or another organisation's kits."""
    from datetime import date

    second_site = make.site(organisation=world.org)
    make.commit()
    world.receive(5, "LATE", days=300)
    world.receive(5, "GONE", days=-2)
    world.fill_bag(5, "IN-A-BAG", days=20)  # moved out of the store entirely
    early = world.receive(5, "EARLY", days=60, site=second_site)
    other = make.org(tracks_stock=True)
    make.site(organisation=other)
    make.commit()
    today = date.today()

    store = svc.store_for(second_site)
    assert svc.first_in_stores(world.org.id, world.product.id, today) == (store.id, early.id)
    assert svc.first_in_stores(other.id, world.product.id, today) is None
