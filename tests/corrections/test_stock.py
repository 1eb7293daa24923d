"""A voided handout's kits go back into the bag through one reversal; a correction of what a
handout took replaces it, kits back and out again, so stock stays exact."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.stock import services as svc
from outreach.stock.balances import StockError
from outreach.stock.models import StockMovement
from tests.corrections.conftest import audit_events, handout_form


def _bag(world, batch) -> int:
    return svc.balance(svc.bag_for(world.peer), batch)


def _movements(kind) -> list[StockMovement]:
    return list(db.session.scalars(select(StockMovement).where(StockMovement.kind == kind)))


def test_voiding_a_handout_puts_its_kits_back_through_one_reversal(client, auth, world, stocked):
    handout = world.handout(quantity=3)
    assert _bag(world, stocked) == 7
    auth.login(world.peer)
    client.post(f"/handouts/{handout.id}/void", data={"reason": "Recorded twice"})
    assert _bag(world, stocked) == 10
    (taken,) = _movements("handout")
    (back,) = _movements("reversal")
    assert (back.reverses_id, back.quantity, back.batch_id) == (taken.id, 3, stocked.id)
    assert (back.from_holding_id, back.to_holding_id) == (None, taken.from_holding_id)
    assert back.occurred_at == handout.occurred_at  # the kits never left
    assert back.reason == "handout voided" and back.recorded_by_id == world.peer.id


def test_a_handout_movement_is_still_not_reversed_on_its_own(world, stocked):
    world.handout(quantity=2)
    (taken,) = _movements("handout")
    with pytest.raises(StockError, match="Void the handout instead"):
        svc.reverse(taken, recorded_by=world.coordinator, reason="mistake")


def test_kits_are_returned_once_even_when_asked_twice(world, stocked):
    handout = world.handout(quantity=2)
    svc.return_handout_kits(handout, recorded_by=world.coordinator)
    db.session.commit()
    with pytest.raises(StockError):
        svc.return_handout_kits(handout, recorded_by=world.coordinator)
    db.session.rollback()
    assert len(_movements("reversal")) == 1 and _bag(world, stocked) == 10


def test_correcting_the_number_of_kits_replaces_the_handout_and_stock_stays_exact(
    client, auth, world, stocked
):
    handout = world.handout(quantity=3, recipient_type="at_risk")
    auth.login(world.peer)
    form = handout_form(handout, quantity=5, setting="hostel")
    resp = client.post(f"/handouts/{handout.id}/edit", data=form)
    db.session.expire_all()
    new = db.session.scalar(select(Handout).where(Handout.id != handout.id))
    assert resp.headers["Location"].endswith(f"/handouts/{new.id}")
    assert handout.voided and handout.replaced_by_id == new.id
    assert handout.void_reason == "corrected"
    assert (new.quantity, new.setting, new.recipient_type) == (5, "hostel", "at_risk")
    assert (new.recorded_by_id, new.created_at, new.batch_id) == (
        world.peer.id,
        handout.created_at,
        stocked.id,
    )
    assert _bag(world, stocked) == 5  # 10 − 3 + 3 − 5
    taken = db.session.scalars(
        select(StockMovement.quantity)
        .where(StockMovement.kind == "handout")
        .order_by(StockMovement.id)
    ).all()
    assert taken == [3, 5] and len(_movements("reversal")) == 1
    (void,) = audit_events("handout", handout.id, "void")
    assert void.detail == (
        f"corrected as handout {new.id}: quantity: 3 → 5; setting: street → hostel"
    )
    assert audit_events("handout", new.id, "create")[0].detail == (
        f"correction of handout {handout.id}"
    )
    old_page = client.get(f"/handouts/{handout.id}").get_data(as_text=True)
    assert f"/handouts/{new.id}" in old_page and "replaced by a new one" in old_page
    new_page = client.get(f"/handouts/{new.id}").get_data(as_text=True)
    assert f"/handouts/{handout.id}" in new_page and "corrects an earlier one" in new_page


def test_a_correction_that_leaves_the_stock_alone_changes_the_handout_in_place(
    client, auth, world, stocked
):
    handout = world.handout(quantity=3)
    auth.login(world.peer)
    form = handout_form(handout, setting="hostel", recipient_type="worker")
    client.post(f"/handouts/{handout.id}/edit", data=form)
    db.session.expire_all()
    assert not handout.voided and handout.setting == "hostel"
    assert handout.batch_label == "AB123"
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 1
    assert len(_movements("handout")) == 1 and _movements("reversal") == []
    assert _bag(world, stocked) == 7


def test_once_the_organisation_stops_tracking_stock_a_handout_is_corrected_in_place(
    client, auth, world, stocked
):
    handout = world.handout(quantity=3)
    world.org.tracks_stock = False
    db.session.commit()
    auth.login(world.peer)
    form = handout_form(handout, quantity=4, batch_label="AB123")
    assert client.post(f"/handouts/{handout.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert not handout.voided and (handout.quantity, handout.batch_id) == (4, stocked.id)
    assert len(_movements("handout")) == 1 and _movements("reversal") == []


def test_a_correction_the_bag_cannot_cover_changes_nothing(client, auth, world, stocked):
    handout = world.handout(quantity=3)
    auth.login(world.peer)
    form = handout_form(handout, quantity=40)
    resp = client.post(f"/handouts/{handout.id}/edit", data=form)
    assert resp.status_code == 422
    assert "Your bag has only 10 kits of this batch." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert not handout.voided and handout.quantity == 3
    assert _bag(world, stocked) == 7 and _movements("reversal") == []
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 1


def test_a_replacement_sent_again_through_the_api_reaches_the_new_handout(client, world, stocked):
    from tests.api.conftest import token_for

    handout = world.handout(quantity=2)
    headers = {"Authorization": f"Bearer {token_for(client, world.peer)}"}
    url = f"/api/v1/handouts/{handout.id}"
    first = client.patch(url, json={"quantity": 4}, headers=headers)
    again = client.patch(url, json={"quantity": 4}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"] != handout.id
    assert first.get_json()["quantity"] == 4
    assert _bag(world, stocked) == 6 and len(_movements("handout")) == 2
    voided = client.get(
        "/api/v1/handouts", query_string={"include_voided": "true"}, headers=headers
    ).get_json()["items"]
    old = next(item for item in voided if item["id"] == handout.id)
    assert old["replaced_by_id"] == first.get_json()["id"] and old["voided_at"]
