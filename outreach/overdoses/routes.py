"""Overdose report pages: report an overdose, list with filters (and as CSV), detail."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.fieldforms import record_day
from outreach.fieldpages import list_export, list_page, new_record_page, record_page, save_once
from outreach.overdoses import bp
from outreach.overdoses.export import OVERDOSES
from outreach.overdoses.forms import OverdoseFilters, OverdoseForm, as_bool
from outreach.overdoses.models import OverdoseReport
from outreach.overdoses.queries import listed
from outreach.overdoses.services import YES_NO, OverdoseInput, record_overdose
from outreach.products.services import active_products


def overdose_input(form: OverdoseForm) -> OverdoseInput:
    """The service's input from an overdose form (new or correction)."""
    data = OverdoseInput(
        administered_by=form.administered_by.data,
        location=form.location(current_user.org_id),
        outcome=form.outcome.data or "unknown",
        occurred_at=form.occurred_utc(),
        doses=form.doses.data,
        route=form.route.data or None,
        place_type=form.place_type.data or None,
        product_id=form.product_id.data or None,
        client_hash=form.client_hash(),
        client_id=form.client_id.data or None,
        **{name: as_bool(getattr(form, name).data) for name in YES_NO},
    )
    data.age_band, data.sex = form.band_and_sex(record_day(data.occurred_at))
    return data


def _save(form: OverdoseForm) -> OverdoseReport:
    return save_once(
        OverdoseReport,
        form,
        lambda: record_overdose(overdose_input(form), recorded_by=current_user),
        "overdose_report",
    )


@bp.route("/new", methods=["GET", "POST"])
@require("record_field_work")
def new():
    form = OverdoseForm()
    form.set_site_choices(current_user.org_id)
    form.set_product_choices(active_products())
    saved = _("Overdose report saved. Thank you.")
    return new_record_page("overdoses/new.html", form, _save, saved, _detail_url)


def _detail_url(report: OverdoseReport) -> str:
    return url_for("overdoses.detail", report_id=report.id)


@bp.get("/")
@require("record_field_work")
def index():
    return list_page("overdoses/index.html", OVERDOSES, OverdoseFilters(), listed)


@bp.get("/export.csv")
@require("export_lists")
def export():
    return list_export(OVERDOSES, OverdoseFilters(), listed)


@bp.get("/<int:report_id>")
@require("record_field_work")
def detail(report_id: int):
    template = "overdoses/detail.html"
    return record_page(template, OverdoseReport, report_id, "overdose_report", "report")
