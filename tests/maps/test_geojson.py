"""GET /map/cells.geojson: shape, validation as problem JSON, roles and sharing walls."""

from __future__ import annotations

import pytest

from tests.maps.conftest import CARDIFF, SWANSEA

WALES = "51.3,-5.4,53.5,-2.6"


def get(client, **params):
    params.setdefault("bbox", WALES)
    return client.get("/map/cells.geojson", query_string=params)


def test_cells_come_as_a_feature_collection_of_polygons_without_client_codes(
    client, auth, orgs, place
):
    place.contacts(orgs["a"], *SWANSEA, n=3)
    auth.login(orgs["a"])
    resp = get(client, layer="contacts")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    body = resp.get_json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 1
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and ring[0][0] < 0  # longitude first, Welsh and negative
    assert feature["properties"]["count"] == 3 and feature["properties"]["layer"] == "contacts"
    assert b"secret-hash" not in resp.data and b"client" not in resp.data


def test_gi_adds_z_scores(client, auth, orgs, place):
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    auth.login(orgs["a"])
    body = get(client, layer="overdoses", gi=1).get_json()
    assert all("z" in f["properties"] for f in body["features"])


def test_partner_sees_no_cell_under_five_a_large_one_rounded_and_non_partner_nothing(
    client, auth, orgs, place
):
    place.handouts(orgs["a"], *SWANSEA, n=4)
    place.handouts(orgs["a"], *CARDIFF, n=10)
    auth.login(orgs["b"])
    features = get(client).get_json()["features"]
    assert [f["properties"]["count"] for f in features] == [10]
    assert set(features[0]["properties"]) == {"key", "layer", "count", "own"}
    auth.logout()
    auth.login(orgs["c"])
    assert get(client).get_json()["features"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"layer": "people"}, "layer"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "53,-3,51,-4"}, "bbox"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2025-02-01", "end": "2025-01-01"}, "start"),
        ({"product_id": "x"}, "product_id"),
        ({"setting": "moon"}, "setting"),
        ({"size": "0.005"}, "size"),
        ({"size": "0.3"}, "size"),
        ({"org": "abc"}, "org"),
    ],
)
def test_bad_parameters_answer_400_problem_json_naming_the_field(client, auth, orgs, params, field):
    auth.login(orgs["a"])
    resp = get(client, **params)
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    assert resp.get_json()["fields"][0]["field"] == field


def test_asking_for_a_non_partner_organisation_is_refused(client, auth, orgs):
    auth.login(orgs["a"])
    resp = get(client, org=str(orgs["c"].org_id))
    assert resp.status_code == 400 and resp.get_json()["fields"][0]["field"] == "org"


def test_peers_are_refused_and_anonymous_users_sent_to_login(client, auth, orgs):
    assert get(client).status_code in (302, 401)
    auth.login(orgs["a_peer"])
    assert get(client).status_code == 403
