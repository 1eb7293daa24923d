"""Bearer tokens: issued, expiring, revoked (also by logout), throttled; cookie writes need CSRF."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from outreach.api.models import ApiToken
from outreach.auth.services import end_sessions
from outreach.extensions import db
from outreach.models.base import utcnow
from tests.api.conftest import Api, bodies, new_id, token_for


def test_token_is_issued_and_stored_only_as_a_hash(client, world):
    res = client.post(
        "/api/v1/tokens",
        json={"username": world.peer.username, "password": "correct horse battery"},
    )
    assert res.status_code == 201
    body = res.get_json()
    assert body["user"]["id"] == world.peer.id and body["expires_at"]
    row = db.session.scalar(select(ApiToken))
    assert row.token_sha256 != body["token"] and len(row.token_sha256) == 64
    me = Api(client, body["token"]).get("/me")
    assert me.status_code == 200 and me.get_json()["auth"] == "token"


def test_no_or_bad_token_is_401_problem_json(client, world):
    assert client.get("/api/v1/me").status_code == 401
    res = Api(client, "nonsense").get("/me")
    assert res.status_code == 401 and res.mimetype == "application/problem+json"


def test_wrong_password_is_401_and_repeated_failures_lock_with_429(client, world, app):
    bad = {"username": world.peer.username, "password": "wrong wrong wrong"}
    codes = [client.post("/api/v1/tokens", json=bad).status_code for _ in range(12)]
    assert codes[0] == 401
    assert codes[-1] == 429
    res = client.post("/api/v1/tokens", json={**bad, "password": "correct horse battery"})
    assert res.status_code == 429 and int(res.headers["Retry-After"]) > 0


def test_expired_token_is_refused(client, world):
    api = Api(client, token_for(client, world.peer))
    row = db.session.scalar(select(ApiToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert api.get("/me").status_code == 401


def test_token_hours_come_from_config(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_HOURS", 1)
    token_for(client, world.peer)
    row = db.session.scalar(select(ApiToken))
    assert timedelta(minutes=59) < row.expires_at - utcnow() <= timedelta(hours=1)


def test_deleting_current_token_revokes_it(client, world):
    api = Api(client, token_for(client, world.peer))
    assert api.delete("/tokens/current").status_code == 204
    assert api.get("/me").status_code == 401


def test_logout_revokes_every_token_of_the_user(client, world, auth):
    api = Api(client, token_for(client, world.peer))
    assert auth.login(world.peer).status_code == 302
    auth.logout()
    assert api.get("/me").status_code == 401


def test_password_change_or_deactivation_revokes_tokens(client, world):
    api = Api(client, token_for(client, world.peer))
    end_sessions(world.peer)
    db.session.commit()
    assert api.get("/me").status_code == 401
    api2 = Api(client, token_for(client, world.peer))
    world.peer.active = False
    db.session.commit()
    assert api2.get("/me").status_code == 401


def test_cookie_session_reads_without_csrf_but_writes_need_the_header(
    client, world, auth, app, monkeypatch
):
    auth.login(world.peer)
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.get_json()["auth"] == "session"
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    body = {"client_id": new_id(), **bodies(world)["contact"]}
    refused = client.post("/api/v1/contacts", json=body)
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    ok = client.post("/api/v1/contacts", json=body, headers={"X-CSRFToken": token})
    assert ok.status_code == 201
