"""The map coloured by area: one circle per area of the chosen level with records in the
dates and filters, its figure in a table below the map; partners' small counts stay hidden."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from tests import factories
from tests.maps_page.conftest import CARDIFF, SWANSEA

NEATH = (51.66, -3.80)
BOARD = "Swansea Bay University Health Board"
AREAS = {
    "swansea": "W06000011",
    "neath": "W06000012",
    "cardiff": "W06000015",
    "bay": "W11000031",
    "cardiff_vale": "W11000029",
}
# Every URL the page may name: the map tiles' template and their credit (no CDN, no asset).
TILE_URLS = {
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "https://www.openstreetmap.org/copyright",
}


@pytest.fixture
def bay(app, world):
    """Swansea Bay's programme: a hub in Swansea and a prison gate in Neath Port Talbot (both
    in Swansea Bay health board, which estimates 2,000 people at risk), a site in Cardiff;
    6 kits at the hub (three supplies of 2), 4 at the gate, 3 in Cardiff 200 days ago."""
    load_areas(db.session)
    areas = {k: db.session.query(Area).filter_by(code=c).one() for k, c in AREAS.items()}
    areas["bay"].at_risk_estimate = 2000
    org = world.org("Bay")
    sites = {
        name: factories.SiteFactory(
            organisation=org, name=name, area_id=areas[name].id, latitude=at[0], longitude=at[1]
        )
        for name, at in (("swansea", SWANSEA), ("neath", NEATH), ("cardiff", CARDIFF))
    }
    peer = world.user(org, "peer")
    product = world.handouts(peer, 3, quantity=2, site_id=sites["swansea"].id)
    world.handouts(peer, 4, at=NEATH, site_id=sites["neath"].id, product=product)
    world.handouts(peer, 3, at=CARDIFF, days_ago=200, site_id=sites["cardiff"].id)
    factories.OverdoseReportFactory(
        recorder=peer,
        occurred_at=utcnow() - timedelta(days=2),
        site_id=sites["swansea"].id,
        latitude=SWANSEA[0],
        longitude=SWANSEA[1],
    )
    return {"org": org, "areas": areas, "sites": sites, "coordinator": world.user(org)}


def area_rows(html: str, layer: str = "Kits handed out") -> dict[str, int]:
    """The area table of `layer`: area name -> count."""
    table = re.search(re.escape(layer) + r" in each area \(.*?</table>", html, re.S)
    assert table, "no area table for " + layer
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table.group(0))
    return {name: int(n) for name, n in rows}


def numbers(html: str) -> str:
    """The page's text alternative: every table of the map's numbers."""
    start = html.index('<section aria-labelledby="numbers-h">')
    return html[start : html.index("</section>", start)]


def page(client, **args) -> str:
    resp = client.get("/map", query_string={"colour_by": "areas", **args})
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_area_view_lists_exactly_the_areas_with_records_and_their_counts(
    client, auth, world, bay
):
    world.commit()
    auth.login(bay["coordinator"])
    boards = page(client, level="board")
    assert area_rows(boards) == {BOARD: 10}
    assert area_rows(boards, "Overdose reports") == {BOARD: 1}
    assert "Kits handed out in each area (Health board or region): 10 in all" in boards
    assert "<td>2,000</td><td>5.0</td>" in boards  # 10 kits for 2,000 people at risk
    assert '"hW11000031"' in boards and '"oW11000031"' in boards  # one circle per layer
    assert 'aria-label="Map of the chosen records, by area"' in boards

    local = page(client, level="local_authority")
    assert area_rows(local) == {"Swansea": 6, "Neath Port Talbot": 4}
    assert "<td>—</td><td>—</td>" in local  # no estimate for a local authority: no rate
    assert '"hW06000011"' in local and '"hW06000012"' in local and '"hW11000031"' not in local

    partnerships = page(client, level="partnership")
    assert area_rows(partnerships) == {"Western Bay Area Planning Board": 10}

    start = (utcnow() - timedelta(days=365)).date().isoformat()
    year = page(client, level="board", start=start)
    assert area_rows(year) == {BOARD: 10, "Cardiff and Vale University Health Board": 3}


def test_the_area_view_follows_the_filters_and_names_areas_in_the_readers_language(
    client, auth, world, bay
):
    world.commit()
    auth.login(bay["coordinator"])
    only_kits = page(client, level="local_authority", f="1", layer=["handouts", "contacts"])
    assert area_rows(only_kits) == {"Swansea": 6, "Neath Port Talbot": 4}
    assert "Overdose reports in each area" not in only_kits
    assert "Outreach contacts are not filed under areas" in only_kits
    nothing = page(client, level="board", setting="pharmacy")
    assert area_rows(nothing) == {}
    assert "Nothing recorded in any area in these dates." in nothing

    client.post("/language", data={"language": "cy", "next": "/"})
    welsh = page(client, level="local_authority")
    assert "Abertawe" in welsh and "Castell-nedd Port Talbot" in welsh


def test_a_partners_small_count_in_an_area_is_not_revealed(client, auth, world, bay):
    partner = world.org("Partner", CARDIFF)
    world.partners(bay["org"], partner)
    site = factories.SiteFactory(
        organisation=partner,
        name="Partner in Cardiff",
        area_id=bay["areas"]["cardiff"].id,
        latitude=CARDIFF[0],
        longitude=CARDIFF[1],
    )
    world.commit()
    auth.login(bay["coordinator"])
    before = {level: numbers(page(client, level=level)) for level in ("board", "local_authority")}

    partner_peer = world.user(partner, "peer")
    world.handouts(partner_peer, 3, at=CARDIFF, site_id=site.id)  # alone in Cardiff: hidden
    world.handouts(partner_peer, 4, site_id=bay["sites"]["swansea"].id)  # beside own 6
    world.commit()
    for level, table in before.items():
        html = page(client, level=level)
        assert numbers(html) == table  # as if the partner had recorded nothing
        assert '"hW06000015"' not in html and '"hW11000029"' not in html
    assert area_rows(page(client, level="local_authority")) == {
        "Swansea": 6,
        "Neath Port Talbot": 4,
    }

    world.handouts(partner_peer, 6, at=CARDIFF, site_id=site.id)  # 9 in Cardiff: shown, coarse
    world.commit()
    shown = area_rows(page(client, level="local_authority"))["Cardiff"]
    assert shown % 5 == 0 and 5 <= shown <= 15


def test_the_area_view_names_no_external_url(client, auth, world, bay):
    world.commit()
    auth.login(bay["coordinator"])
    for level in ("board", "local_authority", "partnership"):
        html = page(client, level=level)  # every layer: sites, points and hot spots too
        assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=\"(?:https?:)?//", html)
        assert set(re.findall(r"https?://[^\s\"'<>)\\]+", html)) <= TILE_URLS
        assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html


def test_a_refused_colour_or_level_is_said_and_the_grid_or_boards_drawn(client, auth, world, bay):
    world.commit()
    auth.login(bay["coordinator"])
    html = client.get("/map?colour_by=areas&level=moon").get_data(as_text=True)
    assert "Choose a value from the list." in html
    assert area_rows(html) == {BOARD: 10}
    grid = client.get("/map?colour_by=hexagons").get_data(as_text=True)
    assert "Choose a value from the list." in grid
    assert "Kits handed out: the busiest squares (10 in all" in grid


def test_voided_supplies_are_left_out_of_the_areas(client, auth, world, bay):
    db.session.execute(
        update(Handout)
        .where(Handout.site_id == bay["sites"]["neath"].id)
        .values(voided_at=utcnow(), voided_by_id=bay["coordinator"].id, void_reason="typo")
    )
    world.commit()
    auth.login(bay["coordinator"])
    assert area_rows(page(client, level="local_authority")) == {"Swansea": 6}
