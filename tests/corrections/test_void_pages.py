"""Voiding a record: a reason is required, the record stays and shows as voided, lists leave it
out unless asked, and a voided record is not corrected."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from tests.corrections.conftest import audit_events, handout_form

KINDS = {  # kind → (how the world makes one, its URL prefix, its audit name)
    "handout": ("handout", "/handouts", "handout"),
    "contact": ("contact", "/contacts", "contact"),
    "overdose": ("overdose", "/overdoses", "overdose_report"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_void_keeps_the_record_marked_and_audited_without_its_reason(client, auth, world, kind):
    make, prefix, record_type = KINDS[kind]
    record = getattr(world, make)()
    auth.login(world.peer)
    resp = client.post(f"{prefix}/{record.id}/void", data={"reason": "Recorded twice"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"{prefix}/{record.id}")
    db.session.expire_all()
    assert record.voided and record.voided_by_id == world.peer.id
    assert record.void_reason == "Recorded twice"
    (event,) = audit_events(record_type, record.id, "void")
    assert event.user_id == world.peer.id and "twice" not in (event.detail or "")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Voided" in page and "Reason: Recorded twice" in page
    assert f"{prefix}/{record.id}/edit" not in page  # a void is final


@pytest.mark.parametrize("reason", ["", "   ", "Born 17/05/1980, twice"])
def test_a_void_without_a_fit_reason_is_refused_keeping_what_was_typed(client, auth, world, reason):
    handout = world.handout()
    auth.login(world.peer)
    resp = client.post(f"/handouts/{handout.id}/void", data={"reason": reason})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Say why this record is voided." in page or "date of birth" in page
    if reason.strip():
        assert reason in page
    db.session.expire_all()
    assert not handout.voided


def test_lists_leave_voided_records_out_unless_the_filter_asks(client, auth, world):
    kept = world.contact(setting="street")
    gone = world.contact(setting="hostel")
    auth.login(world.peer)
    client.post(f"/contacts/{gone.id}/void", data={"reason": "Recorded by mistake"})

    def shown(**args):
        page = client.get("/contacts/", query_string=args).get_data(as_text=True)
        return {c.id for c in (kept, gone) if f'/contacts/{c.id}"' in page}

    assert shown() == {kept.id}
    assert shown(voided="with") == {kept.id, gone.id}
    assert shown(voided="only") == {gone.id}
    page = client.get("/contacts/", query_string={"voided": "only"}).get_data(as_text=True)
    assert 'class="tag voided"' in page


def test_handout_and_overdose_lists_leave_voided_records_out(client, auth, world):
    handout, report = world.handout(), world.overdose()
    auth.login(world.coordinator)
    client.post(f"/handouts/{handout.id}/void", data={"reason": "Test entry"})
    client.post(f"/overdoses/{report.id}/void", data={"reason": "Test entry"})
    assert f'/handouts/{handout.id}"' not in client.get("/handouts/").get_data(as_text=True)
    assert f'/overdoses/{report.id}"' not in client.get("/overdoses/").get_data(as_text=True)
    listed = client.get("/handouts/?voided=with").get_data(as_text=True)
    assert f'/handouts/{handout.id}"' in listed


def test_voiding_twice_changes_nothing_and_a_voided_record_is_not_corrected(client, auth, world):
    handout = world.handout()
    auth.login(world.peer)
    client.post(f"/handouts/{handout.id}/void", data={"reason": "Recorded twice"})
    again = client.post(f"/handouts/{handout.id}/void", data={"reason": "Something else"})
    assert again.status_code == 302
    db.session.expire_all()
    assert handout.void_reason == "Recorded twice"
    assert len(audit_events("handout", handout.id, "void")) == 1
    edit = client.post(f"/handouts/{handout.id}/edit", data=handout_form(handout, quantity=3))
    assert edit.status_code == 302
    db.session.expire_all()
    assert handout.quantity == 1
    assert "cannot be corrected" in client.get(edit.headers["Location"]).get_data(as_text=True)


def test_the_void_page_says_what_a_void_does(client, auth, world):
    contact = world.contact()
    auth.login(world.peer)
    page = client.get(f"/contacts/{contact.id}/void").get_data(as_text=True)
    assert "Void this contact" in page and "no longer counts in lists, maps, reports" in page
    assert 'name="reason"' in page
