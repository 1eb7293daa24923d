"""Stock fixtures: an organisation that tracks stock, with a site, a peer and a stock manager."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from outreach.extensions import db
from outreach.stock import services as svc


@dataclass
class World:
    org: object
    site: object
    peer: object
    manager: object
    product: object

    def receive(self, quantity=50, number="AB123", days=365, **kw):
        movement = svc.receive(
            site=kw.get("site", self.site),
            product=kw.get("product", self.product),
            batch_number=number,
            expiry_date=date.today() + timedelta(days=days),
            quantity=quantity,
            reference="DN-1",
            recorded_by=self.manager,
        )
        db.session.commit()
        return movement.batch

    def fill_bag(self, quantity=10, number="AB123", days=365, user=None):
        """Receive kits at the site and move them into a bag."""
        batch = self.receive(quantity, number, days)
        svc.transfer(
            from_holding=svc.store_for(self.site),
            to_holding=svc.bag_for(user or self.peer),
            batch=batch,
            quantity=quantity,
            recorded_by=self.manager,
        )
        db.session.commit()
        return batch


@pytest.fixture
def in_request(app):
    """Services raise lazily translated messages, whose language comes from a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def world(make, in_request):
    org = make.org(tracks_stock=True)
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    manager = make.user(role="stock_manager", organisation=org)
    product = make.product()
    make.commit()
    return World(org, site, peer, manager, product)
