"""The language switcher: Welsh and Swedish interfaces, chosen in the page and kept."""

from __future__ import annotations

import pytest

from outreach.auth.models import User
from outreach.extensions import db
from tests.browser.support import log_in, open_menu

pytestmark = pytest.mark.browser


def _switch(page, code: str) -> None:
    open_menu(page)
    switcher = page.locator("form.lang")
    switcher.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


@pytest.mark.parametrize("code", ["cy", "sv"])
def test_switching_language_on_the_login_page_changes_html_lang_and_survives_reload(
    open_page, code
):
    page = open_page()
    page.goto("/login")
    assert _lang(page) == "en"
    _switch(page, code)
    assert _lang(page) == code
    assert page.url.rstrip("?").endswith("/login")
    page.reload()
    assert _lang(page) == code
    assert page.locator("select[name=language]").input_value() == code


@pytest.mark.parametrize("code", ["cy", "sv"])
def test_a_logged_in_peers_language_is_kept_on_reload_and_on_their_account(
    open_page, live_server, team, code
):
    page = open_page()
    log_in(page, team)
    page.goto("/handouts/new")
    _switch(page, code)
    assert _lang(page) == code
    assert page.url.rstrip("?").endswith("/handouts/new")
    page.reload()
    assert _lang(page) == code
    with live_server.ctx():
        assert db.session.get(User, team.peer_id).locale == code

    # A new browser (no cookies) gets the peer's language back at login.
    fresh = open_page()
    log_in(fresh, team)
    assert _lang(fresh) == code


def test_pages_kept_for_offline_speak_the_new_language_at_once(tablet, live_server, team):
    from tests.browser.offline import first_page, wait_until_ready_offline

    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)  # the worker has kept the pages, in English
    _switch(page, "cy")
    assert _lang(page) == "cy"
    wait_until_ready_offline(page)  # the new page's refresh has answered
    context.set_offline(True)
    page.goto("/handouts/new")  # from the worker's copy
    assert _lang(page) == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == "Cyflenwad newydd"
