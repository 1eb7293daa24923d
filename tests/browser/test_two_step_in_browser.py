"""Two-step verification on a phone (320 px) and a tablet: setting it up (the QR code and the
key as text), the recovery codes, and the login's second step fit, pass axe-core, and are done
with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from outreach.extensions import db
from tests import factories
from tests.auth.conftest import code_now
from tests.browser.support import PHONE
from tests.browser.test_admin_and_account_screens_in_browser import _fits_and_passes_axe, _log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(live_server) -> str:
    with live_server.ctx():
        org = factories.OrganisationFactory(mfa_required=True)
        user = factories.UserFactory(organisation=org, role="coordinator")
        db.session.commit()
        return user.username


def test_setting_up_and_using_two_step_verification_on_a_phone(open_page, coordinator, axe_source):
    page = open_page(PHONE)
    _log_in(page, coordinator, factories.PASSWORD, "en")
    assert page.url.endswith("/account/two-step")  # required: sent to set it up first
    assert page.locator("figure.qr-code svg").count() == 1
    _fits_and_passes_axe(page, axe_source, "en")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("#code").focus()
    page.keyboard.type(code_now(secret))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    _fits_and_passes_axe(page, axe_source, "en")
    page = open_page(PHONE)  # another tablet: the login asks for the second step
    page.goto("/login")
    page.locator("#username").fill(coordinator)
    page.locator("#password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/login/verify")
    _fits_and_passes_axe(page, axe_source, "en")
    page.locator("#code").focus()
    page.keyboard.type(codes[0])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You used a recovery code: 9 left." in page.content()
