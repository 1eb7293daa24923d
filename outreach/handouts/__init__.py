"""Handouts: naloxone kits supplied to a recipient, or counted as a tally."""

from flask import Blueprint

bp = Blueprint("handouts", __name__, url_prefix="/handouts")

from outreach.handouts import (  # noqa: E402,F401
    routes,
    routes_corrections,
    routes_list,
    routes_lookup,
)
