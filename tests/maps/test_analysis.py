"""Computed hot spots, coverage gaps, and named hot spots as the viewer and partners see them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.geo.grid import cell_key
from outreach.maps.models import HotSpot
from outreach.maps.queries import MapFilter, coverage_gaps, gi_star, hot_spots
from outreach.maps.services import add_hot_spot, close_hot_spot
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from tests.maps.conftest import SWANSEA

BOX = (51.50, -4.10, 51.70, -3.80)  # 20 x 30 cells of 0.01°


def year() -> MapFilter:
    now = utcnow()
    return MapFilter(start=now - timedelta(days=365), end=now + timedelta(minutes=1))


def test_gi_star_finds_a_planted_cluster(orgs, place):
    a = orgs["a"]
    for i in range(20):  # a thin background across the box
        place.overdoses(a, 51.505 + i * 0.01, -4.095 + i * 0.01)
    place.overdoses(a, *SWANSEA, n=12)
    place.overdoses(a, SWANSEA[0] + 0.01, SWANSEA[1], n=10)
    hot = gi_star(a, "overdoses", year(), BOX, 0.01)
    keys = {cell.key for cell, z, p in hot}
    assert cell_key(*SWANSEA, 0.01) in keys
    assert all(z > 1.96 and p < 0.05 for _, z, p in hot)


def _random_reports(user, rng, n: int, box=BOX) -> None:
    south, west, north, east = box
    lats = rng.uniform(south, north, n)
    lons = rng.uniform(west, east, n)
    when = utcnow() - timedelta(days=3)
    db.session.add_all(
        OverdoseReport(
            org_id=user.org_id,
            recorded_by_id=user.id,
            occurred_at=when,
            administered_by="peer",
            outcome="survived",
            latitude=float(lat),
            longitude=float(lon),
        )
        for lat, lon in zip(lats, lons, strict=True)
    )
    db.session.commit()


@pytest.mark.parametrize("seed", range(5))
def test_600_random_overdose_reports_in_swansea_make_no_hot_spot(orgs, seed):
    # The map used to call 9 to 33 cells of such noise "hot spots" (p < 0.05 per cell).
    _random_reports(orgs["a"], np.random.default_rng(seed), 600)
    assert gi_star(orgs["a"], "overdoses", year(), BOX, 0.01) == []


def test_80_reports_within_0_01_degrees_stand_out_from_600_random_ones(orgs):
    rng = np.random.default_rng(42)
    _random_reports(orgs["a"], rng, 600)
    lat, lon = SWANSEA
    _random_reports(orgs["a"], rng, 80, (lat, lon, lat + 0.01, lon + 0.01))
    hot = gi_star(orgs["a"], "overdoses", year(), BOX, 0.01)
    keys = {cell.key for cell, _z, _p in hot}
    near = {cell_key(lat + dy, lon + dx, 0.01) for dy in (0, 0.01) for dx in (0, 0.01)}
    assert keys and keys <= near


def test_gi_star_finds_nothing_in_a_uniform_field(orgs, place):
    a = orgs["a"]
    for r in range(20):
        for c in range(30):
            place.handouts(a, 51.505 + r * 0.01, -4.095 + c * 0.01)
    assert gi_star(a, "handouts", year(), BOX, 0.01) == []


def test_coverage_gap_is_a_cell_with_overdoses_and_no_kits_nearby(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=3)
    (gap,) = coverage_gaps(a, year(), BOX, 0.01, radius_km=2.0, min_kits=5)
    assert (gap.overdoses, gap.contacts, gap.kits_nearby) == (3, 0, 0)
    assert gap.cell.key == cell_key(*SWANSEA, 0.01)


def test_kits_within_2_km_close_the_gap_but_kits_5_km_away_do_not(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=3)
    place.contacts(a, 51.56, -3.94, n=2)  # ~6.7 km south
    place.handouts(a, SWANSEA[0] + 0.01, SWANSEA[1], n=5)  # ~1.1 km north of the overdoses
    place.handouts(a, 51.60, -3.87, n=50)  # ~5 km from both: too far
    gaps = coverage_gaps(a, year(), BOX, 0.01, radius_km=2.0, min_kits=5)
    assert [(g.overdoses, g.contacts) for g in gaps] == [(0, 2)]


def test_named_hot_spots_are_shared_with_partners_without_notes_or_reporter(orgs, place):
    a, b, c = orgs["a"], orgs["b"], orgs["c"]
    spot = add_hot_spot(a, "Underpass", "injecting_site", *SWANSEA, 150, notes="By the bins")
    place.overdoses(a, *SWANSEA, n=2)
    db.session.commit()
    (mine,) = hot_spots(a)
    assert mine.own and mine.notes == "By the bins" and mine.reported_by_id == a.id
    assert mine.recent["overdoses"] == 2
    (theirs,) = hot_spots(b)
    assert theirs.id == spot.id and not theirs.own
    assert theirs.notes is None and theirs.reported_by_id is None
    assert theirs.recent["overdoses"] == 0  # only the viewer's own events are counted
    assert hot_spots(c) == []


def test_closed_hot_spots_stay_for_the_owner_on_request_only(orgs):
    a, b = orgs["a"], orgs["b"]
    spot = add_hot_spot(a, "Old squat", "rough_sleeping", *SWANSEA)
    close_hot_spot(a, spot)
    db.session.commit()
    assert hot_spots(a) == [] and hot_spots(b, include_closed=True) == []
    (closed,) = hot_spots(a, include_closed=True)
    assert not closed.active and closed.closed_at is not None
    with pytest.raises(DomainError):
        close_hot_spot(a, spot)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " "}, "name"),
        ({"category": "party"}, "category"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"radius_m": 0}, "radius_m"),
        ({"radius_m": 5001}, "radius_m"),
    ],
)
def test_add_hot_spot_refuses_bad_input_naming_the_field(orgs, kwargs, field):
    values = {"name": "Hostel row", "category": "hostel_cluster", "latitude": 51.6}
    values |= {"longitude": -3.9, "radius_m": 300} | kwargs
    with pytest.raises(DomainError) as err:
        add_hot_spot(orgs["a"], **values)
    assert err.value.field == field
    assert db.session.scalars(select(HotSpot)).all() == []


def test_another_organisation_cannot_close_a_hot_spot(orgs):
    spot = add_hot_spot(orgs["a"], "Car park", "dealing_area", *SWANSEA)
    with pytest.raises(DomainError):
        close_hot_spot(orgs["b"], spot)
    assert spot.active
