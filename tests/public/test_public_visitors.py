"""What the public pages do to a visitor: no cookie but the language they choose, nothing about
them stored, and a rate limit per address whose key is a hash that changes every minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.throttle.models import ThrottleCount

PAGES = [
    "/naloxone/",
    "/naloxone/?lang=en",
    "/naloxone/?lang=cy&q=Caerdydd",
    "/naloxone/?lang=sv&lat=57.71&lon=11.97",
    "/naloxone/?q=Nowhere-at-all",
]


def _cookies(res) -> list[str]:
    return res.headers.getlist("Set-Cookie")


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_sets_no_cookie(client, places, path):
    res = client.get(path)
    assert res.status_code == 200
    assert _cookies(res) == []


def test_choosing_a_language_sets_the_one_cookie_and_nothing_else(client, places):
    res = client.get("/naloxone/language/cy")
    [cookie] = _cookies(res)
    assert cookie.startswith("lang=cy;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    after = client.get(res.headers["Location"])
    assert _cookies(after) == [] and '<html lang="cy">' in after.get_data(as_text=True)
    # The login page keeps the visitor's choice too.
    assert '<html lang="cy">' in client.get("/login").get_data(as_text=True)


def test_a_logged_in_staff_member_gets_no_session_cookie_from_the_public_page(
    client, auth, make, places
):
    auth.login(make.user("coordinator"))
    res = client.get("/naloxone/?lang=en")
    assert res.status_code == 200 and _cookies(res) == []
    assert "Log out" not in res.get_data(as_text=True)  # the page is the same for anyone


def _row_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def test_nothing_about_a_visitor_is_stored_but_a_hashed_counter(client, places):
    before = _row_counts()
    for path in PAGES:
        client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    client.get("/naloxone/language/sv", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    after = _row_counts()
    assert {t for t in after if after[t] != before[t]} == {"throttle_counts"}  # no audit row
    [key] = db.session.scalars(select(ThrottleCount.key))
    assert key.startswith("public:") and "203.0.113" not in key


def test_over_the_limit_a_visitor_waits_with_a_translated_message(client, app, places, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_PER_MINUTE", 3)
    for _ in range(3):
        assert client.get("/naloxone/?lang=en").status_code == 200
    res = client.get("/naloxone/?lang=cy")
    assert res.status_code == 429
    assert 0 < int(res.headers["Retry-After"]) <= 60
    assert res.headers["Cache-Control"] == "no-store" and _cookies(res) == []
    body = res.get_data(as_text=True)
    assert '<html lang="cy">' in body
    assert "Gormod o geisiadau" in body  # "Too many requests" in Welsh
    sv = client.get("/naloxone/?lang=sv").get_data(as_text=True)
    assert "För många förfrågningar" in sv
    # Another address is not slowed by this one.
    other = client.get("/naloxone/?lang=en", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 200


def test_the_limit_starts_again_each_minute_and_past_minutes_keys_are_deleted(
    client, app, places, monkeypatch, _pinned_clock
):
    monkeypatch.setitem(app.config, "PUBLIC_PER_MINUTE", 2)
    for _ in range(3):
        client.get("/naloxone/?lang=en")
    assert client.get("/naloxone/?lang=en").status_code == 429
    old_keys = set(db.session.scalars(select(ThrottleCount.key)))
    _pinned_clock.shift(timedelta(minutes=2))
    assert client.get("/naloxone/?lang=en").status_code == 200
    db.session.expire_all()
    keys = set(db.session.scalars(select(ThrottleCount.key)))
    assert len(keys) == 1 and not keys & old_keys  # a new key; the old one is gone


def test_an_ipv6_household_counts_as_one_visitor(client, app, places, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_PER_MINUTE", 2)
    for host in ("2001:db8:1:2::10", "2001:db8:1:2::11"):
        res = client.get("/naloxone/", environ_base={"REMOTE_ADDR": host})
        assert res.status_code == 200
    res = client.get("/naloxone/", environ_base={"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"})
    assert res.status_code == 429
