"""Review fixes on the map page: escaped pop-ups, odd dates and ids, safe redirects."""

from __future__ import annotations

import json
import re

import pytest

from outreach.extensions import db
from outreach.maps.models import HotSpot
from tests.maps_page.test_map_routes import _alert

XSS = "<img src=x onerror=alert(1)>"


def _names_in_map_script(html: str) -> list[str]:
    """The decoded "name" properties of the map's GeoJSON, as the browser's JS sees them."""
    return [json.loads(raw) for raw in re.findall(r'"name": ("(?:[^"\\]|\\.)*")', html)]


def test_a_partner_hot_spot_named_with_html_reaches_the_map_only_escaped(client, auth, world):
    mine, partner = world.org("Mine"), world.org(XSS)
    world.partners(mine, partner)
    db.session.add(
        HotSpot(
            org_id=partner.id,
            name=XSS,
            category="rough_sleeping",
            latitude=51.62,
            longitude=-3.94,
            radius_m=150,
            reported_by_id=world.user(partner).id,
            notes=XSS,
        )
    )
    coordinator = world.user(mine)
    world.commit()
    auth.login(coordinator)
    html = client.get("/map").get_data(as_text=True)
    names = _names_in_map_script(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in names  # the hot spot
    assert "&lt;img src=x onerror=alert(1)&gt; base" in names  # the partner's site
    assert XSS not in names and not any("<img" in n for n in names)
    assert "<img src=x" not in html and "\\u003cimg" not in html


@pytest.mark.parametrize(
    "query",
    [
        "end=9999-12-31",
        "end=0001-01-01",
        "start=0001-01-01",
        "start=9999-12-31&end=9999-12-31",
        "start=0001-01-01&end=0001-01-01",
        "product_id=99999999999999999999",
        "org_id=99999999999999999999",
        "product_id=-99999999999999999999",
    ],
)
def test_map_page_with_out_of_range_dates_or_ids_is_not_a_server_error(client, auth, world, query):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 2)
    world.commit()
    auth.login(coordinator)
    assert client.get(f"/map?{query}").status_code == 200


def test_alert_history_with_a_huge_page_number_is_not_a_server_error(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.commit()
    auth.login(coordinator)
    assert client.get("/map/alerts?page=99999999999999999999").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["/\\evil.example", "\\\\evil.example", "//evil.example", "https://evil.example/", " //x"],
)
def test_acknowledging_never_redirects_to_another_host(client, auth, world, target):
    org = world.org("North")
    coordinator = world.user(org)
    alert = _alert(org)
    world.commit()
    auth.login(coordinator)
    resp = client.post(f"/map/alerts/{alert.id}/acknowledge", data={"next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/map"


def test_acknowledging_returns_to_a_local_page(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    alert = _alert(org)
    world.commit()
    auth.login(coordinator)
    resp = client.post(f"/map/alerts/{alert.id}/acknowledge", data={"next": "/map/alerts?page=2"})
    assert resp.headers["Location"] == "/map/alerts?page=2"
