"""The demo organisations, users and records (`seed-demo`, one month): every kind of object a
form can act on exists, with the demo logins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from outreach.areas.services import load_areas
from outreach.auth.models import User
from outreach.extensions import db
from outreach.maps.models import HOT_SPOT_CATEGORIES, HotSpot, SpikeAlert
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.seed import seed_demo
from outreach.seed.places import DEMO_USERS, PASSWORDS
from outreach.stock.models import ResupplyRequest
from tests import factories
from tests.fuzz.pages import parse

USERS = DEMO_USERS  # the Swansea demo user of each role


@pytest.fixture
def demo(app):
    """The demo, plus what it lacks for the Swansea users to see every form: a hot spot, an
    open alert, a partnership and an open resupply request of their own."""
    seed_demo(months=1, echo=lambda *_: None)
    load_areas(db.session)  # the areas page's estimate forms (the seed loads them too)
    user = {u.username: u for u in db.session.scalars(select(User))}
    orgs = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    swansea, now = user["coordinator"].organisation, utcnow()
    db.session.add_all(
        [
            HotSpot(
                org_id=swansea.id,
                name="Underpass",
                category=next(iter(HOT_SPOT_CATEGORIES)),
                latitude=51.62,
                longitude=-3.94,
                reported_by_id=user["coordinator"].id,
            ),
            SpikeAlert(
                org_id=swansea.id,
                scope="area",
                key=f"area:{swansea.area}",
                area=swansea.area,
                window="24h",
                started_at=now - timedelta(hours=24),
                detected_at=now,
                count=6,
                threshold=5,
                latitude=51.62,
                longitude=-3.94,
            ),
            ResupplyRequest(org_id=swansea.id, user_id=user["peer"].id, quantity=10),
        ]
    )
    other = next(o for o in orgs if o.id != swansea.id)
    factories.PartnershipFactory(a=swansea, b=other)
    db.session.commit()


@pytest.fixture
def login(app, client, demo):
    def login_as(role: str) -> None:
        """Log in afresh, as a new browser would (no cookie of an earlier session)."""
        for name in (app.config["SESSION_COOKIE_NAME"], "remember_token"):
            client.delete_cookie(name)
        if role == "anonymous":
            return
        forms, _links = parse("/login", client.get("/login").get_data(as_text=True))
        data = {**forms[0].defaults(), "username": USERS[role], "password": PASSWORDS[role]}
        res = client.post("/login", data=data)
        assert res.status_code == 302, res.get_data(as_text=True)[:500]

    return login_as
