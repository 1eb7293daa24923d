"""Product pages (to be written)."""

from outreach.products import bp


@bp.get("/")
def index():
    return "todo"
