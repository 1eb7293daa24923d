"""Revision 0017 counts the tallies of the records already stored exactly as the writes keep
them: records written through the app (the listeners keep their tallies), the revision taken
down and up again (which counts them from the records), the tallies compared."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade

from outreach.extensions import db
from tests import factories
from tests.tallies.test_tallies_follow_writes import tally_cells
from tests.test_migrations import app_on, new_database  # noqa: F401  (a fixture)


def test_the_revision_counts_stored_records_as_the_writes_did(new_database):  # noqa: F811
    with app_on(new_database("tallies")):
        upgrade()
        london = factories.OrganisationFactory(timezone="Europe/London")
        stockholm = factories.OrganisationFactory(timezone="Europe/Stockholm")
        for org in (london, stockholm):
            peer = factories.UserFactory(organisation=org)
            factories.train(peer)
            for day, code in ((datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "a" * 64),
                              (datetime(2026, 2, 28, 23, 30, tzinfo=UTC), None)):  # fmt: skip
                factories.HandoutFactory(giver=peer, occurred_at=day, client_hash=code, quantity=2)
            factories.OverdoseReportFactory(recorder=peer, taken_to_hospital=True)
        db.session.commit()
        kept = tally_cells()
        assert all(kept.values()), kept
        db.session.commit()  # the reading transaction's locks would hold up DROP INDEX
        downgrade(revision="0016")
        upgrade()
        db.session.expire_all()
        try:
            assert tally_cells() == kept
        finally:
            db.session.remove()  # give the connection back before app_on disposes the engine
