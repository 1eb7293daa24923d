"""Names typed by another organisation reach the map page's script and pop-ups only escaped."""

from __future__ import annotations

import json
import re

from outreach.extensions import db
from outreach.maps.models import HotSpot

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
