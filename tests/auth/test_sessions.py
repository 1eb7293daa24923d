"""A login lasts SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS in all; logout, a
new password and deactivation end every session and API token of the person."""

from __future__ import annotations

import time
from datetime import timedelta

from flask_login.utils import encode_cookie

from outreach.auth.services import set_password, update_user
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.models.base import utcnow
from tests.api.conftest import Api, token_for
from tests.factories import PASSWORD

ENDED = "Your session has ended; please log in again."


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_session_ends_after_30_idle_minutes_with_a_message(client, auth, make, clock):
    peer = make.user()
    make.commit()
    auth.login(peer)
    clock.shift(timedelta(minutes=29))
    assert _logged_in(client)
    clock.shift(timedelta(minutes=31))
    resp = client.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert ENDED in page
    clock.shift(timedelta(seconds=1))
    assert not _logged_in(client)  # it stays ended


def test_requests_keep_a_session_alive_but_never_past_12_hours(client, auth, make, clock):
    peer = make.user()
    make.commit()
    auth.login(peer)
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        clock.shift(timedelta(minutes=20))
        assert _logged_in(client)
    clock.shift(timedelta(minutes=21))  # 12 h 1 min after the login
    assert not _logged_in(client)


def test_the_limits_come_from_config(app, client, auth, make, clock, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    peer = make.user()
    make.commit()
    auth.login(peer)
    clock.shift(timedelta(minutes=6))
    assert not _logged_in(client)
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 600)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 1)
    auth.login(peer)
    clock.shift(timedelta(minutes=61))
    assert not _logged_in(client)


def test_the_session_cookie_expires_with_the_absolute_limit(app, client, auth, make):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(hours=12)
    peer = make.user()
    make.commit()
    auth.login(peer)
    cookie = client.get_cookie("session")
    assert cookie.expires is not None
    lifetime = cookie.expires.timestamp() - time.time()
    assert 11.9 * 3600 < lifetime <= 12 * 3600 + 5


def test_a_remember_me_cookie_does_not_bring_a_session_back(app, client, make):
    peer = make.user()
    make.commit()
    with app.test_request_context():
        remembered = encode_cookie(peer.get_id())
    client.set_cookie("remember_token", remembered)
    assert not _logged_in(client)


def test_a_session_cookie_without_a_login_time_is_ended(app, client, make):
    peer = make.user()
    make.commit()
    with client.session_transaction() as sess:  # a cookie as Outreach issued before
        sess["_user_id"] = peer.get_id()
        sess["_fresh"] = True
    assert not _logged_in(client)


def test_logout_ends_every_session_and_token_of_the_person(app, client, auth, make):
    peer = make.user()
    make.commit()
    tablet = app.test_client()
    tablet.post("/login", data={"username": peer.username, "password": PASSWORD})
    api = Api(app.test_client(), token_for(app.test_client(), peer))
    auth.login(peer)
    assert _logged_in(tablet) and api.get("/me").status_code == 200
    auth.logout()
    assert not _logged_in(tablet) and not _logged_in(client)
    assert api.get("/me").status_code == 401


def test_deactivating_a_person_ends_their_sessions_and_tokens_for_good(app, client, auth, make):
    peer = make.user()
    make.commit()
    api = Api(app.test_client(), token_for(app.test_client(), peer))
    auth.login(peer)
    update_user(peer, display_name=peer.display_name, role=peer.role, active=False)
    db.session.commit()
    assert not _logged_in(client) and api.get("/me").status_code == 401
    update_user(peer, display_name=peer.display_name, role=peer.role, active=True)
    db.session.commit()  # active again: the old session and token stay dead
    assert not _logged_in(client) and api.get("/me").status_code == 401


def test_an_administrators_new_password_for_a_person_ends_their_sessions_and_tokens(
    app, client, auth, make
):
    peer = make.user()
    make.commit()
    api = Api(app.test_client(), token_for(app.test_client(), peer))
    auth.login(peer)
    set_password(peer, "a fresh long passphrase")
    db.session.commit()
    assert not _logged_in(client) and api.get("/me").status_code == 401


def test_a_token_dies_12_hours_after_issue_however_much_it_is_used(app, client, make, clock):
    peer = make.user()
    make.commit()
    api = Api(client, token_for(client, peer))
    for _ in range(23):  # every half hour for 11 h 30 min
        clock.shift(timedelta(minutes=30))
        assert api.get("/me").status_code == 200
    clock.shift(timedelta(minutes=31))
    assert api.get("/me").status_code == 401


def test_a_token_never_outlives_the_session_limit_whatever_api_token_hours_says(
    app, client, make, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "API_TOKEN_HOURS", 48)
    peer = make.user()
    make.commit()
    res = client.post("/api/v1/tokens", json={"username": peer.username, "password": PASSWORD})
    api = Api(client, res.get_json()["token"])
    limit = (utcnow() + timedelta(hours=12)).isoformat().replace("+00:00", "Z")
    assert res.get_json()["expires_at"] <= limit
    clock.shift(timedelta(hours=12, minutes=1))
    assert api.get("/me").status_code == 401


def test_a_record_form_sent_after_the_session_ended_is_kept_on_the_tablet(
    client, auth, make, clock
):
    peer = make.user()
    make.product()
    make.commit()
    auth.login(peer)
    clock.shift(timedelta(minutes=45))  # filled in slowly, out of signal
    resp = client.post("/contacts/new", data={"setting": "street", "people_count": "1"})
    assert resp.status_code == 401 and resp.headers["X-Outreach-Keep"] == "login"
    assert "You were logged out, so the record was not saved" in resp.get_data(as_text=True)
    assert db.session.query(OutreachContact).count() == 0
    other = client.post("/language", data={"language": "cy"})  # not a record form: as before
    assert other.status_code == 302 and "X-Outreach-Keep" not in other.headers
