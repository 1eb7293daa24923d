"""The audit log page: who created, changed or viewed which record, for an organisation's
administrator. The trail itself is written by `outreach.audit`, which every feature uses; this
page reads it and the users who appear in it, so it sits above both."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from outreach.auditlog import routes  # noqa: E402,F401
