"""The audit trail: who created, changed or viewed which record."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from outreach.audit import routes  # noqa: E402,F401
