"""Cells aggregated in the database: counts, filters, partners' suppression, own points only."""

from __future__ import annotations

from datetime import timedelta

from outreach.geo.grid import cell_key
from outreach.maps.queries import MapFilter, cells, points, viewer_orgs
from outreach.models.base import utcnow
from tests.maps.conftest import CARDIFF, SWANSEA

WALES = (51.3, -5.4, 53.5, -2.6)


def year() -> MapFilter:
    now = utcnow()
    return MapFilter(start=now - timedelta(days=365), end=now + timedelta(minutes=1))


def by_key(found):
    return {c.key: c for c in found}


def test_handouts_cells_sum_kits_per_cell_with_welsh_longitudes_binned_by_floor(orgs, place):
    a = orgs["a"]
    place.handouts(a, *SWANSEA, n=3, quantity=2)
    place.handouts(a, 51.62, -3.999, n=1)  # same 0.1 cell as Swansea (-4.0 .. -3.9)
    place.handouts(a, *CARDIFF, n=1, quantity=5)
    found = by_key(cells(a, "handouts", year(), WALES, 0.1))
    assert found[(516, -40)].count == 7 and found[(516, -40)].own == 7
    assert found[cell_key(*CARDIFF, 0.1)].count == 5
    assert cell_key(*CARDIFF, 0.1) == (514, -32)
    assert (516, -39) not in found  # CAST would have put Swansea here
    assert found[(516, -40)].polygon[0] == (-4.0, 51.6)


def test_contacts_count_records_and_overdoses_count_reports(orgs, place):
    a = orgs["a"]
    place.contacts(a, *SWANSEA, n=4)
    place.overdoses(a, *SWANSEA, n=2)
    assert [c.count for c in cells(a, "contacts", year(), WALES, 0.1)] == [4]
    assert [c.count for c in cells(a, "overdoses", year(), WALES, 0.1)] == [2]


def test_time_range_is_start_inclusive_end_exclusive(orgs, place):
    a = orgs["a"]
    t = utcnow().replace(microsecond=0) - timedelta(days=10)
    place.handouts(a, *SWANSEA, when=t)
    place.handouts(a, *SWANSEA, when=t + timedelta(days=1))
    flt = MapFilter(start=t, end=t + timedelta(days=1))
    assert [c.count for c in cells(a, "handouts", flt, WALES, 0.1)] == [1]


def test_product_and_setting_filters_narrow_the_counts(orgs, place, make):
    a = orgs["a"]
    other = make.product()
    place.handouts(a, *SWANSEA, n=2, setting="hostel")
    place.handouts(a, *SWANSEA, n=3, setting="street", product=other)
    flt = year()
    flt.setting = "hostel"
    assert [c.count for c in cells(a, "handouts", flt, WALES, 0.1)] == [2]
    flt = year()
    flt.product_id = other.id
    assert [c.count for c in cells(a, "handouts", flt, WALES, 0.1)] == [3]


def test_bbox_excludes_events_outside_the_view(orgs, place):
    a = orgs["a"]
    place.handouts(a, *SWANSEA)
    place.handouts(a, *CARDIFF)
    swansea_only = (51.5, -4.2, 51.7, -3.8)
    assert [c.count for c in cells(a, "handouts", year(), swansea_only, 0.1)] == [1]


def test_partner_cell_under_five_is_left_out_and_a_large_one_shown_rounded(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=4)
    place.handouts(b, *CARDIFF, n=10)  # 10 perturbed by at most 2 rounds to 10
    found = by_key(cells(a, "handouts", year(), WALES, 0.1))
    assert cell_key(*SWANSEA, 0.1) not in found
    assert found[cell_key(*CARDIFF, 0.1)].count == 10 and found[cell_key(*CARDIFF, 0.1)].own == 0


def test_suppression_counts_partner_events_not_kits(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=1, quantity=12)  # one tally of 12 kits is still one event
    assert cells(a, "handouts", year(), WALES, 0.1) == []


def test_mixed_cell_with_few_partner_events_shows_only_the_viewers_own_part(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=2)
    place.handouts(b, *SWANSEA, n=3)
    (cell,) = cells(a, "handouts", year(), WALES, 0.1)
    assert (cell.count, cell.own, cell.events) == (2, 2, 2)
    assert not hasattr(cell, "suppressed")  # nothing says partners' data was left out


def test_own_cells_are_shown_even_with_one_event(orgs, place):
    place.handouts(orgs["a"], *SWANSEA, n=1)
    (cell,) = cells(orgs["a"], "handouts", year(), WALES, 0.1)
    assert (cell.count, cell.own) == (1, 1)


def test_non_partner_sees_nothing_of_another_organisation(orgs, place):
    place.handouts(orgs["a"], *SWANSEA, n=50)
    assert cells(orgs["c"], "handouts", year(), WALES, 0.1) == []
    assert points(orgs["c"], "handouts", year(), WALES) == []


def test_org_filter_outside_the_viewers_partners_is_ignored(orgs, place):
    place.handouts(orgs["c"], *SWANSEA, n=50)
    flt = year()
    flt.org_ids = (orgs["c"].org_id,)
    assert cells(orgs["a"], "handouts", flt, WALES, 0.1) == []


def test_points_are_the_viewers_own_events_only_and_none_when_too_many(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=3, quantity=2)
    place.handouts(b, *SWANSEA, n=10)
    found = points(a, "handouts", year(), WALES)
    assert len(found) == 3 and {p.count for p in found} == {2}
    assert all(not hasattr(p, "client_hash") for p in found)
    assert points(a, "handouts", year(), WALES, limit=2) is None
    assert points(b, "handouts", year(), WALES) is not None
    assert len(points(b, "handouts", year(), WALES)) == 10


def test_viewer_orgs_lists_active_partners_and_everyone_for_the_platform_admin(orgs, make):
    a, b, c = orgs["a"], orgs["b"], orgs["c"]
    assert viewer_orgs(a) == (a.org_id, (b.org_id,))
    assert viewer_orgs(c) == (c.org_id, ())
    admin = make.user("platform_admin")
    make.commit()
    own, others = viewer_orgs(admin)
    assert {a.org_id, b.org_id, c.org_id} <= set(others) and own not in others
