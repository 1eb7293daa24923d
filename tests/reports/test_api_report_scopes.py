"""GET /api/v1/reports/monthly?scope=all gives the page's suppressed all-organisations figures,
and an unknown scope is a 422 naming `scope`, never a 500."""

from __future__ import annotations

import csv
import io

import pytest

from outreach.extensions import db
from tests import factories
from tests.reports.conftest import MONTH


def _api(client, **params) -> dict:
    resp = client.get("/api/v1/reports/monthly", query_string={"month": MONTH, **params})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def _api_figures(body: dict) -> dict[tuple[str, str, str], str]:
    """(section, row, column) -> the figure as the CSV writes it."""
    out = {}
    for table in body["tables"]:
        for row in table["rows"]:
            for column, value in zip(table["columns"][1:], row[1:], strict=True):
                out[(table["title"], str(row[0]), column)] = str(value)
    return out


def _csv_figures(client, **params) -> dict[tuple[str, str], str]:
    resp = client.get("/reports/monthly", query_string={"month": MONTH, "format": "csv", **params})
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    return {(s, label): v for s, label, v in rows[1:] if s != "Report"}


def test_scope_all_through_the_api_hides_partner_counts_under_five_and_rounds_the_rest(
    client, auth, world
):
    auth.login(world.coordinator)
    body = _api(client, scope="all")
    assert body["scope"]["kind"] == "all" and body["suppressed_below"] == 5
    figures = _api_figures(body)
    # Own 18 + partner 10 = 28 kits, rounded to 30; the stranger's 50 are not counted.
    assert figures[("Kits handed out by product", "All products", "Kits")] == "30"
    # One death, the own organisation's alone, but mixed with partner data: hidden.
    assert figures[("Reported overdoses and outcomes", "Died", "Reports")] == "<5"
    # Nothing unrounded slips through: every shown count is hidden or a multiple of 5 (a
    # batch's days left is a date, not a count of anyone's records).
    counts = [v for k, v in figures.items() if v.lstrip("-").isdigit() and "Days" not in k[2]]
    assert counts and all(int(v) % 5 == 0 for v in counts), counts
    tiles = {t["label"]: t["value"] for t in body["tiles"]}
    assert tiles["Kits handed out"] == 30


def test_scope_all_through_the_api_is_the_same_as_the_pages_download(client, auth, world):
    auth.login(world.coordinator)
    body = _api(client, scope="all")
    # The API's tables as the download writes them: one (section, label) per figure.
    api = {}
    for table in body["tables"]:
        values = table["columns"][1:]
        for row in table["rows"]:
            for column, value in zip(values, row[1:], strict=True):
                label = row[0] if len(values) == 1 else f"{row[0]} — {column}"
                api[(table["title"], str(label))] = str(value)
    page = {
        (s, label.removeprefix("'")): v
        for (s, label), v in _csv_figures(client, scope="all").items()
    }
    assert len(page) > 100
    assert api == page


def test_the_platform_admin_gets_every_organisation_suppressed_through_the_api(client, auth, world):
    admin = factories.UserFactory(organisation=world.stranger, role="platform_admin")
    db.session.commit()
    auth.login(admin)
    figures = _api_figures(_api(client, scope="all"))
    assert figures[("Kits handed out by product", "All products", "Kits")] == "80"  # 78
    assert figures[("Kits handed out by setting", "Prison release", "Kits")] == "<5"


@pytest.mark.parametrize("scope", ["mine", "ALL", "org", "", "all,org", "x" * 500])
def test_an_unknown_scope_is_a_422_naming_scope_never_a_500(client, auth, world, scope):
    auth.login(world.coordinator)
    resp = client.get("/api/v1/reports/monthly", query_string={"month": MONTH, "scope": scope})
    assert resp.status_code in (400, 422), resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert [f["field"] for f in body["fields"]] == ["scope"]
