"""Each factory makes a row the database accepts (its CHECKs, keys and foreign keys)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from outreach.extensions import db
from tests import factories

EVERY_FACTORY = sorted(
    (
        cls
        for cls in vars(factories).values()
        if isinstance(cls, type) and issubclass(cls, factories.Base) and cls is not factories.Base
    ),
    key=lambda cls: cls.__name__,
)


def test_every_record_kind_has_a_factory():
    made = {cls._meta.model.__tablename__ for cls in EVERY_FACTORY}
    assert made >= {
        "organisations", "sites", "users", "products", "handouts", "outreach_contacts",
        "overdose_reports", "batches", "holdings", "stock_movements", "training_sessions",
        "training_attendances", "partnerships",
    }  # fmt: skip


@pytest.mark.parametrize("factory", EVERY_FACTORY, ids=lambda cls: cls.__name__)
def test_factory_saves_a_valid_row(app, factory):
    row = factory()
    db.session.commit()
    key = inspect(row).identity
    db.session.expunge_all()
    assert db.session.get(factory._meta.model, key) is not None


def test_factories_follow_the_rows_they_are_given(app):
    peer = factories.UserFactory()
    tally = factories.TallyFactory(giver=peer)
    bag = factories.BagFactory(user=peer)
    movement = factories.MovementFactory(to_holding=bag)
    course = factories.TrainingSessionFactory(attendees=[peer])
    db.session.commit()
    assert (tally.org_id, tally.giver_id, tally.kind) == (peer.org_id, peer.id, "tally")
    assert (movement.org_id, movement.to_holding_id) == (peer.org_id, bag.id)
    assert [a.user_id for a in course.attendees] == [peer.id]


def test_partnership_stores_the_lower_organisation_first(app):
    first, second = factories.OrganisationFactory(), factories.OrganisationFactory()
    pair = factories.PartnershipFactory(a=second, b=first)
    assert (pair.org_a_id, pair.org_b_id) == (first.id, second.id)
