"""Handouts: naloxone kits supplied to a recipient, or counted as a tally."""

from flask import Blueprint

bp = Blueprint("handouts", __name__, url_prefix="/handouts")

from outreach.handouts import routes, routes_corrections, routes_list  # noqa: E402,F401
