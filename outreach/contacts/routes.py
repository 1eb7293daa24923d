"""Contact pages (to be written)."""

from outreach.contacts import bp


@bp.route("/new", methods=["GET", "POST"])
def new():
    return "todo"


@bp.get("/")
def index():
    return "todo"


@bp.get("/<int:contact_id>")
def detail(contact_id: int):
    return "todo"
