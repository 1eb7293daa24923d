"""A coordinator filters a list, downloads it as CSV, and is told when it is too long."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from outreach.auth.models import User
from outreach.extensions import db
from outreach.products.models import Product
from tests import factories
from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def _coordinator_with_handouts(live_server, team):
    with live_server.ctx():
        peer = db.session.get(User, team.peer_id)
        coordinator = factories.UserFactory(organisation=peer.organisation, role="coordinator")
        for setting in ("hostel", "hostel", "street"):
            factories.HandoutFactory(
                giver=peer,
                product=db.session.get(Product, team.product_id),
                site_id=team.site_id,
                location_source="site",
                setting=setting,
            )
        db.session.commit()
        return dataclasses.replace(team, username=coordinator.username)


def _filter_hostel(page) -> None:
    page.goto("/handouts/")
    page.get_by_label("Setting").select_option("hostel")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()


def test_the_download_holds_the_filtered_list_and_a_too_long_one_is_refused_on_the_page(
    open_page, live_server, team
):
    page = open_page({"width": 320, "height": 844})
    log_in(page, _coordinator_with_handouts(live_server, team))
    _filter_hostel(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("outreach-handouts-")
    with open(download.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert [r["Setting"] for r in rows] == ["Hostel", "Hostel"]
    assert {r["Where"] for r in rows} == {team.site_name}

    live_server.app.config["EXPORT_MAX_ROWS"] = 1
    try:
        with page.expect_navigation():
            page.get_by_role("link", name="Download CSV").click()
        alert = page.get_by_role("alert")
        assert "This list holds 2 records and a download holds at most 1." in alert.inner_text()
        assert page.get_by_label("Setting").input_value() == "hostel"  # the filters stay
    finally:
        live_server.app.config["EXPORT_MAX_ROWS"] = 100_000
