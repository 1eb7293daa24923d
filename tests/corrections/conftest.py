"""An organisation with every role, a neighbour, records of each kind, and the forms as a
browser posts them for a correction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.contacts.services import ContactInput, record_contact
from outreach.extensions import db
from outreach.handouts.services import HandoutInput, record_handout
from outreach.models.base import utcnow
from outreach.orgs.services import org_zone
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.places import Location
from outreach.stock import services as svc
from outreach.timezones import local_input

POINT = Location(51.62, -3.94, "gps", None, "Kingsway")


@dataclass
class World:
    org: object
    peer: object
    other_peer: object
    trainer: object
    coordinator: object
    admin: object
    platform: object
    outsider: object
    site: object
    product: object

    def handout(self, by=None, **kw):
        by = by or self.peer
        kw.setdefault("product_id", self.product.id)
        kw.setdefault("quantity", 1)
        kw.setdefault("supply", "first")
        kw.setdefault("location", POINT)
        giver = kw.pop("giver", by)
        handout = record_handout(HandoutInput(**kw), giver=giver, recorded_by=by)
        db.session.commit()
        return handout

    def tally(self, by=None, **kw):
        kw.setdefault("quantity", 12)
        kw.setdefault("people_count", 9)
        return self.handout(by, kind="tally", supply=None, setting="hostel", **kw)

    def contact(self, by=None, **kw):
        kw.setdefault("location", POINT)
        contact = record_contact(ContactInput(**kw), recorded_by=by or self.peer)
        db.session.commit()
        return contact

    def overdose(self, by=None, **kw):
        kw.setdefault("administered_by", "peer")
        kw.setdefault("location", POINT)
        report = record_overdose(OverdoseInput(**kw), recorded_by=by or self.peer)
        db.session.commit()
        return report


@pytest.fixture
def in_request(app):
    """Services raise lazily translated messages, whose language comes from a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def world(make, in_request) -> World:
    org = make.org(name="Swansea Peer Network")
    other = make.org(name="Cardiff Outreach")
    w = World(
        org=org,
        peer=make.user("peer", organisation=org),
        other_peer=make.user("peer", organisation=org),
        trainer=make.user("trainer", organisation=org),
        coordinator=make.user("coordinator", organisation=org),
        admin=make.user("org_admin", organisation=org),
        platform=make.user("platform_admin", organisation=org),
        outsider=make.user("coordinator", organisation=other),
        site=make.site(organisation=org, name="Hub"),
        product=make.product(name="Nyxoid 1.8 mg"),
    )
    make.commit()
    return w


@pytest.fixture
def stocked(world):
    """The organisation tracks stock; the peer's bag holds 10 kits of batch AB123."""
    world.org.tracks_stock = True
    store = svc.store_for(world.site)
    batch = svc.receive(
        site=world.site,
        product=world.product,
        batch_number="AB123",
        expiry_date=date.today() + timedelta(days=300),
        quantity=20,
        reference="DN-1",
        supplier="Martindale",
        recorded_by=world.coordinator,
    ).batch
    svc.transfer(
        from_holding=store,
        to_holding=svc.bag_for(world.peer),
        batch=batch,
        quantity=10,
        recorded_by=world.coordinator,
    )
    db.session.commit()
    return batch


def when(record) -> str:
    """The record's time as the form shows it (the organisation's wall clock, to the minute)."""
    return local_input(record.occurred_at, org_zone(record.org_id)).strftime("%Y-%m-%dT%H:%M")


def where(record) -> dict:
    return {"latitude": record.latitude, "longitude": record.longitude, "place_name": "Kingsway"}


def handout_form(handout, **changes) -> dict:
    """What the correction form posts when it is sent as shown, with `changes`."""
    form = {
        "occurred_at": when(handout),
        "product_id": handout.product_id,
        "quantity": handout.quantity,
        "setting": handout.setting,
        "giver_id": handout.giver_id,
        "batch_id": handout.batch_id or 0,
        "site_id": handout.site_id or 0,
        **where(handout),
    }
    if handout.kind == "single":
        form["supply"] = handout.supply
        for name in ("recipient_type", "repeat_reason", "previous_source"):
            form[name] = getattr(handout, name) or ""
        if handout.training_given:
            form["training_given"] = "y"
    else:
        form["people_count"] = handout.people_count
        form["people_trained"] = "" if handout.people_trained is None else handout.people_trained
    return {**form, **changes}


def contact_form(contact, **changes) -> dict:
    form = {
        "occurred_at": when(contact),
        "setting": contact.setting,
        "people_count": contact.people_count,
        "services": contact.service_codes,
        "referrals": contact.referral_codes,
        "notes": contact.notes or "",
        "site_id": contact.site_id or 0,
        **where(contact),
    }
    return {**form, **changes}


def overdose_form(report, **changes) -> dict:
    form = {
        "occurred_at": when(report),
        "administered_by": report.administered_by,
        "outcome": report.outcome,
        "product_id": report.product_id or 0,
        "site_id": report.site_id or 0,
        **where(report),
    }
    return {**form, **changes}


def audit_events(record_type: str, record_id: int, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.record_type == record_type,
                AuditEvent.record_id == record_id,
                AuditEvent.action == action,
            )
            .order_by(AuditEvent.id)
        )
    )


def days_ago(days: float):
    return utcnow() - timedelta(days=days)
