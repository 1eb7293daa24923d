"""Deliveries: one supplier's reference is recorded once per organisation, expired kits are not
received or moved, and a delivery recorded late keeps the time it arrived (and says why)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from outreach.extensions import db
from outreach.stock import services as svc
from outreach.stock.models import StockMovement, StockReceipt
from tests.stock.helpers import at_once, delivery, form_key, movements


def _receive(client, world, **fields):
    return client.post(
        "/stock/receive",
        data=delivery(world, form_key=form_key(client, "/stock/receive"), **fields),
    )


def test_a_second_delivery_with_the_same_supplier_and_reference_is_refused_by_name(
    client, auth, world
):
    auth.login(world.manager)
    assert _receive(client, world, supplier="Martindale", reference="DN-77").status_code == 302
    again = _receive(
        client, world, supplier="martindale ", reference="dn-77", batch_number="OTHER1"
    )
    body = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "Delivery DN-77 from Martindale was already recorded: 24 kits into" in body
    assert 'value="OTHER1"' in body and "Add to that delivery" in body  # typed, kept
    assert movements("receipt") == 1


def test_another_batch_of_the_same_delivery_is_added_when_asked(client, auth, world):
    auth.login(world.manager)
    _receive(client, world, supplier="Martindale", reference="DN-77")
    added = _receive(
        client,
        world,
        supplier="Martindale",
        reference="DN-77",
        batch_number="SECOND2",
        add_to_existing="y",
    )
    assert added.status_code == 302
    (receipt,) = db.session.scalars(select(StockReceipt))
    lines = db.session.scalars(select(StockMovement).where(StockMovement.receipt_id == receipt.id))
    assert sorted(m.batch.batch_number for m in lines) == ["SECOND2", "ZX9"]


def test_the_same_reference_is_free_for_another_supplier_or_organisation(world, make):
    world.receive(5, "A1", supplier="Martindale", reference="DN-1")
    world.receive(5, "A2", supplier="Ethypharm", reference="DN-1")
    other_org = make.org(tracks_stock=True)
    other = make.user(role="stock_manager", organisation=other_org)
    site = make.site(organisation=other_org)
    make.commit()
    svc.receive(
        site=site,
        product=world.product,
        batch_number="A3",
        expiry_date=date.today() + timedelta(days=300),
        quantity=5,
        reference="DN-1",
        supplier="Martindale",
        recorded_by=other,
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(StockReceipt)) == 3


def test_a_reference_needs_a_supplier_and_neither_is_needed_without_paperwork(world):
    with pytest.raises(svc.StockError) as exc:
        world.receive(5, reference="DN-9")
    assert exc.value.field == "supplier"
    db.session.rollback()
    world.receive(5)  # a donation with no delivery note
    world.receive(5)
    assert movements("receipt") == 2


def test_the_database_refuses_a_second_delivery_with_the_same_names(world):
    world.receive(5, supplier="Martindale", reference="DN-5")
    first = db.session.scalar(select(StockReceipt))
    db.session.add(
        StockReceipt(
            org_id=first.org_id,
            site_id=first.site_id,
            supplier="Martindale",
            reference="DN-5",
            received_at=first.received_at,
            recorded_by_id=first.recorded_by_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_managers_recording_one_delivery_at_once_store_it_once(app, world, make):
    """Two people typing in the same delivery note (each their own form and key) at once: the
    partial unique index decides, and the second is told which delivery it is."""
    second = make.user(role="stock_manager", organisation=world.org)
    make.commit()
    clients = [app.test_client(), app.test_client()]
    keys = []
    for c, who in zip(clients, (world.manager, second), strict=True):
        c.post("/login", data={"username": who.username, "password": "correct horse battery"})
        keys.append(form_key(c, "/stock/receive"))
    forms = [delivery(world, supplier="Martindale", reference="DN-88", form_key=k) for k in keys]
    answers = at_once(
        app, clients, lambda c: c.post("/stock/receive", data=forms[clients.index(c)])
    )
    assert sorted(getattr(a, "status_code", a) for a in answers) == [302, 422], answers
    refused = next(a for a in answers if a.status_code == 422)
    assert "Delivery DN-88 from Martindale was already recorded" in refused.get_data(as_text=True)
    assert movements("receipt") == 1


def test_an_expired_batch_is_not_received(client, auth, world):
    auth.login(world.manager)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    resp = _receive(client, world, expiry_date=yesterday)
    assert resp.status_code == 422
    assert f"These kits expired on {yesterday}" in resp.get_data(as_text=True)
    assert movements() == 0


def test_expired_means_before_the_organisations_own_day(world, make):
    """23:30 UTC on 18 November is already the 19th in Stockholm: kits expiring on the 18th
    have expired there, and not yet in Swansea."""
    stockholm = make.org(tracks_stock=True, timezone="Europe/Stockholm")
    manager = make.user(role="stock_manager", organisation=stockholm)
    site = make.site(organisation=stockholm)
    make.commit()
    with time_machine.travel(datetime(2026, 11, 18, 23, 30, tzinfo=UTC), tick=False):
        kits = {"product": world.product, "quantity": 5, "reference": None}
        with pytest.raises(svc.ExpiredBatch):
            svc.receive(
                site=site,
                batch_number="EDGE1",
                expiry_date=date(2026, 11, 18),
                recorded_by=manager,
                **kits,
            )
        db.session.rollback()
        svc.receive(
            site=world.site,
            batch_number="EDGE1",
            expiry_date=date(2026, 11, 18),
            recorded_by=world.manager,
            **kits,
        )


def test_an_expired_batch_is_not_moved_nor_given_to_a_request(client, auth, world):
    batch = world.receive(10, "OLD1", days=-1)  # received while it was still good
    req = svc.request_resupply(world.peer, world.product, 5, None)
    db.session.commit()
    auth.login(world.manager)
    moved = client.post(
        "/stock/move",
        data={
            "from_place": f"store:{world.site.id}",
            "to_place": f"bag:{world.peer.id}",
            "batch_id": batch.id,
            "quantity": 5,
        },
    )
    assert moved.status_code == 422
    assert "Batch OLD1 expired on" in moved.get_data(as_text=True)
    fulfilled = client.post(
        f"/stock/requests/{req.id}/fulfil",
        data={
            f"r{req.id}-from_place": f"store:{world.site.id}",
            f"r{req.id}-batch_id": batch.id,
            f"r{req.id}-quantity": 5,
        },
    )
    assert fulfilled.status_code == 422 and "cannot be moved" in fulfilled.get_data(as_text=True)
    assert svc.balance(svc.store_for(world.site), batch) == 10
    written = client.post(
        "/stock/write-off",
        data={
            "place": f"store:{world.site.id}",
            "batch_id": batch.id,
            "quantity": 10,
            "reason": "expired",
        },
    )
    assert written.status_code == 302  # what is done with expired kits


def test_a_delivery_recorded_late_keeps_its_time_and_says_why(client, auth, world):
    auth.login(world.manager)
    arrived = "2026-11-15T09:30"  # London, winter: 09:30 UTC
    refused = _receive(client, world, received_at=arrived)
    assert refused.status_code == 422
    assert "Say why this delivery is recorded more than a day after it arrived" in (
        refused.get_data(as_text=True)
    )
    saved = _receive(client, world, received_at=arrived, late_reason="Office shut at the weekend")
    assert saved.status_code == 302
    receipt = db.session.scalar(select(StockMovement).where(StockMovement.kind == "receipt"))
    assert receipt.occurred_at == datetime(2026, 11, 15, 9, 30, tzinfo=UTC)
    assert receipt.receipt.late_reason == "Office shut at the weekend"
    page = client.get(f"/stock/holdings/{receipt.to_holding_id}").get_data(as_text=True)
    assert "recorded late: Office shut at the weekend" in page


def test_a_delivery_cannot_be_dated_in_the_future(client, auth, world):
    auth.login(world.manager)
    resp = _receive(client, world, received_at="2026-11-19T09:00")
    assert resp.status_code == 422
    assert "The time cannot be in the future." in resp.get_data(as_text=True)
