"""Ten tablets send the same record at once to a real threaded server: one row, one 201."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from outreach.api.models import ApiReceipt
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from tests.api.conftest import bodies, new_id, token_for


@pytest.fixture
def server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(5)


def post(url: str, token: str, body: dict) -> int:
    req = urllib.request.Request(  # noqa: S310 - a local test server
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as res:  # noqa: S310 - local test server
            return res.status
    except urllib.error.HTTPError as exc:
        return exc.code


def race(server, token, body, n=10) -> list[int]:
    barrier = threading.Barrier(n)
    codes: list[int] = []

    def one():
        barrier.wait()
        codes.append(post(server + "/api/v1/contacts", token, body))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def test_ten_parallel_posts_of_one_record_store_exactly_one_row(app, client, world, server):
    token = token_for(client, world.peer)
    body = {"client_id": new_id(), **bodies(world)["contact"]}
    db.session.commit()
    db.session.remove()  # the server's threads use their own sessions
    codes = race(server, token, body)
    assert sorted(codes) == [200] * 9 + [201]
    assert db.session.scalar(select(func.count()).select_from(OutreachContact)) == 1
    assert db.session.scalar(select(func.count()).select_from(ApiReceipt)) == 1


def test_a_copy_in_flight_waits_for_the_first_and_never_reaches_the_insert(
    app, client, world, server, monkeypatch
):
    """All ten arrive together and a pause widens the window between the check and the insert:
    the held client_id (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE) makes the nine
    wait and then find the first, so none of them relies on the unique constraint's refusal
    (which stays as the last guard)."""
    monkeypatch.setitem(app.config, "API_TEST_RACE_PAUSE", 0.3)
    stats = app.extensions.setdefault("outreach_api", {"race_replays": 0})
    before = stats["race_replays"]
    token = token_for(client, world.peer)
    body = {"client_id": new_id(), **bodies(world)["contact"]}
    db.session.commit()
    db.session.remove()
    codes = race(server, token, body)
    assert sorted(codes) == [200] * 9 + [201]
    assert db.session.scalar(select(func.count()).select_from(OutreachContact)) == 1
    assert stats["race_replays"] - before == 0
