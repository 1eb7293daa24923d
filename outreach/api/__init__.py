"""The JSON API at /api/v1 for tablets and integrations (bearer tokens or the session cookie)."""

from flask import Blueprint

from outreach.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer requests carry no cookie to forge; cookie-authenticated writes are checked in auth.py.
csrf.exempt(bp)

from outreach.api import corrections, openapi, reads, routes, routes_returns  # noqa: E402, F401
