"""A back-dated handout must fit the bag's past: the bag held its kits at the handout's time, and
no later balance of the bag goes below zero because of it. The bag and the day are named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.models.base import utcnow
from outreach.places import Location
from outreach.stock import services as svc
from tests.factories import PASSWORD
from tests.stock.helpers import at_once

POINT = {"latitude": "51.62", "longitude": "-3.94"}


def _post(client, world, when: str, quantity: int = 1, **data):
    form = {
        "product_id": world.product.id,
        "quantity": quantity,
        "supply": "first",
        "occurred_at": when,
        **POINT,
        **data,
    }
    return client.post("/handouts/new", data=form)


def _handouts() -> int:
    return db.session.scalar(select(func.count()).select_from(Handout))


def _days_ago(days: int):
    return time_machine.travel(utcnow() - timedelta(days=days), tick=True)


def test_a_handout_dated_before_the_kits_reached_the_bag_is_refused(client, auth, world):
    batch = world.fill_bag(10)  # today, 18 November, 10:00
    auth.login(world.peer)
    resp = _post(client, world, "2026-11-17T15:00", place_name="Kingsway corner")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    name = world.peer.display_name
    assert f"{name}&#39;s bag held only 0 kits of batch AB123 on 17/11/2026, 15:00" in body
    assert 'value="Kingsway corner"' in body  # nothing typed is lost
    assert _handouts() == 0
    assert svc.balance(svc.bag_for(world.peer), batch) == 10


def test_a_handout_that_would_empty_the_bag_before_a_later_take_is_refused(client, auth, world):
    """5 kits on the 13th, all handed out on the 15th, 5 more today: today's balance (5) covers
    a handout dated the 14th, but the bag would then have been at -5 after the 15th's."""
    with _days_ago(5):
        world.fill_bag(5)
    with _days_ago(3):
        record_handout(
            HandoutInput(
                product_id=world.product.id,
                quantity=5,
                location=Location(51.62, -3.94, "gps"),
                supply="first",
            ),
            giver=world.peer,
            recorded_by=world.peer,
        )
        db.session.commit()
    batch = world.fill_bag(5, days=360)  # the same batch (its expiry counted from today)
    auth.login(world.peer)
    resp = _post(client, world, "2026-11-14T10:00", quantity=5)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Handing out 5 kits of batch AB123 on 14/11/2026, 10:00 would take" in body
    assert "below zero on 15/11/2026, 10:00" in body
    assert svc.balance(svc.bag_for(world.peer), batch) == 5
    assert _handouts() == 1


def test_a_back_dated_handout_the_bag_could_give_is_saved(client, auth, world):
    with _days_ago(5):
        batch = world.fill_bag(10)
    auth.login(world.peer)
    resp = _post(client, world, "2026-11-14T10:00", quantity=4)
    assert resp.status_code == 302
    assert svc.balance(svc.bag_for(world.peer), batch) == 6


def test_kits_that_arrived_in_the_typed_minute_count_for_it(client, auth, world):
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, 40, tzinfo=UTC), tick=False):
        world.fill_bag(3)
        auth.login(world.peer)
        assert _post(client, world, "2026-11-18T10:00").status_code == 302


def test_a_synced_handout_from_before_the_bag_was_filled_is_refused_by_field(client, world):
    world.fill_bag(10)
    token = client.post(
        "/api/v1/tokens", json={"username": world.peer.username, "password": PASSWORD}
    ).get_json()["token"]
    record = {
        "kind": "handout",
        "client_id": "0b7f2b0e-5d0a-4f0e-9a47-3d1c2f6c9a01",
        "data": {
            "product_id": world.product.id,
            "quantity": 1,
            "supply": "first",
            "occurred_at": "2026-11-16T12:00:00+00:00",
            "latitude": 51.62,
            "longitude": -3.94,
        },
    }
    resp = client.post(
        "/api/v1/sync", json={"records": [record]}, headers={"Authorization": f"Bearer {token}"}
    )
    (result,) = resp.get_json()["results"]
    assert result["http_status"] == 422
    assert result["errors"][0]["field"] == "occurred_at"
    assert "bag held only 0 kits" in result["errors"][0]["reason"]


def test_two_back_dated_handouts_racing_cannot_together_take_a_past_balance_below_zero(app, world):
    """5 kits on the 13th, 5 more on the 17th (10 now). A handout of 5 on the 14th fits, and so
    does one of 5 on the 15th; both would leave the bag at -5 on the 15th. Sent at once, the
    second waits for the first's balance row and then sees its movement: one is refused."""
    with _days_ago(5):
        batch = world.fill_bag(5)
    with _days_ago(1):
        world.fill_bag(5, days=361)  # the same batch
    clients = [app.test_client(), app.test_client()]
    for c in clients:
        c.post("/login", data={"username": world.peer.username, "password": PASSWORD})
    forms = {
        id(c): {"product_id": world.product.id, "quantity": 5, "supply": "first", **POINT}
        | {"occurred_at": when}
        for c, when in zip(clients, ("2026-11-14T10:00", "2026-11-15T10:00"), strict=True)
    }
    answers = at_once(app, clients, lambda c: c.post("/handouts/new", data=forms[id(c)]))
    assert sorted(getattr(a, "status_code", a) for a in answers) == [302, 422], answers
    assert svc.balance(svc.bag_for(world.peer), batch) == 5
    assert _handouts() == 1
