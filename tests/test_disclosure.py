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
def test_a_mixed_figure_never_shows_partners_small_part_nor_an_unrounded_total(app, seed):
    rng = random.Random(seed)
    with app.app_context():
        for _ in range(300):
            own, partners = rng.randint(0, 40), rng.randint(0, 40)
            shown = disclosure.mixed(own, own + partners, partners)
            if partners == 0:
                assert shown == disclosure.Mixed(own, False)  # one's own figures as they are
            elif partners < 5:
                assert shown == (disclosure.Mixed(own, True) if own else None)
            else:
                assert shown.count % 5 == 0 and shown.count >= 5
                assert not shown.partners_withheld


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
            assert disclosure.mixed(0, 9, 9) is None
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


@pytest.mark.parametrize("kits", [1, 4, 5, 7, 8, 12, 23])
def test_map_report_and_api_show_the_same_for_the_same_partner_count(
    client, auth, make, partners, kits
):
    viewer, giver = partners
    Place(make).handouts(giver, *SWANSEA, n=kits, when=IN_OCTOBER)
    auth.login(viewer)
    expected = disclosure.marked(kits, 5)
    on_map = _map_count(client)
    assert (f"<{5}" if on_map is None else on_map) == expected
    assert _report_total(client, giver.org_id) == str(expected)
    assert _api_total(client, giver.org_id) == expected
