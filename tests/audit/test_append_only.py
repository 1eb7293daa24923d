"""On PostgreSQL the database itself refuses to change or remove audit events (the trigger of
migration 0014), whoever asks; new events still go in."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from outreach.audit.services import record
from outreach.extensions import db
from tests.test_migrations import app_on, new_database  # noqa: F401 - a fixture


@pytest.fixture
def migrated(database_url, new_database):  # noqa: F811 - the imported fixture
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite relies on the chain)")
    with app_on(new_database("append_only")) as app:
        upgrade()
        record("view", "handout", 1, detail="first")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = 'rewritten'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_postgresql_refuses_to_change_or_remove_audit_events(migrated, statement):
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(text("SELECT detail FROM audit_events")) == "first"


def test_new_events_still_go_in_and_seal_onto_the_chain(migrated):
    from outreach.audit.chain import verify

    record("view", "handout", 2, org_id=None, detail="second")
    db.session.commit()
    verdict = verify(db.session)
    assert verdict.ok and verdict.events == 2
