"""Who may open which report, and partners' figures only as suppressed aggregates."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from outreach.extensions import db
from tests import factories
from tests.reports.conftest import HYPERLINK, MONTH


def _csv(client, **params) -> dict:
    resp = client.get("/reports/monthly", query_string={"month": MONTH, "format": "csv", **params})
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    return {(s, label): v for s, label, v in rows[1:]}


def test_a_peer_may_not_open_reports(client, auth, world):
    auth.login(world.peer)
    assert client.get("/reports/monthly").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "stock_manager", "org_admin", "trainer"])
def test_report_roles_open_their_own_organisations_report(client, auth, world, role):
    user = factories.UserFactory(organisation=world.org, role=role)
    db.session.commit()
    auth.login(user)
    assert client.get("/reports/monthly", query_string={"month": MONTH}).status_code == 200


def test_a_non_partner_organisations_report_is_404(client, auth, world):
    auth.login(world.coordinator)
    assert client.get(f"/reports/monthly?month={MONTH}&org={world.stranger.id}").status_code == 404
    assert (
        client.get(f"/reports/monthly?month={MONTH}&site={world.stranger_site.id}").status_code
        == 404
    )


def test_partner_counts_under_five_are_suppressed_and_the_rest_rounded(client, auth, world):
    auth.login(world.coordinator)
    figures = _csv(client, org=world.partner.id)
    assert figures[("Kits handed out by setting", "Street outreach")] == "<5"  # truly 3
    assert figures[("Kits handed out by setting", "Hostel")] == "5"  # truly 7, rounded
    assert figures[("Kits handed out by product", "All products")] == "10"
    page = client.get(f"/reports/monthly?month={MONTH}&org={world.partner.id}").get_data(
        as_text=True
    )
    assert "&lt;5" in page and "a partner count under 5" in page


def test_everything_mixing_own_and_partner_data_is_suppressed_and_excludes_strangers(
    client, auth, world
):
    auth.login(world.coordinator)
    figures = _csv(client, scope="all")
    # Own 18 + partner 10 = 28, shown rounded to 30; the stranger's 50 kits are not counted.
    assert figures[("Kits handed out by product", "All products")] == "30"
    assert figures[("Reported overdoses and outcomes", "Died")] == "<5"


def test_area_scope_covers_the_organisations_of_that_area_the_viewer_may_see(client, auth, world):
    auth.login(world.coordinator)
    assert _csv(client, area="Swansea Bay")[("Kits handed out by product", "All products")] == "30"
    assert _csv(client, area="Cardiff")[("Kits handed out by product", "All products")] == "<5"


def test_the_platform_admin_sees_every_organisation_suppressed(client, auth, world):
    admin = factories.UserFactory(organisation=world.stranger, role="platform_admin")
    db.session.commit()
    auth.login(admin)
    figures = _csv(client, scope="all")
    assert figures[("Kits handed out by product", "All products")] == "80"  # 78 rounded
    assert figures[("Kits handed out by setting", "Prison release")] == "<5"
    assert _csv(client, org=world.org.id)[("Recipient types", "Worker — Kits")] == "<5"


def test_formula_names_are_text_starting_with_a_quote_in_csv_and_xlsx(client, auth, world):
    auth.login(world.coordinator)
    figures = _csv(client)
    assert ("Kits handed out by product", "'" + HYPERLINK) in figures
    figures = _csv(client, site=world.site.id)
    resp = client.get(
        "/reports/monthly", query_string={"month": MONTH, "format": "xlsx", "site": world.site.id}
    )
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    title = book.worksheets[0].cell(1, 1).value
    assert "+SUM(1)" in title and book.worksheets[0].cell(1, 1).data_type == "s"
    names = [r[0] for r in book["Stock flow per product"].iter_rows(min_row=4, values_only=True)]
    assert "'" + HYPERLINK in names


def test_the_default_month_is_the_last_full_calendar_month(client, auth, world):
    from outreach.reports.scope import month_bounds

    start, end = month_bounds(None, today=__import__("datetime").date(2026, 1, 15))
    assert (start.year, start.month, end.year, end.month) == (2025, 12, 2026, 1)
    auth.login(world.coordinator)
    assert client.get("/reports/monthly").status_code == 200


def test_an_unknown_format_is_a_400_not_a_500(client, auth, world):
    auth.login(world.coordinator)
    assert client.get(f"/reports/monthly?month={MONTH}&format=docx").status_code == 400
