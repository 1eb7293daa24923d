"""Fixtures: one app per test session, a clean database per test, on SQLite or PostgreSQL.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the whole
suite on PostgreSQL; by default it runs on a SQLite file in a temporary folder.

Every test starts on the same pinned instant (the clock then ticks): no test depends on the day
it runs. Set OUTREACH_TEST_NOW (e.g. 2027-07-15T23:30:00+00:00) to run the whole suite on
another day; tests that start servers in other processes are marked `realclock`, and tests whose
expected figures are written for one day say so with `pinned("2026-11-18T10:00:00+00:00")`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import time_machine
from flask import g
from sqlalchemy import text

from outreach import create_app
from outreach.extensions import db
from tests import factories

TEST_DB = os.environ.get("TEST_DATABASE_URL")
# A Wednesday in November, mid-month, in winter time: the default day of every test.
PINNED_NOW = datetime.fromisoformat(
    os.environ.get("OUTREACH_TEST_NOW") or "2026-11-18T10:00:00+00:00"
).astimezone(UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Start every test at PINNED_NOW (the clock ticks on from there), or at the instant its
    `pinned` marker names; `realclock` tests, whose servers run in other processes, keep the
    machine's clock."""
    if request.node.get_closest_marker("realclock"):
        yield None
        return
    own = request.node.get_closest_marker("pinned")
    start = datetime.fromisoformat(own.args[0]).astimezone(UTC) if own else PINNED_NOW
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DB:
        return TEST_DB.replace("postgresql://", "postgresql+psycopg://", 1)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    # The pages are tested in all three languages with the compiled catalogues committed in
    # the repository (tests/test_translations.py checks they match the .po files).
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "CLIENT_CODE_KEY": "test-client-code-key",
            "GEOCODER": "offline",
            # Cheap hashing in tests only; production uses OWASP's Argon2id cost (config.py).
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
            "SERVER_NAME": None,
        }
    )

    # Each test holds one app context open, which Flask reuses for the test's requests: clear
    # what earlier requests cached there (Flask-Login's user, the CSRF token), as a real server
    # would. First of all, so a request that another before_request refuses starts clean too.
    def _fresh_request_globals():
        g.__dict__.clear()

    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)

    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _wipe() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_db(request):
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        _wipe()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_name, password: str = factories.PASSWORD):
        username = getattr(user_or_name, "username", user_or_name)
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make():
    """Factories plus helpers, flushed and committed so requests see them."""

    class Make:
        org = staticmethod(factories.OrganisationFactory)
        site = staticmethod(factories.SiteFactory)
        product = staticmethod(factories.ProductFactory)
        handout = staticmethod(factories.HandoutFactory)
        train = staticmethod(factories.train)

        @staticmethod
        def user(role="peer", trained=True, **kw):
            user = factories.UserFactory(role=role, **kw)
            if trained and role in ("peer", "trainer"):
                factories.train(user)
            return user

        @staticmethod
        def commit():
            db.session.commit()

    return Make
