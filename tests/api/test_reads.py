"""Reads: scoped to the organisation (and a peer's own records), paged, updated_since, the bag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.limits import MAX_DB_INT
from outreach.stock.models import Batch, Holding, StockBalance
from tests.api.conftest import Api, bodies, new_id, token_for


def test_lists_never_show_another_organisations_records(client, world, make):
    make.handout(giver=world.outsider, product=world.product)
    mine = make.handout(giver=world.peer, product=world.product)
    make.commit()
    for user in (world.peer, world.coordinator):
        items = Api(client, token_for(client, user)).get("/handouts").get_json()["items"]
        assert [i["id"] for i in items] == [mine.id]


def test_a_peer_sees_only_their_own_and_mine_filters_for_coordinators(client, world, make):
    make.handout(giver=world.peer, product=world.product)
    make.handout(giver=world.trainer, product=world.product)
    make.commit()
    peer = Api(client, token_for(client, world.peer))
    assert peer.get("/handouts").get_json()["total"] == 1
    coord = Api(client, token_for(client, world.coordinator))
    assert coord.get("/handouts").get_json()["total"] == 2
    assert coord.get("/handouts?mine=true").get_json()["total"] == 0


def test_paging_and_updated_since(client, world, make):
    rows = [make.handout(giver=world.peer, product=world.product) for _ in range(5)]
    make.commit()
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for n, row in enumerate(rows):
        db.session.execute(
            update(Handout).where(Handout.id == row.id).values(updated_at=base + timedelta(days=n))
        )
    db.session.commit()
    api = Api(client, token_for(client, world.peer))
    first = api.get("/handouts?per_page=2").get_json()
    assert first["total"] == 5 and len(first["items"]) == 2 and first["next"]
    second = api.get(first["next"].removeprefix("/api/v1")).get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == [r.id for r in rows[:4]]
    since = api.get("/handouts", query_string={"updated_since": "2026-01-03T12:00:00+00:00"})
    assert [i["id"] for i in since.get_json()["items"]] == [r.id for r in rows[3:]]
    assert api.get("/handouts?per_page=201").status_code == 422
    assert api.get("/handouts?updated_since=yesterday").status_code == 422
    assert api.get("/handouts?page=" + "9" * 40).status_code == 422
    assert api.get("/handouts?updated_since=2026-01-03T12:00:00").status_code == 422  # no zone


def test_contacts_and_overdoses_lists_show_what_was_synced(client, world, api):
    b = bodies(world)
    api.post("/contacts", {"client_id": new_id(), **b["contact"]})
    api.post("/overdose-reports", {"client_id": new_id(), **b["overdose_report"]})
    assert api.get("/contacts?mine=true").get_json()["total"] == 1
    assert api.get("/overdose-reports").get_json()["items"][0]["outcome"] == "survived"
    outsider = Api(client, token_for(client, world.outsider))
    assert outsider.get("/contacts").get_json()["total"] == 0


def test_me_products_sites(client, world, api):
    assert api.get("/me").get_json()["id"] == world.peer.id
    assert [p["id"] for p in api.get("/products").get_json()] == [world.product.id]
    assert [s["id"] for s in api.get("/sites").get_json()] == [world.site.id]


def test_bag_is_empty_without_a_holding_and_lists_batches_with_one(client, world, api):
    assert api.get("/bag").get_json() == {
        "holding_id": None,
        "min_level": 0,
        "total": 0,
        "batches": [],
    }
    batch = Batch(
        product_id=world.product.id, batch_number="L123", expiry_date=datetime(2028, 1, 1).date()
    )
    bag = Holding(org_id=world.org.id, kind="bag", user_id=world.peer.id)
    db.session.add_all([batch, bag])
    db.session.flush()
    db.session.add(StockBalance(holding_id=bag.id, batch_id=batch.id, quantity=7))
    db.session.commit()
    body = api.get("/bag").get_json()
    assert body["total"] == 7 and body["batches"][0]["batch_number"] == "L123"


def test_monthly_report_json_for_coordinators_only(client, world, make):
    make.handout(giver=world.peer, product=world.product)
    make.commit()
    coord = Api(client, token_for(client, world.coordinator))
    res = coord.get("/reports/monthly?month=2026-10")
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["month"] == "2026-10" and res.get_json()["tables"]
    assert coord.get("/reports/monthly?month=2026-13").status_code == 422
    assert coord.get(f"/reports/monthly?org={world.other_org.id}").status_code == 404
    peer = Api(client, token_for(client, world.peer))
    assert peer.get("/reports/monthly").status_code == 403


def test_an_id_over_the_databases_integer_is_no_record_and_a_filter_naming_it_is_refused(
    client, world
):
    api = Api(client, token_for(client, world.coordinator))
    db.session.commit()
    too_big = MAX_DB_INT + 1
    assert api.post(f"/handouts/{too_big}/void", {"reason": "twice"}).status_code == 404
    res = api.get(f"/reports/monthly?site={too_big}")
    assert res.status_code == 422
    assert [f["field"] for f in res.get_json()["fields"]] == ["site"]
    schemas = api.get("/openapi.json").get_json()["components"]["schemas"]
    assert schemas["HandoutCreate"]["properties"]["product_id"]["maximum"] == MAX_DB_INT


def test_a_list_filter_out_of_range_is_refused_naming_the_field_and_why(client, world, api):
    res = api.get("/handouts?per_page=201&page=0")
    assert res.status_code == 422 and res.mimetype == "application/problem+json"
    assert res.get_json()["fields"] == [
        {"field": "page", "reason": "The lowest allowed is 1."},
        {"field": "per_page", "reason": "The highest allowed is 200."},
    ]


def test_a_role_without_reports_is_refused_before_its_query_is_read(client, world, api):
    assert api.get("/reports/monthly?site=x").status_code == 403
