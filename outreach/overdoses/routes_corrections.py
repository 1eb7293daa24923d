"""Correcting and voiding an overdose report (the rule and the pages: outreach.corrections)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.corrections.views import correct_record_page, void_page
from outreach.extensions import db
from outreach.overdoses import bp
from outreach.overdoses.forms import OverdoseCorrectionForm
from outreach.overdoses.models import OverdoseReport
from outreach.overdoses.routes import overdose_input
from outreach.overdoses.services import correct_overdose
from outreach.products.services import active_products
from outreach.tenancy import get_visible_or_404


def _detail(report: OverdoseReport) -> str:
    return url_for("overdoses.detail", report_id=report.id)


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@require("record_field_work")
def edit(report_id: int):
    report = get_visible_or_404(db.session, OverdoseReport, report_id)
    form = OverdoseCorrectionForm()
    form.set_site_choices(current_user.org_id, report.site_id)
    form.set_product_choices(active_products(), kept=report.product_id)
    template = "overdoses/new.html"
    return correct_record_page(report, form, overdose_input, correct_overdose, template, _detail)


@bp.route("/<int:report_id>/void", methods=["GET", "POST"])
@require("record_field_work")
def void(report_id: int):
    report = get_visible_or_404(db.session, OverdoseReport, report_id)
    return void_page(report, "overdose_report", _("Void this overdose report"), _detail(report))
