"""Fixtures for the login tests: the test's clock, and codes from an authenticator app."""

from __future__ import annotations

import time

import pyotp
import pytest

from outreach.auth import mfa
from outreach.extensions import db


@pytest.fixture
def clock(_pinned_clock):
    """The test's clock (tests/conftest.py pins it): `clock.shift(timedelta(...))` moves it."""
    return _pinned_clock


def code_now(secret: str, steps: int = 0) -> str:
    """What the authenticator app shows now (or `steps` time steps later)."""
    return pyotp.TOTP(secret).at(int(time.time()) + steps * mfa.STEP)


def enrol(user) -> tuple[str, list[str]]:
    """Turn two-step verification on for `user`: their secret and recovery codes."""
    secret = mfa.new_secret()
    codes = mfa.enrol(user, secret, code_now(secret))
    user.totp_last_step = None  # as if set up long ago: the code of this step is not yet used
    db.session.commit()
    return secret, codes
