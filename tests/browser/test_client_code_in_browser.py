"""The client code is hashed on the tablet: only a digest leaves the browser."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from outreach.clientcode import code_digest, keyed_hash, legacy_digest
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.browser.support import CLIENT_CODE_KEY, PORTRAIT, log_in

pytestmark = pytest.mark.browser

INITIALS, BIRTH, SEX = "Qx", date(1979, 2, 28), "F"
SAVED = re.compile(r"/handouts/\d+$")


def _fill_handout_with_client_code(page, team) -> None:
    page.goto("/handouts/new")
    page.wait_for_function("() => document.querySelector('input[name=latitude]').value !== ''")
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("First supply").check()
    page.get_by_text("More details (optional)").click()
    page.get_by_label("Initials").fill(INITIALS)
    page.get_by_label("Date of birth").fill(BIRTH.isoformat())
    page.get_by_label("Sex").select_option(SEX)


def test_one_tap_on_save_submits_a_handout_with_a_client_code(open_page, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    _fill_handout_with_client_code(page, team)
    page.get_by_role("button", name="Save handout").last.click()
    page.wait_for_url(SAVED, timeout=15_000)


def test_only_a_digest_of_the_client_code_is_posted_and_its_keyed_hash_is_stored(
    open_page, live_server, team
):
    page = open_page(PORTRAIT)
    posts: list[str] = []
    page.on(
        "request",
        lambda req: (
            posts.append(req.post_data or "")
            if req.method == "POST" and req.url.endswith("/handouts/new")
            else None
        ),
    )
    log_in(page, team)
    _fill_handout_with_client_code(page, team)
    page.get_by_role("button", name="Save handout").last.click()
    page.wait_for_url(SAVED, timeout=15_000)
    assert page.get_by_text("Handout saved.").is_visible()

    assert len(posts) == 1, posts
    body = posts[0]
    sent = parse_qs(body, keep_blank_values=True)
    digest = code_digest(INITIALS, BIRTH, SEX, CLIENT_CODE_KEY)
    assert sent["client_code_digest"] == [digest]
    assert digest != legacy_digest(INITIALS, BIRTH, SEX)  # keyed on the tablet, not a SHA-256
    assert sent.get("client_initials", [""]) == [""]
    assert sent.get("client_dob", [""]) == [""]
    assert sent.get("client_sex", [""]) == [""]
    assert BIRTH.isoformat() not in body
    others = {k: v for k, v in sent.items() if k not in {"csrf_token", "client_code_digest"}}
    assert not any(INITIALS.lower() in value.lower() for vs in others.values() for value in vs)

    with live_server.ctx():
        handout = db.session.scalar(select(Handout).where(Handout.giver_id == team.peer_id))
        assert handout.client_hash == keyed_hash(digest, CLIENT_CODE_KEY)
