"""The map page and its hot spot and alert pages, through the test client."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from sqlalchemy import select

from outreach.extensions import db
from outreach.maps.models import HotSpot, SpikeAlert
from outreach.maps.queries import cell_size_deg
from outreach.models.base import utcnow
from tests.maps_page.conftest import CARDIFF, SWANSEA

WIDE = (51.3, -4.1, 51.7, -3.0)  # Swansea to Cardiff
WIDE_ARG = ",".join(str(v) for v in WIDE)


def cell_feature(lat: float, lon: float, prefix: str = "h") -> str:
    size = cell_size_deg(*WIDE)
    return f'"{prefix}{math.floor(lat / size)}_{math.floor(lon / size)}"'


def total_in_table(html: str, label: str = "Kits handed out") -> int:
    found = re.search(re.escape(label) + r": the busiest squares \((\d+) in all", html)
    assert found, "no table for " + label
    return int(found.group(1))


def test_peer_is_refused_the_map_but_may_open_the_hot_spot_form(client, auth, world):
    org = world.org("North")
    peer = world.user(org, "peer")
    world.commit()
    auth.login(peer)
    assert client.get("/map").status_code == 403
    assert client.get("/map/hot-spots/new").status_code == 200


def test_coordinator_sees_the_map_with_local_assets_and_one_layer_per_kind(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 3)
    world.commit()
    auth.login(coordinator)
    page = client.get("/map")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", html)
    assert html.count("L.geoJson(") >= 3  # handouts, contacts, overdoses (+ sites, points)
    assert 'aria-label="Map of the chosen records, in grid cells"' in html
    assert total_in_table(html) == 3


def test_date_and_product_filters_change_the_counts(client, auth, world):
    org = world.org("North")
    coordinator, peer = world.user(org), world.user(org, "peer")
    nasal = world.handouts(peer, 4, days_ago=5)
    world.handouts(peer, 2, days_ago=5)
    world.handouts(peer, 3, days_ago=200)
    world.commit()
    auth.login(coordinator)
    assert total_in_table(client.get("/map").get_data(as_text=True)) == 6
    start = (utcnow() - timedelta(days=365)).date().isoformat()
    year = client.get(f"/map?start={start}").get_data(as_text=True)
    assert total_in_table(year) == 9
    only = client.get(f"/map?f=1&layer=handouts&product_id={nasal.id}").get_data(as_text=True)
    assert total_in_table(only) == 4
    assert "Overdose reports: the busiest squares" not in only  # layer switched off


def test_partner_cells_under_five_are_absent_and_no_partner_point_is_sent(client, auth, world):
    mine, partner, stranger = world.org("Mine"), world.org("Partner", CARDIFF), world.org("Other")
    world.partners(mine, partner)
    coordinator = world.user(mine)
    world.handouts(world.user(partner, "peer"), 4, at=CARDIFF)
    world.handouts(world.user(partner, "peer"), 6, at=(51.60, -3.40))
    world.handouts(world.user(stranger, "peer"), 9, at=(51.55, -3.60))
    world.commit()
    auth.login(coordinator)
    html = client.get(f"/map?bbox={WIDE_ARG}").get_data(as_text=True)
    assert cell_feature(*CARDIFF) not in html  # 4 < 5: suppressed
    assert cell_feature(51.60, -3.40) in html  # 6: shared
    assert cell_feature(51.55, -3.60) not in html  # not a partner
    assert "records: Kits handed out" not in html  # no point layer: the viewer has no events


def test_own_points_are_drawn_when_few(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 2)
    world.commit()
    auth.login(coordinator)
    html = client.get("/map").get_data(as_text=True)
    assert "records: Kits handed out" in html  # the own-points layer


def test_peer_adds_a_hot_spot_by_place_name_and_a_coordinator_closes_it(client, auth, world):
    org = world.org("North")
    peer, coordinator = world.user(org, "peer"), world.user(org)
    world.commit()
    auth.login(peer)
    form = {"name": "Bus station", "category": "injecting_site", "radius_m": "300"}
    refused = client.post("/map/hot-spots/new", data=form)
    assert refused.status_code == 422 and "Bus station" in refused.get_data(as_text=True)
    saved = client.post("/map/hot-spots/new", data={**form, "place_name": "Swansea"})
    assert saved.status_code == 302
    spot = db.session.scalar(select(HotSpot))
    assert spot.org_id == org.id and abs(spot.latitude - SWANSEA[0]) < 0.2
    assert client.post(f"/map/hot-spots/{spot.id}/close").status_code == 403  # peers report
    auth.logout()
    auth.login(coordinator)
    assert "Bus station" in client.get("/map").get_data(as_text=True)
    assert client.post(f"/map/hot-spots/{spot.id}/close").status_code == 302
    db.session.refresh(spot)
    assert spot.active is False and spot.closed_at is not None


def test_another_organisation_cannot_close_a_hot_spot(client, auth, world):
    org, other = world.org("North"), world.org("South")
    spot = HotSpot(
        org_id=org.id,
        name="Arches",
        category="rough_sleeping",
        latitude=51.6,
        longitude=-3.9,
        radius_m=100,
        reported_by_id=world.user(org).id,
        notes="x",
    )
    db.session.add(spot)
    outsider = world.user(other)
    world.commit()
    auth.login(outsider)
    assert client.post(f"/map/hot-spots/{spot.id}/close").status_code == 404
    assert "Arches" not in client.get("/map/hot-spots").get_data(as_text=True)


def test_partner_hot_spot_is_shown_without_its_notes(client, auth, world):
    mine, partner = world.org("Mine"), world.org("Partner")
    world.partners(mine, partner)
    db.session.add(
        HotSpot(
            org_id=partner.id,
            name="Underpass",
            category="rough_sleeping",
            latitude=51.62,
            longitude=-3.94,
            radius_m=150,
            reported_by_id=world.user(partner).id,
            notes="secret partner note",
        )
    )
    coordinator = world.user(mine)
    world.commit()
    auth.login(coordinator)
    html = client.get("/map").get_data(as_text=True)
    assert "Underpass" in html and "secret partner note" not in html


def _alert(org, **kw) -> SpikeAlert:
    now = utcnow()
    alert = SpikeAlert(
        org_id=org.id,
        scope="area",
        key=f"area:{org.area}",
        area=org.area,
        window="24h",
        started_at=now - timedelta(hours=24),
        detected_at=now,
        count=6,
        threshold=5,
        latitude=51.62,
        longitude=-3.94,
        **kw,
    )
    db.session.add(alert)
    return alert


def test_coordinator_acknowledges_an_open_alert_from_the_map(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    alert = _alert(org)
    world.commit()
    auth.login(coordinator)
    html = client.get("/map").get_data(as_text=True)
    assert "Open alerts" in html and "6 overdose reports within 24 hours" in html
    assert client.post(f"/map/alerts/{alert.id}/acknowledge").status_code == 302
    db.session.refresh(alert)
    assert alert.acknowledged_by_id == coordinator.id
    assert "Open alerts" not in client.get("/map").get_data(as_text=True)
    assert "Acknowledged on" in client.get("/map/alerts").get_data(as_text=True)


def test_alerts_of_another_organisation_are_not_shown_nor_acknowledged(client, auth, world):
    org, other = world.org("North"), world.org("South")
    alert = _alert(org)
    outsider = world.user(other)
    world.commit()
    auth.login(outsider)
    assert "Open alerts" not in client.get("/map").get_data(as_text=True)
    assert "No alerts." in client.get("/map/alerts").get_data(as_text=True)
    assert client.post(f"/map/alerts/{alert.id}/acknowledge").status_code == 404


def test_the_map_says_how_computed_hot_spots_are_found_and_when_none_stand_out(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 3)
    world.commit()
    auth.login(coordinator)
    html = client.get(f"/map?gi=handouts&bbox={WIDE_ARG}").get_data(as_text=True)
    assert "How computed hot spots are found" in html
    assert "false discovery rate 1 %" in html and "at least 5 records" in html
    assert "No square of this view stands out from chance." in html
    assert "How computed hot spots are found" not in client.get("/map?gi=").get_data(as_text=True)


def test_numbers_on_the_map_page_follow_the_readers_language(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 3)
    world.commit()
    auth.login(coordinator)
    english = client.get(f"/map?bbox={WIDE_ARG}").get_data(as_text=True)
    client.post("/language", data={"language": "sv", "next": "/"})
    swedish = client.get(f"/map?bbox={WIDE_ARG}").get_data(as_text=True)
    assert re.search(r"\d\.\d km", english) and not re.search(r"\d,\d km", english)
    assert re.search(r"\d,\d km", swedish) and not re.search(r"\d\.\d km", swedish)


def test_decimal_and_coordinate_filters_use_the_locale(app):
    from flask_babel import refresh

    from outreach.templating import coords, decimal

    for lang, number, point in (
        ("en", "4.1", "51.620, -3.940"),
        ("cy", "4.1", "51.620, -3.940"),
        ("sv", "4,1", "51,620; -3,940"),
    ):
        with app.test_request_context(headers={"Accept-Language": lang}):
            refresh()  # the locale is cached on the app context the test holds open
            assert decimal(4.08) == number
            assert coords(51.62, -3.94) == point
