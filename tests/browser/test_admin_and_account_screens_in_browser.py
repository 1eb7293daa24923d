"""The screens the whole-app sweep leaves out, in English, Welsh and Swedish, on a phone (320 px)
and a tablet (768 px): the platform administrator's pages, the user and site edit pages,
/offline/saved, and the login, correction, void and own-password pages (also refused). No
serious or critical axe-core violation, nothing scrolls sideways at 320 px, the header takes at
most a fifth of the phone's height. And the login, own-password, correction and void forms are
filled and sent with the keyboard alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from outreach.auth.models import User
from outreach.auth.services import check_password
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from tests import factories
from tests.browser.support import LANGS, PHONE, TABLET
from tests.browser.test_accessibility_in_browser import _check

pytestmark = pytest.mark.browser


@dataclass
class People:
    peer: str
    org_admin: str
    platform_admin: str
    peer_id: int
    site_id: int
    handout_id: int
    contact_id: int
    report_id: int
    password: str = factories.PASSWORD


@pytest.fixture
def people(live_server) -> People:
    """An organisation with a peer (and one record of each kind), its administrator, and a
    platform administrator; made on the test's pinned clock, so the records can be corrected."""
    with live_server.ctx():
        org = factories.OrganisationFactory()
        site = factories.SiteFactory(organisation=org, latitude=51.6214, longitude=-3.9436)
        peer = factories.UserFactory(organisation=org, role="peer")
        factories.train(peer)
        admin = factories.UserFactory(organisation=org, role="org_admin")
        platform = factories.UserFactory(organisation=org, role="platform_admin")
        product = factories.ProductFactory()
        handout = factories.HandoutFactory(giver=peer, product=product, quantity=1)
        place = {"latitude": 51.6214, "longitude": -3.9436, "occurred_at": utcnow()}
        contact = OutreachContact(
            org_id=org.id, recorded_by_id=peer.id, setting="street", people_count=2, **place
        )
        report = OverdoseReport(
            org_id=org.id, recorded_by_id=peer.id, administered_by="peer", outcome="survived",
            **place,
        )  # fmt: skip
        db.session.add_all([contact, report])
        db.session.commit()
        return People(
            peer.username, admin.username, platform.username, peer.id, site.id,
            handout.id, contact.id, report.id,
        )  # fmt: skip


def _log_in(page, username: str, password: str, lang: str) -> None:
    """Pick the language on the login page, then log in (the language survives the login)."""
    page.goto("/login")
    _choose_language(page, lang)
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert not page.url.endswith("/login"), f"{username} could not log in"


def _choose_language(page, lang: str) -> None:
    if page.locator("html").get_attribute("lang") == lang:
        return
    page.select_option("#language", lang)
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()


def _fits_and_passes_axe(page, axe_source: str, lang: str) -> None:
    """The page as it is now, at 320 px and then 768 px."""
    page.set_viewport_size(PHONE)
    assert page.locator("html").get_attribute("lang") == lang
    box = page.evaluate(
        """() => ({
          scroll: document.documentElement.scrollWidth,
          width: document.documentElement.clientWidth,
          header: document.querySelector('header.top').getBoundingClientRect().height,
          height: window.innerHeight,
        })"""
    )
    assert box["scroll"] <= box["width"], f"{page.url} scrolls sideways at 320 px"
    assert box["header"] <= box["height"] / 5, f"{page.url}: header of {box['header']} px"
    _check(page, axe_source)
    page.set_viewport_size(TABLET)
    _check(page, axe_source)


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)


@pytest.mark.parametrize("lang", LANGS)
def test_the_login_page_and_a_refused_login_pass_axe_and_fit(open_page, people, axe_source, lang):
    page = open_page(PHONE)
    page.goto("/login")
    _choose_language(page, lang)
    _fits_and_passes_axe(page, axe_source, lang)
    page.locator("#username").fill(people.peer)
    page.locator("#password").fill("not the password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[data-error-summary]").count() == 1
    _fits_and_passes_axe(page, axe_source, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_platform_administrators_pages_pass_axe_and_fit(open_page, people, axe_source, lang):
    page = open_page(PHONE)
    _log_in(page, people.platform_admin, people.password, lang)
    assert page.url.endswith("/admin/organisations")  # the platform admin's start page
    for path in (
        "/admin/organisations",
        "/admin/organisations/new",
        "/admin/partnerships",
        "/admin/",
        "/audit/",
        "/account/password",
    ):
        _visit(page, path)
        _fits_and_passes_axe(page, axe_source, lang)
    # The new-organisation form, refused (nothing filled in).
    _visit(page, "/admin/organisations/new")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator("[data-error-summary]").count() == 1
    _fits_and_passes_axe(page, axe_source, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_user_and_site_edit_pages_pass_axe_and_fit(open_page, people, axe_source, lang):
    page = open_page(PHONE)
    _log_in(page, people.org_admin, people.password, lang)
    for path in (f"/admin/users/{people.peer_id}/edit", f"/admin/sites/{people.site_id}/edit"):
        _visit(page, path)
        _fits_and_passes_axe(page, axe_source, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_peers_saved_correction_void_and_password_pages_pass_axe_and_fit(
    open_page, people, axe_source, lang
):
    page = open_page(PHONE)
    _log_in(page, people.peer, people.password, lang)
    paths = [f"/offline/saved?why={why}" for why in ("", "expired", "server", "login")]
    for kind, record_id in (
        ("handouts", people.handout_id),
        ("contacts", people.contact_id),
        ("overdoses", people.report_id),
    ):
        paths += [f"/{kind}/{record_id}/edit", f"/{kind}/{record_id}/void"]
    paths.append("/account/password")
    for path in paths:
        _visit(page, path)
        _fits_and_passes_axe(page, axe_source, lang)
    # Refused: a void without its reason, and a password change with a wrong current password.
    _visit(page, f"/handouts/{people.handout_id}/void")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#reason-err").is_visible()
    _fits_and_passes_axe(page, axe_source, lang)
    _visit(page, "/account/password")
    page.locator("#current_password").fill("not the password")
    page.locator("#new_password").fill("a brand new passphrase")
    page.locator("#confirm").fill("a brand new passphrase")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#current_password-err").is_visible()
    _fits_and_passes_axe(page, axe_source, lang)


# --- The keyboard alone ---

_FOCUS = """() => { const el = document.activeElement;
  const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  const form = el.closest('main form[method=post], main form[method=POST]');
  return {name: el.name || el.id || el.textContent.trim(), tag: el.tagName, inForm: !!form,
          last: !!form && el === [...form.querySelectorAll('button[type=submit]')].pop(),
          summary: el.hasAttribute('data-error-summary'),
          visible: r.width > 0 && r.height > 0,
          // In a date field the browser's own calendar button takes a Tab stop of its own,
          // inside the field, with the browser's own focus ring.
          ring: s.outlineStyle !== 'none' || s.boxShadow !== 'none'
                || ((el.type || '').startsWith('date') && !el.matches(':focus'))}; }"""


def _tab_to(page, name: str, limit: int = 60) -> list[str]:
    """Press Tab until the control called `name` has the focus; each stop on the way must be
    visible and show a focus ring. Returns the main form's controls passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUS)
        if info["tag"] == "BODY":  # past the page's last control
            break
        assert info["visible"], f"focus went to a hidden control: {info['name']}"
        assert info["ring"], f"no focus indicator on {info['name']}"
        if info["inForm"]:
            passed.append(info["name"])
        if info["name"] == name:
            return passed
    raise AssertionError(f"the keyboard never reached {name!r} (passed {passed})")


def _start_in_main(page) -> None:
    page.locator("main h1").first.click()  # start after the header, as a reader would


def test_logging_in_with_the_keyboard_alone_even_after_a_wrong_password(open_page, people):
    page = open_page(PHONE, geolocation=False)
    page.goto("/login")
    _start_in_main(page)
    _tab_to(page, "username")
    page.keyboard.type(people.peer)
    _tab_to(page, "password")
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate(_FOCUS)["summary"], "after a refused login, focus is not on the errors"
    _tab_to(page, "password")  # onwards from the error summary
    page.keyboard.type(people.password)
    _tab_to(page, "Log in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.url.endswith("/login")


def test_changing_ones_own_password_with_the_keyboard_alone(open_page, live_server, people):
    page = open_page(PHONE, geolocation=False)
    _log_in(page, people.peer, people.password, "en")
    page.goto("/account/password")
    _start_in_main(page)
    for name, text in (
        ("current_password", people.password),
        ("new_password", "typed by keyboard alone"),
        ("confirm", "typed by keyboard alone"),
    ):
        _tab_to(page, name)
        page.keyboard.type(text)
    assert _tab_to(page, "Change password") == ["Change password"]  # the send button is next
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("You are logged out everywhere else.").is_visible()
    with live_server.ctx():
        user = db.session.get(User, people.peer_id)
        assert check_password(user, "typed by keyboard alone")


def test_correcting_and_voiding_a_handout_with_the_keyboard_alone(open_page, live_server, people):
    page = open_page(PHONE)
    _log_in(page, people.peer, people.password, "en")
    page.goto(f"/handouts/{people.handout_id}/edit")
    _start_in_main(page)
    passed = _tab_to(page, "quantity")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    # On to the form's last button, reaching every other control of the form on the way
    # (and opening "More details", as a keyboard user would).
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUS)
        assert info["visible"] and info["ring"], info
        assert info["inForm"], f"focus left the form before its last button: {info['name']}"
        passed.append(info["name"])
        if info["tag"] == "SUMMARY" and not page.evaluate(
            "document.activeElement.parentElement.open"
        ):
            page.keyboard.press("Enter")
        if info["last"]:
            break
    assert info["last"] and info["name"] == "Save correction", info
    wanted = page.evaluate(
        """() => [...document.querySelector('main form[method=post]')
              .querySelectorAll('input, select, textarea, button, summary')]
            .filter((el) => el.type !== 'hidden' && !el.disabled && el.checkVisibility())
            .map((el) => el.name || el.id || el.textContent.trim())"""
    )
    assert [w for w in wanted if w not in passed] == []
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/handouts/{people.handout_id}$", page.url), page.url
    with live_server.ctx():
        assert db.session.get(Handout, people.handout_id).quantity == 3

    page.goto(f"/handouts/{people.handout_id}/void")
    _start_in_main(page)
    _tab_to(page, "reason")
    page.keyboard.type("Recorded twice")
    _tab_to(page, "Void this record")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with live_server.ctx():
        assert db.session.get(Handout, people.handout_id).voided
