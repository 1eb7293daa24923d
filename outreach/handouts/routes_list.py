"""The list of handouts and tallies, with filters, and the same list as a CSV file."""

from __future__ import annotations

from outreach.access import require
from outreach.fieldpages import list_export, list_page
from outreach.handouts import bp
from outreach.handouts.export import HANDOUTS
from outreach.handouts.forms import HandoutFilters
from outreach.handouts.queries import listed
from outreach.products.services import active_products


@bp.get("/")
@require("record_field_work")
def index():
    products = active_products()
    return list_page("handouts/index.html", HANDOUTS, HandoutFilters(), listed, products=products)


@bp.get("/export.csv")
@require("export_lists")
def export():
    return list_export(HANDOUTS, HandoutFilters(), listed)
