"""The monthly report's world of known figures (tests/reports/conftest.py), with person-level
details added: client codes, notes, place names, a void's reason, a coded attendance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from outreach.reports.figures import build
from outreach.reports.scope import Scope, add_month, month_start
from outreach.stock.models import StockBalance, StockMovement
from outreach.trainings.models import TrainingAttendance
from tests.reports.conftest import world  # noqa: F401 - the fixture

# The client code erased in the tests, and another that stays.
INITIALS, BIRTH, SEX = "AB", date(1980, 1, 2), "F"
OTHER_CODE = "b" * 64


def code(form: int = 0) -> str:
    """The erased code as stored: today's form (0), or that of records made before 0013 (1)."""
    from outreach.retention.erase import client_hashes

    return client_hashes(INITIALS, BIRTH, SEX)[form]


@pytest.fixture
def detailed(world):  # noqa: F811 - the imported fixture
    """Client codes, notes, place names and a void on the world's records."""
    handouts = db.session.scalars(select(Handout).order_by(Handout.id)).all()
    for i, h in enumerate(handouts):
        if h.kind == "single":
            h.client_hash = code() if i % 3 == 0 else OTHER_CODE
        h.place_name = "Outside number 12"
        h.latitude, h.longitude = 51.621234, -3.943456
    voided = handouts[5]
    voided.voided_at, voided.voided_by_id = utcnow(), world.coordinator.id
    voided.void_reason = "Wrong person: it was J. Smith's brother"
    for contact in db.session.scalars(select(OutreachContact)):
        contact.notes = "Sleeps behind the library"
        contact.client_hash = code()
    for report in db.session.scalars(select(OverdoseReport)):
        report.client_hash = OTHER_CODE
        report.place_name = "Flat 3"
    for attendance in db.session.scalars(select(TrainingAttendance)):
        if attendance.client_hash:
            attendance.client_hash = code()
    db.session.commit()
    return world


# Every scope the report offers: an organisation, a site, an organisation with its partners
# (suppressed), every organisation (suppressed, and the platform's exact view).
def scopes(w) -> list[Scope]:
    return [
        Scope("org", "org", "own", [w.org.id]),
        Scope("org", "partner", "partner", [w.partner.id], suppress=True),
        Scope("site", "site", "site", [w.org.id], site_id=w.site.id),
        Scope("area", "area", "with partners", [w.org.id, w.partner.id], suppress=True),
        Scope("all", "all", "all", None, suppress=True),
        Scope("all", "all-exact", "all", None),
    ]


def every_figure(w, first=(2026, 7), months: int = 6) -> dict:
    """Every figure of every month (from `first`) in every scope, as shown."""
    out = {}
    for scope in scopes(w):
        for n in range(months):
            year, month = add_month(*first, n)
            start, end = month_start(year, month), month_start(*add_month(year, month, 1))
            report = build(scope, start, end)
            out[(scope.key, year, month)] = (
                [(t.key, [[str(c) for c in row] for row in t.rows]) for t in report.tables],
                [(str(k), str(v)) for k, v in report.tiles],
                report.balanced,
            )
    return out


def ledger() -> tuple:
    movements = db.session.execute(
        select(
            StockMovement.id,
            StockMovement.kind,
            StockMovement.quantity,
            StockMovement.batch_id,
            StockMovement.handout_id,
            StockMovement.occurred_at,
        ).order_by(StockMovement.id)
    ).all()
    balances = db.session.execute(
        select(StockBalance.holding_id, StockBalance.batch_id, StockBalance.quantity).order_by(
            StockBalance.holding_id, StockBalance.batch_id
        )
    ).all()
    return [tuple(m) for m in movements], [tuple(b) for b in balances]


LATER = datetime(2028, 12, 15, 10, tzinfo=UTC)  # 24 months on: October 2026 is past the period
