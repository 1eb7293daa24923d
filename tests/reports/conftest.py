"""A month of records whose true totals are known, for the monthly report tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.extensions import db
from outreach.orgs.models import Partnership
from outreach.overdoses.models import OverdoseReport
from outreach.stock.models import Batch, Holding, StockBalance, StockMovement
from outreach.trainings.models import TrainingAttendance, TrainingSession
from tests import factories

MONTH = "2026-10"
IN_MONTH = datetime(2026, 10, 10, 12, tzinfo=UTC)
PREVIOUS = datetime(2026, 9, 15, 12, tzinfo=UTC)
BEFORE = datetime(2026, 8, 1, 9, tzinfo=UTC)
HYPERLINK = '=HYPERLINK("http://evil.example","x")'


@dataclass
class World:
    org: object
    partner: object
    stranger: object
    site: object
    coordinator: object
    peer: object
    nyxoid: object
    evil: object
    partner_site: object
    stranger_site: object


def _place() -> dict:
    return {"latitude": 51.62, "longitude": -3.94}


def _handouts(giver, product, n, **kw):
    made = []
    for _ in range(n):
        kw.setdefault("occurred_at", IN_MONTH)
        made.append(factories.HandoutFactory(giver=giver, product=product, **kw))
    return made


def _move(kind, batch, qty, user, at=IN_MONTH, src=None, dst=None, **kw):
    row = StockMovement(
        org_id=user.org_id,
        occurred_at=at,
        kind=kind,
        batch_id=batch.id,
        from_holding_id=src.id if src else None,
        to_holding_id=dst.id if dst else None,
        quantity=qty,
        recorded_by_id=user.id,
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _stock(w: World, handouts) -> None:
    today = date.today()
    b1 = Batch(product_id=w.nyxoid.id, batch_number="NX-1", expiry_date=today + timedelta(days=30))
    b2 = Batch(product_id=w.evil.id, batch_number="EV-2", expiry_date=today + timedelta(days=400))
    store = Holding(org_id=w.org.id, kind="store", site_id=w.site.id)
    bag = Holding(org_id=w.org.id, kind="bag", user_id=w.peer.id)
    other = Holding(org_id=w.partner.id, kind="store", site_id=w.partner_site.id)
    db.session.add_all([b1, b2, store, bag, other])
    db.session.flush()
    u = w.coordinator
    _move("receipt", b1, 100, u, BEFORE, dst=store, reference="DN-1")
    _move("transfer", b1, 20, u, BEFORE, src=store, dst=bag)
    _move("receipt", b1, 50, u, dst=store, reference="DN-2")
    _move("transfer", b1, 10, u, src=store, dst=bag)  # inside the org: nets out
    _move("transfer", b1, 5, u, src=store, dst=other)  # out of the org
    _move("transfer", b1, 3, u, src=other, dst=store)  # into the org
    _move("handout", b1, 5, u, src=bag, handout_id=handouts[0].id)
    one = _move("handout", b1, 1, u, src=bag, handout_id=handouts[1].id)
    _move("reversal", b1, 1, u, dst=bag, reverses_id=one.id)
    _move("writeoff", b1, 2, u, src=store, reason="expired")
    _move("recall", b1, 1, u, src=bag)
    _move("adjustment", b1, 4, u, src=store, counted=0, reason="count")
    _move("adjustment", b1, 1, u, dst=bag, counted=0, reason="count")
    _move("receipt", b2, 30, u, dst=store, reference="DN-3")
    db.session.add_all(
        [
            StockBalance(holding_id=store.id, batch_id=b1.id, quantity=112),
            StockBalance(holding_id=bag.id, batch_id=b1.id, quantity=25),
            StockBalance(holding_id=store.id, batch_id=b2.id, quantity=30),
            StockBalance(holding_id=other.id, batch_id=b1.id, quantity=2),
        ]
    )


def _training(w: World) -> None:
    held = date(2026, 10, 5)
    course = TrainingSession(
        org_id=w.org.id,
        recorded_by_id=w.coordinator.id,
        trainer_id=w.coordinator.id,
        held_on=held,
        place="Hub",
        kind="peer_distributor",
        community_count=3,  # community members who sat in on the course
    )
    peers = [factories.UserFactory(organisation=w.org) for _ in range(3)]
    for i, peer in enumerate(peers):
        course.attendees.append(TrainingAttendance(user_id=peer.id, passed=i < 2))
    brief = TrainingSession(
        org_id=w.org.id,
        recorded_by_id=w.coordinator.id,
        trainer_id=w.coordinator.id,
        held_on=held,
        place="Hostel",
        kind="brief_intervention",
        community_count=4,
    )
    brief.attendees.append(TrainingAttendance(client_hash="c" * 64, passed=True))
    db.session.add_all([course, brief])


@pytest.fixture
def world(app, make) -> World:
    org = make.org(name="Swansea Outreach", area="Swansea Bay")
    partner = make.org(name="Partner Charity", area="Swansea Bay")
    stranger = make.org(name="Stranger Service", area="Cardiff")
    site = make.site(organisation=org, name="+SUM(1)")
    partner_site = make.site(organisation=partner, name="Partner hub")
    stranger_site = make.site(organisation=stranger, name="Stranger hub")
    coordinator = factories.UserFactory(organisation=org, role="coordinator")
    peer = factories.UserFactory(organisation=org, role="peer")
    nyxoid = make.product(name="Nyxoid 1.8 mg")
    evil = make.product(name=HYPERLINK)
    db.session.add(Partnership(org_a_id=org.id, org_b_id=partner.id))
    w = World(
        org, partner, stranger, site, coordinator, peer, nyxoid, evil, partner_site, stranger_site
    )
    first = _handouts(
        peer, nyxoid, 3, setting="street", recipient_type="at_risk", training_given=True
    )
    first[0].site_id = site.id
    _handouts(
        peer, nyxoid, 1, quantity=2, setting="prison_release", supply="repeat",
        repeat_reason="used_self", recipient_type="at_risk",
    )  # fmt: skip
    _handouts(
        peer, evil, 2, setting="hostel", supply="repeat", repeat_reason="used_other",
        recipient_type="family_friend",
    )  # fmt: skip
    _handouts(
        peer, evil, 1, setting="street", supply="repeat", repeat_reason="lost",
        recipient_type="at_risk",
    )  # fmt: skip
    _handouts(
        peer, nyxoid, 1, kind="tally", quantity=10, setting="hostel", supply=None,
        people_count=8, people_trained=6,
    )  # fmt: skip
    _handouts(peer, nyxoid, 4, occurred_at=PREVIOUS)
    _handouts(peer, nyxoid, 1, occurred_at=datetime(2026, 11, 1, tzinfo=UTC))  # next month
    partner_peer = factories.UserFactory(organisation=partner)
    _handouts(partner_peer, nyxoid, 3, setting="street")
    _handouts(partner_peer, nyxoid, 7, setting="hostel")
    stranger_peer = factories.UserFactory(organisation=stranger)
    _handouts(stranger_peer, nyxoid, 50, setting="street")
    for outcome, by_whom, n in (("survived", "peer", 3), ("died", "family_friend", 1)):
        for _ in range(n):
            db.session.add(
                OverdoseReport(
                    org_id=org.id, recorded_by_id=peer.id, occurred_at=IN_MONTH,
                    administered_by=by_whom, outcome=outcome, **_place(),
                )
            )  # fmt: skip
    db.session.add(
        OverdoseReport(
            org_id=org.id, recorded_by_id=peer.id, occurred_at=IN_MONTH,
            administered_by="self", outcome="unknown", **_place(),
        )
    )  # fmt: skip
    for setting, people, services, referrals in (
        ("street", 3, ["naloxone", "housing"], ["treatment"]),
        ("street", 3, ["naloxone"], []),
        ("hostel", 1, ["naloxone"], []),
    ):
        contact = OutreachContact(
            org_id=org.id, recorded_by_id=peer.id, occurred_at=IN_MONTH, setting=setting,
            people_count=people, **_place(),
        )  # fmt: skip
        contact.services = [ContactService(service=s) for s in services]
        contact.referrals = [ContactReferral(referral=r) for r in referrals]
        db.session.add(contact)
    _training(w)
    db.session.flush()
    _stock(w, first)
    db.session.commit()
    return w
