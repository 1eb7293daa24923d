"""Two copies of one record in flight, and a database connection lost mid-batch.

The copies race on a real threaded server (each request in its own thread, session and
connection); the connection is lost for real (PostgreSQL: the backend is terminated; SQLite: the
driver's connection is closed) while the batch is being written."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import date

import pytest
from sqlalchemy import create_engine, event, func, select, text
from werkzeug.serving import make_server

from outreach.api.models import ApiReceipt
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.stock.models import Batch, Holding, StockBalance
from tests.api.conftest import bodies, new_id, token_for


@pytest.fixture
def server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def _sync(url: str, token: str, records: list[dict]) -> tuple[int, dict]:
    req = urllib.request.Request(  # noqa: S310 - a local test server
        url + "/api/v1/sync",
        data=json.dumps({"records": records}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as res:  # noqa: S310 - local test server
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _bag_of(world, kits: int) -> int:
    world.org.tracks_stock = True
    batch = Batch(product_id=world.product.id, batch_number="B1", expiry_date=date(2030, 1, 1))
    bag = Holding(org_id=world.org.id, kind="bag", user_id=world.peer.id)
    db.session.add_all([batch, bag])
    db.session.flush()
    db.session.add(StockBalance(holding_id=bag.id, batch_id=batch.id, quantity=kits))
    db.session.commit()
    return bag.id


@pytest.mark.parametrize("pause", [0.0, 0.3])
def test_two_copies_of_a_handout_in_flight_with_just_enough_kits_are_stored_and_replayed(
    app, client, world, server, monkeypatch, pause
):
    """The bag holds exactly the handout's kits. Both copies pass any check made before the
    first commits (the pause widens that window); the second must still be answered as the
    replay it is, never 422 "no kits" for a handout that is stored."""
    monkeypatch.setitem(app.config, "API_TEST_RACE_PAUSE", pause)
    bag_id = _bag_of(world, kits=3)
    token = token_for(client, world.peer)
    record = {
        "kind": "handout",
        "client_id": new_id(),
        "data": {**bodies(world)["handout"], "quantity": 3},
    }
    db.session.commit()
    db.session.remove()  # the server's threads use their own sessions
    barrier = threading.Barrier(2)
    answers: list[tuple[int, dict]] = []

    def send():
        barrier.wait()
        answers.append(_sync(server, token, [record]))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert [code for code, _body in answers] == [200, 200]
    firsts = [body["results"][0] for _code, body in answers]
    results = sorted((r["status"], r["http_status"]) for r in firsts)
    assert results == [("already_stored", 200), ("stored", 201)], answers
    ids = {r["id"] for r in firsts}
    assert len(ids) == 1
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 1
    assert db.session.scalar(select(func.count()).select_from(ApiReceipt)) == 1
    left = db.session.scalar(select(StockBalance.quantity).where(StockBalance.holding_id == bag_id))
    assert left == 0


def _lose_the_connection(dbapi_connection) -> None:
    """Really end the connection under the running request."""
    if db.engine.dialect.name == "postgresql":
        pid = dbapi_connection.info.backend_pid
        admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", poolclass=None)
        try:
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            admin.dispose()
    else:
        dbapi_connection.close()


def test_a_connection_lost_mid_batch_answers_503_with_retry_after_and_a_resend_stores_all(
    app, world, api
):
    records = [
        {"kind": "contact", "client_id": new_id(), "data": bodies(world)["contact"]}
        for _ in range(8)
    ]
    lost = []

    def on_execute(conn, _cursor, statement, _params, _context, _many):
        if not lost and statement.lstrip().upper().startswith("INSERT INTO OUTREACH_CONTACTS"):
            lost.append(statement)
            _lose_the_connection(conn.connection.driver_connection)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        res = api.post("/sync", {"records": records})
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    assert lost, "the batch never reached its insert"
    assert res.status_code == 503, res.get_json()
    assert res.headers["Retry-After"] == "1"
    assert res.mimetype == "application/problem+json"
    assert "send again" in res.get_json()["detail"].lower()
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(OutreachContact)) == 0

    again = api.post("/sync", {"records": records})
    assert again.status_code == 200
    assert [r["status"] for r in again.get_json()["results"]] == ["stored"] * 8
    assert db.session.scalar(select(func.count()).select_from(OutreachContact)) == 8
