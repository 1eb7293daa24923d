"""A return that mixes partners' records: each figure is the viewer's own part plus partners'
part through the disclosure rule, both parts counted in one scan."""

from __future__ import annotations

from outreach.extensions import db
from tests import factories
from tests.returns.conftest import at
from tests.returns.test_known_programme import BAY, WALES, api, cells

CARDIFF_BOARD = "Cardiff and Vale University Health Board"
PERCENTAGES = ("(%)", "Per 1,000", "Percentage", "Estimated")


def _partners(programme) -> None:
    factories.PartnershipFactory(a=programme.swansea, b=programme.cardiff)
    db.session.commit()


def test_a_partners_few_supplies_are_not_shown_and_every_count_is_coarse(client, auth, programme):
    _partners(programme)
    auth.login(programme.coordinator)
    body = api(client, WALES)
    assert body["suppressed_below"] == 5
    got = cells(body)
    # Cardiff's 2 kits in the year: under 5, so they add nothing.
    assert got[("supplies_by_area", CARDIFF_BOARD, "Kits")] == "<5"
    assert got[("supplies_by_area", BAY, "Kits")] == 10  # Swansea's own 10, a multiple of 5
    counts = {k: v for k, v in got.items() if not any(word in k[2] for word in PERCENTAGES)}
    odd = {k: v for k, v in counts.items() if isinstance(v, int) and v % 5}
    assert not odd


def test_a_partners_many_supplies_are_shown_near_the_truth(client, auth, programme):
    _partners(programme)
    stranger = factories.UserFactory(organisation=programme.cardiff)
    for day in range(1, 25):
        factories.HandoutFactory(
            giver=stranger, occurred_at=at(2025, 6, day, 12), recipient_type="at_risk"
        )
    db.session.commit()
    auth.login(programme.coordinator)
    got = cells(api(client, WALES))
    shown = got[("supplies_by_area", CARDIFF_BOARD, "Kits")]  # 2 + 24 = 26
    assert isinstance(shown, int) and shown % 5 == 0 and abs(shown - 26) <= 4
    # Swansea's own part stays exact inside the mixed total of Wales.
    whole = got[("supplies_by_area", "All of Wales", "Kits")]  # 10 own + 26 partners
    assert isinstance(whole, int) and whole % 5 == 0 and abs(whole - 36) <= 4


def test_one_figure_asked_several_ways_is_perturbed_once(client, auth, programme):
    """The same months, area and measure get the same perturbation however they are asked, so
    asking again cannot average the perturbation away."""
    _partners(programme)
    stranger = factories.UserFactory(organisation=programme.cardiff)
    for day in range(1, 25):
        factories.HandoutFactory(giver=stranger, occurred_at=at(2025, 6, day, 12))
    db.session.commit()
    auth.login(programme.coordinator)
    fy = cells(api(client, WALES))
    as_range = cells(api(client, {**WALES, "period": "2025-04..2026-03"}))
    same = [k for k in fy if k in as_range and k[0] != "comparison"]
    assert len(same) > 300 and isinstance(fy[("supplies_by_area", CARDIFF_BOARD, "Kits")], int)
    assert {k: fy[k] for k in same} == {k: as_range[k] for k in same}
    june = cells(api(client, {**WALES, "period": "2025-06"}))
    assert june[("supplies_by_area", "All of Wales", "Kits")] == fy[("trend", "2025-06", "Kits")]
    next_year = cells(api(client, {**WALES, "period": "FY2026"}))
    previous = next_year[("comparison", "Kits", "Previous period (2025/26)")]
    assert previous == fy[("supplies_by_area", "All of Wales", "Kits")]
