"""A person's base site: set and cleared by their organisation's administrator, audited, and
never a site of another organisation, whatever id is posted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from outreach.admin.services import AdminError, update_member
from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.extensions import db

NEW_PASSWORD = "a long new password"
REFUSED = "Choose one of your organisation&#39;s sites."


@pytest.fixture
def org_world(make):
    org = make.org(name="Swansea Outreach")
    hub = make.site(organisation=org, name="City hub")
    hostel = make.site(organisation=org, name="Hostel outlet")
    closed = make.site(organisation=org, name="Old drop-in", active=False)
    other = make.site(organisation=make.org(name="Cardiff Service"), name="Cardiff hub")
    admin = make.user(role="org_admin", organisation=org)
    peer = make.user(organisation=org, display_name="Gwen Peer")
    make.commit()
    return {
        "org": org,
        "hub": hub,
        "hostel": hostel,
        "closed": closed,
        "other": other,
        "admin": admin,
        "peer": peer,
    }


def _edit(client, peer, site_id, **extra):
    data = {"display_name": peer.display_name, "role": peer.role, "active": "y"}
    return client.post(f"/admin/users/{peer.id}/edit", data={**data, "site_id": site_id, **extra})


def _updates(record_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "update", AuditEvent.record_id == record_id)
            .order_by(AuditEvent.id)
        )
    )


def test_the_new_user_form_offers_none_and_the_organisations_open_sites_only(
    client, auth, org_world
):
    auth.login(org_world["admin"])
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'id="site_id" name="site_id"><option selected value="">— none —</option>' in page
    assert f'value="{org_world["hub"].id}">City hub</option>' in page
    assert "Hostel outlet" in page
    assert "Old drop-in" not in page and "Cardiff hub" not in page


def test_the_admin_bases_a_new_user_at_a_site_and_the_audit_says_where(client, auth, org_world):
    hub = org_world["hub"]
    auth.login(org_world["admin"])
    resp = client.post(
        "/admin/users/new",
        data={
            "username": "dai",
            "display_name": "Dai Evans",
            "role": "peer",
            "site_id": hub.id,
            "password": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 302
    dai = db.session.scalar(select(User).where(User.username == "dai"))
    assert dai.site_id == hub.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
    assert event.record_id == dai.id
    assert event.detail == f"role=peer, base_site=City hub (site {hub.id})"
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "<td>City hub</td>" in listing


def test_the_admin_sets_changes_and_clears_a_base_site_each_change_audited(client, auth, org_world):
    peer, hub, hostel = org_world["peer"], org_world["hub"], org_world["hostel"]
    auth.login(org_world["admin"])
    assert _edit(client, peer, hub.id).status_code == 302
    db.session.refresh(peer)
    assert peer.site_id == hub.id
    form = client.get(f"/admin/users/{peer.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{hub.id}">City hub</option>' in form
    assert _edit(client, peer, hostel.id).status_code == 302
    db.session.refresh(peer)
    assert peer.site_id == hostel.id
    assert _edit(client, peer, "").status_code == 302  # "— none —"
    db.session.refresh(peer)
    assert peer.site_id is None
    assert _updates(peer.id) == [
        f"base_site=City hub (site {hub.id})",
        f"base_site=Hostel outlet (site {hostel.id})",
        "base_site=none",
    ]


def test_saving_a_user_without_changing_the_base_site_audits_no_site_change(
    client, auth, org_world
):
    peer, hub = org_world["peer"], org_world["hub"]
    peer.site_id = hub.id
    db.session.commit()
    auth.login(org_world["admin"])
    assert _edit(client, peer, hub.id, display_name="Gwen Lewis").status_code == 302
    db.session.refresh(peer)
    assert (peer.display_name, peer.site_id) == ("Gwen Lewis", hub.id)
    assert _updates(peer.id) == ["display_name=Gwen Lewis"]


@pytest.mark.parametrize("posted", ["other", "9999999", "2147483648", "-3", "hub; DROP"])
def test_another_organisations_site_or_any_other_id_is_refused_on_edit(
    client, auth, org_world, posted
):
    peer, hub = org_world["peer"], org_world["hub"]
    peer.site_id = hub.id
    db.session.commit()
    site_id = org_world["other"].id if posted == "other" else posted
    auth.login(org_world["admin"])
    resp = _edit(client, peer, site_id, display_name="Changed Name")
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert f'<p class="error" id="site_id-err">{REFUSED} </p>' in body
    assert 'value="Changed Name"' in body  # what was typed is kept
    db.session.refresh(peer)
    assert (peer.site_id, peer.display_name) == (hub.id, "Gwen Peer")
    assert _updates(peer.id) == []


def test_another_organisations_site_is_refused_when_creating_a_user(client, auth, org_world):
    auth.login(org_world["admin"])
    resp = client.post(
        "/admin/users/new",
        data={
            "username": "spy",
            "display_name": "Spy",
            "role": "peer",
            "site_id": org_world["other"].id,
            "password": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 422
    assert REFUSED in resp.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "spy")) is None


def test_the_service_refuses_another_organisations_site_whoever_calls_it(app, org_world):
    peer = org_world["peer"]
    with pytest.raises(AdminError) as refused:
        update_member(
            org_world["admin"],
            peer,
            display_name=peer.display_name,
            role="peer",
            active=True,
            site_id=org_world["other"].id,
        )
    assert refused.value.field == "site_id"
    db.session.rollback()
    assert db.session.get(User, peer.id).site_id is None


def test_nobody_is_newly_based_at_a_closed_site_but_a_base_that_closed_stays(
    client, auth, org_world
):
    peer, closed = org_world["peer"], org_world["closed"]
    auth.login(org_world["admin"])
    resp = _edit(client, peer, closed.id)
    assert resp.status_code == 422
    assert "This site is closed. Choose an open site, or none." in resp.get_data(as_text=True)
    db.session.refresh(peer)
    assert peer.site_id is None
    peer.site_id = closed.id  # based there before it closed
    db.session.commit()
    form = client.get(f"/admin/users/{peer.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{closed.id}">Old drop-in (closed)</option>' in form
    assert _edit(client, peer, closed.id, display_name="Gwen Lewis").status_code == 302
    db.session.refresh(peer)
    assert (peer.site_id, peer.display_name) == (closed.id, "Gwen Lewis")
