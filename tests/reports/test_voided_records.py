"""A voided record counts in no report: the page's figures, CSV, XLSX, PDF, the trend, the
stock flow of its month, and the API's report."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.corrections.services import void
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from tests.api.conftest import token_for
from tests.reports.conftest import IN_MONTH, MONTH
from tests.reports.pdftext import pdf_text


@pytest.fixture
def voided(app, world):
    """One first-supply street handout of the month (1 kit), the street contact with 3 people
    and naloxone only, and one survived overdose report of the month, voided."""
    handout = db.session.scalars(
        select(Handout)
        .where(Handout.org_id == world.org.id, Handout.occurred_at == IN_MONTH)
        .where(Handout.setting == "street", Handout.supply == "first")
        .where(Handout.site_id.is_(None))
        .order_by(Handout.id.desc())
    ).first()
    contact = db.session.scalars(
        select(OutreachContact)
        .where(OutreachContact.org_id == world.org.id)
        .order_by(OutreachContact.id)
    ).all()[1]
    report = db.session.scalars(
        select(OverdoseReport).where(OverdoseReport.outcome == "survived")
    ).first()
    with app.test_request_context():
        for row, kind in ((handout, "handout"), (contact, "contact"), (report, "overdose_report")):
            void(row, by=world.coordinator, reason="Recorded twice", record_type=kind)
    db.session.commit()
    return handout


# (section, label, before, after the voids): the figures conftest.py's month gives.
CHANGED = [
    ("Kits handed out by product", "Nyxoid 1.8 mg", 15, 14),
    ("Kits handed out by product", "All products", 18, 17),
    ("Kits handed out by setting", "Street outreach", 4, 3),
    ("First and repeat supplies", "First supply — Supplies", 3, 2),
    ("First and repeat supplies", "First supply — Kits", 3, 2),
    ("Recipient types", "Person at risk — Supplies", 5, 4),
    ("Recipient types", "Person at risk — Kits", 6, 5),
    ("Reported overdoses and outcomes", "Survived", 3, 2),
    ("Reported overdoses and outcomes", "All reported overdoses", 5, 4),
    ("Outreach contacts by setting", "Street outreach — Contacts", 2, 1),
    ("Outreach contacts by setting", "Street outreach — People reached", 6, 3),
    ("Outreach contacts by service offered", "Naloxone", 3, 2),
    ("The last 12 months", "2026-10 — Kits out", 18, 17),
]


def _csv(client, auth, user) -> dict:
    auth.login(user)
    resp = client.get("/reports/monthly", query_string={"month": MONTH, "format": "csv"})
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    return {(s, label): v for s, label, v in rows[1:]}


def test_before_any_void_the_month_gives_the_known_figures(client, auth, world):
    before = _csv(client, auth, world.coordinator)
    assert all(before[(s, label)] == str(old) for s, label, old, _new in CHANGED)


def test_after_the_voids_every_figure_drops_by_the_voided_records(client, auth, world, voided):
    figures = _csv(client, auth, world.coordinator)
    for section, label, _old, new in CHANGED:
        assert figures[(section, label)] == str(new), (section, label)
    assert figures[("Outreach contacts by service offered", "Housing")] == "1"  # not voided


def test_the_xlsx_and_the_pdf_leave_voided_records_out(client, auth, world, voided):
    auth.login(world.coordinator)
    query = {"month": MONTH}
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/reports/monthly", query_string={**query, "format": "xlsx"}).data)
    )
    sheet = book["Kits handed out by product"]
    assert {r[0]: r[1] for r in sheet.iter_rows(min_row=4, values_only=True)}["All products"] == 17
    pdf = client.get("/reports/monthly", query_string={**query, "format": "pdf"}).data
    lines = pdf_text(pdf).splitlines()
    at = lines.index("All products")
    assert lines[at + 1] == "17"


def test_a_voided_handouts_kits_leave_the_stock_flow_of_its_month(client, auth, world, app):
    """The handout with a 5-kit movement in conftest's ledger: voided, its kits are back in
    the bag as of when it was handed out, so the month hands out none and closes 5 higher."""
    handout = db.session.scalars(select(Handout).where(Handout.site_id == world.site.id)).first()
    before = _csv(client, auth, world.coordinator)
    assert before[("Stock flow per product", "Nyxoid 1.8 mg — Handed out")] == "5"
    with app.test_request_context():
        void(handout, by=world.coordinator, reason="Recorded twice", record_type="handout")
    db.session.commit()
    figures = _csv(client, auth, world.coordinator)
    flow = "Stock flow per product"
    assert figures[(flow, "Nyxoid 1.8 mg — Handed out")] == "0"
    assert figures[(flow, "Nyxoid 1.8 mg — Closing balance")] == "142"
    assert figures[(flow, "Nyxoid 1.8 mg — Opening balance")] == "100"


def test_the_api_report_leaves_voided_records_out(client, world, voided):
    token = token_for(client, world.coordinator)
    body = client.get(
        "/api/v1/reports/monthly",
        query_string={"month": MONTH},
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()
    (table,) = [t for t in body["tables"] if t["title"] == "Kits handed out by product"]
    assert {row[0]: row[1] for row in table["rows"]}["All products"] == 17
