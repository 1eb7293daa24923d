"""Correcting a record through its own form: the same checks as when it was made, what was
typed kept on a refusal, and every change audited without client codes or free text."""

from __future__ import annotations

from datetime import date

from outreach.clientcode import code_digest
from outreach.extensions import db
from tests.corrections.conftest import (
    audit_events,
    contact_form,
    handout_form,
    overdose_form,
)

CODE = {"client_initials": "JS", "client_dob": "1980-05-17", "client_sex": "M"}


def test_the_correction_form_shows_the_record_as_it_is(client, auth, world):
    handout = world.handout(quantity=3, setting="hostel", recipient_type="family_friend")
    auth.login(world.peer)
    page = client.get(f"/handouts/{handout.id}/edit").get_data(as_text=True)
    assert "Correct handout" in page
    assert 'name="quantity" required type="number" value="3"' in page
    assert '<option selected value="hostel">' in page
    assert '<option selected value="family_friend">' in page
    assert "data-record-form" not in page  # never queued offline as a new record


def test_a_peer_corrects_their_handout_and_the_audit_lists_each_change(client, auth, world):
    handout = world.handout()
    auth.login(world.peer)
    form = handout_form(handout, quantity=2, setting="hostel", recipient_type="at_risk")
    resp = client.post(f"/handouts/{handout.id}/edit", data=form)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/handouts/{handout.id}")
    db.session.expire_all()
    assert (handout.quantity, handout.setting, handout.recipient_type) == (2, "hostel", "at_risk")
    (event,) = audit_events("handout", handout.id, "update")
    assert event.detail == (
        "quantity: 1 → 2; setting: street → hostel; recipient_type: — → at_risk"
    )
    assert event.user_id == world.peer.id
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Correction saved." in page and "quantity: 1 → 2" in page  # the page's history


def test_sent_unchanged_the_time_keeps_its_seconds_and_nothing_is_audited(client, auth, world):
    handout = world.handout()
    at = handout.occurred_at
    auth.login(world.peer)
    resp = client.post(f"/handouts/{handout.id}/edit", data=handout_form(handout))
    assert resp.status_code == 302
    db.session.expire_all()
    assert handout.occurred_at == at and at.second + at.microsecond > 0
    assert audit_events("handout", handout.id, "update") == []
    assert "Nothing was changed." in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_a_refused_correction_keeps_what_was_typed_and_changes_nothing(client, auth, world):
    handout = world.handout()
    auth.login(world.peer)
    form = handout_form(handout, quantity=900, place_name="Typed street")
    resp = client.post(f"/handouts/{handout.id}/edit", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'value="900"' in page and 'value="Typed street"' in page
    assert "Number must be between 1 and 500." in page
    db.session.expire_all()
    assert handout.quantity == 1 and audit_events("handout", handout.id, "update") == []


def test_a_service_refusal_is_shown_by_its_field(client, auth, world):
    handout = world.handout()
    auth.login(world.peer)
    form = handout_form(handout, occurred_at="2026-11-20T09:00")  # pinned today: the 18th
    resp = client.post(f"/handouts/{handout.id}/edit", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "The time cannot be in the future." in page and 'value="2026-11-20T09:00"' in page


def test_the_client_code_is_kept_replaced_or_removed_and_never_written_out(client, auth, world):
    digest = code_digest("AB", date(1990, 1, 2), "F")
    from outreach.api.writers import client_hash

    first = client_hash(digest)
    contact = world.contact(client_hash=first)
    auth.login(world.coordinator)
    url = f"/contacts/{contact.id}/edit"
    assert client.post(url, data=contact_form(contact, setting="hostel")).status_code == 302
    db.session.expire_all()
    assert contact.client_hash == first  # left empty: kept
    assert client.post(url, data=contact_form(contact, **CODE)).status_code == 302
    db.session.expire_all()
    assert contact.client_hash not in (first, None)
    second = contact.client_hash
    assert client.post(url, data=contact_form(contact, clear_client_code="y")).status_code == 302
    db.session.expire_all()
    assert contact.client_hash is None
    details = [e.detail for e in audit_events("contact", contact.id, "update")]
    assert details == ["setting: street → hostel", "client code changed", "client code changed"]
    assert not any(h in d for d in details for h in (first, second, digest))


def test_notes_that_identify_someone_are_refused_and_changed_notes_are_not_written_out(
    client, auth, world
):
    contact = world.contact(notes="Met at the bus station")
    auth.login(world.peer)
    url = f"/contacts/{contact.id}/edit"
    refused = client.post(url, data=contact_form(contact, notes="Call him on 07700 900123"))
    assert refused.status_code == 422 and "phone number" in refused.get_data(as_text=True)
    assert (
        client.post(url, data=contact_form(contact, notes="Met at the hostel")).status_code == 302
    )
    (event,) = audit_events("contact", contact.id, "update")
    assert event.detail == "notes changed"


def test_services_and_referrals_are_corrected_as_a_set(client, auth, world):
    contact = world.contact(services=["naloxone", "wound_care"], referrals=["housing"])
    auth.login(world.peer)
    form = contact_form(contact, services=["naloxone", "food_clothing"], referrals=[])
    assert client.post(f"/contacts/{contact.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert contact.service_codes == ["food_clothing", "naloxone"] and contact.referral_codes == []
    (event,) = audit_events("contact", contact.id, "update")
    assert event.detail == (
        "service_codes: naloxone, wound_care → food_clothing, naloxone; referral_codes: housing → —"
    )


def test_an_overdose_report_is_corrected_and_a_moved_point_is_not_written_out(client, auth, world):
    report = world.overdose(outcome="unknown")
    auth.login(world.peer)
    form = overdose_form(report, outcome="survived", latitude="51.70", doses=2)
    assert client.post(f"/overdoses/{report.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (report.outcome, report.latitude, report.doses) == ("survived", 51.70, 2)
    (event,) = audit_events("overdose_report", report.id, "update")
    assert event.detail == "outcome: unknown → survived; doses: — → 2; location changed"
    assert "51.7" not in event.detail


def test_the_overdose_form_shows_yes_no_answers_and_the_contact_form_its_services(
    client, auth, world
):
    report = world.overdose(emergency_called=True, someone_stayed=False)
    contact = world.contact(services=["naloxone"])
    auth.login(world.peer)
    page = client.get(f"/overdoses/{report.id}/edit").get_data(as_text=True)
    assert (
        'checked id="emergency_called-0" name="emergency_called" type="radio" value="yes"' in page
    )
    assert 'checked id="someone_stayed-1" name="someone_stayed" type="radio" value="no"' in page
    page = client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert 'checked id="services-0" name="services" type="checkbox" value="naloxone"' in page


def test_a_site_chosen_instead_of_the_point_moves_the_record_to_the_site(client, auth, world):
    report = world.overdose()
    auth.login(world.peer)
    form = overdose_form(report, latitude="", longitude="", site_id=world.site.id)
    assert client.post(f"/overdoses/{report.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (report.location_source, report.site_id) == ("site", world.site.id)
    assert (report.latitude, report.longitude) == (world.site.latitude, world.site.longitude)


def test_a_tally_is_corrected_through_the_tally_form(client, auth, world):
    tally = world.tally()
    auth.login(world.peer)
    page = client.get(f"/handouts/{tally.id}/edit").get_data(as_text=True)
    assert "Correct tally" in page and 'name="people_count"' in page
    form = handout_form(tally, people_count=11, people_trained=4)
    assert client.post(f"/handouts/{tally.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (tally.kind, tally.people_count, tally.people_trained) == ("tally", 11, 4)


def test_a_coordinator_corrects_a_peers_handout_and_may_change_the_giver(client, auth, world):
    handout = world.handout()
    auth.login(world.coordinator)
    form = handout_form(handout, giver_id=world.trainer.id)
    assert client.post(f"/handouts/{handout.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert handout.giver_id == world.trainer.id and handout.recorded_by_id == world.peer.id
    (event,) = audit_events("handout", handout.id, "update")
    assert event.user_id == world.coordinator.id
    assert event.detail == f"giver_id: {world.peer.id} → {world.trainer.id}"
