"""Overdose report pages: report an overdose, list with filters (and as CSV), detail."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.audit.services import record as audit
from outreach.corrections.views import correction_context
from outreach.extensions import db
from outreach.fieldforms import prefill_now, save_record
from outreach.listexport import csv_download, download_url
from outreach.listing import date_range_args
from outreach.models.mixins import new_client_id
from outreach.overdoses import bp
from outreach.overdoses.export import OVERDOSES
from outreach.overdoses.forms import OverdoseForm, as_bool
from outreach.overdoses.models import OverdoseReport
from outreach.overdoses.queries import listed
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.products.services import active_products
from outreach.resend import find_resent
from outreach.tenancy import (
    get_visible_or_404,
    paginate,
    require_list_exporter,
    require_recorder,
)


def overdose_input(form: OverdoseForm) -> OverdoseInput:
    """The service's input from an overdose form (new or correction)."""
    return OverdoseInput(
        administered_by=form.administered_by.data,
        location=form.location(current_user.org_id),
        outcome=form.outcome.data or "unknown",
        occurred_at=form.occurred_utc(),
        doses=form.doses.data,
        route=form.route.data or None,
        emergency_called=as_bool(form.emergency_called.data),
        someone_stayed=as_bool(form.someone_stayed.data),
        product_id=form.product_id.data or None,
        client_hash=form.client_hash(),
        client_id=form.client_id.data or None,
    )


def _save(form: OverdoseForm) -> OverdoseReport:
    existing = find_resent(OverdoseReport, form.client_id.data, current_user.org_id)
    if existing is not None:
        return existing  # a resent form: the record already exists
    report = record_overdose(overdose_input(form), recorded_by=current_user)
    audit(
        "create", "overdose_report", report.id, user=current_user, remote_addr=request.remote_addr
    )
    return report


@bp.route("/new", methods=["GET", "POST"])
@require_recorder
def new():
    form = OverdoseForm()
    form.set_site_choices(current_user.org_id)
    form.set_product_choices(active_products())
    if request.method == "GET":
        prefill_now(form)
        # Made here too, so a form sent twice without JavaScript still saves once.
        form.client_id.data = new_client_id()
    report = save_record(form, _save, _("Overdose report saved. Thank you."), hidden=("client_id",))
    if report is not None:
        return redirect(url_for("overdoses.detail", report_id=report.id))
    status = 422 if request.method == "POST" else 200
    return render_template("overdoses/new.html", form=form), status


def _filters() -> dict:
    lo, hi, _start, _end = date_range_args()
    return {
        "start": lo,
        "end": hi,
        "outcome": request.args.get("outcome") or None,
        "administered_by": request.args.get("administered_by") or None,
        "voided": request.args.get("voided") or None,
    }


@bp.get("/")
@require_recorder
def index():
    _lo, _hi, start, end = date_range_args()
    page = paginate(db.session, listed(current_user, **_filters()), rows=True)
    return render_template(
        "overdoses/index.html", page=page, start=start, end=end, download=download_url(OVERDOSES)
    )


@bp.get("/export.csv")
@require_list_exporter
def export():
    return csv_download(OVERDOSES, listed(current_user, **_filters()))


@bp.get("/<int:report_id>")
@require_recorder
def detail(report_id: int):
    report = get_visible_or_404(db.session, OverdoseReport, report_id)
    audit("view", "overdose_report", report.id, user=current_user, remote_addr=request.remote_addr)
    db.session.commit()
    recorder = report.recorded_by
    return render_template(
        "overdoses/detail.html",
        report=report,
        recorder=recorder,
        **correction_context(report, "overdose_report"),
    )
