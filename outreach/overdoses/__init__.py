"""Overdose reports: naloxone used, and what happened."""

from flask import Blueprint

bp = Blueprint("overdoses", __name__, url_prefix="/overdoses")

from outreach.overdoses import routes, routes_corrections  # noqa: E402,F401
