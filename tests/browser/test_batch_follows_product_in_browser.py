"""The handout form's batch list follows the chosen product without a reload; without
JavaScript every batch is listed and the server refuses another product's batch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, timedelta

import pytest
import time_machine
from sqlalchemy import select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation, Site
from outreach.products.models import Product
from outreach.stock import services as svc
from tests import factories
from tests.browser.support import LANDSCAPE, log_in

pytestmark = pytest.mark.browser


@dataclass
class Bag:
    nasal: str
    syringe: str
    batches: dict[str, int]  # batch number: id


def _fill(live_server, team) -> Bag:
    """The peer's bag: nasal spray NAS-LATE and NAS-SOON, syringe SYR-GONE (expired) and SYR-OK."""
    today = date.today()
    lots = (
        ("nasal", "NAS-LATE", 400),
        ("nasal", "NAS-SOON", 90),
        ("syringe", "SYR-GONE", -2),
        ("syringe", "SYR-OK", 200),
    )
    with live_server.ctx(), live_server.app.test_request_context():
        org = db.session.get(Organisation, team.org_id)
        org.tracks_stock = True
        manager = factories.UserFactory(organisation=org, role="stock_manager")
        nasal = db.session.get(Product, team.product_id)
        syringe = factories.ProductFactory(route="intramuscular")
        peer = db.session.get(User, team.peer_id)
        site = db.session.get(Site, team.site_id)
        products = {"nasal": nasal, "syringe": syringe}
        found = {}
        with time_machine.travel(utcnow() - timedelta(days=30), tick=True):  # all still good
            for product, number, days in lots:
                movement = svc.receive(
                    site=site,
                    product=products[product],
                    batch_number=number,
                    expiry_date=today + timedelta(days=days),
                    quantity=5,
                    reference=None,
                    recorded_by=manager,
                )
                svc.transfer(
                    from_holding=svc.store_for(site),
                    to_holding=svc.bag_for(peer),
                    batch=movement.batch,
                    quantity=5,
                    recorded_by=manager,
                )
                found[number] = movement.batch_id
        db.session.commit()
        return Bag(str(nasal.id), str(syringe.id), found)


def _offered(page) -> list[str]:
    """The batch options a person can pick (the automatic choice aside)."""
    return page.eval_on_selector_all(
        "select[name=batch_id] option",
        "options => options.filter(o => !o.hidden && !o.disabled && o.value !== '0')"
        ".map(o => o.textContent.split(' — ')[0].split(' · ').pop())",
    )


def test_the_batch_list_follows_the_product_without_a_reload(open_page, live_server, team):
    bag = _fill(live_server, team)
    page = open_page(LANDSCAPE)
    log_in(page, team)
    page.goto("/handouts/new")
    batch = page.get_by_label("Batch", exact=True)
    page.get_by_label("Product").select_option(bag.nasal)
    assert sorted(_offered(page)) == ["NAS-LATE", "NAS-SOON"]
    assert batch.input_value() == str(bag.batches["NAS-SOON"])  # the first to expire

    loads = []
    page.on("load", lambda _page: loads.append(1))
    page.get_by_label("Product").select_option(bag.syringe)
    assert sorted(_offered(page)) == ["SYR-GONE", "SYR-OK"]
    assert batch.input_value() == str(bag.batches["SYR-OK"])  # not the expired lot
    assert loads == []  # no reload

    page.get_by_label("First supply").check()
    page.get_by_label("Latitude").fill("51.62")
    page.get_by_label("Longitude").fill("-3.94")
    page.get_by_role("button", name="Save handout").first.click()
    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    with live_server.ctx():
        handout = db.session.scalar(select(Handout).where(Handout.giver_id == team.peer_id))
        assert handout.batch_id == bag.batches["SYR-OK"]


def test_without_javascript_every_batch_is_listed_and_the_server_checks_the_product(
    browser, live_server, team
):
    bag = _fill(live_server, team)
    context = browser.new_context(
        viewport=LANDSCAPE, locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, team)
        page.goto("/handouts/new")
        assert sorted(_offered(page)) == ["NAS-LATE", "NAS-SOON", "SYR-GONE", "SYR-OK"]
        page.get_by_label("Product").select_option(bag.nasal)
        page.get_by_label("Batch", exact=True).select_option(str(bag.batches["SYR-OK"]))
        page.get_by_label("First supply").check()
        page.get_by_label("Latitude").fill("51.62")
        page.get_by_label("Longitude").fill("-3.94")
        page.get_by_role("button", name="Save handout").first.click()
        page.wait_for_load_state()
        assert page.get_by_text("This batch is of another product.", exact=True).is_visible()
        with live_server.ctx():
            assert (
                db.session.scalar(select(Handout).where(Handout.giver_id == team.peer_id)) is None
            )
    finally:
        context.close()


def test_a_handout_form_left_open_is_saved_at_the_time_it_is_sent(
    open_page, live_server, team, _pinned_clock
):
    """The form is opened at 10:00 with an empty bag; kits arrive at 10:20 and the handout is
    sent then. Its untouched "When" means 10:20, so the bag's past covers it."""
    page = open_page(LANDSCAPE)
    log_in(page, team)
    page.goto("/handouts/new")
    _pinned_clock.shift(20 * 60)
    page.clock.fast_forward("20:00")
    with live_server.ctx(), live_server.app.test_request_context():
        org = db.session.get(Organisation, team.org_id)
        org.tracks_stock = True
        manager = factories.UserFactory(organisation=org, role="stock_manager")
        site = db.session.get(Site, team.site_id)
        movement = svc.receive(
            site=site,
            product=db.session.get(Product, team.product_id),
            batch_number="LATE-OPEN",
            expiry_date=date.today() + timedelta(days=300),
            quantity=3,
            reference=None,
            recorded_by=manager,
        )
        svc.transfer(
            from_holding=svc.store_for(site),
            to_holding=svc.bag_for(db.session.get(User, team.peer_id)),
            batch=movement.batch,
            quantity=3,
            recorded_by=manager,
        )
        db.session.commit()
    page.get_by_label("Product").select_option(str(team.product_id))
    page.get_by_label("First supply").check()
    page.get_by_label("Latitude").fill("51.62")
    page.get_by_label("Longitude").fill("-3.94")
    page.get_by_role("button", name="Save handout").first.click()
    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    with live_server.ctx():
        handout = db.session.scalar(select(Handout).where(Handout.giver_id == team.peer_id))
        assert handout.occurred_at.astimezone(UTC).strftime("%H:%M") == "10:20"


def test_on_a_phone_the_chosen_batchs_whole_label_is_written_under_the_list(
    open_page, live_server, team
):
    bag = _fill(live_server, team)
    page = open_page({"width": 320, "height": 844})
    log_in(page, team)
    page.goto("/handouts/new")
    page.get_by_label("Product").select_option(bag.nasal)
    detail = page.locator("[data-batch-detail]")
    assert "in bag · NAS-SOON" in detail.inner_text()
    assert detail.inner_text().startswith("expires ")
    page.get_by_label("Batch", exact=True).select_option(str(bag.batches["NAS-LATE"]))
    assert "NAS-LATE" in detail.inner_text()
    box = detail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
