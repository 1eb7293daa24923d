"""Report pages (to be written)."""

from outreach.reports import bp


@bp.get("/monthly")
def monthly():
    return "todo"
