"""Helpers for the map page tests: an organisation with a coordinator, a site and handouts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from outreach.extensions import db
from outreach.models.base import utcnow
from tests import factories

SWANSEA = (51.6214, -3.9436)
CARDIFF = (51.4816, -3.1791)


class MapWorld:
    """Makes organisations, people and handouts for map tests, committed for requests."""

    def org(self, name: str, site=SWANSEA):
        org = factories.OrganisationFactory(name=name)
        factories.SiteFactory(
            organisation=org, name=f"{name} base", latitude=site[0], longitude=site[1]
        )
        return org

    def user(self, org, role: str = "coordinator"):
        return factories.UserFactory(organisation=org, role=role)

    def handouts(self, giver, n: int, at=SWANSEA, days_ago: int = 1, **kw):
        product = kw.pop("product", None) or factories.ProductFactory()
        when = utcnow() - timedelta(days=days_ago)
        for _ in range(n):
            factories.HandoutFactory(
                giver=giver,
                product=product,
                latitude=at[0],
                longitude=at[1],
                occurred_at=when,
                **kw,
            )
        return product

    def partners(self, a, b) -> None:
        factories.PartnershipFactory(a=a, b=b)

    def commit(self) -> None:
        db.session.commit()


@pytest.fixture
def world(app) -> MapWorld:
    return MapWorld()
