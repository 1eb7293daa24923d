"""The attacker, partner organisation A, subtracts its own exact monthly report from the
report of everything it may see (and one breakdown from another, and adds own records as
probes). Planted small partner figures stay hidden: the answers are those of a world without
them, or more than one true count fits every answer. Large figures stay honest."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime

import pytest

from outreach.disclosure import NOISE, marked, rounded
from tests.disclosure.conftest import SWANSEA, wipe_org_handouts

MONTH = "2026-10"
IN_MONTH = datetime(2026, 10, 10, 12, tzinfo=UTC)
SETTING = "Kits handed out by setting"
TOTAL = ("Kits handed out by product", "All products")

pytestmark = pytest.mark.pinned("2026-11-18T10:00:00+00:00")


def report(client, **scope) -> dict[tuple[str, str], str]:
    query = {"month": MONTH, "format": "csv", **scope}
    resp = client.get("/reports/monthly", query_string=query)
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    return {(s, label): v for s, label, v in rows[1:]}


def figures_only(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k[0] != "Report"}


def fits(answer: str, own: int, n: int) -> bool:
    """Whether a partners' count `n` could give the all-scope `answer` beside the attacker's
    own exact `own` (the rule, with any perturbation in NOISE)."""
    parts = {0} if n < 5 or any(n + e < 5 for e in NOISE) else set()
    if n >= 5:
        parts |= {rounded(n + e) for e in NOISE if n + e >= 5}
    return any(str(marked(own + p)) == answer for p in parts)


def test_everything_minus_own_gives_what_a_world_without_small_partner_figures_gives(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=7, setting="street", when=IN_MONTH)
    place.handouts(a, *SWANSEA, n=2, setting="hostel", when=IN_MONTH)
    place.handouts(b, *SWANSEA, n=3, setting="street", when=IN_MONTH)
    place.handouts(b, *SWANSEA, n=1, setting="postal", when=IN_MONTH)
    auth.login(a)
    everything = report(client, scope="all")
    own = report(client)
    assert own[(SETTING, "Street outreach")] == "7"  # one's own figures exactly
    wipe_org_handouts(b)
    assert report(client, scope="all") == everything
    assert everything[(SETTING, "Postal")] == "<5"  # as a setting nobody used


def test_a_shown_partner_total_leaves_its_small_breakdown_undetermined(client, auth, orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=7, setting="street", when=IN_MONTH)
    place.handouts(b, *SWANSEA, n=3, setting="street", when=IN_MONTH)
    place.handouts(b, *SWANSEA, n=4, setting="hostel", when=IN_MONTH)
    auth.login(a)
    everything = report(client, scope="all")
    partner = report(client, org=b.org_id)
    street, hostel = everything[(SETTING, "Street outreach")], everything[(SETTING, "Hostel")]
    total = everything[TOTAL]
    candidates = {
        (x, y)
        for x, y in itertools.product(range(0, 20), repeat=2)
        if fits(street, 7, x)
        and fits(hostel, 0, y)
        and fits(total, 7, x + y)
        and fits(partner[(SETTING, "Street outreach")], 0, x)
        and fits(partner[(SETTING, "Hostel")], 0, y)
        and fits(partner[TOTAL], 0, x + y)
    }
    assert (3, 4) in candidates
    assert len({x for x, _y in candidates}) > 1 and len({y for _x, y in candidates}) > 1


def test_own_records_added_one_by_one_move_the_figure_as_without_partners(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=4, setting="street", when=IN_MONTH)
    auth.login(a)
    seen = []
    for _k in range(8):
        place.handouts(a, *SWANSEA, n=1, setting="street", when=IN_MONTH)
        seen.append(figures_only(report(client, scope="all")))
    wipe_org_handouts(b)
    assert seen[-1] == figures_only(report(client, scope="all"))
    street = [s[(SETTING, "Street outreach")] for s in seen]
    assert street == [str(marked(k)) for k in range(1, 9)]  # a function of own counts only


def test_large_figures_stay_honest_in_every_scope(client, auth, orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=20, setting="street", when=IN_MONTH)
    place.handouts(b, *SWANSEA, n=50, setting="street", when=IN_MONTH)
    auth.login(a)
    everything, partner = report(client, scope="all"), report(client, org=b.org_id)
    for shown, true in ((everything[TOTAL], 70), (partner[TOTAL], 50)):
        assert int(shown) % 5 == 0 and abs(int(shown) - true) <= 4
    assert report(client)[TOTAL] == "20"
