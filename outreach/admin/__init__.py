"""Administration: organisations, sites, users and products."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from outreach.admin import routes  # noqa: E402,F401
