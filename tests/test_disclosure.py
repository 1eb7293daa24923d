"""The one disclosure rule: counts including other organisations' data, hidden under 5 and
rounded to 5 otherwise, the same on the map, in the report and in the API."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime

import pytest

from outreach import disclosure
from outreach.config import load_config
from outreach.extensions import db
from outreach.orgs.models import Partnership
from tests.maps.conftest import SWANSEA, Place

SEEDS = range(20)


def _counts(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(-50, 2000) for _ in range(200)] + list(range(-6, 30))


@pytest.mark.parametrize("seed", SEEDS)
def test_random_counts_never_show_one_to_four_and_shown_ones_are_multiples_of_five(app, seed):
    with app.app_context():
        for n in _counts(seed):
            value = disclosure.shown(n)
            if value is None:
                assert abs(n) < 5
                continue
            assert abs(value) not in {1, 2, 3, 4}
            assert value % 5 == 0 and abs(value - n) <= 2 and value != 0


@pytest.mark.parametrize("seed", SEEDS)
def test_a_mixed_figure_depends_on_partners_only_through_a_coarse_part(app, seed):
    rng = random.Random(seed)
    with app.app_context():
        for _ in range(300):
            own, partners = rng.randint(0, 40), rng.randint(0, 40)
            part = disclosure.partner_part(partners, "k")
            on_map, in_report = (
                disclosure.cell(own, partners, "k"),
                disclosure.figure(own, partners, "k"),
            )
            assert part % 5 == 0 and abs(part - partners) <= 4 or part == 0
            if partners < 5:
                assert part == 0  # exactly as no partner data at all
                assert on_map == own and in_report == disclosure.marked(own)
            elif part:
                assert on_map % 5 == 0 and abs(on_map - own - partners) <= 6
                assert in_report == disclosure.rounded(own + part)
            assert on_map == disclosure.cell(own, part, "other")  # part is all that counts


def test_a_hidden_count_is_marked_with_the_threshold_and_zero_is_hidden_too(app):
    with app.app_context():
        assert [disclosure.marked(n) for n in (0, 4, 5, 7, 8, 12, 13, -3, -8)] == [
            "<5", "<5", 5, 5, 10, 10, 15, "<5", -10,
        ]  # fmt: skip


def test_the_threshold_is_one_setting_for_map_report_and_api(app):
    with app.app_context():
        assert disclosure.threshold() == 5
        app.config["DISCLOSURE_MIN_COUNT"] = 10
        try:
            assert disclosure.shown(9) is None and disclosure.marked(9) == "<10"
            assert disclosure.cell(0, 9, "k") == 0 and disclosure.figure(0, 9, "k") == "<10"
        finally:
            app.config["DISCLOSURE_MIN_COUNT"] = 5


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, 5),
        ({"MAP_SUPPRESS_BELOW": "7"}, 7),
        ({"REPORT_SUPPRESS_BELOW": "3"}, 3),
        ({"MAP_SUPPRESS_BELOW": "4", "REPORT_SUPPRESS_BELOW": "8"}, 8),  # the stricter
        ({"DISCLOSURE_MIN_COUNT": "6", "MAP_SUPPRESS_BELOW": "9"}, 6),  # the new name wins
    ],
)
def test_the_old_map_and_report_settings_are_read_when_the_new_one_is_not_set(
    monkeypatch, tmp_path, env, expected
):
    for name in ("DISCLOSURE_MIN_COUNT", "MAP_SUPPRESS_BELOW", "REPORT_SUPPRESS_BELOW"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config(str(tmp_path))
    assert config["DISCLOSURE_MIN_COUNT"] == expected
    assert "MAP_SUPPRESS_BELOW" not in config and "REPORT_SUPPRESS_BELOW" not in config


# The same partner handouts seen three ways: the map's GeoJSON, the report's CSV and the API.
IN_OCTOBER = datetime(2026, 10, 10, 12, tzinfo=UTC)


@pytest.fixture
def partners(app, make):
    viewer_org, partner_org = make.org(), make.org()
    viewer = make.user("coordinator", organisation=viewer_org)
    giver = make.user("peer", organisation=partner_org)
    low, high = sorted((viewer_org.id, partner_org.id))
    db.session.add(Partnership(org_a_id=low, org_b_id=high, active=True))
    make.commit()
    return viewer, giver


def _map_count(client) -> int | None:
    body = client.get(
        "/map/cells.geojson",
        query_string={"bbox": "51.3,-5.4,53.5,-2.6", "start": "2026-10-01", "end": "2026-10-31"},
    ).get_json()
    counts = [f["properties"]["count"] for f in body["features"]]
    assert len(counts) <= 1
    return counts[0] if counts else None


def _report_total(client, org_id: int):
    resp = client.get(
        "/reports/monthly", query_string={"month": "2026-10", "format": "csv", "org": org_id}
    )
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    figures = {(s, label): v for s, label, v in rows[1:]}
    return figures[("Kits handed out by product", "All products")]


def _api_total(client, org_id: int):
    resp = client.get("/api/v1/reports/monthly", query_string={"month": "2026-10", "org": org_id})
    assert resp.status_code == 200, resp.get_json()
    tiles = {t["label"]: t["value"] for t in resp.get_json()["tiles"]}
    return tiles["Kits handed out"]


@pytest.mark.parametrize("kits", [1, 4, 5, 7, 8, 10, 12, 20, 23])
def test_map_report_and_api_apply_the_same_rule_to_the_same_partner_count(
    client, auth, make, partners, kits
):
    viewer, giver = partners
    Place(make).handouts(giver, *SWANSEA, n=kits, when=IN_OCTOBER)
    auth.login(viewer)
    on_map, in_api = _map_count(client), _api_total(client, giver.org_id)
    assert _report_total(client, giver.org_id) == str(in_api)  # page, CSV and API: one figure
    if kits < 5:
        assert on_map is None and in_api == "<5"
    for shown in (on_map, in_api):  # hidden, or a multiple of 5 within 4 of the truth
        assert shown in (None, "<5") or (shown % 5 == 0 and abs(shown - kits) <= 4)
    if kits % 5 == 0 and kits >= 10:  # 10 or 20 perturbed by at most 2 round back to themselves
        assert on_map == in_api == kits
