"""The cells GeoJSON refuses out-of-range dates and ids with a problem naming the field."""

from __future__ import annotations

import pytest

from tests.maps.conftest import SWANSEA

WALES = "51.3,-5.4,53.5,-2.6"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"end": "9999-12-31"}, "end"),
        ({"end": "0001-01-01"}, "end"),
        ({"start": "9999-12-31T23:00:00-05:00"}, "start"),
        ({"end": "0001-01-01T00:00:00+05:00"}, "end"),
        ({"product_id": "99999999999999999999"}, "product_id"),
        ({"product_id": "-1"}, "product_id"),
        ({"org": "99999999999999999999"}, "org"),
    ],
)
def test_cells_geojson_refuses_out_of_range_values_with_a_problem_naming_the_field(
    client, auth, orgs, params, field
):
    auth.login(orgs["a"])
    resp = client.get("/map/cells.geojson", query_string={"bbox": WALES, **params})
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    assert resp.get_json()["fields"][0]["field"] == field


def test_cells_geojson_from_year_one_is_answered(client, auth, orgs, place):
    place.overdoses(orgs["a"], *SWANSEA)
    auth.login(orgs["a"])
    resp = client.get(
        "/map/cells.geojson",
        query_string={"bbox": WALES, "layer": "overdoses", "start": "0001-01-01"},
    )
    assert resp.status_code == 200
    assert sum(f["properties"]["count"] for f in resp.get_json()["features"]) == 1
