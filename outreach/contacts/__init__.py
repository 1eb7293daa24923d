"""Outreach contacts: people reached, services offered, referrals made."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

from outreach.contacts import routes, routes_corrections  # noqa: E402,F401
