"""Organisation administrators manage their own people, and can never escalate a role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from outreach.admin.services import AdminError, create_member
from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.extensions import db

NEW_PASSWORD = "a long new password"


def _admin(make, **kw):
    org = make.org()
    admin = make.user(role="org_admin", organisation=org, **kw)
    make.commit()
    return org, admin


def test_org_admin_creates_a_user_who_can_then_log_in(client, auth, make, browser):
    org, admin = _admin(make)
    auth.login(admin)
    resp = client.post(
        "/admin/users/new",
        data={
            "username": "Ceri",
            "display_name": "Ceri Jones",
            "role": "coordinator",
            "password": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "ceri"))
    assert (user.org_id, user.role, user.display_name) == (org.id, "coordinator", "Ceri Jones")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
    assert (event.action, event.record_id, event.user_id) == ("create", user.id, admin.id)
    ceri = browser()
    login = ceri.login("ceri", NEW_PASSWORD)
    assert login.status_code == 302 and login.headers["Location"] == "/"
    assert "Ceri Jones" in ceri.get("/").get_data(as_text=True)


def test_org_admin_cannot_create_a_platform_admin(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    resp = client.post(
        "/admin/users/new",
        data={
            "username": "boss",
            "display_name": "Boss",
            "role": "platform_admin",
            "password": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 422
    assert db.session.scalar(select(User).where(User.username == "boss")) is None
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="platform_admin"' not in form and 'value="org_admin"' in form


def test_create_member_service_refuses_platform_admin_from_an_org_admin(app, make):
    _, admin = _admin(make)
    with pytest.raises(AdminError) as refused:
        create_member(admin, "boss", "Boss", "platform_admin", NEW_PASSWORD)
    assert refused.value.field == "role"
    assert db.session.scalar(select(User).where(User.username == "boss")) is None


def test_org_admin_cannot_promote_a_member_to_platform_admin(client, auth, make):
    org, admin = _admin(make)
    peer = make.user(organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        f"/admin/users/{peer.id}/edit",
        data={"display_name": peer.display_name, "role": "platform_admin", "active": "y"},
    )
    assert resp.status_code == 422
    db.session.refresh(peer)
    assert peer.role == "peer"


def test_rejected_new_user_keeps_what_was_typed_and_says_why(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    resp = client.post(
        "/admin/users/new",
        data={"username": "dai", "display_name": "Dai Evans", "role": "peer", "password": "short"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "A password needs at least 12 characters." in body
    assert 'value="dai"' in body and 'value="Dai Evans"' in body
    assert db.session.scalar(select(User).where(User.username == "dai")) is None


def test_taken_username_is_shown_next_to_the_username(client, auth, make):
    org, admin = _admin(make)
    taken = make.user(organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        "/admin/users/new",
        data={
            "username": taken.username,
            "display_name": "Someone",
            "role": "peer",
            "password": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 422
    assert 'id="username-err">That username is taken.' in resp.get_data(as_text=True)


def test_deactivating_a_user_ends_their_session(client, auth, make, browser):
    org, admin = _admin(make)
    peer = make.user(organisation=org)
    make.commit()
    peer_client = browser()
    assert peer_client.login(peer.username).status_code == 302
    assert peer_client.get("/").status_code == 200
    auth.login(admin)
    resp = client.post(
        f"/admin/users/{peer.id}/edit",
        data={"display_name": peer.display_name, "role": "peer"},  # "active" unticked
    )
    assert resp.status_code == 302
    after = peer_client.get("/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    assert browser().login(peer.username).status_code == 401
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.record_id == peer.id and "active=False" in event.detail


def test_resetting_a_password_ends_sessions_and_the_new_one_works(client, auth, make, browser):
    org, admin = _admin(make)
    peer = make.user(organisation=org)
    make.commit()
    peer_client = browser()
    peer_client.login(peer.username)
    assert peer_client.get("/").status_code == 200
    auth.login(admin)
    client.post(
        f"/admin/users/{peer.id}/edit",
        data={
            "display_name": peer.display_name,
            "role": "peer",
            "active": "y",
            "new_password": NEW_PASSWORD,
        },
    )
    assert peer_client.get("/").status_code == 302
    assert browser().login(peer.username).status_code == 401
    assert browser().login(peer.username, NEW_PASSWORD).status_code == 302


def test_an_admins_own_password_is_not_changed_on_the_members_page(client, auth, make, browser):
    """Only where the current password is asked for (Account → Password)."""
    org, admin = _admin(make)
    make.commit()
    auth.login(admin)
    res = client.post(
        f"/admin/users/{admin.id}/edit",
        data={
            "display_name": admin.display_name,
            "role": admin.role,
            "active": "y",
            "new_password": NEW_PASSWORD,
        },
    )
    assert res.status_code == 422
    assert "Change your own password with" in res.get_data(as_text=True)
    assert browser().login(admin.username, NEW_PASSWORD).status_code == 401
    assert browser().login(admin.username).status_code == 302


def test_org_admin_changes_a_role_and_display_name(client, auth, make):
    org, admin = _admin(make)
    peer = make.user(organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        f"/admin/users/{peer.id}/edit",
        data={"display_name": "Gwen Lead", "role": "trainer", "active": "y"},
    )
    assert resp.status_code == 302
    db.session.refresh(peer)
    assert (peer.display_name, peer.role, peer.active) == ("Gwen Lead", "trainer", True)


def test_admin_cannot_deactivate_themselves(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    resp = client.post(
        f"/admin/users/{admin.id}/edit",
        data={"display_name": admin.display_name, "role": "org_admin"},
    )
    assert resp.status_code == 422
    assert "You cannot deactivate your own account." in resp.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_editing_another_organisations_user_is_404(client, auth, make):
    _, admin = _admin(make)
    stranger = make.user(organisation=make.org())
    make.commit()
    auth.login(admin)
    assert client.get(f"/admin/users/{stranger.id}/edit").status_code == 404
    resp = client.post(
        f"/admin/users/{stranger.id}/edit",
        data={"display_name": "Hacked", "role": "peer"},
    )
    assert resp.status_code == 404
    db.session.refresh(stranger)
    assert stranger.active and stranger.display_name != "Hacked"


def test_user_list_shows_only_the_own_organisations_people(client, auth, make):
    org, admin = _admin(make)
    make.user(organisation=org, display_name="Our Peer")
    make.user(organisation=make.org(), display_name="Their Peer")
    make.commit()
    auth.login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Our Peer" in page and "Their Peer" not in page


def test_platform_admin_sees_only_their_own_organisations_users(client, auth, make):
    org = make.org()
    boss = make.user(role="platform_admin", organisation=org)
    make.user(organisation=make.org(), display_name="Elsewhere Peer")
    make.commit()
    auth.login(boss)
    page = client.get("/admin/users").get_data(as_text=True)
    assert boss.display_name in page and "Elsewhere Peer" not in page


def test_org_admin_cannot_edit_a_platform_admin_of_the_same_organisation(client, auth, make):
    org, admin = _admin(make)
    boss = make.user(role="platform_admin", organisation=org)
    make.commit()
    auth.login(admin)
    assert client.get(f"/admin/users/{boss.id}/edit").status_code == 403


def test_coordinator_is_refused_the_admin_pages(client, auth, make):
    coordinator = make.user(role="coordinator")
    make.commit()
    auth.login(coordinator)
    for url in ("/admin/", "/admin/users", "/admin/users/new", "/admin/sites", "/audit/"):
        assert client.get(url).status_code == 403, url
