"""Handouts take their kits from the giver's bag in the same transaction, by the rules of expiry."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.places import Location
from outreach.stock import services as svc
from outreach.stock.models import StockMovement

POINT = {"latitude": "51.62", "longitude": "-3.94"}


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _post(client, world, **data):
    form = {"product_id": world.product.id, "quantity": 1, "supply": "first", **POINT, **data}
    return client.post("/handouts/new", data=form)


def test_handout_takes_the_kits_from_the_givers_bag(client, auth, world):
    batch = world.fill_bag(10)
    auth.login(world.peer)
    resp = _post(client, world, quantity=3, batch_id=batch.id)
    assert resp.status_code == 302
    handout = db.session.scalar(select(Handout))
    assert handout.batch_id == batch.id
    (movement,) = db.session.scalars(select(StockMovement).where(StockMovement.kind == "handout"))
    assert (movement.handout_id, movement.quantity, movement.occurred_at) == (
        handout.id,
        3,
        handout.occurred_at,
    )
    assert movement.from_holding_id == svc.bag_for(world.peer).id
    assert svc.balance(svc.bag_for(world.peer), batch) == 7


def test_minimal_handout_form_without_a_batch_takes_the_first_to_expire(client, auth, world):
    world.fill_bag(5, "LATER", days=300)
    soon = world.fill_bag(5, "SOONER", days=100)
    auth.login(world.peer)
    assert _post(client, world, quantity=2).status_code == 302
    assert db.session.scalar(select(Handout.batch_id)) == soon.id
    assert svc.balance(svc.bag_for(world.peer), soon) == 3


def test_tally_takes_stock_too(client, auth, world):
    batch = world.fill_bag(10)
    auth.login(world.peer)
    resp = client.post(
        "/handouts/tally",
        data={"product_id": world.product.id, "quantity": 4, "setting": "hostel", **POINT},
    )
    assert resp.status_code == 302
    assert svc.balance(svc.bag_for(world.peer), batch) == 6


def test_expired_batch_is_refused_with_a_clear_message(client, auth, world):
    old = world.fill_bag(5, "OLD1", days=-1)
    auth.login(world.peer)
    resp = _post(client, world, batch_id=old.id, place_name="Kingsway corner")
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "OLD1 expired on" in body and 'value="Kingsway corner"' in body
    assert _count(Handout) == 0 and _count(StockMovement, StockMovement.kind == "handout") == 0
    assert svc.balance(svc.bag_for(world.peer), old) == 5


def test_short_dated_batch_is_handed_out_with_a_warning(client, auth, world):
    soon = world.fill_bag(5, "SOON1", days=10)
    auth.login(world.peer)
    resp = _post(client, world, batch_id=soon.id)
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    expected = (date.today() + timedelta(days=10)).isoformat()
    assert f"Batch SOON1 expires on {expected}" in page and "hand it out first" in page
    assert svc.balance(svc.bag_for(world.peer), soon) == 4


def test_more_than_the_bag_holds_is_refused_with_a_message_and_nothing_is_stored(
    client, auth, world
):
    batch = world.fill_bag(3)
    auth.login(world.peer)
    resp = _post(client, world, quantity=5, batch_id=batch.id)
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Your bag has only 3 kits of this batch." in body and 'value="5"' in body
    assert _count(Handout) == 0 and _count(StockMovement, StockMovement.kind == "handout") == 0
    assert svc.balance(svc.bag_for(world.peer), batch) == 3


def test_handout_form_lists_the_bag_batches_and_preselects_the_first_to_expire(client, auth, world):
    world.fill_bag(7, "LATE7", days=400)
    soon = world.fill_bag(2, "SOON2", days=60)
    world.fill_bag(1, "DEAD1", days=-5)
    auth.login(world.peer)
    body = client.get("/handouts/new").get_data(as_text=True)
    late_expiry = (date.today() + timedelta(days=400)).isoformat()
    assert f"expires {late_expiry} · 7 in bag · LATE7" in body
    assert re.search(rf'<option data-first="1" [^>]*selected value="{soon.id}">', body)
    assert "EXPIRED" in body and "held · DEAD1" in body
    assert "Ask for more kits" in body


def test_organisation_not_tracking_stock_keeps_the_free_batch_label(client, auth, make):
    org = make.org()
    peer = make.user(organisation=org)
    product = make.product()
    make.commit()
    auth.login(peer)
    assert 'name="batch_label"' in client.get("/handouts/new").get_data(as_text=True)
    resp = client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 1,
            "supply": "first",
            "batch_label": "X9",
            **POINT,
        },
    )
    assert resp.status_code == 302
    assert db.session.scalar(select(Handout.batch_label)) == "X9"
    assert _count(StockMovement) == 0


def test_a_failed_handout_insert_leaves_no_movement_behind(world, make):
    batch = world.fill_bag(10)
    data = HandoutInput(
        product_id=world.product.id,
        quantity=2,
        location=Location(51.62, -3.94, "gps"),
        supply="first",
        client_id="device-id-1",
    )
    record_handout(data, giver=world.peer, recorded_by=world.peer)
    assert svc.balance(svc.bag_for(world.peer), batch) == 8  # taken inside the transaction
    # A second handout row with the same device id: the insert fails and the request rolls back.
    with pytest.raises(IntegrityError):
        make.handout(giver=world.peer, product=world.product, client_id="device-id-1")
    db.session.rollback()
    assert _count(Handout) == 0 and _count(StockMovement, StockMovement.kind == "handout") == 0
    assert svc.balance(svc.bag_for(world.peer), batch) == 10


def test_handout_with_an_empty_bag_is_refused(world):
    data = HandoutInput(
        product_id=world.product.id,
        quantity=1,
        location=Location(51.62, -3.94, "gps"),
        supply="first",
    )
    with pytest.raises(svc.InsufficientStock) as exc:
        record_handout(data, giver=world.peer, recorded_by=world.peer)
    assert "no unexpired kits" in str(exc.value.message)
