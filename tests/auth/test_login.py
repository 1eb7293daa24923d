"""Logging in and out: throttling shared by every worker, safe redirects, revocable sessions."""

from __future__ import annotations

import re

import pytest

from outreach import create_app
from outreach.auth.models import User
from outreach.config import ConfigError
from outreach.extensions import db
from outreach.redirects import safe_next
from tests.factories import PASSWORD


def test_login_with_right_password_lands_on_home(client, auth, make):
    peer = make.user()
    make.commit()
    resp = auth.login(peer)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert "New handout" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, auth, make):
    peer = make.user()
    make.commit()
    resp = auth.login(peer, "wrong password!!")
    assert resp.status_code == 401
    assert "Wrong username or password." in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still logged out


def test_login_page_has_username_and_password_labels(client):
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'<label for="username">Username\b', page)
    assert re.search(r'<label for="password">Password\b', page)


def test_failures_are_counted_across_worker_processes(app, make, database_url):
    """Two app instances stand for two gunicorn workers: they share one counter."""
    peer = make.user()
    make.commit()
    other = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": database_url})
    clients = [app.test_client(), other.test_client()]
    for i in range(5):
        clients[i % 2].post("/login", data={"username": peer.username, "password": "nope-nope!"})
    # the right password is now refused on either worker until the lock ends
    for c in clients:
        resp = c.post("/login", data={"username": peer.username, "password": PASSWORD})
        assert resp.status_code == 429
        assert "Too many failed attempts" in resp.get_data(as_text=True)
    with other.app_context():
        from outreach.extensions import db

        db.engine.dispose()


def test_success_resets_the_failure_count(client, auth, make):
    peer = make.user()
    make.commit()
    for _ in range(4):
        auth.login(peer, "nope-nope!")
    assert auth.login(peer).status_code == 302
    auth.logout()
    for _ in range(4):
        auth.login(peer, "nope-nope!")
    assert auth.login(peer).status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/handouts/new", "/handouts/new"),
        ("https://evil.example/", None),
        ("//evil.example", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_next_redirect_stays_on_this_site(target, expected):
    assert safe_next(target) == expected


def test_login_follows_a_safe_next_and_ignores_an_unsafe_one(client, make):
    peer = make.user()
    make.commit()
    resp = client.post(
        "/login", data={"username": peer.username, "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert resp.headers["Location"] == "/"
    client.post("/logout")
    resp = client.post(
        "/login", data={"username": peer.username, "password": PASSWORD, "next": "/handouts/new"}
    )
    assert resp.headers["Location"] == "/handouts/new"


def test_logout_revokes_a_copied_session_cookie(app, client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200
    auth.logout()
    assert thief.get("/").status_code == 302  # sent to the login page


def test_session_cookie_is_httponly_and_samesite(client, auth, make):
    peer = make.user()
    make.commit()
    resp = auth.login(peer)
    header = resp.headers.get("Set-Cookie")
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_forms_refuse_a_post_without_csrf_token(app, make):
    peer = make.user()
    make.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        resp = app.test_client().post(
            "/login", data={"username": peer.username, "password": PASSWORD}
        )
        assert resp.status_code == 400
        assert "expired" in resp.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_production_refuses_to_start_without_secrets(monkeypatch):
    monkeypatch.setenv("OUTREACH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CLIENT_CODE_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_password_hash_is_argon2id_at_owasp_cost(app):
    from outreach.config import load_config

    cfg = load_config(app.instance_path)
    assert cfg["ARGON2_MEMORY_KIB"] >= 19 * 1024 and cfg["ARGON2_TIME_COST"] >= 2
    from outreach.auth.services import hash_password

    assert hash_password("a long enough password").startswith("$argon2id$")


def test_pages_need_login(client):
    resp = client.get("/handouts/new")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_platform_admin_records_no_field_work(client, auth, make):
    admin = make.user(role="platform_admin")
    make.commit()
    auth.login(admin)
    for path in ("/handouts/new", "/contacts/new", "/overdoses/new", "/handouts/"):
        assert client.get(path).status_code == 403, path


def test_the_language_picked_on_the_login_page_survives_the_login(client, auth, make):
    user = make.user(locale="en")
    other = make.user(locale="sv")
    make.commit()
    client.post("/language", data={"language": "cy", "next": "/login"})
    assert auth.login(user).status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="cy">' in page
    assert db.session.get(User, user.id).locale == "cy"  # and it is remembered
    auth.logout()
    # The next person on a shared tablet, who picked nothing, gets their own language.
    assert auth.login(other).status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="sv">' in page
