"""A voided record counts in no list or count outside its own page: the home pages, a client
code's earlier supplies, a batch's recall list and the API's lists."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.api.writers import client_hash
from outreach.clientcode import code_digest
from outreach.corrections.services import void
from outreach.extensions import db
from tests.api.conftest import token_for


def _void(record, by, record_type):
    void(record, by=by, reason="Recorded twice", record_type=record_type)
    db.session.commit()


def test_the_coordinators_week_leaves_voided_records_out(client, auth, world):
    world.handout(quantity=4)
    _void(world.handout(quantity=3), world.coordinator, "handout")
    _void(world.overdose(), world.coordinator, "overdose_report")
    world.contact(people_count=2)
    _void(world.contact(people_count=5), world.coordinator, "contact")
    auth.login(world.coordinator)
    page = client.get("/").get_data(as_text=True)
    assert "<strong>4</strong> kits handed out" in page
    assert "<strong>1</strong> outreach contacts" in page
    assert "<strong>2</strong> people reached" in page
    assert "<strong>0</strong> overdose reports" in page


def test_a_peers_recent_records_leave_voided_ones_out(client, auth, world):
    kept = world.overdose()
    gone = world.overdose()
    _void(gone, world.peer, "overdose_report")
    auth.login(world.peer)
    page = client.get("/").get_data(as_text=True)
    assert f'/overdoses/{kept.id}"' in page and f'/overdoses/{gone.id}"' not in page


def test_a_voided_supply_is_no_earlier_supply_of_the_client_code(client, auth, world):
    digest = code_digest("JS", date(1980, 5, 17), "M")
    world.handout(client_hash=client_hash(digest))
    _void(world.handout(client_hash=client_hash(digest)), world.peer, "handout")
    auth.login(world.peer)
    answer = client.post("/handouts/code-history", data={"digest": digest}).get_json()
    assert answer["count"] == 1


def test_a_voided_handout_is_not_in_a_batchs_recall_list(client, auth, world, stocked):
    kept = world.handout()
    gone = world.handout()
    _void(gone, world.coordinator, "handout")
    auth.login(world.coordinator)
    page = client.get(f"/stock/batches/{stocked.id}").get_data(as_text=True)
    assert f'/handouts/{kept.id}"' in page and f'/handouts/{gone.id}"' not in page


@pytest.mark.parametrize(
    ("path", "maker", "record_type"),
    [
        ("/handouts", "handout", "handout"),
        ("/contacts", "contact", "contact"),
        ("/overdose-reports", "overdose", "overdose_report"),
    ],
)
def test_the_api_lists_leave_voided_records_out_unless_asked(
    client, world, path, maker, record_type
):
    kept = getattr(world, maker)()
    gone = getattr(world, maker)()
    _void(gone, world.peer, record_type)
    headers = {"Authorization": f"Bearer {token_for(client, world.peer)}"}

    def ids(**query):
        body = client.get("/api/v1" + path, query_string=query, headers=headers).get_json()
        return {item["id"]: item for item in body["items"]}

    assert set(ids()) == {kept.id}
    both = ids(include_voided="true")
    assert set(both) == {kept.id, gone.id}
    assert both[gone.id]["void_reason"] == "Recorded twice" and both[gone.id]["voided_at"]
    assert both[kept.id]["voided_at"] is None
