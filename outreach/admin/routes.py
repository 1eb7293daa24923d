"""Administration pages (to be written)."""

from outreach.admin import bp


@bp.get("/")
def index():
    return "todo"


@bp.get("/organisations")
def organisations():
    return "todo"
