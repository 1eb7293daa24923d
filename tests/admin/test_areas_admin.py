"""Sites and organisations are placed in the bundled areas; the platform administrator enters
each area's estimate of people at risk, which the returns measure reach against."""

from __future__ import annotations

from sqlalchemy import select

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.orgs.models import Site
from tests import factories


def _area(code: str) -> Area:
    return db.session.scalar(select(Area).where(Area.code == code))


def test_a_site_gets_its_local_authority_and_outlet_type_and_its_supplies_count_there(
    client, auth, make
):
    load_areas(db.session)
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    make.commit()
    auth.login(admin)
    page = client.get("/admin/sites/new").get_data(as_text=True)
    assert 'value="W06000011"' in page and "Swansea, Swansea Bay University Health Board" in page
    resp = client.post(
        "/admin/sites/new",
        data={
            "name": "Gate",
            "latitude": "51.6166",
            "longitude": "-3.9573",
            "area_code": "W06000012",
            "outlet_type": "prison",
        },
    )
    assert resp.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Gate"))
    assert (site.area_id, site.outlet_type) == (_area("W06000012").id, "prison")
    handout = factories.HandoutFactory(giver=make.user(organisation=org), site_id=site.id)
    db.session.flush()
    assert handout.area_id == _area("W06000012").id


def test_a_board_is_not_a_sites_local_authority_and_what_was_typed_is_kept(client, auth, make):
    load_areas(db.session)
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        "/admin/sites/new",
        data={
            "name": "Typed name",
            "latitude": "51.6",
            "longitude": "-3.9",
            "area_code": "W11000031",
        },
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Not a valid choice" in page or "Choose a local authority" in page
    assert 'value="Typed name"' in page
    assert db.session.scalar(select(Site).where(Site.name == "Typed name")) is None


def test_an_organisations_home_area_takes_supplies_with_no_site(client, auth, make):
    load_areas(db.session)
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    make.commit()
    auth.login(admin)
    resp = client.post(
        "/admin/settings",
        data={
            "timezone": "Europe/London",
            "correction_days": "7",
            "retention_months": "24",
            "home_area_code": "W06000015",
        },
    )
    assert resp.status_code == 302
    handout = factories.HandoutFactory(giver=make.user(organisation=org))
    db.session.flush()
    assert handout.area_id == _area("W06000015").id == org.area_id


def test_the_platform_administrator_sets_an_estimate_that_the_reach_uses(client, auth, make):
    load_areas(db.session)
    org = make.org()
    platform = make.user(role="platform_admin", organisation=org)
    make.commit()
    auth.login(platform)
    board = _area("W11000031")
    listing = client.get("/admin/areas?country=W92000004").get_data(as_text=True)
    assert "Swansea Bay University Health Board" in listing
    resp = client.post(
        f"/admin/areas/{board.id}/estimate",
        data={"at_risk_estimate": "0", "at_risk_source": "x"},
    )
    assert resp.status_code == 422 and "from 1 to" in resp.get_data(as_text=True)
    resp = client.post(
        f"/admin/areas/{board.id}/estimate",
        data={"at_risk_estimate": "2400", "at_risk_source": "PHW estimate 2025"},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert (board.at_risk_estimate, board.at_risk_source) == (2400, "PHW estimate 2025")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "area"))
    assert "at_risk_estimate=2400" in event.detail
    body = client.get(
        "/api/v1/reports/returns", query_string={"area": "W92000004", "period": "FY2025"}
    ).get_json()
    reach = next(t for t in body["tables"] if t["key"] == "reach")
    row = next(r for r in reach["rows"] if r[0] == "Swansea Bay University Health Board")
    assert row[2] == 2400
