"""Stock's walls: another organisation's bag never shows on the handout form, a trainer cancels
only their own resupply requests."""

from __future__ import annotations

from outreach.extensions import db
from outreach.stock import services as svc
from outreach.stock.models import ResupplyRequest
from tests.stock.conftest import World


def test_handout_form_never_shows_another_organisations_bag(client, auth, make, world):
    other_org = make.org(tracks_stock=True)
    other = World(
        other_org,
        make.site(organisation=other_org),
        make.user(organisation=other_org),
        make.user(role="stock_manager", organisation=other_org),
        world.product,
    )
    make.commit()
    other.fill_bag(37, number="SECRETB1")
    coordinator = make.user(role="coordinator", organisation=world.org)
    make.commit()
    auth.login(coordinator)
    page = client.post("/handouts/new", data={"giver_id": other.peer.id, "quantity": 1})
    assert page.status_code == 422
    assert "SECRETB1" not in page.get_data(as_text=True)


def test_trainer_cannot_cancel_a_peers_resupply_request(client, auth, make, world):
    request = svc.request_resupply(world.peer, world.product, 5, None)
    trainer = make.user(role="trainer", organisation=world.org)
    make.commit()
    auth.login(trainer)
    assert client.post(f"/stock/requests/{request.id}/cancel").status_code == 404
    assert db.session.get(ResupplyRequest, request.id).status == "open"
