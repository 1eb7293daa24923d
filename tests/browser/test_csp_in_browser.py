"""Every main page under the real Content-Security-Policy in Chromium: no violation reported, and
the map still draws its cells and layers (its Folium script runs under the page's nonce)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from outreach.extensions import db
from tests import factories
from tests.browser.support import log_in, loopback_only

pytestmark = pytest.mark.browser

# Every layer, coverage gaps too (on this small view it once failed in geo.grid.sum_within:
# tests/geo/test_grid.py keeps that fixed).
LAYERS = ("handouts", "contacts", "overdoses", "points", "hot_spots", "sites", "gaps")
MAP_ALL_LAYERS = "/map?f=1&gi=handouts" + "".join(f"&layer={x}" for x in LAYERS)
COORDINATOR_PAGES = [
    "/",
    "/handouts/new",
    "/handouts/tally",
    "/contacts/new",
    "/overdoses/new",
    "/handouts/",
    "/contacts/",
    "/overdoses/",
    "/trainings/",
    "/reports/monthly",
    "/stock/",
    "/stock/bag",
    "/map/hot-spots",
    "/map/hot-spots/new",
    "/offline/outbox",
    "/account/password",
]
ADMIN_PAGES = ["/audit/", "/admin/users", "/admin/settings"]
# Shown before each page's own scripts run: a violation event the page itself would not log.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


def _people(live_server, team):
    with live_server.ctx():
        peer = db.session.get(factories.User, team.peer_id)
        org = peer.organisation
        org.tracks_stock = True
        coordinator = factories.UserFactory(organisation=org, role="coordinator")
        admin = factories.UserFactory(organisation=org, role="org_admin")
        product = db.session.get(factories.Product, team.product_id)
        for i in range(12):
            lat, lon = 51.62 + i * 0.002, -3.94 + i * 0.002
            factories.HandoutFactory(giver=peer, product=product, latitude=lat, longitude=lon)
            factories.ContactFactory(recorder=peer, latitude=lat, longitude=lon)
            factories.OverdoseReportFactory(recorder=peer, latitude=lat, longitude=lon)
        db.session.commit()
        return coordinator.username, admin.username


def _watch(page) -> tuple[list[str], list[str]]:
    """Collect CSP complaints from the console, and keep every request on this machine."""
    complaints: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            complaints.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.add_init_script(REPORT_VIOLATIONS)
    return complaints, loopback_only(page)


def _visit(page, path: str) -> None:
    res = page.goto(path)
    assert res is not None and res.status == 200, (path, res and res.status)
    page.wait_for_load_state("load")


def test_every_main_page_runs_under_the_csp_with_no_violation(open_page, live_server, team):
    coordinator, admin = _people(live_server, team)
    page = open_page()
    complaints, blocked = _watch(page)
    log_in(page, type(team)(**{**team.__dict__, "username": coordinator}))
    for path in COORDINATOR_PAGES:
        _visit(page, path)
    # The menu button and the outbox status are drawn by app.js: the nonce let it run.
    assert page.locator("[data-outbox]").count() == 1
    _visit(page, MAP_ALL_LAYERS)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length")
    cells = page.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path').length")
    assert cells >= 3
    assert page.locator(".leaflet-control-layers input").count() >= 3
    # The page's own inline script ran too: it shows the "count again" button.
    assert page.locator("#map-refine").is_visible()
    page.context.clear_cookies()
    log_in(page, type(team)(**{**team.__dict__, "username": admin}))
    for path in ADMIN_PAGES:
        _visit(page, path)
    assert complaints == []
    # Nothing left the machine but the (blocked) map tiles, which the CSP allows as images.
    assert all(urlparse(u).hostname == "tile.openstreetmap.org" for u in blocked), blocked


def test_an_inline_script_without_the_nonce_is_blocked_and_reported(open_page, live_server, team):
    # The watch above could not miss a violation: a script injected without the nonce is refused.
    coordinator, _admin = _people(live_server, team)
    page = open_page()
    complaints, _blocked = _watch(page)
    log_in(page, type(team)(**{**team.__dict__, "username": coordinator}))
    _visit(page, "/handouts/new")
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran === undefined")
    assert any("script-src" in c for c in complaints), complaints
