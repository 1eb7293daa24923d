"""A peer saves a tally, an outreach contact and an overdose report in a real browser."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from tests.browser.support import PORTRAIT, SWANSEA, log_in

pytestmark = pytest.mark.browser


def _rows(live_server, model, **where) -> list:
    with live_server.ctx():
        stmt = select(model).filter_by(**where).order_by(model.id)
        rows = db.session.scalars(stmt).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def _wait_for_position(page) -> None:
    page.wait_for_function("() => document.querySelector('input[name=latitude]').value !== ''")


def _open_from_home(page, link_name: str, path: str) -> None:
    """Tap a quick action on the home page and land on its form."""
    page.get_by_role("link", name=link_name).click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    assert page.locator("main form").count() == 1


def test_peer_saves_a_tally_from_home(open_page, live_server, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    _open_from_home(page, "New tally", "/handouts/tally")
    _wait_for_position(page)
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("Number of kits").fill("12")
    page.get_by_label("Number of people", exact=True).fill("10")
    page.get_by_label("Number of people trained", exact=True).fill("9")
    page.get_by_role("button", name="Save tally").click()

    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    assert page.get_by_text("Tally saved.").is_visible()
    (tally,) = _rows(live_server, Handout, giver_id=team.peer_id)
    assert (tally.kind, tally.quantity, tally.people_count, tally.people_trained) == (
        "tally",
        12,
        10,
        9,
    )
    assert tally.latitude == pytest.approx(SWANSEA["latitude"], abs=1e-4)


def test_peer_saves_an_outreach_contact_from_home(open_page, live_server, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    _open_from_home(page, "New contact", "/contacts/new")
    _wait_for_position(page)
    page.get_by_label("Setting").select_option("street")
    page.get_by_label("Number of people", exact=True).fill("3")
    page.get_by_label("Naloxone", exact=True).check()
    page.get_by_label("Wound care", exact=True).check()
    page.get_by_role("button", name="Save contact").click()

    page.wait_for_url(re.compile(r"/contacts/\d+$"))
    assert page.get_by_text("Contact saved.").is_visible()
    (contact,) = _rows(live_server, OutreachContact, recorded_by_id=team.peer_id)
    assert (contact.people_count, contact.setting, contact.org_id) == (3, "street", team.org_id)
    assert sorted(s.service for s in contact.services) == ["naloxone", "wound_care"]


def test_peer_saves_an_overdose_report_from_home(open_page, live_server, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    _open_from_home(page, "Report an overdose", "/overdoses/new")
    _wait_for_position(page)
    who = page.get_by_role("group", name=re.compile("Who gave the naloxone|Administered by"))
    who.get_by_label("Peer worker", exact=True).check()
    page.get_by_role("group", name=re.compile("^Outcome")).get_by_label("Survived").check()
    page.get_by_role("button", name=re.compile("^Save")).last.click()

    page.wait_for_url(re.compile(r"/overdoses/\d+$"))
    assert page.get_by_role("status").filter(has_text="saved").first.is_visible()
    (report,) = _rows(live_server, OverdoseReport, recorded_by_id=team.peer_id)
    assert (report.administered_by, report.outcome, report.org_id) == (
        "peer",
        "survived",
        team.org_id,
    )
