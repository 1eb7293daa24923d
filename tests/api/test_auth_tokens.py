"""The token endpoint with two-step verification: an enrolled user sends `otp` (a TOTP or a
recovery code); refusals are JSON naming the field; throttled like the web login."""

from __future__ import annotations

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.api.conftest import Api
from tests.auth.conftest import code_now, enrol
from tests.factories import PASSWORD


def _token(client, user, **extra):
    body = {"username": user.username, "password": PASSWORD, **extra}
    return client.post("/api/v1/tokens", json=body)


def test_an_enrolled_user_without_otp_is_told_to_send_it(client, world):
    enrol(world.coordinator)
    res = _token(client, world.coordinator)
    assert res.status_code == 401 and res.mimetype == "application/problem+json"
    assert res.get_json()["fields"][0]["field"] == "otp"
    assert db.session.query(AuditEvent).filter_by(action="login_failed").count() == 0


def test_a_wrong_otp_is_refused_naming_the_field_and_recorded(client, world):
    enrol(world.coordinator)
    res = _token(client, world.coordinator, otp="000000")
    assert res.status_code == 401 and res.get_json()["fields"][0]["field"] == "otp"
    event = db.session.query(AuditEvent).filter_by(action="login_failed").one()
    assert event.detail == "api, mfa" and event.record_id == world.coordinator.id


def test_the_right_otp_gives_a_token_once(client, world):
    secret, _codes = enrol(world.coordinator)
    code = code_now(secret)
    res = _token(client, world.coordinator, otp=code)
    assert res.status_code == 201
    assert Api(client, res.get_json()["token"]).get("/me").status_code == 200
    assert _token(client, world.coordinator, otp=code).status_code == 401  # replayed
    login = db.session.query(AuditEvent).filter_by(action="login").one()
    assert login.detail == "api, mfa"


def test_a_recovery_code_gives_a_token_once(client, world):
    _secret, codes = enrol(world.coordinator)
    assert _token(client, world.coordinator, otp=codes[0]).status_code == 201
    assert _token(client, world.coordinator, otp=codes[0]).status_code == 401


def test_wrong_otps_are_throttled_with_retry_after(client, world):
    secret, _codes = enrol(world.coordinator)
    codes = [_token(client, world.coordinator, otp="111111").status_code for _ in range(5)]
    assert codes == [401] * 5
    res = _token(client, world.coordinator, otp=code_now(secret))
    assert res.status_code == 429 and int(res.headers["Retry-After"]) > 0


def test_a_required_but_not_set_up_user_gets_no_token_peers_do(client, world):
    world.org.mfa_required = True
    db.session.commit()
    res = _token(client, world.coordinator)
    assert res.status_code == 403 and "two-step" in res.get_json()["detail"]
    assert _token(client, world.peer).status_code == 201


def test_the_openapi_document_names_the_otp_field(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["components"]["schemas"]["TokenRequest"]
    assert "otp" in schema["properties"] and "otp" not in schema.get("required", [])
