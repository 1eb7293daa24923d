"""On a 320 px phone, the start page's links to recent records and "Ask for more kits" (the
link on the start page and the button on the bag page) are touch targets of at least 44 x 44 px,
in English, Welsh and Swedish."""

from __future__ import annotations

import pytest

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from tests import factories
from tests.browser.support import LANGS, PHONE

pytestmark = pytest.mark.browser

MIN_TARGET = 44

# Each visible link or button matching the selector: its text and its box.
_BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.checkVisibility())
  .map((el) => { const r = el.getBoundingClientRect();
    return {text: el.innerText.trim().slice(0, 40), width: r.width, height: r.height}; })"""


@pytest.fixture
def stocked_peer(live_server) -> tuple[str, str]:
    """A peer of an organisation that tracks stock, with an empty bag and two records of each
    kind; and the organisation's coordinator. Their usernames."""
    with live_server.ctx():
        org = factories.OrganisationFactory(tracks_stock=True)
        factories.SiteFactory(organisation=org)
        peer = factories.UserFactory(organisation=org, role="peer")
        factories.train(peer)
        coordinator = factories.UserFactory(organisation=org, role="coordinator")
        product = factories.ProductFactory()
        place = {"latitude": 51.6214, "longitude": -3.9436, "occurred_at": utcnow()}
        for _ in range(2):
            factories.HandoutFactory(giver=peer, product=product)
            db.session.add(
                OutreachContact(
                    org_id=org.id, recorded_by_id=peer.id, setting="street", people_count=1,
                    **place,
                )
            )  # fmt: skip
            db.session.add(
                OverdoseReport(
                    org_id=org.id, recorded_by_id=peer.id, administered_by="peer",
                    outcome="survived", **place,
                )
            )  # fmt: skip
        db.session.commit()
        return peer.username, coordinator.username


def _log_in(page, username: str, lang: str) -> None:
    page.goto("/login")
    page.select_option("#language", lang)
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    page.locator("#username").fill(username)
    page.locator("#password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert not page.url.endswith("/login")


def _small(boxes: list[dict]) -> list[str]:
    return [
        f"{b['text']!r}: {b['width']:.0f} x {b['height']:.0f} px"
        for b in boxes
        if b["width"] < MIN_TARGET or b["height"] < MIN_TARGET
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_a_peers_recent_record_links_and_ask_for_more_kits_are_44px_on_a_phone(
    open_page, stocked_peer, lang
):
    peer, _coordinator = stocked_peer
    page = open_page(PHONE)
    _log_in(page, peer, lang)
    page.goto("/")
    recent = page.evaluate(
        _BOXES,
        "main [data-live=handouts] ul a, main [data-live=contacts] ul a,"
        " main [data-live=overdoses] ul a",
    )
    assert len(recent) == 6, recent  # two handouts, two contacts, two overdose reports
    assert _small(recent) == [], "recent-record links under 44 px:\n" + "\n".join(_small(recent))
    ask = page.evaluate(_BOXES, "main [data-live=bag] a[href$='/stock/bag']")
    assert len(ask) == 1, ask  # the empty bag's "Ask for more kits"
    assert _small(ask) == [], _small(ask)

    page.locator("main [data-live=bag] a[href$='/stock/bag']").click()
    page.wait_for_url("**/stock/bag")
    button = page.evaluate(_BOXES, "main #ask form button[type=submit]")
    assert len(button) == 1 and _small(button) == [], button


def test_a_coordinators_recent_overdose_report_links_are_44px_on_a_phone(open_page, stocked_peer):
    _peer, coordinator = stocked_peer
    page = open_page(PHONE)
    _log_in(page, coordinator, "cy")  # the longest words
    page.goto("/")
    links = page.evaluate(_BOXES, "main .columns ul.plain a[href*='/overdoses/']")
    assert len(links) == 2, links
    assert _small(links) == [], "\n".join(_small(links))
