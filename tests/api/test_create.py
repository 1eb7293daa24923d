"""Create endpoints: 201 first time, 200 replay with nothing new, 409 changed content, 403, 422."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from outreach.api.models import ApiReceipt
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.trainings.models import TrainingSession
from tests.api.conftest import Api, bodies, new_id, token_for

PATHS = {
    "handout": ("/handouts", Handout),
    "tally": ("/tallies", Handout),
    "contact": ("/contacts", OutreachContact),
    "overdose_report": ("/overdose-reports", OverdoseReport),
    "training_attendance": ("/training-attendances", TrainingSession),
}
CHANGE = {
    "handout": {"quantity": 2},
    "tally": {"quantity": 6},
    "contact": {"people_count": 1, "services": ["wound_care"]},
    "overdose_report": {"outcome": "died"},
    "training_attendance": {"place": "Elsewhere"},
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def api_for(client, world, kind: str) -> Api:
    user = world.trainer if kind == "training_attendance" else world.peer
    return Api(client, token_for(client, user))


@pytest.mark.parametrize("kind", list(PATHS))
def test_first_post_stores_201_and_replay_returns_200_with_nothing_new(client, world, kind):
    api = api_for(client, world, kind)
    path, model = PATHS[kind]
    body = {"client_id": new_id(), **bodies(world)[kind]}
    first = api.post(path, body)
    assert first.status_code == 201, first.get_json()
    before = count(model)
    again = api.post(path, body)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replay"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert count(model) == before
    assert count(ApiReceipt) == 1


@pytest.mark.parametrize("kind", list(PATHS))
def test_same_client_id_with_different_content_is_409(client, world, kind):
    api = api_for(client, world, kind)
    path, model = PATHS[kind]
    body = {"client_id": new_id(), **bodies(world)[kind]}
    assert api.post(path, body).status_code == 201
    before = count(model)
    res = api.post(path, {**body, **CHANGE[kind]})
    assert res.status_code == 409 and res.mimetype == "application/problem+json"
    assert res.get_json()["fields"][0]["field"] == "client_id"
    assert count(model) == before


@pytest.mark.parametrize("kind", list(PATHS))
def test_another_organisations_site_is_403(client, world, kind):
    api = api_for(client, world, kind)
    path, model = PATHS[kind]
    body = {"client_id": new_id(), **bodies(world)[kind]}
    if kind == "training_attendance":
        body["attendee_ids"] = [world.outsider.id]
    else:
        body = {**body, "latitude": None, "longitude": None, "site_id": world.other_site.id}
    before = count(model)
    res = api.post(path, body)
    assert res.status_code == 403, res.get_json()
    assert count(model) == before
    assert count(ApiReceipt) == 0


@pytest.mark.parametrize("kind", list(PATHS))
def test_field_problems_are_422_with_the_field_named(client, world, kind):
    api = api_for(client, world, kind)
    path, _model = PATHS[kind]
    body = {"client_id": new_id(), **bodies(world)[kind]}
    broken = {**body, "client_initials": "JS"}  # never accepted: only the digest is
    res = api.post(path, broken)
    assert res.status_code == 422
    assert {
        "field": "client_initials",
        "reason": "Extra inputs are not permitted",
    } in res.get_json()["fields"]


def test_giver_of_another_organisation_is_403(client, world):
    api = Api(client, token_for(client, world.coordinator))
    body = {"client_id": new_id(), **bodies(world)["handout"], "giver_id": world.outsider.id}
    res = api.post("/handouts", body)
    assert res.status_code == 403 and res.get_json()["fields"][0]["field"] == "giver_id"
    assert count(Handout) == 0


def test_peer_cannot_record_training_403(client, world, api):
    body = {"client_id": new_id(), **bodies(world)["training_attendance"]}
    assert api.post("/training-attendances", body).status_code == 403


def test_domain_rule_refusal_is_422(client, world, api):
    body = {"client_id": new_id(), **bodies(world)["handout"], "product_id": 999999}
    res = api.post("/handouts", body)
    assert res.status_code == 422 and res.get_json()["fields"][0]["field"] == "product_id"


def test_client_code_is_stored_keyed_never_as_sent(client, world, api):
    body = {"client_id": new_id(), **bodies(world)["handout"]}
    assert api.post("/handouts", body).status_code == 201
    stored = db.session.scalar(select(Handout.client_hash))
    assert stored and stored != body["client_code_digest"]


@pytest.mark.parametrize(
    "data,content_type,status",
    [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"a": 1}', "text/plain", 415),
        (b"[1, 2, 3]", "application/json", 422),
        (b'{"client_id": 12, "quantity": 1e999}', "application/json", 422),
        (b'{"quantity": 1' + b"0" * 5000 + b"}", "application/json", 400),
        (b'{"place_name": "\\ud800\\u0000", "client_id": "x"}', "application/json", 422),
        (b"[" * 100000 + b"]" * 100000, "application/json", 400),
    ],
)
def test_malformed_input_never_gives_a_500(client, world, api, data, content_type, status):
    res = client.post(
        "/api/v1/handouts", data=data, content_type=content_type, headers=api.headers()
    )
    assert res.status_code == status
    assert res.mimetype == "application/problem+json"


LIMITS = [
    # (kind, field, the largest value the page's form takes)
    ("tally", "people_count", 1000),
    ("tally", "people_trained", 1000),
    ("training_attendance", "community_count", 1000),
    ("handout", "quantity", 500),
]


@pytest.mark.parametrize(("kind", "field", "largest"), LIMITS)
def test_the_api_takes_what_the_page_takes_and_no_more(client, world, kind, field, largest):
    """One limit for the form, the API and the service: the API once took 10,000 people at a
    tally where the page took 1,000."""
    api = api_for(client, world, kind)
    path, model = PATHS[kind]
    before = count(model)
    too_many = {"client_id": new_id(), **bodies(world)[kind], field: largest + 1}
    res = api.post(path, too_many)
    assert res.status_code == 422
    assert [f["field"] for f in res.get_json()["fields"]] == [field]
    assert count(model) == before
    enough = {"client_id": new_id(), **bodies(world)[kind], field: largest}
    assert api.post(path, enough).status_code == 201


def test_the_service_refuses_a_tally_larger_than_the_form_allows(app, world):
    from outreach.domain import DomainError
    from outreach.handouts.services import MAX_TALLY_PEOPLE, HandoutInput, record_handout
    from outreach.places import Location

    data = HandoutInput(
        kind="tally",
        product_id=world.product.id,
        quantity=5,
        setting="hostel",
        people_count=MAX_TALLY_PEOPLE + 1,
        location=Location(51.6, -3.9, "gps"),
    )
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        record_handout(data, giver=world.peer, recorded_by=world.peer)
    assert refused.value.field == "people_count"
