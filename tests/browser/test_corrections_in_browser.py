"""In a real browser: a peer corrects and voids a record from its page, the pages pass axe,
and a user changes their own password from the header."""

from __future__ import annotations

import re

import pytest

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.products.models import Product
from tests import factories
from tests.browser.support import PORTRAIT, log_in, open_menu
from tests.browser.test_accessibility_in_browser import _check

pytestmark = pytest.mark.browser


def _handout(live_server, team, **kw) -> int:
    with live_server.ctx():
        handout = factories.HandoutFactory(
            giver=db.session.get(User, team.peer_id),
            product=db.session.get(Product, team.product_id),
            **kw,
        )
        db.session.commit()
        return handout.id


def _read(live_server, handout_id: int) -> Handout:
    with live_server.ctx():
        handout = db.session.get(Handout, handout_id)
        db.session.expunge(handout)
        return handout


def test_a_peer_corrects_then_voids_a_handout_from_its_page(open_page, live_server, team):
    handout_id = _handout(live_server, team, quantity=1)
    page = open_page(PORTRAIT)
    log_in(page, team)
    page.goto(f"/handouts/{handout_id}")
    page.get_by_role("link", name="Correct", exact=True).click()
    page.wait_for_url(re.compile(rf"/handouts/{handout_id}/edit$"))
    assert page.get_by_label("Number of kits").input_value() == "1"
    page.get_by_label("Number of kits").fill("2")
    page.get_by_role("button", name="Save correction").first.click()

    page.wait_for_url(re.compile(rf"/handouts/{handout_id}$"))
    assert page.get_by_text("Correction saved.").is_visible()
    assert page.get_by_text("quantity: 1 → 2").is_visible()  # the page's history
    assert _read(live_server, handout_id).quantity == 2

    page.get_by_role("link", name="Void", exact=True).click()
    page.get_by_role("button", name="Void this record").click()
    page.wait_for_load_state()
    assert page.locator("#reason-err").is_visible()  # a reason is required
    page.get_by_label("Why is this record voided?").fill("Recorded twice")
    page.get_by_role("button", name="Void this record").click()

    page.wait_for_url(re.compile(rf"/handouts/{handout_id}$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("Voided")
    assert page.get_by_text("Reason: Recorded twice").is_visible()
    assert page.get_by_role("link", name="Correct", exact=True).count() == 0
    page.goto("/handouts/")
    assert page.locator(f"a[href='/handouts/{handout_id}']").count() == 0
    page.get_by_label("Voided records").select_option("only")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(f"a[href='/handouts/{handout_id}']").count() == 1


@pytest.mark.parametrize("step", ["edit", "void", "voided"])
def test_the_correction_pages_have_no_serious_accessibility_violations(
    open_page, live_server, team, axe_source, step
):
    handout_id = _handout(live_server, team)
    page = open_page(PORTRAIT)
    log_in(page, team)
    if step == "voided":
        page.goto(f"/handouts/{handout_id}/void")
        page.get_by_label("Why is this record voided?").fill("Recorded twice")
        page.get_by_role("button", name="Void this record").click()
        page.wait_for_url(re.compile(rf"/handouts/{handout_id}$"))
    else:
        page.goto(f"/handouts/{handout_id}/{step}")
    assert page.locator("main h1").count() == 1
    _check(page, axe_source)


def test_a_user_changes_their_password_from_the_header(open_page, team, axe_source):
    page = open_page()
    log_in(page, team)
    open_menu(page)
    page.get_by_role("link", name="Change password").click()
    page.wait_for_url(re.compile(r"/account/password$"))
    _check(page, axe_source)
    page.get_by_label("Current password").fill(team.password)
    page.locator("#new_password").fill("a brand new passphrase")
    page.get_by_label("New password again").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(lambda url: not url.endswith("/account/password"))
    assert page.get_by_text("You are logged out everywhere else.").is_visible()
    open_menu(page)
    assert page.get_by_role("button", name="Log out").is_visible()  # still logged in here
