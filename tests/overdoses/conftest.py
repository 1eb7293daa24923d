"""Overdose reports made through the service, as a tablet or the API would make them."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.places import Location


@pytest.fixture
def add_report():
    def add(user, **kw):
        kw.setdefault("administered_by", "peer")
        kw.setdefault("location", Location(51.62, -3.94, "gps", None, "Kingsway"))
        report = record_overdose(OverdoseInput(**kw), recorded_by=user)
        db.session.commit()
        return report

    return add


@pytest.fixture
def in_request(app):
    """Services raise lazily translated messages, whose language comes from a request."""
    with app.test_request_context():
        yield
