"""A voided record counts nowhere on the map: cells, own points, named hot spots' recent
activity, coverage gaps and spike alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.corrections.services import void
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.maps.queries import MapFilter, cells, coverage_gaps, hot_spots, points
from outreach.maps.services import add_hot_spot
from outreach.maps.spikes import detect_spikes
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from tests.maps.conftest import SWANSEA

WALES = (51.3, -5.4, 53.5, -2.6)
BOX = (51.50, -4.10, 51.70, -3.80)
RECORD_TYPES = {Handout: "handout", OutreachContact: "contact", OverdoseReport: "overdose_report"}


def year() -> MapFilter:
    now = utcnow()
    return MapFilter(start=now - timedelta(days=365), end=now + timedelta(minutes=1))


@pytest.fixture
def void_one(app):
    """Void the newest record of a model through the service, as the pages do."""

    def run(model, by):
        row = db.session.scalars(select(model).order_by(model.id.desc())).first()
        with app.test_request_context():
            void(row, by=by, reason="Recorded twice", record_type=RECORD_TYPES[model])
        db.session.commit()

    return run


@pytest.mark.parametrize(
    ("layer", "model", "before", "after"),
    [
        ("handouts", Handout, 6, 4),
        ("contacts", OutreachContact, 3, 2),
        ("overdoses", OverdoseReport, 3, 2),
    ],
)
def test_a_voided_record_leaves_its_cell(orgs, place, void_one, layer, model, before, after):
    a = orgs["a"]
    if layer == "handouts":
        place.handouts(a, *SWANSEA, n=3, quantity=2)
    else:
        getattr(place, layer)(a, *SWANSEA, n=3)
    (cell,) = cells(a, layer, year(), WALES, 0.1)
    assert cell.count == before
    void_one(model, a)
    (cell,) = cells(a, layer, year(), WALES, 0.1)
    assert cell.count == after


def test_a_voided_record_is_not_a_point(orgs, place, void_one):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=2)
    assert len(points(a, "overdoses", year(), WALES)) == 2
    void_one(OverdoseReport, a)
    assert len(points(a, "overdoses", year(), WALES)) == 1


def test_a_named_hot_spots_recent_activity_leaves_out_voided_records(orgs, place, void_one):
    a = orgs["a"]
    add_hot_spot(a, "Bus station", "rough_sleeping", *SWANSEA, radius_m=300)
    place.contacts(a, *SWANSEA, n=2)
    (spot,) = hot_spots(a)
    assert spot.recent["contacts"] == 2
    void_one(OutreachContact, a)
    (spot,) = hot_spots(a)
    assert spot.recent["contacts"] == 1


def test_kits_voided_no_longer_cover_an_overdose_cell(orgs, place, void_one):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=2)
    place.handouts(a, *SWANSEA, n=1, quantity=5)
    assert coverage_gaps(a, year(), BOX, 0.01, radius_km=2.0, min_kits=5) == []
    void_one(Handout, a)
    (gap,) = coverage_gaps(a, year(), BOX, 0.01, radius_km=2.0, min_kits=5)
    assert (gap.overdoses, gap.kits_nearby) == (2, 0)


def test_a_voided_overdose_report_does_not_raise_a_spike(orgs, place, void_one):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=3)
    void_one(OverdoseReport, a)
    assert detect_spikes() == []
    place.overdoses(a, *SWANSEA)  # three live reports again
    assert [x for x in detect_spikes() if x.org_id == a.org_id]
