"""The degree grid: sizes for a view, keys that bin negative longitudes right, distances."""

from __future__ import annotations

import math

import pytest
from geopy.distance import geodesic

from outreach.geo.grid import (
    cell_centre,
    cell_key,
    cell_ring,
    cell_size_deg,
    grid_shape,
    haversine_km,
    key_ranges,
    sum_within,
)

WALES = (51.3, -5.4, 53.5, -2.6)
SWANSEA = (51.58, -4.02, 51.66, -3.88)


def test_cell_size_for_a_nation_and_a_city_stays_under_2500_cells():
    for bbox in (WALES, SWANSEA, (55.0, 10.0, 69.0, 24.0)):
        size = cell_size_deg(*bbox)
        rows, cols = grid_shape(bbox, size)
        assert rows * cols <= 2500
    assert cell_size_deg(*SWANSEA) == 0.005
    assert cell_size_deg(*WALES) == 0.1


def test_cell_size_picks_the_finest_ladder_step_that_fits():
    size = cell_size_deg(*WALES)
    finer = 0.05
    rows, cols = grid_shape(WALES, finer)
    assert rows * cols > 2500 and size > finer


def test_negative_longitudes_bin_by_floor_not_truncation():
    assert cell_key(51.62, -3.94, 0.1) == (516, -40)
    assert cell_key(51.62, -0.05, 0.1) == (516, -1)
    assert cell_key(51.62, 0.05, 0.1) == (516, 0)


def test_cell_centre_and_ring_enclose_the_point():
    key = cell_key(51.62, -3.94, 0.1)
    lat, lon = cell_centre(key, 0.1)
    assert math.isclose(lat, 51.65) and math.isclose(lon, -3.95)
    ring = cell_ring(key, 0.1)
    assert ring[0] == ring[-1] and len(ring) == 5
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    assert min(lons) <= -3.94 <= max(lons) and min(lats) <= 51.62 <= max(lats)


def test_key_ranges_cover_the_box():
    rows, cols = key_ranges(SWANSEA, 0.01)
    assert cell_key(51.58, -4.02, 0.01)[0] == rows.start
    assert cell_key(51.66, -3.88, 0.01)[1] == cols.stop - 1


def test_haversine_is_within_half_a_percent_of_geodesic_in_wales():
    a, b = (51.62, -3.94), (51.48, -3.18)
    km = float(haversine_km(a[0], a[1], b[0], b[1]))
    assert km == pytest.approx(geodesic(a, b).km, rel=0.005)


def test_sum_within_counts_only_cells_whose_centres_are_in_reach():
    size = 0.01
    target = cell_key(51.62, -3.94, size)
    near = (target[0] + 1, target[1])  # ~1.1 km north
    far = (target[0] + 5, target[1])  # ~5.6 km north
    sums = sum_within({near: 4, far: 100, target: 1}, [target], size, radius_km=2.0)
    assert sums[target] == 5


def test_sum_within_a_view_narrower_than_the_reach_counts_the_cells_it_has():
    """A few cells in one row, a reach wider than the view: once a 500 (a shifted slice longer
    than the grid)."""
    size = 0.005
    row = cell_key(51.62, -3.94, size)[0]
    counts = {(row, c): 3.0 for c in range(100, 104)}
    sums = sum_within(counts, list(counts), size, radius_km=5.0)
    assert sums == {key: 12.0 for key in counts}
