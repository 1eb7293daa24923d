"""Time a 500-record POST /api/v1/sync batch (median of 5 runs, fresh client_ids each run), then
one handout (POST /api/v1/handouts) and one list page (GET /api/v1/handouts), median of 200 each.

Usage (the schema is created in the given database; use a scratch one):

    .venv/bin/python bench/api_bench.py sqlite:////tmp/api_bench.sqlite
    psql -h 127.0.0.1 -U postgres -c 'create database api_bench'
    .venv/bin/python bench/api_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/api_bench
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from datetime import date, timedelta

PASSWORD = "bench password 123"


def records(product_id: int, site_id: int, n: int = 500) -> list[dict]:
    """A realistic mix: handouts, tallies, contacts and overdose reports."""
    kinds = [
        ("handout", {"latitude": 51.62, "longitude": -3.94, "product_id": product_id,
                     "supply": "first", "client_code_digest": "a" * 64}),
        ("tally", {"site_id": site_id, "product_id": product_id, "quantity": 5}),
        ("contact", {"site_id": site_id, "services": ["naloxone"], "people_count": 1}),
        ("overdose_report", {"latitude": 51.6, "longitude": -3.9, "administered_by": "peer"}),
    ]  # fmt: skip
    out = []
    for i in range(n):
        kind, data = kinds[i % len(kinds)]
        out.append({"kind": kind, "client_id": str(uuid.uuid4()), "data": data})
    return out


SINGLE = 200


def one_by_one(client, headers: dict, product_id: int) -> dict[str, float]:
    """Median milliseconds of one handout sent alone and of one page of the handout list, wall
    clock and this process's CPU (the app's share, which busy neighbours do not inflate)."""
    body = {"latitude": 51.62, "longitude": -3.94, "product_id": product_id, "supply": "first"}
    out: dict[str, list[float]] = {"post": [], "post_cpu": [], "get": [], "get_cpu": []}

    def timed(name: str, call) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        res = call()
        out[name + "_cpu"].append(time.process_time() - cpu)
        out[name].append(time.perf_counter() - wall)
        assert res.status_code in (200, 201), res.get_data(as_text=True)

    def post():
        handout = {**body, "client_id": str(uuid.uuid4())}
        return client.post("/api/v1/handouts", json=handout, headers=headers)

    def get():
        return client.get("/api/v1/handouts?per_page=50&mine=true", headers=headers)

    for _ in range(SINGLE):
        timed("post", post)
    for _ in range(SINGLE):
        timed("get", get)
    return {name: statistics.median(times) * 1000 for name, times in out.items()}


def statements(app, client, headers: dict, product_id: int, site_id: int) -> tuple[int, int]:
    """SQL statements sent for one handout (POST /api/v1/handouts) and for one 500-record sync
    (a deterministic figure, which busy neighbours do not move)."""
    from sqlalchemy import event

    from outreach.extensions import db

    sent = []
    with app.app_context():
        engine = db.engine

    def count(*_args) -> None:
        sent.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        handout = {"latitude": 51.62, "longitude": -3.94, "product_id": product_id,
                   "supply": "first", "client_id": str(uuid.uuid4())}  # fmt: skip
        assert client.post("/api/v1/handouts", json=handout, headers=headers).status_code == 201
        one = len(sent)
        sent.clear()
        batch = {"records": records(product_id, site_id)}
        assert client.post("/api/v1/sync", json=batch, headers=headers).status_code == 200
        return one, len(sent)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def main(url: str, runs: int = 5) -> None:
    from outreach import create_app
    from outreach.auth.services import create_user
    from outreach.extensions import db
    from outreach.orgs.models import Organisation, Site
    from outreach.products.models import Product
    from outreach.trainings.services import record_session

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "CLIENT_CODE_KEY": "bench-client-code-key",
            "GEOCODER": "offline",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        org = Organisation(name="Bench org", area="Bench", tracks_stock=False)
        db.session.add(org)
        db.session.flush()
        site = Site(org_id=org.id, name="Bench site", area="Bench", latitude=51.6, longitude=-3.9)
        product = Product(name="Bench kit", strength="1.8 mg", route="intranasal", doses_per_kit=2)
        db.session.add_all([site, product])
        peer = create_user("benchpeer", PASSWORD, org, "peer")
        trainer = create_user("benchtrainer", PASSWORD, org, "trainer")
        record_session(
            org_id=org.id, recorded_by=trainer, trainer=trainer,
            held_on=date.today() - timedelta(30),
            place="Room", kind="peer_distributor", topics=[], attendee_users=[peer],
        )  # fmt: skip
        db.session.commit()
        product_id, site_id = product.id, site.id
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "benchpeer", "password": PASSWORD})
    headers = {"Authorization": "Bearer " + token.get_json()["token"]}
    times = []
    for _ in range(runs):
        batch = {"records": records(product_id, site_id)}
        started = time.perf_counter()
        res = client.post("/api/v1/sync", json=batch, headers=headers)
        times.append(time.perf_counter() - started)
        stored = sum(r["status"] == "stored" for r in res.get_json()["results"])
        assert res.status_code == 200 and stored == 500, (res.status_code, stored)
    started = time.perf_counter()
    replay = client.post("/api/v1/sync", json=batch, headers=headers)
    replay_time = time.perf_counter() - started
    assert all(r["status"] == "already_stored" for r in replay.get_json()["results"])
    one = one_by_one(client, headers, product_id)
    per_handout, per_sync = statements(app, client, headers, product_id, site_id)
    engine = url.split(":", 1)[0]
    runs_ms = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"{engine}: 500-record sync median {statistics.median(times) * 1000:.0f} ms "
          f"(runs: {runs_ms} ms); full replay {replay_time * 1000:.0f} ms")  # fmt: skip
    print(f"{engine}: one handout {one['post']:.2f} ms (CPU {one['post_cpu']:.2f}), "
          f"one list page (50) {one['get']:.2f} ms (CPU {one['get_cpu']:.2f}); "
          f"medians of {SINGLE}")  # fmt: skip
    print(f"{engine}: SQL statements: {per_handout} for one handout, {per_sync} for a "
          "500-record sync")  # fmt: skip
    with app.app_context():
        db.drop_all()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
