"""Every stock form carries a one-time key: sent twice (double click, back and resubmit, a retry
after a timeout) it saves once, and the second answer says it was already recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.stock import services as svc
from outreach.stock.models import ResupplyRequest
from tests.stock.helpers import ALREADY, at_once, delivery, form_key, key_of, movements


def _twice(client, url: str, data: dict):
    first = client.post(url, data=data)
    second = client.post(url, data=data, follow_redirects=True)
    return first, second


def test_a_delivery_sent_twice_is_received_once(client, auth, world):
    auth.login(world.manager)
    data = delivery(world, form_key=form_key(client, "/stock/receive"))
    first, second = _twice(client, "/stock/receive", data)
    assert first.status_code == 302
    assert second.status_code == 200 and ALREADY in second.get_data(as_text=True)
    assert movements("receipt") == 1
    store = svc.store_for(world.site)
    assert second.request.path == f"/stock/holdings/{store.id}"  # where the first one went
    (batch,) = [b for b, _name, _qty in _contents(store)]
    assert svc.balance(store, batch) == 24


def _contents(holding):
    from outreach.stock.queries import holding_batches

    return holding_batches(holding)


@pytest.mark.parametrize("form", ["move", "count", "write-off"])
def test_a_move_count_or_write_off_sent_twice_changes_the_balance_once(client, auth, world, form):
    batch = world.receive(20)
    store = svc.store_for(world.site)
    auth.login(world.manager)
    data = {
        "move": {
            "from_place": f"store:{world.site.id}",
            "to_place": f"bag:{world.peer.id}",
            "batch_id": batch.id,
            "quantity": 5,
        },
        "count": {
            "place": f"store:{world.site.id}",
            "batch_id": batch.id,
            "counted": 15,
            "reason": "monthly count",
        },
        "write-off": {
            "place": f"store:{world.site.id}",
            "batch_id": batch.id,
            "quantity": 5,
            "reason": "damaged",
        },
    }[form]
    data["form_key"] = form_key(client, f"/stock/{form}")
    first, second = _twice(client, f"/stock/{form}", data)
    assert first.status_code == 302
    assert ALREADY in second.get_data(as_text=True)
    assert movements() == 2  # the delivery, and this one
    assert svc.balance(store, batch) == 15


def test_a_peers_request_for_kits_sent_twice_is_one_request(client, auth, world):
    auth.login(world.peer)
    data = {"product_id": world.product.id, "quantity": 6, "note": "low"}
    data["form_key"] = form_key(client, "/stock/bag")
    first, second = _twice(client, "/stock/bag/request", data)
    assert first.status_code == 302
    assert ALREADY in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ResupplyRequest)) == 1


def test_fulfilling_a_request_twice_moves_the_kits_once(client, auth, world):
    batch = world.receive(30)
    req = svc.request_resupply(world.peer, world.product, 6, None)
    db.session.commit()
    auth.login(world.manager)
    key = form_key(client, "/stock/requests")
    prefix = f"r{req.id}-"
    data = {
        prefix + "from_place": f"store:{world.site.id}",
        prefix + "batch_id": batch.id,
        prefix + "quantity": 6,
        prefix + "form_key": key,
    }
    first, second = _twice(client, f"/stock/requests/{req.id}/fulfil", data)
    assert first.status_code == 302
    assert ALREADY in second.get_data(as_text=True)
    assert movements("transfer") == 1
    assert svc.balance(svc.bag_for(world.peer), batch) == 6


def test_a_reversal_confirmed_twice_is_one_reversal(client, auth, world):
    batch = world.fill_bag(10)
    transfer = next(iter(_transfers()))
    store = svc.store_for(world.site)
    auth.login(world.manager)
    asked = client.post(
        f"/stock/movements/{transfer}/reverse", data={"reason": "wrong bag", "holding_id": store.id}
    )
    assert asked.status_code == 200 and "Yes, reverse 10 kits" in asked.get_data(as_text=True)
    data = {
        "reason": "wrong bag",
        "holding_id": store.id,
        "confirm": 10,
        "form_key": key_of(asked.get_data(as_text=True)),
    }
    first, second = _twice(client, f"/stock/movements/{transfer}/reverse", data)
    assert first.status_code == 302
    assert ALREADY in second.get_data(as_text=True)
    assert movements("reversal") == 1
    assert svc.balance(store, batch) == 10


def _transfers():
    from outreach.stock.models import StockMovement

    return db.session.scalars(select(StockMovement.id).where(StockMovement.kind == "transfer"))


def test_a_recall_confirmed_twice_is_one_recall(client, auth, world):
    batch = world.fill_bag(10)
    auth.login(world.manager)
    url = f"/stock/batches/{batch.id}"
    data = {"reference": "MHRA-1", "confirm": 10, "form_key": form_key(client, url)}
    first, second = _twice(client, url, data)
    assert first.status_code == 302
    assert ALREADY in second.get_data(as_text=True)
    assert movements("recall") == 1


def test_a_refused_form_keeps_its_key_and_saves_when_corrected(client, auth, world):
    batch = world.receive(4)
    auth.login(world.manager)
    data = {
        "from_place": f"store:{world.site.id}",
        "to_place": f"bag:{world.peer.id}",
        "batch_id": batch.id,
        "quantity": 9,
        "form_key": form_key(client, "/stock/move"),
    }
    refused = client.post("/stock/move", data=data)
    assert refused.status_code == 422
    assert key_of(refused.get_data(as_text=True)) == data["form_key"]  # the same form, kept
    data["quantity"] = 4
    assert client.post("/stock/move", data=data).status_code == 302
    assert svc.balance(svc.bag_for(world.peer), batch) == 4


def test_each_showing_of_a_form_has_its_own_key(client, auth, world):
    auth.login(world.manager)
    assert form_key(client, "/stock/receive") != form_key(client, "/stock/receive")


def test_two_clients_sending_the_same_form_at_once_store_one_delivery(app, auth, world):
    """Two requests with one key racing (a retry while the first is still running): the key's
    primary key decides, on SQLite and PostgreSQL; the loser waits and is told."""
    clients = [app.test_client(), app.test_client()]
    for c in clients:
        c.post("/login", data={"username": world.manager.username, "password": _password()})
    data = delivery(world, form_key=form_key(clients[0], "/stock/receive"))
    answers = at_once(app, clients, lambda c: c.post("/stock/receive", data=data))
    assert all(getattr(a, "status_code", None) == 302 for a in answers), answers
    flashed = [clients[i].get("/stock/").get_data(as_text=True) for i in range(2)]
    assert sum(ALREADY in page for page in flashed) == 1
    assert movements("receipt") == 1
    store = svc.store_for(world.site)
    assert [qty for _b, _n, qty in _contents(store)] == [24]


def _password():
    from tests.factories import PASSWORD

    return PASSWORD
