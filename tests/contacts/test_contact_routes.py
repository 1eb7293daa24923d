"""The outreach contact pages: saving, refusing bad input, idempotence and tenant walls."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.audit.models import AuditEvent
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _setup(make):
    org = make.org()
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    make.commit()
    return org, site, peer


def test_peer_saves_a_contact_with_only_a_site(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post("/contacts/new", data={"site_id": site.id})
    assert resp.status_code == 302
    contact = db.session.scalar(select(OutreachContact))
    assert (contact.people_count, contact.setting, contact.site_id) == (1, "street", site.id)
    assert (contact.recorded_by_id, contact.org_id) == (peer.id, peer.org_id)
    assert contact.services == [] and contact.notes is None
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Contact saved." in page and "Street outreach" in page


def test_new_contact_page_warns_against_identifying_notes(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert "Do not write names or anything that identifies a person." in page
    assert 'class="checks"' in page and 'type="checkbox" value="bbv_testing"' in page


def test_services_and_referrals_are_stored_as_rows(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/contacts/new",
        data={
            "latitude": "51.62",
            "longitude": "-3.94",
            "setting": "hostel",
            "people_count": 4,
            "services": ["naloxone", "wound_care"],
            "referrals": ["housing", "gp"],
        },
    )
    assert resp.status_code == 302
    contact = db.session.scalar(select(OutreachContact))
    services = db.session.scalars(
        select(ContactService.service).where(ContactService.contact_id == contact.id)
    ).all()
    referrals = db.session.scalars(
        select(ContactReferral.referral).where(ContactReferral.contact_id == contact.id)
    ).all()
    assert sorted(services) == ["naloxone", "wound_care"]
    assert sorted(referrals) == ["gp", "housing"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Wound care" in page and "GP or primary care" in page


def test_contact_without_a_place_is_refused_and_keeps_what_was_typed(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/contacts/new",
        data={"people_count": 7, "services": ["housing"], "notes": "Busy night at the arches"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Say where" in body
    assert 'value="7"' in body and "Busy night at the arches" in body
    assert 'checked id="services-6"' in body  # "housing" stays ticked
    assert _count(OutreachContact) == 0


def test_notes_with_an_email_address_are_refused_and_kept(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/contacts/new",
        data={"site_id": site.id, "notes": "Wants news: sam.j@example.org"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "seem to contain an e-mail address" in body
    assert "Wants news: sam.j@example.org" in body
    assert _count(OutreachContact) == 0 and _count(ContactService) == 0


def test_notes_with_a_date_of_birth_or_phone_number_are_refused(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    for notes, message in (
        ("Born 03/04/1988, sleeps by the station", "date of birth"),
        ("Ring him on 07700 900123", "phone number"),
        ("Lives near SA1 1DP", "postcode"),
    ):
        resp = client.post("/contacts/new", data={"site_id": site.id, "notes": notes})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _count(OutreachContact) == 0


def test_client_code_with_several_people_is_refused(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/contacts/new",
        data={
            "site_id": site.id,
            "people_count": 3,
            "client_initials": "JD",
            "client_dob": "1985-04-02",
            "client_sex": "M",
        },
    )
    assert resp.status_code == 422
    assert "A client code is for one person" in resp.get_data(as_text=True)
    assert _count(OutreachContact) == 0


def test_client_code_is_stored_hashed_and_shown_only_as_recorded(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/contacts/new",
        data={
            "site_id": site.id,
            "client_initials": "JD",
            "client_dob": "1985-04-02",
            "client_sex": "M",
        },
    )
    contact = db.session.scalar(select(OutreachContact))
    assert contact.client_hash and len(contact.client_hash) == 64
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Recorded" in page and contact.client_hash not in page and "1985" not in page


def test_resent_form_with_same_client_id_creates_one_contact(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    data = {
        "site_id": site.id,
        "services": ["naloxone"],
        "client_id": "0c9f3e52-5a55-4b8e-9d47-2f1c7e0b9a11",
    }
    first = client.post("/contacts/new", data=data)
    again = client.post("/contacts/new", data=data)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(OutreachContact) == 1 and _count(ContactService) == 1


def test_new_contact_page_carries_a_fresh_client_id(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert 'id="client_id" name="client_id" type="hidden" value="' in page
    assert 'name="client_id" type="hidden" value=""' not in page


def test_other_organisations_contact_is_404_and_absent_from_list(client, auth, make, add_contact):
    coordinator_a = make.user(role="coordinator", organisation=make.org())
    outsider = make.user(organisation=make.org())
    make.commit()
    theirs = add_contact(outsider)
    auth.login(coordinator_a)
    assert client.get(f"/contacts/{theirs.id}").status_code == 404
    listing = client.get("/contacts/").get_data(as_text=True)
    assert f"/contacts/{theirs.id}" not in listing and "0 records" in listing


def test_peer_sees_only_own_contacts_while_coordinator_sees_all(client, auth, make, add_contact):
    org, _, peer = _setup(make)
    other_peer = make.user(organisation=org)
    coordinator = make.user(role="coordinator", organisation=org)
    make.commit()
    mine, theirs = add_contact(peer), add_contact(other_peer)
    auth.login(peer)
    listing = client.get("/contacts/").get_data(as_text=True)
    assert f"/contacts/{mine.id}" in listing and f"/contacts/{theirs.id}" not in listing
    assert client.get(f"/contacts/{theirs.id}").status_code == 404
    auth.logout()
    auth.login(coordinator)
    listing = client.get("/contacts/").get_data(as_text=True)
    assert f"/contacts/{mine.id}" in listing and f"/contacts/{theirs.id}" in listing
    assert client.get(f"/contacts/{theirs.id}").status_code == 200


def test_creating_and_viewing_a_contact_are_audited(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post("/contacts/new", data={"site_id": site.id})
    client.get(resp.headers["Location"])
    contact = db.session.scalar(select(OutreachContact))
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.record_type, AuditEvent.record_id, AuditEvent.user_id)
    ).all()
    assert ("create", "contact", contact.id, peer.id) in events
    assert ("view", "contact", contact.id, peer.id) in events


def test_list_filters_by_setting_and_date(client, auth, make, add_contact):
    _, _, peer = _setup(make)
    add_contact(peer, setting="hostel")
    add_contact(peer, setting="street")
    add_contact(peer, setting="street")
    auth.login(peer)
    assert "1 record" in client.get("/contacts/?setting=hostel").get_data(as_text=True)
    assert "2 records" in client.get("/contacts/?setting=street").get_data(as_text=True)
    future = (date.today() + timedelta(days=3)).isoformat()
    assert "0 records" in client.get(f"/contacts/?start={future}").get_data(as_text=True)


def test_list_pages_after_the_page_size(app, client, auth, make, add_contact):
    _, _, peer = _setup(make)
    for _ in range(app.config["PAGE_SIZE"] + 1):
        add_contact(peer)
    auth.login(peer)
    first = client.get("/contacts/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first
    assert "Page 2 of 2" in client.get("/contacts/?page=2").get_data(as_text=True)


def test_platform_administrator_cannot_record_contacts(client, auth, make):
    admin = make.user(role="platform_admin")
    make.commit()
    auth.login(admin)
    assert client.get("/contacts/new").status_code == 403
    assert client.get("/contacts/").status_code == 403


def test_a_background_copy_of_a_page_leaves_the_saved_message_for_the_person(client, auth, make):
    # The offline worker refreshes its copies of the pages with the same session: it must not
    # use up "Contact saved." between the save and the page the person is sent to.
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post("/contacts/new", data={"site_id": site.id})
    background = client.get("/contacts/new", headers={"X-Outreach-Background": "1"})
    assert "Contact saved." not in background.get_data(as_text=True)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Contact saved." in page


def test_a_contact_with_a_client_code_saves_and_keeps_no_age_band_or_birth_date(client, auth, make):
    """The contact form shares the client code's fields, and with them the age band and sex
    the tablet's script fills in; a contact keeps only the code."""
    _, site, peer = _setup(make)
    auth.login(peer)
    code = {"client_initials": "QZ", "client_dob": "1990-03-09", "client_sex": "F"}
    resp = client.post("/contacts/new", data={"site_id": site.id, **code})
    assert resp.status_code == 302
    scripted = {"client_code_digest": "a" * 64, "age_band": "25_34", "sex": "F"}
    resp = client.post("/contacts/new", data={"site_id": site.id, **scripted})
    assert resp.status_code == 302
    rows = db.session.execute(select(OutreachContact.__table__)).mappings().all()
    assert len(rows) == 2 and all(row["client_hash"] for row in rows)
    assert not [name for name in rows[0] if name in ("age_band", "sex", "client_dob")]
    assert not any(isinstance(v, str) and "1990-03-09" in v for row in rows for v in row.values())
