"""Stock pages (to be written)."""

from outreach.stock import bp


@bp.get("/")
def index():
    return "todo"


@bp.get("/bag")
def my_bag():
    return "todo"
