"""Every figure of the Welsh and Swedish returns, from a programme whose people, ages, areas
and periods are known (conftest.py): through the API, and the page, CSV, XLSX and PDF giving the
same figures."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests import factories
from tests.reports.pdftext import pdf_text
from tests.returns.conftest import FY, at

WALES = {"return": "wales", "area": "W92000004", "level": "board", "period": FY}
SWEDEN = {"return": "sweden", "area": "SE-14", "level": "local_authority", "period": "2025"}
BAY = "Swansea Bay University Health Board"


def api(client, params) -> dict:
    resp = client.get("/api/v1/reports/returns", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def cells(body: dict) -> dict[tuple[str, str, str], object]:
    """(table key, row label, column) -> figure."""
    out = {}
    for table in body["tables"]:
        for row in table["rows"]:
            for column, value in zip(table["columns"][1:], row[1:], strict=True):
                out[(table["key"], str(row[0]), column)] = value
    return out


EXPECTED_WALES = {
    ("supplies_by_area", BAY, "Kits"): 10,
    ("supplies_by_area", BAY, "Nasal kits"): 9,
    ("supplies_by_area", BAY, "Injectable kits"): 1,
    ("supplies_by_area", BAY, "Supplies"): 5,
    ("supplies_by_area", BAY, "Supplies without a client code"): 1,
    ("supplies_by_area", BAY, "First supplies to people at risk"): 3,
    ("supplies_by_area", BAY, "Repeat supplies"): 2,
    ("supplies_by_area", BAY, "Repeat supplies after use on an overdose"): 1,
    ("supplies_by_area", BAY, "Share of repeats after use on an overdose (%)"): 50.0,
    ("supplies_by_area", "Cardiff and Vale University Health Board", "Kits"): 0,
    ("supplies_by_area", "All of Wales", "Kits"): 10,
    ("people_by_area", BAY, "People supplied"): 3,
    ("people_by_area", BAY, "New people"): "<5",  # 2: decided with others' records
    ("people_by_area", BAY, "People at risk supplied"): 2,
    ("people_by_area", BAY, "New people at risk"): "<5",
    ("people_by_area", "All of Wales", "People supplied"): 3,
    ("outlets_by_area", BAY, "Peer"): 4,
    ("outlets_by_area", BAY, "Prison on release"): 6,
    ("outlets_by_area", BAY, "Pharmacy"): 0,
    ("comparison", "Kits", "2025/26"): 10,
    ("comparison", "Kits", "Previous period (2024/25)"): 1,
    ("comparison", "Kits", "Change on the previous period"): 9,
    ("comparison", "People supplied", "Previous period (2024/25)"): 0,
    ("comparison", "First supplies to people at risk", "Same period last year (2024/25)"): 1,
    ("recipients", "Person at risk", "Supplies"): 4,
    ("recipients", "Family member, friend or carer", "Kits"): 1,
    ("settings", "Prison release", "Kits"): 1,
    ("settings", "Street outreach", "Kits"): 9,
    ("repeat_reasons", "Used on an overdose (on someone else)", "Repeat supplies"): 1,
    ("repeat_reasons", "Lost", "Share of repeat supplies (%)"): 50.0,
    ("people_age", "Under 18", "People"): 1,
    ("people_age", "18–24", "People"): 1,
    ("people_age", "25–34", "People"): 1,
    ("people_age", "35–44", "People"): 0,
    ("people_sex", "Male", "People"): 1,
    ("people_sex", "Female", "People"): 1,
    ("people_sex", "Other / not stated", "People"): 1,
    ("overdose_places", "Own home", "Reports"): 1,
    ("overdose_places", "Street or public place", "Reports"): 1,
    ("overdose_care", "Ambulance called", "Yes"): 1,
    ("overdose_care", "Ambulance called", "Not recorded"): 1,
    ("overdose_care", "Someone stayed with the person", "No"): 1,
    ("overdose_care", "Taken to hospital", "Yes"): 1,
    ("overdose_care", "Referred on", "Yes"): 1,
    ("overdose_outcomes", "Died", "Reports"): 1,
    ("overdose_outcomes", "Injection (intramuscular)", "Reports"): 1,
    ("overdose_people", "18–24", "Reports"): 1,
    ("overdose_people", "Not recorded", "Reports"): 1,
    ("reach", BAY, "People at risk supplied since the programme began"): "<5",
    ("reach", BAY, "Estimated people at risk"): 1000,
    ("reach", BAY, "Per 1,000 people at risk"): "—",
    ("reach", BAY, "Percentage of people at risk"): "—",
    ("trend", "2025-04", "Kits"): 1,
    ("trend", "2025-04", "New people"): "<5",
    ("trend", "2025-03", "Kits"): 1,
    ("trend", "2026-03", "Kits"): 0,
}

EXPECTED_SWEDEN = {
    ("supplies_by_area", "Borås", "Kits"): 2,
    ("supplies_by_area", "Borås", "Repeat supplies after use on an overdose"): 1,
    ("people_by_area", "Borås", "People supplied"): 1,
    ("people_by_area", "Borås", "New people"): "<5",
    ("supplies_by_area", "Göteborg", "Kits"): 1,
    ("people_by_area", "Göteborg", "New people"): "<5",
    ("supplies_by_area", "Alingsås", "Kits"): 0,
    ("people_by_area", "All of Västra Götalandsregionen", "People supplied"): 2,
    ("supplies_by_area", "All of Västra Götalandsregionen", "Kits"): 3,
}


def test_the_welsh_return_gives_every_known_figure(client, auth, programme):
    auth.login(programme.coordinator)
    body = api(client, WALES)
    assert body["suppressed_below"] is None  # Swansea's own records only: exact
    got = cells(body)
    wrong = {k: (v, got.get(k)) for k, v in EXPECTED_WALES.items() if got.get(k) != v}
    assert not wrong
    tiles = {t["label"]: t["value"] for t in body["tiles"]}
    assert tiles["Kits supplied"] == 10 and tiles["New people"] == "<5"
    assert body["period"] == {
        "key": "FY2025",
        "label": "2025/26",
        "start": "2025-04-01",
        "end": "2026-04-01",
    }


def test_the_swedish_return_counts_each_kommun_in_swedish_local_years(client, auth, programme):
    auth.login(programme.sv_coordinator)
    got = cells(api(client, SWEDEN))
    wrong = {k: (v, got.get(k)) for k, v in EXPECTED_SWEDEN.items() if got.get(k) != v}
    assert not wrong
    # Västra Götaland's 49 kommuner, and the region's total row.
    rows = {k[1] for k in got if k[0] == "supplies_by_area"}
    assert len(rows) == 50


def test_new_people_are_each_codes_first_supply_across_every_organisation(programme):
    """The flags the "new people" figures count: Swansea's supply to person 2 is not new
    (Cardiff supplied her first); the voided supply is no one's first."""
    rows = db.session.execute(
        select(Handout.client_hash, Handout.org_id, Handout.new_person, Handout.voided_at)
        .where(Handout.client_hash.is_not(None))
        .order_by(Handout.occurred_at)
    ).all()
    new = [(h[0], org) for h, org, flag, _v in rows if flag]
    assert new == [
        ("b", programme.cardiff.id),
        ("g", programme.goteborg.id),
        ("a", programme.swansea.id),
        ("f", programme.cardiff.id),
        ("h", programme.goteborg.id),
        ("k", programme.goteborg.id),
        ("d", programme.swansea.id),
        ("c", programme.swansea.id),
    ]
    assert [flag for h, _o, flag, voided in rows if voided is not None] == [False]


def test_five_new_people_or_more_are_shown_rounded_near_the_truth(client, auth, programme):
    peer = db.session.scalar(
        select(User).where(User.org_id == programme.swansea.id, User.role == "peer")
    )
    for n in range(6):
        factories.HandoutFactory(
            giver=peer, occurred_at=at(2025, 9, 1 + n, 12), client_hash=f"{n:x}" * 64
        )
    db.session.commit()
    auth.login(programme.coordinator)
    shown = cells(api(client, WALES))[("people_by_area", BAY, "New people")]
    assert isinstance(shown, int) and shown % 5 == 0 and abs(shown - 8) <= 4  # 2 + 6 = 8


def _csv(client, params) -> dict[tuple[str, str], str]:
    resp = client.get("/reports/returns", query_string={**params, "format": "csv"})
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    return {(s, label): v for s, label, v in rows[1:]}


def _as_text(value) -> str:
    return str(value)


@pytest.mark.parametrize("params", [WALES, SWEDEN], ids=["wales", "sweden"])
def test_page_csv_xlsx_and_pdf_give_the_apis_figures(client, auth, programme, params):
    auth.login(programme.coordinator if params is WALES else programme.sv_coordinator)
    body = api(client, params)
    titles = {t["key"]: t["title"] for t in body["tables"]}
    written = _csv(client, params)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/reports/returns", query_string={**params, "format": "xlsx"}).data)
    )
    sheets = {}
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(min_row=3, values_only=True))
        heads = values[0]
        for row in values[1:]:
            for column, value in zip(heads[1:], row[1:], strict=False):
                if column is not None:
                    sheets[(sheet.cell(3, 1).value, str(row[0]), column)] = value
    pdf = pdf_text(client.get("/reports/returns", query_string={**params, "format": "pdf"}).data)
    page = client.get("/reports/returns", query_string=params).get_data(as_text=True)
    for table in body["tables"]:
        for row in table["rows"]:
            for column, value in zip(table["columns"][1:], row[1:], strict=True):
                label = row[0] if len(table["columns"]) == 2 else f"{row[0]} — {column}"
                assert written[(titles[table["key"]], label)] == _as_text(value)
                assert sheets[(table["columns"][0], str(row[0]), column)] == value
    # The PDF and the page draw each table's rows: spot-check the headline area's row.
    kits = body["tables"][0]["rows"][-1]
    assert str(kits[0]) in pdf and str(kits[0]) in page
    header = dict(body["header"])
    for label, value in header.items():
        assert (("Return", label), value) in {((s, k), v) for (s, k), v in written.items()}
        assert label in pdf
    assert re.search(r"\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}", header["Period"])
