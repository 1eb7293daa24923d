"""The list of handouts and tallies, with filters, and the same list as a CSV file."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from outreach.extensions import db
from outreach.handouts import bp
from outreach.handouts.export import HANDOUTS
from outreach.handouts.queries import listed
from outreach.listexport import csv_download, download_url
from outreach.listing import date_range_args, id_arg
from outreach.products.services import active_products
from outreach.tenancy import paginate, require_list_exporter, require_recorder


def _filters() -> dict:
    lo, hi, _start, _end = date_range_args()
    return {
        "start": lo,
        "end": hi,
        "setting": request.args.get("setting") or None,
        "product_id": id_arg("product_id"),
        "kind": request.args.get("kind") or None,
        "supply": request.args.get("supply") or None,
        "voided": request.args.get("voided") or None,
    }


@bp.get("/")
@require_recorder
def index():
    _lo, _hi, start, end = date_range_args()
    page = paginate(db.session, listed(current_user, **_filters()), rows=True)
    return render_template(
        "handouts/index.html",
        page=page,
        products=active_products(),
        start=start,
        end=end,
        download=download_url(HANDOUTS),
    )


@bp.get("/export.csv")
@require_list_exporter
def export():
    return csv_download(HANDOUTS, listed(current_user, **_filters()))
