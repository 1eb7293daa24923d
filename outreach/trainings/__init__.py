"""Training sessions, attendees, and who is current."""

from flask import Blueprint

bp = Blueprint("trainings", __name__, url_prefix="/trainings")

from outreach.trainings import routes  # noqa: E402,F401
