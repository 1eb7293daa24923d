"""The area view's figures (outreach/maps/by_area.py): records summed over each area's local
authorities, placed at its sites' mean position, partners' parts through disclosure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.extensions import db
from outreach.maps.by_area import area_figures
from outreach.maps.queries import MapFilter
from outreach.models.base import utcnow
from tests import factories
from tests.maps.conftest import CARDIFF, SWANSEA

MANCHESTER = (53.48, -2.24)


def year() -> MapFilter:
    now = utcnow()
    return MapFilter(start=now - timedelta(days=365), end=now + timedelta(minutes=1))


@pytest.fixture
def areas(app):
    load_areas(db.session)
    codes = {
        "swansea": "W06000011",
        "neath": "W06000012",
        "cardiff": "W06000015",
        "bay": "W11000031",
        "manchester": "E08000003",
    }
    return {k: db.session.query(Area).filter_by(code=c).one() for k, c in codes.items()}


def give(user, area, at, n=1, quantity=1):
    for _ in range(n):
        factories.HandoutFactory(
            giver=user,
            area_id=area.id,
            latitude=at[0],
            longitude=at[1],
            quantity=quantity,
            occurred_at=utcnow() - timedelta(days=3),
        )
    db.session.commit()


def by_code(found):
    return {f.code: f for f in found}


def test_an_area_is_placed_at_the_mean_of_the_sites_the_viewer_may_see(orgs, areas):
    a, b, c = orgs["a"], orgs["b"], orgs["c"]
    for org, lat, lon in ((a, 51.60, -3.90), (b, 51.70, -3.80), (c, 52.50, -3.00)):
        factories.SiteFactory(
            organisation=org.organisation,
            area_id=areas["swansea"].id,
            latitude=lat,
            longitude=lon,
        )
    give(a, areas["swansea"], SWANSEA, n=2)
    give(a, areas["cardiff"], CARDIFF, n=1)
    give(a, areas["cardiff"], (51.50, -3.20), n=1)
    found = by_code(area_figures(a, ["handouts"], year(), "local_authority")["handouts"])
    swansea = found["W06000011"]  # a's and its partner b's sites; never stranger c's
    assert (round(swansea.lat, 4), round(swansea.lon, 4)) == (51.65, -3.85)
    cardiff = found["W06000015"]  # no site there: the mean of a's own records
    assert (round(cardiff.lat, 4), round(cardiff.lon, 4)) == (51.49, -3.19)


def test_a_partners_area_without_sites_is_placed_coarsely_and_only_when_shown(orgs, areas):
    a, b = orgs["a"], orgs["b"]
    give(b, areas["cardiff"], (51.4816, -3.1791), n=4)
    assert area_figures(a, ["handouts"], year(), "local_authority") == {"handouts": []}
    give(b, areas["cardiff"], (51.4816, -3.1791), n=3)
    (cardiff,) = area_figures(a, ["handouts"], year(), "local_authority")["handouts"]
    assert (cardiff.lat, cardiff.lon) == (51.5, -3.2)  # to 0.1 of a degree
    assert cardiff.own == 0 and cardiff.count % 5 == 0 and 5 <= cardiff.count <= 10
    again = area_figures(a, ["handouts"], year(), "local_authority")["handouts"]
    assert again == [cardiff]  # the same figure each time it is asked for


def test_levels_sum_their_local_authorities_and_england_has_no_partnership(orgs, areas):
    a = orgs["a"]
    give(a, areas["swansea"], SWANSEA, n=2, quantity=3)
    give(a, areas["neath"], (51.66, -3.80), n=1, quantity=4)
    give(a, areas["manchester"], MANCHESTER, n=1)
    boards = area_figures(a, ["handouts"], year(), "board")["handouts"]
    assert [(f.name, f.count) for f in boards] == [
        ("Swansea Bay University Health Board", 10),
        ("NHS Greater Manchester Integrated Care Board", 1),
    ]
    partnerships = area_figures(a, ["handouts"], year(), "partnership")["handouts"]
    assert [(f.name, f.count) for f in partnerships] == [("Western Bay Area Planning Board", 10)]
    welsh = area_figures(a, ["handouts"], year(), "local_authority", "cy")["handouts"]
    assert [f.name for f in welsh] == ["Abertawe", "Castell-nedd Port Talbot", "Manchester"]


def test_only_kits_have_a_rate_per_1000_people_at_risk(orgs, areas, place):
    a = orgs["a"]
    areas["bay"].at_risk_estimate = 400
    give(a, areas["swansea"], SWANSEA, n=1, quantity=2)
    factories.OverdoseReportFactory(recorder=a, area_id=areas["swansea"].id)
    db.session.commit()
    found = area_figures(a, ["handouts", "overdoses"], year(), "board")
    (kits,), (overdoses,) = found["handouts"], found["overdoses"]
    assert (kits.count, kits.at_risk, kits.rate) == (2, 400, 5.0)
    assert (overdoses.count, overdoses.at_risk, overdoses.rate) == (1, None, None)
