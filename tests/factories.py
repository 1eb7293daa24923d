"""factory_boy factories for the models; they flush into the app's session."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from outreach.auth.models import User
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation, Site
from outreach.products.models import Product
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
    from outreach.trainings.services import add_months

    held_on = held_on or date.today() - timedelta(days=30)
    session = TrainingSession(
        org_id=user.org_id,
        recorded_by_id=(trainer or user).id,
        trainer_id=(trainer or user).id,
        held_on=held_on,
        place="Training room",
        kind=kind,
        valid_months=months,
    )
    session.attendees.append(
        TrainingAttendance(user_id=user.id, passed=True, valid_until=add_months(held_on, months))
    )
    db.session.add(session)
    db.session.flush()
    return session


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
