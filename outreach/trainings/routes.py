"""Training pages (to be written)."""

from outreach.trainings import bp


@bp.route("/new", methods=["GET", "POST"])
def new():
    return "todo"


@bp.get("/")
def index():
    return "todo"


@bp.get("/lapsing")
def lapsing():
    return "todo"
