"""The monthly supply report: page with charts, CSV, XLSX and PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from outreach.reports import routes, routes_returns  # noqa: E402,F401
