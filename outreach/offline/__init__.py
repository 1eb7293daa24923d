"""Offline tablet: the service worker, the web app manifest and the outbox page."""

from flask import Blueprint

from outreach.errors import RECORD_FORMS

bp = Blueprint("offline", __name__)

from outreach.offline import routes  # noqa: E402,F401
from outreach.offline.records import RECORD_PAGES  # noqa: E402


@bp.record_once
def _tell_errors_the_record_forms(state) -> None:
    """A record form whose token expired is shown again whole (outreach.errors); these are they."""
    state.app.extensions[RECORD_FORMS] = set(RECORD_PAGES.values())
