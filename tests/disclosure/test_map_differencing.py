"""The attacker, partner organisation A, subtracts one map answer from another: two boxes, two
windows, two filters, or the same cell before and after adding its own records. Planted small
partner cells (1 to 4 events) stay undetermined: the answers are the same as without them, or
more than one true count fits every answer."""

from __future__ import annotations

import itertools

from outreach.maps.layers import cells
from tests.disclosure.conftest import (
    SWANSEA,
    at,
    cell_counts,
    consistent,
    geojson,
    local,
    wipe_org_handouts,
)

# Two points 500 m apart in one 0.01-degree cell (row 5162, column -395), and a third between.
WEST, EAST, MIDDLE = (51.621, -3.949), (51.621, -3.941), (51.621, -3.945)


def _only(body) -> int | None:
    counts = cell_counts(body)
    assert len(counts) <= 1
    return next(iter(counts.values()))[0] if counts else None


def test_boxes_edging_past_a_small_partner_cell_give_what_no_partner_data_gives(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *MIDDLE, n=1)
    place.handouts(b, *WEST, n=1)
    place.handouts(b, *EAST, n=3)
    auth.login(a)
    boxes = [  # edges inside the cell, either side of each partner point
        "51.615,-3.948,51.625,-3.935",
        "51.615,-3.95,51.625,-3.942",
        "51.615,-3.95,51.625,-3.94",
        "51.6205,-3.9495,51.6215,-3.9485",
    ]
    seen = [cell_counts(geojson(client, bbox=box, size="0.01")) for box in boxes]
    wipe_org_handouts(b)
    assert [cell_counts(geojson(client, bbox=box, size="0.01")) for box in boxes] == seen


def test_a_box_splitting_a_large_partner_cell_counts_the_whole_cell(client, auth, orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *WEST, n=6)
    place.handouts(b, *EAST, n=6)
    auth.login(a)
    west_only = _only(geojson(client, bbox="51.615,-3.95,51.625,-3.945", size="0.01"))
    both = _only(geojson(client, bbox="51.615,-3.95,51.625,-3.94", size="0.01"))
    assert west_only == both  # the box is snapped to whole cells for partners' data


def test_two_hidden_days_and_their_sum_leave_each_day_undetermined(client, auth, orgs, place):
    a, b = orgs["a"], orgs["b"]
    d1, d2 = at(5), at(4)
    place.handouts(b, *SWANSEA, n=4, when=local(b, d1, 12))
    place.handouts(b, *SWANSEA, n=4, when=local(b, d2, 12))
    auth.login(a)
    day = lambda d: local(a, d, 12).strftime("%Y-%m-%d")  # noqa: E731
    first = _only(geojson(client, start=day(d1), end=day(d1)))
    second = _only(geojson(client, start=day(d2), end=day(d2)))
    together = _only(geojson(client, start=day(d1), end=day(d2)))
    assert first is None and second is None  # deterministic rounding alone would show 10 here
    fits = {
        (x, y)
        for x, y in itertools.product(range(0, 15), repeat=2)
        if consistent(first, x) and consistent(second, y) and consistent(together, x + y)
    }
    assert (4, 4) in fits and len({x for x, _y in fits}) > 1


def test_a_filter_and_its_complement_leave_a_small_partner_part_undetermined(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=3, setting="street")
    place.handouts(b, *SWANSEA, n=4, setting="hostel")
    auth.login(a)
    street = _only(geojson(client, setting="street"))
    hostel = _only(geojson(client, setting="hostel"))
    every = _only(geojson(client))
    fits = {
        (x, y)
        for x, y in itertools.product(range(0, 20), repeat=2)
        if consistent(street, x) and consistent(hostel, y) and consistent(every, x + y)
    }
    assert street is None and hostel is None
    assert (3, 4) in fits and len({x for x, _y in fits}) > 1


def test_own_records_as_probes_move_a_cell_only_as_the_own_part_does(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=3)  # hidden: as if there were none
    flt_cells = lambda: cells(a, "handouts", _year(), (51.5, -4.1, 51.7, -3.8), 0.01)  # noqa: E731
    for k in range(1, 8):
        place.handouts(a, *SWANSEA, n=1)
        (cell,) = flt_cells()
        assert (cell.count, cell.own) == (k, k)


def test_own_probes_beside_a_large_partner_cell_reveal_only_its_coarse_part(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=13)
    box = (51.5, -4.1, 51.7, -3.8)
    (first,) = cells(a, "handouts", _year(), box, 0.01)
    part = first.count  # what partners add, coarse: a multiple of 5
    assert part % 5 == 0 and abs(part - 13) <= 4
    for k in range(1, 8):
        place.handouts(a, *SWANSEA, n=1)
        (cell,) = cells(a, "handouts", _year(), box, 0.01)
        assert cell.count == 5 * round((k + part) / 5 + 1e-9)  # own k and the same coarse part


def _year():
    from datetime import timedelta

    from outreach.maps.layers import MapFilter
    from outreach.models.base import utcnow

    return MapFilter(utcnow() - timedelta(days=365), utcnow() + timedelta(days=1))
