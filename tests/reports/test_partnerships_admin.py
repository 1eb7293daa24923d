"""The platform admin starts and ends partnerships; nobody else may."""

from __future__ import annotations

from sqlalchemy import select

from outreach.extensions import db
from outreach.orgs.models import Partnership
from tests import factories


def _admin():
    admin = factories.UserFactory(role="platform_admin")
    db.session.commit()
    return admin


def test_platform_admin_starts_a_partnership_stored_lower_id_first(client, auth, make):
    admin = _admin()
    a, b = make.org(), make.org()
    make.commit()
    auth.login(admin)
    resp = client.post("/admin/partnerships", data={"org_a": b.id, "org_b": a.id})
    assert resp.status_code == 302
    row = db.session.scalar(select(Partnership))
    assert (row.org_a_id, row.org_b_id, row.active) == (min(a.id, b.id), max(a.id, b.id), True)
    assert b"Active" in client.get("/admin/partnerships").data


def test_a_partnership_of_an_organisation_with_itself_is_refused_with_422(client, auth, make):
    admin = _admin()
    a = make.org()
    make.commit()
    auth.login(admin)
    resp = client.post("/admin/partnerships", data={"org_a": a.id, "org_b": a.id})
    assert resp.status_code == 422 and b"two different organisations" in resp.data
    assert db.session.scalar(select(Partnership)) is None


def test_ending_a_partnership_hides_the_partners_report(client, auth, world):
    admin = _admin()
    row = db.session.scalar(select(Partnership))
    auth.login(admin)
    assert client.post(f"/admin/partnerships/{row.id}/end").status_code == 302
    db.session.refresh(row)
    assert row.active is False
    auth.logout()
    auth.login(world.coordinator)
    resp = client.get(f"/reports/monthly?month=2026-10&org={world.partner.id}")
    assert resp.status_code == 404


def test_an_org_admin_may_not_manage_partnerships(client, auth, make):
    user = factories.UserFactory(role="org_admin")
    db.session.commit()
    auth.login(user)
    assert client.get("/admin/partnerships").status_code == 403
