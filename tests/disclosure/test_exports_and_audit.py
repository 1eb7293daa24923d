"""Every figure including partners' data carries the note on "<5" and rounding (page, CSV,
XLSX, PDF, API, map page and GeoJSON); and every read of partners' map data is audited once,
with its window and box and no person data."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.disclosure.conftest import BOX, SWANSEA, geojson
from tests.reports.pdftext import pdf_text

NOTE = "Figures that include partner organisations' data are aggregates"
IN_MONTH = datetime(2026, 10, 10, 12, tzinfo=UTC)


def _get(client, fmt: str, **scope) -> bytes:
    resp = client.get("/reports/monthly", query_string={"month": "2026-10", "format": fmt, **scope})
    assert resp.status_code == 200
    return resp.data


@pytest.mark.pinned("2026-11-18T10:00:00+00:00")
def test_every_report_format_with_partner_data_carries_the_note_and_own_ones_do_not(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    place.handouts(b, *SWANSEA, n=12, when=IN_MONTH)
    auth.login(a)
    assert NOTE in _get(client, "csv", scope="all").decode("utf-8-sig")
    assert NOTE in _get(client, "html", scope="all").decode().replace("&#39;", "'")
    with zipfile.ZipFile(io.BytesIO(_get(client, "xlsx", org=b.org_id))) as book:
        strings = book.read("xl/sharedStrings.xml").decode().replace("&apos;", "'")
    assert NOTE in strings
    pdf = " ".join(pdf_text(_get(client, "pdf", scope="all")).split())
    # (the reader in tests/reports/pdftext.py gets a justified paragraph's last line only)
    assert "whole months (the report) and whole map squares." in pdf
    api = client.get("/api/v1/reports/monthly", query_string={"month": "2026-10", "scope": "all"})
    assert api.get_json()["disclosure_note"].startswith(NOTE)
    assert NOTE not in _get(client, "csv").decode("utf-8-sig")  # own figures: nothing hidden


def test_the_map_page_and_its_geojson_carry_the_note(client, auth, orgs):
    auth.login(orgs["a"])
    assert geojson(client)["properties"]["note"].startswith(NOTE)
    assert NOTE in client.get("/map").get_data(as_text=True).replace("&#39;", "'")


def _map_reads() -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.record_type == "map").order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


def test_a_partner_map_read_is_audited_once_with_its_window_and_box(client, auth, orgs):
    a = orgs["a"]
    auth.login(a)
    geojson(client, start="2026-01-01", end="2026-01-31")
    (event,) = _map_reads()
    assert (event.action, event.user_id, event.org_id) == ("view", a.id, a.org_id)
    assert "2026-01-" in event.detail and "bbox 51.55,-4,51.7,-3.85" in event.detail
    client.get("/map")
    assert len(_map_reads()) == 2


def test_reads_of_only_ones_own_data_are_not_audited_as_partner_reads(client, auth, orgs):
    auth.login(orgs["a"])
    geojson(client, org=str(orgs["a"].org_id))  # own organisation only
    auth.logout()
    auth.login(orgs["c"])  # no partners
    geojson(client)
    assert _map_reads() == []
    assert BOX
