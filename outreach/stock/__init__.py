"""Stock: batches, site stores and peers' bags, the ledger, and resupply requests."""

from flask import Blueprint

bp = Blueprint("stock", __name__, url_prefix="/stock")

from outreach.stock import routes  # noqa: E402,F401
