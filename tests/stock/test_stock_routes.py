"""The stock pages: managers receive, move, count and recall; peers see their bag; tenant walls."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.stock import services as svc
from outreach.stock.models import ResupplyRequest, StockMovement


def test_manager_receives_a_delivery_through_the_form(client, auth, world):
    auth.login(world.manager)
    expiry = (date.today() + timedelta(days=500)).isoformat()
    resp = client.post(
        "/stock/receive",
        data={
            "site_id": world.site.id,
            "product_id": world.product.id,
            "batch_number": "ZX9",
            "expiry_date": expiry,
            "quantity": 24,
            "supplier": "Martindale",
            "reference": "DN-77",
        },
    )
    assert resp.status_code == 302
    movement = db.session.scalar(select(StockMovement))
    assert (movement.kind, movement.quantity, movement.reference) == ("receipt", 24, "DN-77")
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.record_type == "stock_movement", AuditEvent.action == "create"
        )
    )
    page = client.get("/stock/").get_data(as_text=True)
    assert "ZX9" in page and "24" in page


def test_receiving_a_known_batch_with_another_expiry_re_renders_with_422(client, auth, world):
    world.receive(5, "ZX9", days=500)
    auth.login(world.manager)
    resp = client.post(
        "/stock/receive",
        data={
            "site_id": world.site.id,
            "product_id": world.product.id,
            "batch_number": "ZX9",
            "expiry_date": date.today().isoformat(),
            "quantity": 3,
            "supplier": "Martindale",
            "reference": "DN-78",
        },
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "is known with expiry date" in body and 'value="DN-78"' in body


def test_move_and_count_pages_record_movements(client, auth, world):
    batch = world.receive(20)
    auth.login(world.manager)
    resp = client.post(
        "/stock/move",
        data={
            "from_place": f"store:{world.site.id}",
            "to_place": f"bag:{world.peer.id}",
            "batch_id": batch.id,
            "quantity": 8,
        },
    )
    assert resp.status_code == 302
    resp = client.post(
        "/stock/count",
        data={
            "place": f"bag:{world.peer.id}",
            "batch_id": batch.id,
            "counted": 6,
            "reason": "weekly check",
        },
        follow_redirects=True,
    )
    assert "the records said 8" in resp.get_data(as_text=True)
    assert svc.balance(svc.bag_for(world.peer), batch) == 6


def test_reverse_button_refuses_when_the_stock_has_moved_on(client, auth, world):
    batch = world.fill_bag(10)
    transfer = db.session.scalar(select(StockMovement).where(StockMovement.kind == "transfer"))
    svc.write_off(
        holding=svc.bag_for(world.peer),
        batch=batch,
        quantity=5,
        reason="lost",
        recorded_by=world.manager,
    )
    db.session.commit()
    auth.login(world.manager)
    store = svc.store_for(world.site)
    resp = client.post(
        f"/stock/movements/{transfer.id}/reverse",
        data={"reason": "wrong bag", "holding_id": store.id, "confirm": 10},
        follow_redirects=True,
    )
    assert "cannot be reversed" in resp.get_data(as_text=True)
    assert svc.balance(svc.bag_for(world.peer), batch) == 5


def test_peer_asks_for_kits_and_a_manager_fulfils_the_request(client, auth, world):
    batch = world.receive(30)
    auth.login(world.peer)
    assert "Ask for more kits" in client.get("/stock/bag").get_data(as_text=True)
    resp = client.post(
        "/stock/bag/request", data={"product_id": world.product.id, "quantity": 6, "note": "low"}
    )
    assert resp.status_code == 302
    assert client.get("/stock/").status_code == 403
    req = db.session.scalar(select(ResupplyRequest))
    auth.logout()
    auth.login(world.manager)
    page = client.get("/stock/requests").get_data(as_text=True)
    assert f'<option selected value="{batch.id}">' in page  # FEFO default
    resp = client.post(
        f"/stock/requests/{req.id}/fulfil",
        data={
            f"r{req.id}-from_place": f"store:{world.site.id}",
            f"r{req.id}-batch_id": batch.id,
            f"r{req.id}-quantity": 6,
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(ResupplyRequest, req.id).status == "fulfilled"
    assert svc.balance(svc.bag_for(world.peer), batch) == 6


def test_expiring_and_low_stock_are_shown(client, auth, world):
    world.receive(4, "SHORT", days=20)
    store = svc.store_for(world.site)
    svc.set_min_level(store, 10)
    db.session.commit()
    auth.login(world.manager)
    page = client.get("/stock/expiring?days=30").get_data(as_text=True)
    assert "SHORT" in page and ">20<" in page
    assert "below the minimum of 10" in client.get("/stock/").get_data(as_text=True)


def test_recall_page_traces_bags_and_handouts_and_recalls(client, auth, world):
    batch = world.fill_bag(10, "RC1")
    auth.login(world.peer)
    client.post(
        "/handouts/new",
        data={
            "product_id": world.product.id,
            "quantity": 2,
            "supply": "first",
            "latitude": 51.62,
            "longitude": -3.94,
            "place_name": "",
            "client_initials": "AB",
            "client_dob": "1980-01-01",
            "client_sex": "M",
        },
    )
    auth.logout()
    auth.login(world.manager)
    page = client.get(f"/stock/batches/{batch.id}").get_data(as_text=True)
    assert f"Bag: {world.peer.display_name}" in page
    assert "Yes" in page  # the client code was recorded
    resp = client.post(
        f"/stock/batches/{batch.id}",
        data={"reference": "MHRA-22", "confirm": 8},
        follow_redirects=True,
    )
    assert "8 kits taken out of stock" in resp.get_data(as_text=True)
    assert svc.balance(svc.bag_for(world.peer), batch) == 0


def test_another_organisations_holding_batch_and_movement_are_404(client, auth, world, make):
    batch = world.fill_bag(5)
    bag = svc.bag_for(world.peer)
    movement = db.session.scalar(select(StockMovement))
    stranger = make.user(role="stock_manager")
    make.commit()
    auth.login(stranger)
    assert client.get(f"/stock/holdings/{bag.id}").status_code == 404
    assert client.get(f"/stock/batches/{batch.id}").status_code == 404
    resp = client.post(f"/stock/movements/{movement.id}/reverse", data={"reason": "x"})
    assert resp.status_code == 404
    assert batch.batch_number not in client.get("/stock/").get_data(as_text=True)
    resp = client.post(
        "/stock/move",
        data={
            "from_place": f"bag:{world.peer.id}",
            "to_place": f"bag:{stranger.id}",
            "batch_id": batch.id,
            "quantity": 1,
        },
    )
    assert resp.status_code == 422
    assert svc.balance(bag, batch) == 5


def test_every_stock_page_renders_for_a_manager(client, auth, world):
    world.fill_bag(5)
    auth.login(world.manager)
    for url in (
        "/stock/",
        "/stock/receive",
        "/stock/move",
        "/stock/count",
        "/stock/write-off",
        "/stock/requests",
        "/stock/expiring",
        "/stock/batches",
        "/stock/bag",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/stock/holdings/{svc.bag_for(world.peer).id}").status_code == 200


def test_batch_page_lists_its_own_organisations_live_handouts_newest_first(
    client, auth, world, make
):
    batch = world.receive(quantity=20, number="TRACE1")
    other_org = make.org(tracks_stock=True)
    stranger = make.user(organisation=other_org)
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    older = make.handout(
        giver=world.peer,
        product=world.product,
        batch_id=batch.id,
        occurred_at=now - timedelta(days=2),
        batch_label="older-one",
    )
    newer = make.handout(
        giver=world.peer,
        product=world.product,
        batch_id=batch.id,
        occurred_at=now - timedelta(hours=1),
    )
    make.handout(
        giver=world.peer,
        product=world.product,
        batch_id=batch.id,
        occurred_at=now - timedelta(hours=3),
        voided_at=now,
        voided_by_id=world.manager.id,
        void_reason="typed twice",
    )
    make.handout(giver=stranger, product=world.product, batch_id=batch.id, occurred_at=now)
    make.commit()
    auth.login(world.manager)
    page = client.get(f"/stock/batches/{batch.id}").get_data(as_text=True)
    shown = [int(i) for i in re.findall(r"/handouts/(\d+)", page)]
    assert shown == [newer.id, older.id]  # not the voided one, not the other organisation's
