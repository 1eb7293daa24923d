"""The start page each role lands on."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from outreach.home import routes  # noqa: E402,F401
