"""Correcting and voiding through the API: only what is sent changes, JSON errors name the
field, and both can be sent again safely."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.api.writers import client_hash
from outreach.clientcode import code_digest
from outreach.extensions import db
from tests.api.conftest import token_for
from tests.corrections.conftest import audit_events


@pytest.fixture
def api(client, world):
    headers = {"Authorization": f"Bearer {token_for(client, world.peer)}"}

    class Api:
        def patch(self, path, body):
            return client.patch("/api/v1" + path, json=body, headers=headers)

        def void(self, path, body):
            return client.post("/api/v1" + path + "/void", json=body, headers=headers)

    return Api()


def test_a_patch_changes_only_what_is_sent(api, world):
    contact = world.contact(setting="street", people_count=2, services=["naloxone"])
    at = contact.occurred_at
    resp = api.patch(f"/contacts/{contact.id}", {"setting": "hostel"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["id"], body["setting"], body["people_count"]) == (contact.id, "hostel", 2)
    assert body["services"] == ["naloxone"] and body["voided_at"] is None
    db.session.expire_all()
    assert contact.occurred_at == at and contact.location_source == "gps"
    (event,) = audit_events("contact", contact.id, "update")
    assert event.detail == "setting: street → hostel" and event.user_id == world.peer.id


def test_sent_again_a_patch_changes_nothing_more(api, world):
    report = world.overdose(outcome="unknown")
    for _ in range(2):
        resp = api.patch(f"/overdose-reports/{report.id}", {"outcome": "survived"})
        assert resp.status_code == 200 and resp.get_json()["outcome"] == "survived"
    assert len(audit_events("overdose_report", report.id, "update")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),  # unknown field
        ({"quantity": 0}, "quantity"),  # out of range
        ({"supply": None}, "supply"),  # required when made, so required when corrected
        ({"setting": "moon"}, "setting"),
    ],
)
def test_a_bad_patch_is_a_422_naming_the_field(api, world, body, field):
    handout = world.handout()
    resp = api.patch(f"/handouts/{handout.id}", body)
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    assert [f["field"] for f in resp.get_json()["fields"]] == [field]
    db.session.expire_all()
    assert handout.quantity == 1 and handout.setting == "street"


def test_a_refusal_by_the_service_names_its_field(api, world):
    contact = world.contact()
    resp = api.patch(f"/contacts/{contact.id}", {"notes": "Mail j.smith@example.org"})
    assert resp.status_code == 422
    (error,) = resp.get_json()["fields"]
    assert error["field"] == "notes" and "e-mail address" in error["reason"]


def test_the_client_code_is_kept_unless_sent_and_removed_by_null(api, world):
    digest = code_digest("JS", date(1980, 5, 17), "M")
    report = world.overdose(client_hash=client_hash(digest))
    assert api.patch(f"/overdose-reports/{report.id}", {"doses": 2}).get_json()["has_client_code"]
    resp = api.patch(f"/overdose-reports/{report.id}", {"client_code_digest": None})
    assert resp.get_json()["has_client_code"] is False
    details = [e.detail for e in audit_events("overdose_report", report.id, "update")]
    assert details == ["doses: — → 2", "client code changed"]


def test_a_site_sent_without_a_point_moves_the_record_to_the_site(api, world):
    report = world.overdose()
    body = {"latitude": None, "longitude": None, "site_id": world.site.id}
    resp = api.patch(f"/overdose-reports/{report.id}", body).get_json()
    assert (resp["location_source"], resp["site_id"]) == ("site", world.site.id)
    assert (resp["latitude"], resp["longitude"]) == (world.site.latitude, world.site.longitude)


def test_a_tally_is_corrected_at_its_own_path_only(api, world):
    tally, single = world.tally(), world.handout()
    assert api.patch(f"/tallies/{tally.id}", {"people_count": 3}).get_json()["people_count"] == 3
    assert api.patch(f"/tallies/{single.id}", {"people_count": 3}).status_code == 404
    assert api.patch(f"/handouts/{tally.id}", {"quantity": 3}).status_code == 404


def test_a_void_answers_the_voided_record_and_again_the_same(api, world):
    handout = world.handout()
    first = api.void(f"/handouts/{handout.id}", {"reason": "Recorded twice"})
    again = api.void(f"/handouts/{handout.id}", {"reason": "Another reason"})
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert first.get_json()["void_reason"] == "Recorded twice"
    assert first.get_json()["voided_by_id"] == world.peer.id
    assert len(audit_events("handout", handout.id, "void")) == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "required"),
        ({"reason": "  "}, "at least 1"),
        ({"reason": "Tel 07700 900123"}, "phone"),
    ],
)
def test_a_void_without_a_fit_reason_is_a_422_naming_it(api, world, body, reason):
    contact = world.contact()
    resp = api.void(f"/contacts/{contact.id}", body)
    assert resp.status_code == 422
    (error,) = resp.get_json()["fields"]
    assert error["field"] == "reason" and reason in error["reason"]
    db.session.expire_all()
    assert not contact.voided


def test_a_voided_record_is_not_corrected(api, world):
    contact = world.contact()
    api.void(f"/contacts/{contact.id}", {"reason": "Recorded twice"})
    resp = api.patch(f"/contacts/{contact.id}", {"setting": "hostel"})
    assert resp.status_code == 409 and resp.get_json()["fields"][0]["field"] == "id"
