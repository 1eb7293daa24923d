"""Contacts made through the service, as a tablet or the API would make them."""

from __future__ import annotations

import pytest

from outreach.contacts.services import ContactInput, record_contact
from outreach.extensions import db
from outreach.places import Location


@pytest.fixture
def add_contact():
    def add(user, **kw):
        kw.setdefault("location", Location(51.62, -3.94, "gps", None, "Kingsway"))
        contact = record_contact(ContactInput(**kw), recorded_by=user)
        db.session.commit()
        return contact

    return add


@pytest.fixture
def in_request(app):
    """Services raise lazily translated messages, whose language comes from a request."""
    with app.test_request_context():
        yield
