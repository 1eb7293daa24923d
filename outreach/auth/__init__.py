"""Logging in and out, and the language a user reads the app in."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from outreach.auth import routes  # noqa: E402,F401
