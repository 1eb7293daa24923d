"""Products: the kit types every organisation hands out."""

from flask import Blueprint

bp = Blueprint("products", __name__, url_prefix="/products")

from outreach.products import routes  # noqa: E402,F401  (routes register on bp)
