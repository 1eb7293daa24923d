"""Every user changes their own password: the current one first, the admin forms' rules, and
every other session and API token of theirs ends while this one goes on."""

from __future__ import annotations

import pytest

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.api.conftest import token_for
from tests.factories import PASSWORD

NEW = "a new long passphrase"


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm": confirm or new}
    return client.post("/account/password", data=data)


@pytest.mark.parametrize("role", ["peer", "coordinator", "org_admin", "platform_admin"])
def test_the_page_is_linked_from_the_header_for_every_role(client, auth, make, role):
    user = make.user(role)
    make.commit()
    auth.login(user)
    assert 'href="/account/password"' in client.get("/login", follow_redirects=True).get_data(
        as_text=True
    )
    assert client.get("/account/password").status_code == 200


def test_only_a_logged_in_user_reaches_the_page(client):
    resp = client.get("/account/password")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_new_password_ends_every_other_session_and_token_but_not_this_one(
    app, client, auth, make
):
    peer = make.user()
    make.commit()
    other = app.test_client()  # the same person on another tablet
    other.post("/login", data={"username": peer.username, "password": PASSWORD})
    token = token_for(other, peer)
    auth.login(peer)
    resp = _change(client)
    assert resp.status_code == 302
    home = client.get("/")  # this session goes on
    assert home.status_code == 200
    assert "You are logged out everywhere else." in home.get_data(as_text=True)
    assert other.get("/").status_code == 302  # the other one is logged out
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    auth.logout()
    assert auth.login(peer).status_code == 401  # the old password no longer works
    assert auth.login(peer, NEW).status_code == 302
    event = db.session.query(AuditEvent).filter_by(action="update", record_id=peer.id).one()
    assert event.detail == "own password changed" and NEW not in event.detail


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password!!", NEW, NEW, "The current password is wrong."),
        (PASSWORD, "short", "short", "A password needs at least 12 characters."),
        (
            PASSWORD,
            "Password1234",
            "Password1234",
            "That password is one of the most common ones: choose another.",
        ),
        (PASSWORD, NEW, NEW + "x", "The two new passwords are not the same."),
        (PASSWORD, PASSWORD, PASSWORD, "Choose a password different from the current one."),
    ],
)
def test_a_refused_change_says_why_and_keeps_the_password(
    client, auth, make, current, new, confirm, message
):
    peer = make.user()
    make.commit()
    auth.login(peer)
    resp = _change(client, current, new, confirm)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    auth.logout()
    assert auth.login(peer).status_code == 302


def test_wrong_current_passwords_are_slowed_like_logins(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    statuses = [_change(client, "wrong password!!").status_code for _ in range(6)]
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    refused = _change(client)  # even the right one, while this address waits
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
