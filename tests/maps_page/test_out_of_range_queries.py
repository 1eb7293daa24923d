"""The map page and the alert history answer out-of-range dates, ids and pages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "query",
    [
        "end=9999-12-31",
        "end=0001-01-01",
        "start=0001-01-01",
        "start=9999-12-31&end=9999-12-31",
        "start=0001-01-01&end=0001-01-01",
        "product_id=99999999999999999999",
        "org_id=99999999999999999999",
        "product_id=-99999999999999999999",
    ],
)
def test_map_page_with_out_of_range_dates_or_ids_is_not_a_server_error(client, auth, world, query):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 2)
    world.commit()
    auth.login(coordinator)
    assert client.get(f"/map?{query}").status_code == 200


def test_alert_history_with_a_huge_page_number_is_not_a_server_error(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    world.commit()
    auth.login(coordinator)
    assert client.get("/map/alerts?page=99999999999999999999").status_code == 200
