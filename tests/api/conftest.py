"""API fixtures: a bearer token for a user, JSON helpers and record bodies."""

from __future__ import annotations

import uuid

import pytest

from outreach.clientcode import code_digest
from outreach.extensions import db
from tests import factories


def new_id() -> str:
    return str(uuid.uuid4())


class Api:
    def __init__(self, client, token: str | None = None):
        self.client = client
        self.token = token

    def headers(self, extra: dict | None = None) -> dict:
        out = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**out, **(extra or {})}

    def get(self, path: str, **kw):
        return self.client.get(
            "/api/v1" + path, headers=self.headers(kw.pop("headers", None)), **kw
        )

    def post(self, path: str, body=None, **kw):
        return self.client.post(
            "/api/v1" + path, json=body, headers=self.headers(kw.pop("headers", None)), **kw
        )

    def delete(self, path: str, **kw):
        return self.client.delete("/api/v1" + path, headers=self.headers(), **kw)


def token_for(client, user) -> str:
    res = client.post(
        "/api/v1/tokens", json={"username": user.username, "password": factories.PASSWORD}
    )
    assert res.status_code == 201, res.get_json()
    return res.get_json()["token"]


@pytest.fixture
def world(make):
    """Two organisations, each with a trained peer, a coordinator and a site; one product."""

    class World:
        pass

    w = World()
    w.org = make.org()
    w.other_org = make.org()
    w.peer = make.user("peer", organisation=w.org)
    w.trainer = make.user("trainer", organisation=w.org)
    w.coordinator = make.user("coordinator", organisation=w.org)
    w.outsider = make.user("peer", organisation=w.other_org)
    w.site = make.site(organisation=w.org)
    w.other_site = make.site(organisation=w.other_org)
    w.product = make.product()
    db.session.commit()
    return w


@pytest.fixture
def api(client, world):
    return Api(client, token_for(client, world.peer))


def bodies(world) -> dict[str, dict]:
    """A valid body (without client_id) of every kind."""
    digest = code_digest("JS", __import__("datetime").date(1980, 5, 17), "M")
    return {
        "handout": {
            "latitude": 51.62,
            "longitude": -3.94,
            "product_id": world.product.id,
            "supply": "first",
            "client_code_digest": digest,
        },
        "tally": {"site_id": world.site.id, "product_id": world.product.id, "quantity": 5},
        "contact": {"site_id": world.site.id, "services": ["naloxone"], "people_count": 1},
        "overdose_report": {
            "latitude": 51.6,
            "longitude": -3.9,
            "administered_by": "peer",
            "outcome": "survived",
        },
        "training_attendance": {
            "held_on": "2026-01-10",
            "place": "Hostel lounge",
            "kind": "refresher",
            "attendee_ids": [world.peer.id],
        },
    }
