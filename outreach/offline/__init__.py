"""Offline tablet: the service worker, the web app manifest and the outbox page."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from outreach.offline import routes  # noqa: E402,F401
