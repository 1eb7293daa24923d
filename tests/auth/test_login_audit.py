"""Every login, failed login and logout is in the audit log, from the web and the API, with how
in `detail`, never a password; an unknown username is kept only as a keyed digest."""

from __future__ import annotations

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.auth.services import username_digest
from outreach.extensions import db
from tests.factories import PASSWORD

WRONG = "wrong-but-long-password"


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _no_secret_anywhere(*secrets: str) -> None:
    for event in db.session.scalars(select(AuditEvent)):
        text = f"{event.detail} {event.remote_addr}"
        assert not any(s in text for s in secrets), text


def test_a_web_login_and_logout_are_recorded_with_the_address(client, auth, make):
    peer = make.user()
    make.commit()
    client.post(
        "/login",
        data={"username": peer.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.3.3.3"},
    )
    auth.logout()
    (login,) = _events("login")
    assert (login.user_id, login.org_id, login.detail) == (peer.id, peer.org_id, "web")
    assert login.remote_addr == "10.3.3.3"
    (logout,) = _events("logout")
    assert logout.user_id == peer.id and logout.detail == "web"
    _no_secret_anywhere(PASSWORD)


def test_a_wrong_password_is_recorded_against_the_account_without_the_password(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer, WRONG)
    (failed,) = _events("login_failed")
    assert failed.record_type == "user" and failed.record_id == peer.id
    assert failed.org_id == peer.org_id and failed.detail == "web"  # their admin sees it
    _no_secret_anywhere(WRONG)


def test_an_unknown_username_is_kept_only_as_a_keyed_digest(client, auth):
    typed = "my-secret-pass"  # a password typed in the username box
    auth.login(typed, WRONG)
    auth.login(typed, WRONG)
    first, second = _events("login_failed")
    assert first.user_id is None and first.org_id is None and first.record_id is None
    assert first.detail == f"web, unknown username #{username_digest(typed)}"
    assert first.detail == second.detail  # the same name can be followed
    _no_secret_anywhere(typed, WRONG)


def test_the_digest_needs_the_server_key(app, monkeypatch):
    digest = username_digest("someone")
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
    assert username_digest("someone") != digest and len(digest) == 16


def test_throttled_attempts_are_recorded_too(client, auth, make):
    peer = make.user()
    make.commit()
    for _ in range(6):
        auth.login(peer, WRONG)
    details = [e.detail for e in _events("login_failed")]
    assert details == ["web"] * 5 + ["web, throttled"]


def test_api_logins_and_failures_are_recorded(client, make):
    peer = make.user()
    make.commit()
    client.post("/api/v1/tokens", json={"username": peer.username, "password": WRONG})
    client.post("/api/v1/tokens", json={"username": "nobody", "password": WRONG})
    client.post("/api/v1/tokens", json={"username": peer.username, "password": PASSWORD})
    failed = _events("login_failed")
    assert [(e.record_id, e.detail.split(" #")[0]) for e in failed] == [
        (peer.id, "api"),
        (None, "api, unknown username"),
    ]
    (login,) = _events("login")
    assert login.user_id == peer.id and login.detail == "api"
    _no_secret_anywhere(PASSWORD, WRONG)
