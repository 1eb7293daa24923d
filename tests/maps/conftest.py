"""Map fixtures: organisations with partners, and events placed where the tests need them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Partnership
from outreach.overdoses.models import OverdoseReport

SWANSEA = (51.62, -3.94)
CARDIFF = (51.48, -3.18)


class Place:
    """Adds events of one layer for a user at a point, committed so requests see them."""

    def __init__(self, make):
        self.make = make
        self.product = None

    def handouts(self, user, lat, lon, n=1, quantity=1, when=None, setting="street", product=None):
        if product is None:
            self.product = self.product or self.make.product()
            product = self.product
        for _ in range(n):
            db.session.add(
                Handout(
                    org_id=user.org_id,
                    recorded_by_id=user.id,
                    giver_id=user.id,
                    product_id=product.id,
                    occurred_at=when or utcnow() - timedelta(days=1),
                    kind="single",
                    quantity=quantity,
                    setting=setting,
                    supply="first",
                    latitude=lat,
                    longitude=lon,
                )
            )
        db.session.commit()

    def contacts(self, user, lat, lon, n=1, when=None, setting="street"):
        for _ in range(n):
            db.session.add(
                OutreachContact(
                    org_id=user.org_id,
                    recorded_by_id=user.id,
                    occurred_at=when or utcnow() - timedelta(days=1),
                    setting=setting,
                    people_count=2,
                    latitude=lat,
                    longitude=lon,
                    client_hash="secret-hash-never-shown",
                )
            )
        db.session.commit()

    def overdoses(self, user, lat, lon, n=1, when=None):
        rows = []
        for _ in range(n):
            row = OverdoseReport(
                org_id=user.org_id,
                recorded_by_id=user.id,
                occurred_at=when or utcnow() - timedelta(hours=1),
                administered_by="peer",
                outcome="survived",
                latitude=lat,
                longitude=lon,
            )
            db.session.add(row)
            rows.append(row)
        db.session.commit()
        return rows


@pytest.fixture
def place(app, make):
    return Place(make)


@pytest.fixture
def orgs(app, make):
    """Three organisations: A and B are partners, C is not; a coordinator and a peer each."""
    a, b, c = make.org(), make.org(area="Cardiff and Vale"), make.org()
    users = {}
    for name, org in (("a", a), ("b", b), ("c", c)):
        users[name] = make.user("coordinator", organisation=org)
        users[name + "_peer"] = make.user("peer", organisation=org)
    low, high = sorted((a.id, b.id))
    db.session.add(Partnership(org_a_id=low, org_b_id=high, active=True))
    make.commit()
    return users
