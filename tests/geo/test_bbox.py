"""The one bounding-box parser (outreach/geo/grid.py), used by the map page and its GeoJSON."""

from __future__ import annotations

import pytest

from outreach.geo.grid import BadBox, padded_extent, parse_bbox


def test_a_box_is_read_as_south_west_north_east():
    assert parse_bbox("51.5,-4.1,51.7,-3.9") == (51.5, -4.1, 51.7, -3.9)


@pytest.mark.parametrize("text", ["", "1,2,3", "a,b,c,d", "1,2,3,4,5", "nan,0,1,1", "0,0,inf,1"])
def test_anything_but_four_finite_numbers_is_refused_as_numbers(text):
    with pytest.raises(BadBox) as refused:
        parse_bbox(text)
    assert refused.value.reason == "numbers"


@pytest.mark.parametrize("text", ["52,0,51,1", "51,1,52,0", "-100,-200,100,200"])
def test_a_box_upside_down_or_past_the_world_is_refused_as_order(text):
    with pytest.raises(BadBox) as refused:
        parse_bbox(text)
    assert refused.value.reason == "order"


def test_a_zoomed_out_view_is_clamped_to_the_world_when_asked():
    assert parse_bbox("-100,-200,100,200", clamp=True) == (-90.0, -180.0, 90.0, 180.0)
    with pytest.raises(BadBox):
        parse_bbox("52,0,51,1", clamp=True)  # clamping does not turn a box the right way up


def test_the_extent_of_points_is_padded_and_none_without_points():
    assert padded_extent([]) is None
    assert padded_extent([(51.6, -3.9)]) == pytest.approx((51.55, -3.95, 51.65, -3.85))
