"""Stock fixtures: an organisation that tracks stock, with a site, a peer and a stock manager."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

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
        """A delivery of kits expiring in `days` days; kits already expired (days < 1) were
        received (and, by fill_bag, moved) while they were still good: the pages refuse both."""
        expiry = date.today() + timedelta(days=days)
        with _while_good(days):
            movement = svc.receive(
                site=kw.get("site", self.site),
                product=kw.get("product", self.product),
                batch_number=number,
                expiry_date=expiry,
                quantity=quantity,
                reference=kw.get("reference"),
                supplier=kw.get("supplier"),
                recorded_by=self.manager,
            )
            db.session.commit()
        return movement.batch

    def fill_bag(self, quantity=10, number="AB123", days=365, user=None):
        """Receive kits at the site and move them into a bag."""
        batch = self.receive(quantity, number, days)
        with _while_good(days):
            svc.transfer(
                from_holding=svc.store_for(self.site),
                to_holding=svc.bag_for(user or self.peer),
                batch=batch,
                quantity=quantity,
                recorded_by=self.manager,
            )
            db.session.commit()
        return batch


@contextmanager
def _while_good(days: int):
    """Back to a day when kits expiring in `days` days were still good (now, when they are)."""
    if days > 0:
        yield
        return
    with time_machine.travel(datetime.now(UTC) - timedelta(days=30 - days), tick=True):
        yield


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
