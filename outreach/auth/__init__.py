"""Logging in and out (with two-step verification), and the language a user reads the app in."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from outreach.auth import commands, routes, routes_mfa  # noqa: E402,F401
