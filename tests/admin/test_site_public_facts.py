"""What a site tells the public: set in Administration → Sites, checked by the service, audited,
and read back into the form; the opening times as typed and as kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.orgs import hours
from outreach.orgs.models import Site
from outreach.orgs.publish import PublicFacts, SiteFactsError, set_public_facts

PLACE = {"name": "Dyfatty Hub", "latitude": "51.6253", "longitude": "-3.9447", "active": "y"}
FACTS = {
    "public": "y",
    "address": "1 Dyfatty Street, Swansea",
    "hours_mon": "9-17",
    "hours_tue": "09:00–12:30, 13:30–17:00",
    "hours_sat": "10.00 - 13.00",
    "hours_note": "Closed on bank holidays.",
    "languages": ["cy", "pl", "en"],
    "accessibility": "Step-free entrance.",
    "offers_nasal": "y",
    "offers_training": "y",
}


@pytest.fixture
def admin_site(auth, make):
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    site = make.site(organisation=org, name="Dyfatty Hub")
    make.commit()
    auth.login(admin)
    return site


def test_the_site_form_saves_what_the_public_may_read_and_audits_it(client, admin_site):
    site = admin_site
    assert site.public is False  # no site is public until its administrator says so
    res = client.post(f"/admin/sites/{site.id}/edit", data=PLACE | FACTS)
    assert res.status_code == 302
    db.session.refresh(site)
    assert site.public and site.offers_nasal and site.offers_training
    assert not site.offers_injectable
    assert site.opening_hours == "mon=09:00-17:00;tue=09:00-12:30,13:30-17:00;sat=10:00-13:00"
    assert (site.languages, site.address) == ("en,cy,pl", "1 Dyfatty Street, Swansea")
    assert (site.hours_note, site.accessibility) == (
        "Closed on bank holidays.",
        "Step-free entrance.",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "site"))
    assert (event.action, event.record_id) == ("update", site.id)
    assert (
        event.detail.startswith("Dyfatty Hub; public=True") and "offers_nasal=True" in event.detail
    )

    form = client.get(f"/admin/sites/{site.id}/edit").get_data(as_text=True)
    assert 'value="09:00-12:30, 13:30-17:00"' in form  # read back as it may be typed again
    ticked = re.findall(
        r'<input checked id="languages-\d+" name="languages" [^>]*value="(\w+)"', form
    )
    assert sorted(ticked) == ["cy", "en", "pl"]
    assert "1 Dyfatty Street, Swansea" in form


def test_times_that_cannot_be_read_are_refused_at_their_day_and_nothing_is_saved(
    client, admin_site
):
    site = admin_site
    res = client.post(
        f"/admin/sites/{site.id}/edit", data=PLACE | FACTS | {"hours_wed": "9 till late"}
    )
    assert res.status_code == 422
    body = res.get_data(as_text=True)
    assert 'id="hours_wed-err"' in body and 'value="9 till late"' in body
    assert 'value="1 Dyfatty Street, Swansea"' in body  # nothing typed is lost
    db.session.refresh(site)
    assert site.public is False and site.opening_hours is None


def test_a_language_not_on_the_list_is_refused(client, admin_site):
    res = client.post(
        f"/admin/sites/{admin_site.id}/edit", data=PLACE | FACTS | {"languages": ["cy", "xx"]}
    )
    assert res.status_code == 422
    db.session.refresh(admin_site)
    assert admin_site.languages is None


def test_a_new_site_may_be_public_from_the_start(client, admin_site):
    res = client.post("/admin/sites/new", data=PLACE | FACTS | {"name": "Second hub"})
    assert res.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Second hub"))
    assert site.public and site.opening_hours.startswith("mon=09:00-17:00")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.record_id == site.id)
    )
    assert "public=True" in event.detail


def test_the_service_refuses_what_the_form_would_not_send(app, make):
    site = make.site()
    with pytest.raises(SiteFactsError) as refused:
        set_public_facts(site, PublicFacts(public=True, days={"fri": "25:00-26:00"}))
    assert refused.value.field == "hours_fri"
    with pytest.raises(SiteFactsError) as refused:
        set_public_facts(site, PublicFacts(address="x" * 201))
    assert refused.value.field == "address"
    assert set_public_facts(site, PublicFacts()) == []  # the defaults: nothing changes


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("", ()),
        ("9-17", (("09:00", "17:00"),)),
        ("13:30-17:00, 09:00-12:30", (("09:00", "12:30"), ("13:30", "17:00"))),
        ("20:00 – 02:00", (("20:00", "02:00"),)),  # past midnight
        ("9h30-24", (("09:30", "24:00"),)),
    ],
)
def test_a_days_times_are_read_in_the_ways_people_write_them(typed, kept):
    assert hours.parse_day(typed) == kept


@pytest.mark.parametrize("typed", ["9", "9-9", "24:30-25", "9-12,13-14,15-16,17-18", "late"])
def test_a_day_that_cannot_be_read_is_refused_with_a_message(typed, app):
    with pytest.raises(hours.HoursError) as refused:
        hours.parse_day(typed)
    assert str(refused.value.message)


def test_the_kept_week_reads_back_as_it_was_kept():
    week = {"mon": (("09:00", "17:00"),), "sun": (("10:00", "12:00"), ("14:00", "16:00"))}
    kept = hours.keep(week)
    assert kept == "mon=09:00-17:00;sun=10:00-12:00,14:00-16:00"
    assert hours.read(kept) == week
    assert hours.keep({}) is None and hours.read(None) == {}
