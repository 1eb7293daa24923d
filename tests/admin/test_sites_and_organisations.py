"""Sites (typed or looked-up points), organisations, products and the audit log."""

from __future__ import annotations

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.extensions import db
from outreach.orgs.models import Organisation, Site
from outreach.products.models import Product


def _admin(make):
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    make.commit()
    return org, admin


def test_site_with_coordinates_appears_on_the_peers_handout_form(client, auth, make, browser):
    org, admin = _admin(make)
    peer = make.user(role="peer", organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        "/admin/sites/new",
        data={"name": "Dyfatty Hub", "area": "", "latitude": "51.6253", "longitude": "-3.9447"},
    )
    assert resp.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Dyfatty Hub"))
    assert (site.org_id, site.latitude, site.area) == (org.id, 51.6253, org.area)
    peer_client = browser()
    peer_client.login(peer.username)
    form = peer_client.get("/handouts/new")
    assert form.status_code == 200 and "Dyfatty Hub" in form.get_data(as_text=True)


def test_site_without_coordinates_is_placed_by_its_place_name(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    resp = client.post("/admin/sites/new", data={"name": "Cardiff base", "place_name": "Cardiff"})
    assert resp.status_code == 302
    site = db.session.scalar(select(Site))
    assert abs(site.latitude - 51.48) < 0.1 and abs(site.longitude + 3.18) < 0.1


def test_site_with_no_position_is_refused_and_keeps_the_typed_name(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    resp = client.post(
        "/admin/sites/new", data={"name": "Lost hub", "place_name": "Nowhere-at-all-xyz"}
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'id="place_name-err"' in body and 'value="Lost hub"' in body
    assert db.session.scalar(select(Site)) is None


def test_closing_a_site_removes_it_from_the_handout_form_and_is_audited(
    client, auth, make, browser
):
    org, admin = _admin(make)
    site = make.site(organisation=org, name="Old Hostel")
    peer = make.user(organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        f"/admin/sites/{site.id}/edit",
        data={"name": "Old Hostel", "latitude": "51.6", "longitude": "-3.9"},  # active unticked
    )
    assert resp.status_code == 302
    db.session.refresh(site)
    assert not site.active and site.latitude == 51.6
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "site"))
    assert (event.action, event.record_id) == ("update", site.id)
    peer_client = browser()
    peer_client.login(peer.username)
    assert "Old Hostel" not in peer_client.get("/handouts/new").get_data(as_text=True)


def test_another_organisations_site_is_404_and_not_listed(client, auth, make):
    _, admin = _admin(make)
    theirs = make.site(organisation=make.org(), name="Their Site")
    make.commit()
    auth.login(admin)
    assert client.get(f"/admin/sites/{theirs.id}/edit").status_code == 404
    assert "Their Site" not in client.get("/admin/sites").get_data(as_text=True)


def test_platform_admin_creates_an_organisation_with_its_first_admin(client, auth, make):
    boss = make.user(role="platform_admin")
    make.commit()
    auth.login(boss)
    resp = client.post(
        "/admin/organisations/new",
        data={
            "name": "Cwm Taf Peers",
            "area": "Cwm Taf Morgannwg",
            "admin_username": "cwmadmin",
            "admin_display_name": "Cwm Admin",
            "admin_password": "a long new password",
        },
    )
    assert resp.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Cwm Taf Peers"))
    first = db.session.scalar(select(User).where(User.username == "cwmadmin"))
    assert org.area == "Cwm Taf Morgannwg" and (first.org_id, first.role) == (org.id, "org_admin")
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Cwm Taf Peers" in listing


def test_duplicate_organisation_name_is_refused_next_to_the_name(client, auth, make):
    boss = make.user(role="platform_admin")
    existing = make.org(name="Kaleidoscope")
    make.commit()
    auth.login(boss)
    resp = client.post("/admin/organisations/new", data={"name": existing.name, "area": "Gwent"})
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'id="name-err">An organisation with this name exists.' in body
    assert 'value="Gwent"' in body


def test_closing_an_organisation_stops_its_users_logging_in(client, auth, make, browser):
    boss = make.user(role="platform_admin")
    other = make.org()
    peer = make.user(organisation=other)
    make.commit()
    auth.login(boss)
    resp = client.post(f"/admin/organisations/{other.id}/active", data={"active": "0"})
    assert resp.status_code == 302
    db.session.refresh(other)
    assert not other.active
    assert browser().login(peer.username).status_code == 401


def test_organisation_pages_are_for_the_platform_admin_only(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    assert client.get("/admin/organisations").status_code == 403
    assert client.get("/admin/organisations/new").status_code == 403
    resp = client.post("/admin/organisations/new", data={"name": "Sneaky", "area": "X"})
    assert resp.status_code == 403
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Sneaky")) is None


def test_only_the_platform_admin_adds_a_product(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    assert client.get("/products/").status_code == 200
    data = {"name": "Prenoxad 2 mg", "strength": "2 mg/2 ml", "route": "intramuscular"}
    data["doses_per_kit"] = "5"
    assert client.post("/products/new", data=data).status_code == 403
    auth.logout()
    boss = make.user(role="platform_admin")
    make.commit()
    auth.login(boss)
    assert client.post("/products/new", data=data).status_code == 302
    product = db.session.scalar(select(Product))
    assert (product.route, product.doses_per_kit) == ("intramuscular", 5)
    assert "Prenoxad 2 mg" in client.get("/products/").get_data(as_text=True)


def test_audit_page_lists_a_login_and_filters_by_action(client, auth, make):
    _, admin = _admin(make)
    auth.login(admin)
    client.post("/admin/sites/new", data={"name": "Hub", "latitude": "51.6", "longitude": "-3.9"})
    page = client.get("/audit/").get_data(as_text=True)
    assert "<td>Logged in</td>" in page and f"<td>{admin.username}</td>" in page
    assert "<td>Created</td>" in page
    only_logins = client.get("/audit/?action=login").get_data(as_text=True)
    assert "<td>Logged in</td>" in only_logins and "<td>Created</td>" not in only_logins
