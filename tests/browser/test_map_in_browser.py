"""The map page in Chromium with no internet: Leaflet, the cell layers and the layer control,
and the area view chosen with the keyboard alone."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.extensions import db
from outreach.maps.render import PALETTES
from outreach.orgs.models import Site
from tests import factories
from tests.browser.support import LANDSCAPE, PHONE, PORTRAIT, log_in, loopback_only, open_menu
from tests.browser.test_accessibility_in_browser import _check

pytestmark = pytest.mark.browser

PLACES = [(51.6214, -3.9436), (51.63, -3.95), (51.61, -3.92), (51.64, -3.90)]


def _coordinator_with_handouts(live_server, team, in_area: bool = False) -> SimpleNamespace:
    """A coordinator of the team's organisation, whose peer handed out 1, 2, 3 and 4 kits at
    PLACES; at the team's site, filed under Swansea, when `in_area`."""
    with live_server.ctx():
        peer = db.session.get(factories.User, team.peer_id)
        coordinator = factories.UserFactory(organisation=peer.organisation, role="coordinator")
        product = db.session.get(factories.Product, team.product_id)
        site_id = None
        if in_area:
            load_areas(db.session)
            site = db.session.get(Site, team.site_id)
            site.area_id = db.session.query(Area).filter_by(code="W06000011").one().id
            site_id = site.id
        for i, (lat, lon) in enumerate(PLACES):
            for _ in range(i + 1):
                factories.HandoutFactory(
                    giver=peer, product=product, latitude=lat, longitude=lon, site_id=site_id
                )
        db.session.commit()
        return SimpleNamespace(username=coordinator.username, password=team.password)


def _handout_paths(page) -> int:
    fills = PALETTES["handouts"]
    return page.evaluate(
        "(fills) => [...document.querySelectorAll('.leaflet-overlay-pane path')]"
        ".filter(p => fills.includes(p.getAttribute('fill'))).length",
        list(fills),
    )


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["1024x768", "768x1024"])
def test_map_draws_its_layers_with_no_internet(open_page, live_server, team, viewport):
    coordinator = _coordinator_with_handouts(live_server, team)
    page = open_page(viewport)
    blocked = loopback_only(page)
    log_in(page, coordinator)
    page.goto("/map")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length")
    assert _handout_paths(page) >= len(PLACES)
    assert page.get_by_role("region", name="Map of the chosen records, in grid cells").is_visible()
    assert page.get_by_role("heading", name="Legend").is_visible()

    control = page.locator(".leaflet-control-layers")
    control.get_by_label("Kits handed out", exact=True).uncheck()
    assert _handout_paths(page) == 0
    control.get_by_label("Kits handed out", exact=True).check()
    assert _handout_paths(page) >= len(PLACES)

    # Nothing left the machine but the (blocked) map tiles.
    assert all(urlparse(u).hostname == "tile.openstreetmap.org" for u in blocked), blocked


def test_filter_form_redraws_the_map_without_the_switched_off_layer(open_page, live_server, team):
    coordinator = _coordinator_with_handouts(live_server, team)
    page = open_page(LANDSCAPE)
    loopback_only(page)
    log_in(page, coordinator)
    page.goto("/map")
    page.wait_for_selector(".leaflet-container")
    page.locator("#map-filters").get_by_label("Kits handed out", exact=True).uncheck()
    page.locator("#map-filters").get_by_role("button", name="Show").click()
    page.wait_for_selector(".leaflet-container")
    assert _handout_paths(page) == 0
    assert (
        page.locator(".leaflet-control-layers").get_by_label("Kits handed out", exact=True).count()
        == 0
    )


def test_leaflets_controls_speak_welsh_and_are_big_enough_to_touch(open_page, live_server, team):
    coordinator = _coordinator_with_handouts(live_server, team)
    page = open_page(PORTRAIT)
    loopback_only(page)
    log_in(page, coordinator)
    open_menu(page)
    page.select_option("#language", "cy")
    page.get_by_role("button", name="Change").click()
    page.goto("/map")
    page.wait_for_selector(".leaflet-control-zoom-in")
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == "Chwyddo i mewn"
    assert zoom_in.get_attribute("aria-label") == "Chwyddo i mewn"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Chwyddo allan"
    box = zoom_in.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44


def test_the_area_view_is_chosen_by_keyboard_and_fits_a_phone(
    open_page, live_server, team, axe_source
):
    coordinator = _coordinator_with_handouts(live_server, team, in_area=True)
    page = open_page(PHONE)
    blocked = loopback_only(page)
    log_in(page, coordinator)
    page.goto("/map")
    page.wait_for_selector(".leaflet-container")
    page.focus("#f-colour")
    page.keyboard.press("ArrowDown")  # Grid squares -> Areas
    page.focus("#f-level")
    page.keyboard.press("ArrowDown")  # Health board or region -> Local authority or kommun
    page.focus("#map-filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "colour_by=areas" in page.url and "level=local_authority" in page.url
    page.wait_for_selector(".leaflet-overlay-pane path")
    assert _handout_paths(page) == 1  # one circle: every kit was given in Swansea
    assert page.get_by_role("region", name="Map of the chosen records, by area").is_visible()
    table = page.get_by_role("table", name="Kits handed out in each area", exact=False)
    assert table.get_by_role("row", name="Swansea 10 10 — —").count() == 1
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], "the area view scrolls sideways at 320 px"
    _check(page, axe_source)
    assert all(urlparse(u).hostname == "tile.openstreetmap.org" for u in blocked), blocked
