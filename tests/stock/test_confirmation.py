"""Big figures and drastic changes ask first: the first post shows the form again, everything
typed kept, with "Yes, record N kits"; only the confirmed post saves. Done on the server."""

from __future__ import annotations

import pytest

from outreach.stock import services as svc
from tests.stock.helpers import delivery, form_key, key_of, movements


def test_a_delivery_above_the_limit_is_saved_only_when_confirmed(client, auth, world):
    auth.login(world.manager)
    data = delivery(
        world, quantity=2001, reference="DN-BIG", supplier="Martindale", batch_number="BIG1"
    )
    data["form_key"] = form_key(client, "/stock/receive")
    asked = client.post("/stock/receive", data=data)
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "2001 kits is more than 2000" in body and "Yes, record 2001 kits" in body
    assert 'value="BIG1"' in body and 'value="DN-BIG"' in body and 'value="Martindale"' in body
    assert key_of(body) == data["form_key"]  # the same form, not yet used
    assert movements() == 0
    saved = client.post("/stock/receive", data={**data, "confirm": 2001})
    assert saved.status_code == 302
    assert svc.balance(svc.store_for(world.site), _batch("BIG1")) == 2001


def _batch(number):
    from sqlalchemy import select

    from outreach.extensions import db
    from outreach.stock.models import Batch

    return db.session.scalar(select(Batch).where(Batch.batch_number == number))


def test_a_confirmation_of_another_figure_asks_again(client, auth, world):
    auth.login(world.manager)
    data = delivery(world, quantity=2500)
    resp = client.post("/stock/receive", data={**data, "confirm": 2001})
    assert resp.status_code == 200 and "Yes, record 2500 kits" in resp.get_data(as_text=True)
    assert movements() == 0


def test_the_limit_is_configurable_and_applies_to_moves_and_write_offs(
    app, client, auth, world, monkeypatch
):
    monkeypatch.setitem(app.config, "STOCK_CONFIRM_ABOVE", 10)
    batch = world.receive(30)
    auth.login(world.manager)
    move = {
        "from_place": f"store:{world.site.id}",
        "to_place": f"bag:{world.peer.id}",
        "batch_id": batch.id,
        "quantity": 11,
    }
    asked = client.post("/stock/move", data=move)
    assert "Yes, record 11 kits" in asked.get_data(as_text=True) and movements() == 1
    assert client.post("/stock/move", data={**move, "quantity": 10}).status_code == 302
    write_off = {
        "place": f"store:{world.site.id}",
        "batch_id": batch.id,
        "quantity": 12,
        "reason": "damaged",
    }
    assert "Yes, record 12 kits" in client.post("/stock/write-off", data=write_off).get_data(
        as_text=True
    )
    assert client.post("/stock/write-off", data={**write_off, "confirm": 12}).status_code == 302
    assert svc.balance(svc.store_for(world.site), batch) == 8


@pytest.mark.parametrize(("counted", "asks"), [(2500, True), (50, False)])
def test_a_count_asks_when_the_figure_or_the_change_is_big(client, auth, world, counted, asks):
    batch = world.receive(40)
    auth.login(world.manager)
    data = {
        "place": f"store:{world.site.id}",
        "batch_id": batch.id,
        "counted": counted,
        "reason": "monthly count",
    }
    resp = client.post("/stock/count", data=data)
    assert ("Yes, record a count of" in resp.get_data(as_text=True)) is asks
    assert movements("adjustment") == (0 if asks else 1)


def test_a_count_that_empties_a_big_store_asks(client, auth, world):
    batch = world.receive(3000)
    auth.login(world.manager)
    data = {"place": f"store:{world.site.id}", "batch_id": batch.id, "counted": 0, "reason": "x"}
    resp = client.post("/stock/count", data=data)
    assert "the records say 3000" in resp.get_data(as_text=True)
    assert client.post("/stock/count", data={**data, "confirm": 0}).status_code == 302
    assert svc.balance(svc.store_for(world.site), batch) == 0


def test_a_recall_always_asks_first(client, auth, world):
    batch = world.fill_bag(4)
    auth.login(world.manager)
    url = f"/stock/batches/{batch.id}"
    asked = client.post(url, data={"reference": "MHRA-9"})
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Yes, recall 4 kits" in body and 'value="MHRA-9"' in body
    assert movements("recall") == 0
    assert client.post(url, data={"reference": "MHRA-9", "confirm": 4}).status_code == 302
    assert movements("recall") == 1


def test_a_reversal_always_asks_on_a_page_of_its_own(client, auth, world):
    world.receive(5)
    receipt = _receipt_id()
    auth.login(world.manager)
    asked = client.post(f"/stock/movements/{receipt}/reverse", data={"reason": "typo"})
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Reverse this movement?" in body
    assert "Yes, reverse 5 kits" in body and 'value="typo"' in body
    assert movements("reversal") == 0
    done = client.post(f"/stock/movements/{receipt}/reverse", data={"reason": "typo", "confirm": 5})
    assert done.status_code == 302 and movements("reversal") == 1


def _receipt_id():
    from sqlalchemy import select

    from outreach.extensions import db
    from outreach.stock.models import StockMovement

    return db.session.scalar(select(StockMovement.id).where(StockMovement.kind == "receipt"))
