"""The handout and tally pages: saving, refusing bad input, and tenant walls."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.audit.models import AuditEvent
from outreach.clientcode import code_digest
from outreach.extensions import db
from outreach.handouts.models import Handout


def _setup(make):
    org = make.org()
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    product = make.product()
    make.commit()
    return org, site, peer, product


def test_peer_saves_a_handout_with_only_product_quantity_supply_and_position(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 2,
            "supply": "first",
            "latitude": "51.62",
            "longitude": "-3.94",
        },
    )
    assert resp.status_code == 302
    handout = db.session.scalar(select(Handout))
    assert (handout.quantity, handout.supply, handout.giver_id) == (2, "first", peer.id)
    assert handout.location_source == "gps" and handout.org_id == peer.org_id
    detail = client.get(resp.headers["Location"])
    assert detail.status_code == 200 and b"Nyxoid" in detail.data


def test_handout_at_a_site_takes_the_sites_point(client, auth, make):
    _, site, peer, product = _setup(make)
    auth.login(peer)
    client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 1,
            "supply": "repeat",
            "repeat_reason": "used_other",
            "site_id": site.id,
        },
    )
    handout = db.session.scalar(select(Handout))
    assert (handout.latitude, handout.longitude, handout.site_id) == (
        site.latitude,
        site.longitude,
        site.id,
    )
    assert handout.repeat_reason == "used_other"


def test_place_name_is_geocoded_offline(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    client.post(
        "/handouts/new",
        data={"product_id": product.id, "quantity": 1, "supply": "first", "place_name": "Cardiff"},
    )
    handout = db.session.scalar(select(Handout))
    assert abs(handout.latitude - 51.48) < 0.1 and abs(handout.longitude + 3.18) < 0.1


def test_rejected_handout_keeps_what_was_typed_and_says_why(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/handouts/new",
        data={"product_id": product.id, "quantity": 3, "place_name": "Nowhere-at-all-xyz"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "first or a repeat" in body
    assert 'value="Nowhere-at-all-xyz"' in body and 'value="3"' in body
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 0


def test_unknown_place_is_refused_with_a_message(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/handouts/new",
        data={"product_id": product.id, "quantity": 1, "supply": "first", "place_name": "Qwxzzy"},
    )
    assert resp.status_code == 422
    assert "could not find this place" in resp.get_data(as_text=True)


def test_peer_without_current_training_cannot_give(client, auth, make):
    org = make.org()
    peer = make.user(organisation=org, trained=False)
    make.train(peer, held_on=date.today() - timedelta(days=400))  # lapsed
    product = make.product()
    make.commit()
    auth.login(peer)
    page = client.get("/handouts/new")
    assert "not current" in page.get_data(as_text=True)
    resp = client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 1,
            "supply": "first",
            "latitude": 51.6,
            "longitude": -3.9,
        },
    )
    assert resp.status_code == 422
    assert "no current naloxone training" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 0


def test_client_code_is_stored_only_as_keyed_hash_and_links_repeat_supplies(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    for supply in ("first", "repeat"):
        client.post(
            "/handouts/new",
            data={
                "product_id": product.id,
                "quantity": 1,
                "supply": supply,
                "latitude": 51.6,
                "longitude": -3.9,
                "client_initials": "jd",
                "client_dob": "1985-04-02",
                "client_sex": "M",
            },
        )
    hashes = db.session.scalars(select(Handout.client_hash).order_by(Handout.id)).all()
    assert hashes[0] and hashes[0] == hashes[1]
    assert hashes[0] != code_digest("JD", date(1985, 4, 2), "M")  # keyed, not the plain digest
    # a digest made on the tablet links to the same person
    client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 1,
            "supply": "repeat",
            "latitude": 51.6,
            "longitude": -3.9,
            "client_code_digest": code_digest("JD", date(1985, 4, 2), "M"),
        },
    )
    last = db.session.scalar(select(Handout).order_by(Handout.id.desc()))
    assert last.client_hash == hashes[0]
    page = client.get(f"/handouts/{last.id}").get_data(as_text=True)
    assert "Earlier supplies to the same client code" in page


def test_tally_records_kits_and_people_trained(client, auth, make):
    _, site, peer, product = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/handouts/tally",
        data={
            "product_id": product.id,
            "quantity": 12,
            "people_count": 10,
            "people_trained": 9,
            "setting": "hostel",
            "site_id": site.id,
        },
    )
    assert resp.status_code == 302
    tally = db.session.scalar(select(Handout))
    assert (tally.kind, tally.quantity, tally.people_trained, tally.supply) == (
        "tally",
        12,
        9,
        None,
    )


def test_resent_form_with_same_client_id_creates_one_handout(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    data = {
        "product_id": product.id,
        "quantity": 1,
        "supply": "first",
        "latitude": 51.6,
        "longitude": -3.9,
        "client_id": "5b0c8a9e-1d2f-4c55-9a51-0e7f3c1d2b3a",
    }
    first = client.post("/handouts/new", data=data)
    again = client.post("/handouts/new", data=data)
    assert first.headers["Location"] == again.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 1


def test_other_organisations_handout_is_404_and_absent_from_list(client, auth, make):
    org_a = make.org()
    coordinator_a = make.user(role="coordinator", organisation=org_a)
    theirs = make.handout()  # another organisation's peer and handout
    make.commit()
    auth.login(coordinator_a)
    assert client.get(f"/handouts/{theirs.id}").status_code == 404
    assert f"/handouts/{theirs.id}" not in client.get("/handouts/").get_data(as_text=True)


def test_viewing_a_handout_is_audited(client, auth, make):
    _, _, peer, product = _setup(make)
    handout = make.handout(giver=peer, product=product)
    make.commit()
    auth.login(peer)
    client.get(f"/handouts/{handout.id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view"))
    assert (event.record_type, event.record_id, event.user_id) == ("handout", handout.id, peer.id)


def test_list_filters_by_supply_and_date(client, auth, make):
    _, _, peer, product = _setup(make)
    make.handout(giver=peer, product=product, supply="first")
    make.handout(giver=peer, product=product, supply="repeat")
    make.commit()
    auth.login(peer)
    page = client.get("/handouts/?supply=repeat").get_data(as_text=True)
    assert "1 record" in page
    future = (date.today() + timedelta(days=3)).isoformat()
    assert "0 records" in client.get(f"/handouts/?start={future}").get_data(as_text=True)


def test_code_history_answers_count_and_dates_for_a_tablet_digest(client, auth, make):
    _, _, peer, product = _setup(make)
    auth.login(peer)
    digest = code_digest("AB", date(1990, 1, 2), "F")
    assert client.post("/handouts/code-history", data={"digest": digest}).json["count"] == 0
    client.post(
        "/handouts/new",
        data={
            "product_id": product.id,
            "quantity": 1,
            "supply": "first",
            "latitude": 51.6,
            "longitude": -3.9,
            "client_code_digest": digest,
        },
    )
    answer = client.post("/handouts/code-history", data={"digest": digest}).json
    assert answer["count"] == 1 and answer["supplies"][0]["date"] == date.today().isoformat()
    bad = client.post("/handouts/code-history", data={"digest": "AB1990"})
    assert bad.status_code == 400 and bad.json["error"]["field"] == "digest"
