"""Review fixes: spike alerts ignore suppressed partner parts; GeoJSON refuses odd values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from outreach.extensions import db
from outreach.maps.models import SpikeAlert
from outreach.maps.services import acknowledge_alert
from outreach.maps.spikes import detect_spikes
from outreach.models.base import utcnow
from tests.maps.conftest import SWANSEA

WALES = "51.3,-5.4,53.5,-2.6"


def test_one_partner_report_after_acknowledgement_raises_no_new_alert(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.overdoses(a, *SWANSEA, n=3)
    for alert in detect_spikes():
        acknowledge_alert(a, alert)
    db.session.commit()
    place.overdoses(b, *SWANSEA)  # the partner's part (1) is under the suppression threshold
    raised = detect_spikes()
    assert [x for x in raised if x.org_id == a.org_id] == []


def test_a_suppressed_partner_report_does_not_move_the_alerts_start(orgs, place):
    a, b = orgs["a"], orgs["b"]
    partner_time = utcnow() - timedelta(hours=20)
    own_time = utcnow() - timedelta(hours=2)
    place.overdoses(b, *SWANSEA, when=partner_time)
    place.overdoses(a, *SWANSEA, n=3, when=own_time)
    detect_spikes()
    cell = db.session.scalar(
        select(SpikeAlert).where(
            SpikeAlert.org_id == a.org_id, SpikeAlert.scope == "cell", SpikeAlert.window == "24h"
        )
    )
    assert cell is not None and cell.count == 3
    started = cell.started_at.replace(tzinfo=None)
    assert abs(started - own_time.replace(tzinfo=None)) < timedelta(seconds=1)


def test_a_partner_part_at_the_threshold_counts_and_sets_the_start(orgs, place):
    a, b = orgs["a"], orgs["b"]
    partner_time = utcnow() - timedelta(hours=20)
    place.overdoses(b, *SWANSEA, n=5, when=partner_time)
    place.overdoses(a, *SWANSEA, n=1)
    detect_spikes()
    cell = db.session.scalar(
        select(SpikeAlert).where(
            SpikeAlert.org_id == a.org_id, SpikeAlert.scope == "cell", SpikeAlert.window == "24h"
        )
    )
    assert cell is not None and cell.count == 6
    started = cell.started_at.replace(tzinfo=None)
    assert abs(started - partner_time.replace(tzinfo=None)) < timedelta(seconds=1)


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
