"""The monthly report: true totals in the page, CSV, XLSX and PDF; stock flow; trend."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from tests.reports.conftest import HYPERLINK, MONTH
from tests.reports.pdftext import pdf_text

# The expected figures below are October 2026's as read on 18 November (days left, expiring).
pytestmark = pytest.mark.pinned("2026-11-18T10:00:00+00:00")

# (section title, row label, value) that the month built in conftest.py must give.
EXPECTED = [
    ("Kits handed out by product", "Nyxoid 1.8 mg", 15),
    ("Kits handed out by product", "'" + HYPERLINK, 3),
    ("Kits handed out by product", "All products", 18),
    ("Kits handed out by setting", "Street outreach", 4),
    ("Kits handed out by setting", "Prison release", 2),
    ("Kits handed out by setting", "Hostel", 12),
    ("Prison release and community", "Prison release", 2),
    ("Prison release and community", "Community", 16),
    ("First and repeat supplies", "First supply — Supplies", 3),
    ("First and repeat supplies", "First supply — Kits", 3),
    ("First and repeat supplies", "Repeat supply — Supplies", 4),
    ("First and repeat supplies", "Repeat supply — Kits", 5),
    ("First and repeat supplies", "Tallies (first or repeat, and recipient, not asked) — Kits", 10),
    ("Reasons for a repeat supply", "Used on an overdose (on self or someone else) — Supplies", 3),
    ("Reasons for a repeat supply", "Used on an overdose (on self or someone else) — Kits", 4),
    ("Reasons for a repeat supply", "Used on an overdose (on self) — Supplies", 1),
    ("Reasons for a repeat supply", "Used on an overdose (on self) — Kits", 2),
    ("Reasons for a repeat supply", "Used on an overdose (on someone else) — Kits", 2),
    ("Reasons for a repeat supply", "Lost — Supplies", 1),
    ("Recipient types", "Person at risk — Supplies", 5),
    ("Recipient types", "Person at risk — Kits", 6),
    ("Recipient types", "Family member, friend or carer — Supplies", 2),
    ("Recipient types", "Tallies (first or repeat, and recipient, not asked) — Kits", 10),
    ("Reported overdoses and outcomes", "Survived", 3),
    ("Reported overdoses and outcomes", "Died", 1),
    ("Reported overdoses and outcomes", "Unknown", 1),
    ("Reported overdoses and outcomes", "All reported overdoses", 5),
    ("Naloxone administered by", "Peer worker", 3),
    ("Naloxone administered by", "Self-reported", 1),
    ("People trained", "Peers trained as distributors (passed)", 2),
    # 3 at the distributor course, 4 at the brief intervention and 1 by client code, 6 at the
    # tally's session, 3 handouts with training given.
    ("People trained", "Community members trained", 17),
    ("Outreach contacts by setting", "Street outreach — Contacts", 2),
    ("Outreach contacts by setting", "Street outreach — People reached", 6),
    ("Outreach contacts by setting", "All settings — People reached", 7),
    ("Outreach contacts by service offered", "Naloxone", 3),
    ("Outreach contacts by service offered", "Housing", 1),
    ("Referrals made", "Drug treatment", 1),
    ("Stock flow per product", "Nyxoid 1.8 mg — Opening balance", 100),
    ("Stock flow per product", "Nyxoid 1.8 mg — Received", 50),
    ("Stock flow per product", "Nyxoid 1.8 mg — Transferred in", 3),
    ("Stock flow per product", "Nyxoid 1.8 mg — Transferred out", 5),
    ("Stock flow per product", "Nyxoid 1.8 mg — Handed out", 5),
    ("Stock flow per product", "Nyxoid 1.8 mg — Written off or recalled", 3),
    ("Stock flow per product", "Nyxoid 1.8 mg — Adjustments (net)", -3),
    ("Stock flow per product", "Nyxoid 1.8 mg — Closing balance", 137),
    ("Stock flow per product", "'" + HYPERLINK + " — Received", 30),
    ("Batches expiring within 90 days", "Nyxoid 1.8 mg — Kits", 137),
    # NX-1 expires 30 days after the pinned today (18 December), 48 days after October's end.
    ("Batches expiring within 90 days", "Nyxoid 1.8 mg — Days left after the month ends", 48),
    ("Average monthly use and months of stock left", "Nyxoid 1.8 mg — Months of stock left", 21.6),
    ("The last 12 months", "2026-10 — Kits out", 18),
    ("The last 12 months", "2026-09 — Kits out", 4),
    ("Compared with the previous month", "Kits out — Change on the previous month", 14),
]


def _get(client, auth, user, **params):
    auth.login(user)
    query = {"month": MONTH, **params}
    return client.get("/reports/monthly", query_string=query)


def _csv(resp) -> dict:
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Label", "Value"]
    return {(s, label): v for s, label, v in rows[1:]}


def test_csv_gives_every_true_total_of_the_month(client, auth, world):
    resp = _get(client, auth, world.coordinator, format="csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert (
        f'filename="outreach-monthly-2026-10-org-{world.org.id}.csv"'
        in resp.headers["Content-Disposition"]
    )
    figures = _csv(resp)
    for section, label, value in EXPECTED:
        assert figures[(section, label)] == str(value), (section, label)


def test_page_shows_the_same_figures_in_its_tables(client, auth, world):
    resp = _get(client, auth, world.coordinator)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    for section, label, value in EXPECTED:
        table = re.search(rf"<caption>{re.escape(section)}</caption>(.*?)</table>", page, re.S)
        assert table, section
        row, _, column = label.partition(" — ")
        row = row.removeprefix("'").replace('"', "&#34;")
        cells = re.search(rf"<th scope=\"row\">{re.escape(row)}</th>(.*?)</tr>", table.group(1))
        assert cells, (section, label)
        header = re.findall(r"<th scope=\"col\">(.*?)</th>", table.group(1))
        shown = re.findall(r"<td>(.*?)</td>", cells.group(1))
        index = header.index(column) - 1 if column else 0
        assert shown[index].lstrip("+") == str(value), (section, label, shown)
    assert page.count("<svg") == 6  # five bar charts and the trend line
    assert "<title" in page and "<desc" in page


def test_xlsx_has_one_sheet_per_section_with_the_same_figures(client, auth, world):
    resp = _get(client, auth, world.coordinator, format="xlsx")
    assert resp.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    flow = book["Stock flow per product"]
    assert flow.cell(3, 1).font.b and flow.cell(3, 1).value == "Product"
    rows = {r[0]: r[1:] for r in flow.iter_rows(min_row=4, values_only=True)}
    assert rows["Nyxoid 1.8 mg"][:8] == (100, 50, 3, 5, 5, 3, -3, 137)
    products = {
        r[0]: r[1]
        for r in book["Kits handed out by product"].iter_rows(min_row=4, values_only=True)
    }
    assert products == {"Nyxoid 1.8 mg": 15, "'" + HYPERLINK: 3, "All products": 18}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_pdf_is_an_a4_document_with_the_month_and_the_figures(client, auth, world):
    resp = _get(client, auth, world.coordinator, format="pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert resp.headers["Content-Disposition"].endswith(f'org-{world.org.id}.pdf"')
    assert b"/MediaBox [0 0 595.28 841.89]" in resp.data  # A4 in points
    lines = pdf_text(resp.data).splitlines()
    assert "Monthly supply report 2026-10: Swansea Outreach" in " ".join(lines)
    for section, label, value in EXPECTED:
        assert section in lines, section
        assert label.partition(" — ")[0].removeprefix("'") in " ".join(lines), label
        assert str(value) in lines, (section, label, value)


def test_stock_flow_identity_holds_and_closing_matches_the_balances(app, world):
    from datetime import UTC, datetime

    from outreach.reports.scope import Scope
    from outreach.reports.stockflow import balances, closing_balances, stock_flow

    scope = Scope("org", "org", "x", [world.org.id])
    flows = stock_flow(scope, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
    f = flows[world.nyxoid.id]
    assert (
        f["opening"] + f["received"] + f["transferred_in"] - f["transferred_out"]
        - f["handed_out"] - f["written_off"] + f["adjustments"]
        == f["closing"] == 137
    )  # fmt: skip
    assert all(balances(flow) for flow in flows.values())
    ledger = closing_balances(scope, datetime(2026, 11, 1, tzinfo=UTC))
    assert {p: f["closing"] for p, f in flows.items()} == ledger  # balances table = ledger
    whole = stock_flow(Scope("all", "all", "x", None), datetime(2026, 10, 1, tzinfo=UTC),
                       datetime(2026, 11, 1, tzinfo=UTC))  # fmt: skip
    assert whole[world.nyxoid.id]["transferred_out"] == 0  # nothing leaves the platform
    assert whole[world.nyxoid.id]["closing"] == 139  # the partner's store holds 2


def test_trend_has_twelve_months_ending_with_the_report_month(client, auth, world):
    figures = _csv(_get(client, auth, world.coordinator, format="csv"))
    months = sorted({label.split(" — ")[0] for s, label in figures if s == "The last 12 months"})
    assert len(months) == 12 and months[0] == "2025-11" and months[-1] == "2026-10"


@pytest.mark.parametrize("month", ["2026-13", "26-10", "2026-1x", "October"])
def test_a_bad_month_is_a_400_with_a_clear_message(client, auth, world, month):
    resp = _get(client, auth, world.coordinator, month=month)
    assert resp.status_code == 400
    assert "YYYY-MM" in resp.get_data(as_text=True)


def test_a_site_report_counts_only_that_sites_records(client, auth, world):
    figures = _csv(_get(client, auth, world.coordinator, site=world.site.id, format="csv"))
    assert figures[("Kits handed out by product", "All products")] == "1"
    assert figures[("Stock flow per product", "Nyxoid 1.8 mg — Closing balance")] == "112"


def test_the_pdf_is_tagged_with_the_readers_language_and_an_outline(client, auth, world):
    client.post("/language", data={"language": "cy", "next": "/"})
    resp = _get(client, auth, world.coordinator, format="pdf")
    assert resp.status_code == 200
    assert b"/Lang (cy)" in resp.data
    assert b"/MarkInfo" in resp.data and b"/StructTreeRoot" in resp.data
    assert b"/Outlines" in resp.data and b"/DisplayDocTitle true" in resp.data


def test_a_swedish_reader_gets_a_csv_swedish_excel_opens_in_columns(client, auth, world):
    import csv
    import io

    client.post("/language", data={"language": "sv", "next": "/"})
    resp = _get(client, auth, world.coordinator, format="csv")
    text = resp.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert all(len(row) == 3 for row in rows)
    numbers = [row[2] for row in rows[2:]]
    assert any("," in n for n in numbers if n.replace(",", "").isdigit())  # decimal commas
    assert not any("." in n and n.replace(".", "").isdigit() for n in numbers)


def test_contact_and_referral_tables_count_contacts_and_referrals_not_kits(client, auth, world):
    page = _get(client, auth, world.coordinator).get_data(as_text=True)
    for caption, columns in (
        ("Outreach contacts by service offered", ["Service", "Contacts"]),
        ("Referrals made", ["Referred to", "Referrals"]),
    ):
        table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", page, re.S)
        assert table, caption
        assert re.findall(r"<th scope=\"col\">(.*?)</th>", table.group(1)) == columns
