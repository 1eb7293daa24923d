"""A record form whose CSRF token expired is shown again with what was typed: nothing is lost,
nothing is stored, and the tablet is told to keep the record."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from outreach.clientcode import code_digest, keyed_hash
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests import factories

DIGEST = code_digest("JS", date(1980, 5, 17), "M", "test-client-code-key")  # conftest's key


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _log_in(client, peer) -> None:
    token = _token(client.get("/login").get_data(as_text=True))
    data = {"username": peer.username, "password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302


def test_an_expired_handout_form_is_shown_again_with_its_entries_and_code_and_stores_nothing(
    app, client, make, csrf_on, _pinned_clock, monkeypatch
):
    # A token that expires while the session lives on (it ends after 30 idle minutes).
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 600)
    peer, product = make.user(), make.product()
    make.commit()
    _log_in(client, peer)
    old = _token(client.get("/handouts/new").get_data(as_text=True))
    _pinned_clock.shift(timedelta(seconds=app.config["WTF_CSRF_TIME_LIMIT"] + 60))
    form = {
        "csrf_token": old,
        "client_id": "6a0c3c1e-9a8b-4a8e-9d55-0c6f0b6f2f11",
        "product_id": product.id,
        "quantity": "7",
        "supply": "repeat",
        "latitude": "51.62",
        "longitude": "-3.94",
        "client_code_digest": DIGEST,
    }
    res = client.post("/handouts/new", data=form)
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    assert res.headers["X-Outreach-Keep"] == "expired"
    assert "This form had expired. Your entries are kept" in page
    assert 'value="7"' in page and DIGEST in page
    assert re.search(r'value="repeat"[^>]*checked|checked[^>]*value="repeat"', page)
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 0

    res = client.post("/handouts/new", data={**form, "csrf_token": _token(page)})
    assert res.status_code == 302
    handout = db.session.scalar(select(Handout))
    assert handout.quantity == 7
    assert handout.client_hash == keyed_hash(DIGEST, "test-client-code-key")


def test_an_expired_form_after_the_session_ended_is_an_error_page_that_says_keep_it(
    client, make, csrf_on
):
    make.product()
    make.commit()
    res = client.post("/contacts/new", data={"csrf_token": "stale", "setting": "street"})
    assert res.status_code == 400
    assert res.headers["X-Outreach-Keep"] == "expired"
    other = client.post("/language", data={"csrf_token": "stale", "language": "cy"})
    assert other.status_code == 400 and "X-Outreach-Keep" not in other.headers


def test_a_record_posted_after_logging_out_is_refused_with_keep_not_sent_to_login(client, make):
    product = make.product()
    make.commit()
    res = client.post("/handouts/new", data={"product_id": product.id, "supply": "first"})
    assert res.status_code == 401
    assert res.headers["X-Outreach-Keep"] == "login"
    assert "You were logged out, so the record was not saved" in res.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 0
    assert client.get("/handouts/new").status_code == 302  # a page to read still goes to login
