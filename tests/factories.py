"""factory_boy factories, one for every record kind; they flush into the app's session.

A factory's defaults make a valid row of its own new organisation; pass the rows a test cares
about (`giver=peer`, `holding=bag`, `organisation=org`) and the ids follow from them."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from outreach.auth.models import User
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation, Partnership, Site
from outreach.overdoses.models import OverdoseReport
from outreach.products.models import Product
from outreach.stock.models import Batch, Holding, StockMovement
from outreach.trainings.models import TrainingAttendance, TrainingSession

PASSWORD = "correct horse battery"
# One real Argon2id hash of PASSWORD, made once so factories stay fast.
_HASH: dict[str, str] = {}


def password_hash() -> str:
    if "h" not in _HASH:
        from outreach.auth.services import hash_password

        _HASH["h"] = hash_password(PASSWORD)
    return _HASH["h"]


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrganisationFactory(Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    area = "Swansea Bay"
    # Most tests are about records, not stock; stock tests switch it on.
    tracks_stock = False


class SiteFactory(Base):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    org_id = factory.SelfAttribute("organisation.id")
    name = factory.Sequence(lambda n: f"Site {n}")
    area = factory.SelfAttribute("organisation.area")
    latitude = 51.6214
    longitude = -3.9436


class UserFactory(Base):
    class Meta:
        model = User

    organisation = factory.SubFactory(OrganisationFactory)
    org_id = factory.SelfAttribute("organisation.id")
    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Worker {n}")
    role = "peer"
    password_hash = factory.LazyFunction(password_hash)


class ProductFactory(Base):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Nyxoid 1.8 mg nasal spray #{n}")
    strength = "1.8 mg"
    route = "intranasal"
    doses_per_kit = 2


def train(
    user: User,
    trainer: User | None = None,
    held_on: date | None = None,
    months: int = 12,
    kind: str = "peer_distributor",
) -> TrainingSession:
    """Record a passed distributor course for `user` (current for `months`)."""
    return TrainingSessionFactory(
        trainer=trainer or user,
        org_id=user.org_id,
        recorded_by_id=(trainer or user).id,
        held_on=held_on or date.today() - timedelta(days=30),
        kind=kind,
        valid_months=months,
        attendees=[user],
    )


class HandoutFactory(Base):
    class Meta:
        model = Handout

    org_id = factory.LazyAttribute(lambda o: o.giver.org_id)
    recorded_by_id = factory.LazyAttribute(lambda o: o.giver.id)
    giver_id = factory.LazyAttribute(lambda o: o.giver.id)
    product_id = factory.LazyAttribute(lambda o: o.product.id)
    occurred_at = factory.LazyFunction(utcnow)
    kind = "single"
    quantity = 1
    setting = "street"
    supply = "first"
    latitude = 51.62
    longitude = -3.94

    class Params:
        giver = factory.SubFactory(UserFactory)
        product = factory.SubFactory(ProductFactory)


class TallyFactory(HandoutFactory):
    """An anonymous tally: kits handed out to several people, no supply or recipient."""

    kind = "tally"
    quantity = 5
    supply = None
    people_count = 5
    people_trained = 0


class ContactFactory(Base):
    """An outreach contact."""

    class Meta:
        model = OutreachContact

    org_id = factory.LazyAttribute(lambda o: o.recorder.org_id)
    recorded_by_id = factory.LazyAttribute(lambda o: o.recorder.id)
    occurred_at = factory.LazyFunction(utcnow)
    setting = "street"
    people_count = 1
    latitude = 51.62
    longitude = -3.94

    class Params:
        recorder = factory.SubFactory(UserFactory)


class OverdoseReportFactory(Base):
    class Meta:
        model = OverdoseReport

    org_id = factory.LazyAttribute(lambda o: o.recorder.org_id)
    recorded_by_id = factory.LazyAttribute(lambda o: o.recorder.id)
    occurred_at = factory.LazyFunction(utcnow)
    administered_by = "peer"
    doses = 1
    route = "intranasal"
    emergency_called = True
    outcome = "survived"
    latitude = 51.62
    longitude = -3.94

    class Params:
        recorder = factory.SubFactory(UserFactory)


class BatchFactory(Base):
    """A manufacturer's lot, expiring a year after today by default."""

    class Meta:
        model = Batch

    product_id = factory.LazyAttribute(lambda o: o.product.id)
    batch_number = factory.Sequence(lambda n: f"NX-{n:04d}")
    expiry_date = factory.LazyFunction(lambda: date.today() + timedelta(days=365))

    class Params:
        product = factory.SubFactory(ProductFactory)


class StoreFactory(Base):
    """A site's store."""

    class Meta:
        model = Holding

    org_id = factory.LazyAttribute(lambda o: o.site.org_id)
    kind = "store"
    site_id = factory.LazyAttribute(lambda o: o.site.id)

    class Params:
        site = factory.SubFactory(SiteFactory)


class BagFactory(Base):
    """A peer's bag."""

    class Meta:
        model = Holding

    org_id = factory.LazyAttribute(lambda o: o.user.org_id)
    kind = "bag"
    user_id = factory.LazyAttribute(lambda o: o.user.id)

    class Params:
        user = factory.SubFactory(UserFactory)


class MovementFactory(Base):
    """A ledger row; by default a delivery of 10 kits into a new store. Stock balances are the
    services' business: a test that needs them right records stock through stock.services."""

    class Meta:
        model = StockMovement

    org_id = factory.LazyAttribute(lambda o: (o.to_holding or o.from_holding).org_id)
    kind = "receipt"
    batch_id = factory.LazyAttribute(lambda o: o.batch.id)
    quantity = 10
    from_holding_id = factory.LazyAttribute(lambda o: o.from_holding and o.from_holding.id)
    to_holding_id = factory.LazyAttribute(lambda o: o.to_holding and o.to_holding.id)
    recorded_by_id = factory.LazyAttribute(lambda o: o.recorder.id)
    occurred_at = factory.LazyFunction(utcnow)

    class Params:
        batch = factory.SubFactory(BatchFactory)
        to_holding = factory.SubFactory(StoreFactory)
        from_holding = None
        recorder = factory.LazyAttribute(
            lambda o: UserFactory(
                organisation=_org((o.to_holding or o.from_holding).org_id), role="stock_manager"
            )
        )


def _org(org_id: int) -> Organisation:
    return db.session.get(Organisation, org_id)


class TrainingSessionFactory(Base):
    """A distributor course held a month ago, current for 12 months; `attendees=[user, …]`
    records each as passed."""

    class Meta:
        model = TrainingSession

    org_id = factory.LazyAttribute(lambda o: o.trainer.org_id)
    recorded_by_id = factory.LazyAttribute(lambda o: o.trainer.id)
    trainer_id = factory.LazyAttribute(lambda o: o.trainer.id)
    held_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    place = "Training room"
    kind = "peer_distributor"
    valid_months = 12

    class Params:
        trainer = factory.SubFactory(UserFactory, role="trainer")

    @factory.post_generation
    def attendees(self, create, users, **kwargs):
        for user in users or ():
            AttendanceFactory(session=self, user=user)


class AttendanceFactory(Base):
    """One person's pass of a training session, current for the session's months."""

    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    user_id = factory.LazyAttribute(lambda o: o.user.id)
    passed = True
    valid_until = factory.LazyAttribute(lambda o: _valid_until(o.session))

    class Params:
        user = factory.LazyAttribute(lambda o: UserFactory(organisation=_org(o.session.org_id)))


def _valid_until(session: TrainingSession) -> date:
    from outreach.trainings.services import add_months

    return add_months(session.held_on, session.valid_months)


class PartnershipFactory(Base):
    """Two organisations that share aggregates; give `a` and `b` in any order."""

    class Meta:
        model = Partnership

    org_a_id = factory.LazyAttribute(lambda o: min(o.a.id, o.b.id))
    org_b_id = factory.LazyAttribute(lambda o: max(o.a.id, o.b.id))
    active = True

    class Params:
        a = factory.SubFactory(OrganisationFactory)
        b = factory.SubFactory(OrganisationFactory)
