"""The monthly report and its API answer out-of-range months and ids with a client error,
never a server error."""

from __future__ import annotations

import pytest

from tests import factories
from tests.reports.conftest import MONTH


@pytest.mark.parametrize("month", ["9999-12", "9999-01", "1999-12"])
def test_a_month_out_of_range_is_a_400_on_the_report_page(client, auth, world, month):
    auth.login(world.coordinator)
    resp = client.get("/reports/monthly", query_string={"month": month})
    assert resp.status_code == 400
    assert "calendar month written as YYYY-MM" in resp.get_data(as_text=True)


def test_the_last_accepted_month_is_answered(client, auth, world):
    auth.login(world.coordinator)
    assert client.get("/reports/monthly", query_string={"month": "9998-12"}).status_code == 200


def test_a_month_out_of_range_is_a_422_in_the_api(client, world):
    res = client.post(
        "/api/v1/tokens",
        json={"username": world.coordinator.username, "password": factories.PASSWORD},
    )
    token = res.get_json()["token"]
    resp = client.get(
        "/api/v1/reports/monthly?month=9999-12", headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 422
    assert resp.get_json()["fields"][0]["field"] == "month"


@pytest.mark.parametrize("name", ["site", "org"])
@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "-5", "0"])
def test_an_out_of_range_site_or_org_id_is_404(client, auth, world, name, value):
    auth.login(world.coordinator)
    resp = client.get("/reports/monthly", query_string={"month": MONTH, name: value})
    assert resp.status_code == 404
