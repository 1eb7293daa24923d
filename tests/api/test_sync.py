"""Batch sync: record by record, one bad record does not sink the others, replay changes nothing."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import func, select

from outreach.api.models import ApiReceipt
from outreach.audit.models import AuditEvent
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from tests import factories
from tests.api.conftest import Api, bodies, new_id, token_for


def counts() -> tuple:
    models = (Handout, OutreachContact, OverdoseReport, ApiReceipt, AuditEvent)
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


def mixed(world) -> list[dict]:
    b = bodies(world)
    return [
        {"kind": "handout", "client_id": new_id(), "data": b["handout"]},
        {"kind": "tally", "client_id": new_id(), "data": b["tally"]},
        {"kind": "contact", "client_id": new_id(), "data": {**b["contact"], "people_count": 0}},
        {"kind": "contact", "client_id": new_id(), "data": b["contact"]},
        {"kind": "overdose_report", "client_id": new_id(), "data": b["overdose_report"]},
        {"kind": "nonsense", "client_id": "x", "data": {}},
        {
            "kind": "handout",
            "client_id": new_id(),
            "data": {
                **b["handout"],
                "site_id": world.other_site.id,
                "latitude": None,
                "longitude": None,
            },
        },  # noqa: E501
    ]


def test_mixed_batch_is_answered_record_by_record_in_order(world, api):
    records = mixed(world)
    res = api.post("/sync", {"records": records})
    assert res.status_code == 200
    results = res.get_json()["results"]
    assert [r["http_status"] for r in results] == [201, 201, 422, 201, 201, 422, 403]
    assert [r["status"] for r in results][:3] == ["stored", "stored", "refused"]
    assert results[2]["errors"][0]["field"] == "data.people_count"
    assert [r["client_id"] for r in results[:5]] == [r["client_id"] for r in records[:5]]
    assert counts()[:4] == (2, 1, 1, 4)


def test_replaying_the_whole_batch_changes_nothing(world, api):
    records = mixed(world)
    api.post("/sync", {"records": records})
    before = counts()
    again = api.post("/sync", {"records": records}).get_json()["results"]
    assert [r["status"] for r in again] == [
        "already_stored",
        "already_stored",
        "refused",
        "already_stored",
        "already_stored",
        "refused",
        "refused",
    ]
    assert counts() == before


def test_a_record_changed_under_the_same_id_is_409_in_the_batch(world, api):
    rec = {"kind": "contact", "client_id": new_id(), "data": bodies(world)["contact"]}
    changed = {**rec, "data": {**rec["data"], "setting": "hostel"}}
    results = api.post("/sync", {"records": [rec, changed]}).get_json()["results"]
    assert [r["http_status"] for r in results] == [201, 409]


def test_sync_and_create_endpoint_agree_on_the_same_record(world, api):
    data = bodies(world)["overdose_report"]
    cid = new_id()
    assert api.post("/overdose-reports", {"client_id": cid, **data}).status_code == 201
    res = api.post(
        "/sync", {"records": [{"kind": "overdose_report", "client_id": cid, "data": data}]}
    )
    assert res.get_json()["results"][0]["status"] == "already_stored"


def test_500_records_are_stored_fast_and_501_are_refused(world, api):
    data = bodies(world)["contact"]
    records = [{"kind": "contact", "client_id": new_id(), "data": data} for _ in range(500)]
    started = time.perf_counter()
    res = api.post("/sync", {"records": records})
    elapsed = time.perf_counter() - started
    assert res.status_code == 200
    assert all(r["status"] == "stored" for r in res.get_json()["results"])
    assert counts()[1] == 500
    assert elapsed < 4  # the bench measures the real figure; this only catches a collapse
    extra = records + [{"kind": "contact", "client_id": new_id(), "data": data}]
    assert api.post("/sync", {"records": extra}).status_code == 413
    assert counts()[1] == 500


def test_batch_that_is_not_a_list_of_records_is_422(world, api):
    for body in ({}, {"records": "x"}, [], {"records": [], "more": 1}):
        res = api.post("/sync", body)
        assert res.status_code == 422 and res.mimetype == "application/problem+json"


def test_a_refusal_inside_a_group_of_fifty_still_stores_the_other_forty_nine(world, api):
    """Validated records are written fifty at a time under one savepoint; a refusal the database
    or a service finds (here: a place nobody can find) rolls the group back and redoes it record
    by record, so only that record is refused."""
    b = bodies(world)
    records = [
        {"kind": "contact", "client_id": new_id(), "data": dict(b["contact"])} for _ in range(50)
    ]
    records[29]["data"] = {"place_name": "Qwxzzy-nowhere", "services": ["naloxone"]}
    before = counts()
    res = api.post("/sync", {"records": records})
    results = res.get_json()["results"]
    assert [r["status"] for r in results].count("stored") == 49
    assert results[29]["status"] == "refused" and results[29]["http_status"] == 422
    assert [r["client_id"] for r in results] == [r["client_id"] for r in records]
    assert counts()[1] - before[1] == 49
    stored = set(db.session.scalars(select(OutreachContact.client_id)))
    assert records[29]["client_id"] not in stored
    assert all(r["client_id"] in stored for i, r in enumerate(records) if i != 29)


def test_training_is_judged_on_each_record_s_own_day_within_one_batch(make, client):
    """The batch asks the database once for the giver's trainings and answers every day from
    it: a handout before the course or after it lapsed is refused, the ones between stored."""
    org = make.org()
    peer = make.user("peer", organisation=org, trained=False)
    product = make.product()
    factories.train(peer, held_on=date.today() - timedelta(days=40), months=1)
    db.session.commit()
    api = Api(client, token_for(client, peer))

    def on(days_ago: int) -> dict:
        day = date.today() - timedelta(days=days_ago)
        body = {
            "latitude": 51.62,
            "longitude": -3.94,
            "product_id": product.id,
            "quantity": 1,
            "supply": "first",
            "setting": "street",
            "occurred_at": datetime.combine(day, clock(12), UTC).isoformat(),
        }
        return {"kind": "handout", "client_id": new_id(), "data": body}

    # held 40 days ago, current for a month: about 40 to 10 days ago
    res = api.post("/sync", {"records": [on(d) for d in (45, 39, 20, 5, 30)]})
    assert res.status_code == 200
    results = res.get_json()["results"]
    assert [r["http_status"] for r in results] == [422, 201, 201, 422, 201]
    assert results[0]["errors"][0]["field"] == "giver_id"
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 3


def _post_page(app, world, path: str, form: dict) -> None:
    """Save a record through its page (a browser's form post), logged in as the peer."""
    browser = app.test_client()
    browser.post("/login", data={"username": world.peer.username, "password": factories.PASSWORD})
    res = browser.post(path, data=form)
    assert res.status_code == 302, res.get_data(as_text=True)[:500]


def test_a_form_stored_through_its_page_whose_reply_was_lost_is_already_stored_when_synced(
    app, world, api
):
    """The tablet posted the form, the server stored it, the answer never arrived: the service
    worker kept the same record (same client_id) in the outbox, and the sync sends it later."""
    cid = new_id()
    _post_page(
        app,
        world,
        "/handouts/new",
        {
            "client_id": cid,
            "product_id": world.product.id,
            "quantity": 2,
            "supply": "first",
            "setting": "street",
            "latitude": 51.62,
            "longitude": -3.94,
        },
    )
    contact_id = new_id()
    _post_page(
        app,
        world,
        "/contacts/new",
        {"client_id": contact_id, "setting": "street", "people_count": 1, "site_id": world.site.id},
    )
    before = counts()
    data = {**bodies(world)["handout"], "quantity": 2}
    del data["client_code_digest"]
    records = [
        {"kind": "handout", "client_id": cid, "data": data},
        {"kind": "contact", "client_id": contact_id, "data": bodies(world)["contact"]},
    ]
    for _attempt in range(2):  # and a replay of the replay
        answer = api.post("/sync", {"records": records}).get_json()
        results = answer["results"]
        assert [(r["status"], r["http_status"]) for r in results] == [("already_stored", 200)] * 2
        stored = db.session.scalar(select(Handout.id).where(Handout.client_id == cid))
        assert results[0]["id"] == stored
    assert counts() == before


def test_a_page_record_is_not_taken_for_a_synced_one_of_another_kind_or_person(
    app, client, world, api
):
    cid = new_id()
    _post_page(
        app,
        world,
        "/handouts/tally",
        {"client_id": cid, "product_id": world.product.id, "quantity": 3, "site_id": world.site.id},
    )
    as_handout = {"kind": "handout", "client_id": cid, "data": bodies(world)["handout"]}
    (res,) = api.post("/sync", {"records": [as_handout]}).get_json()["results"]
    assert (res["status"], res["http_status"]) == ("refused", 409)
    other = Api(client, token_for(client, world.coordinator))
    as_tally = {"kind": "tally", "client_id": cid, "data": bodies(world)["tally"]}
    (res,) = other.post("/sync", {"records": [as_tally]}).get_json()["results"]
    assert (res["status"], res["http_status"]) == ("refused", 409)


def test_refusal_reasons_are_in_the_users_language(world, api):
    world.peer.locale = "sv"
    db.session.commit()
    data = {k: v for k, v in bodies(world)["handout"].items() if k != "product_id"}
    records = [
        {"kind": "handout", "client_id": new_id(), "data": {**data, "quantity": 0}},
        {"kind": "contact", "client_id": new_id(), "data": {"setting": "moon"}},
    ]
    results = api.post("/sync", {"records": records}).get_json()["results"]
    reasons = {e["field"]: e["reason"] for r in results for e in r["errors"]}
    assert reasons == {
        "data.product_id": "Fältet måste fyllas i.",
        "data.quantity": "Det lägsta tillåtna är 1.",
        "data.setting": "Välj ett av alternativen.",
    }
