"""Overdose report pages (to be written)."""

from outreach.overdoses import bp


@bp.route("/new", methods=["GET", "POST"])
def new():
    return "todo"


@bp.get("/")
def index():
    return "todo"


@bp.get("/<int:report_id>")
def detail(report_id: int):
    return "todo"
