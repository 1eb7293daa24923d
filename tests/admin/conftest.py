"""A second browser for tests that need two people logged in at once."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


class SecondBrowser:
    """A test client whose every request runs in a fresh app context.

    The suite's autouse fixture keeps one app context open for the whole test, and Flask 3.1
    reuses it for each request, so Flask-Login's cached user (`g._login_user`) would leak from
    one client to the other. A fresh context per request gives this browser its own `g`.
    """

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def get(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.post(*args, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        return self.post("/login", data={"username": username, "password": password})


@pytest.fixture
def browser(app):
    """Make a second (third…) browser: `browser()`."""
    return lambda: SecondBrowser(app)
