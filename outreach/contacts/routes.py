"""Outreach contact pages: new contact, list with filters (and as CSV), detail."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.audit.services import record as audit
from outreach.contacts import bp
from outreach.contacts.export import CONTACTS
from outreach.contacts.forms import ContactForm
from outreach.contacts.models import OutreachContact
from outreach.contacts.queries import listed
from outreach.contacts.services import ContactInput, record_contact
from outreach.corrections.views import correction_context
from outreach.extensions import db
from outreach.fieldforms import prefill_now, save_record
from outreach.listexport import csv_download, download_url
from outreach.listing import date_range_args
from outreach.models.mixins import new_client_id
from outreach.resend import find_resent
from outreach.tenancy import (
    get_visible_or_404,
    paginate,
    require_list_exporter,
    require_recorder,
)


def contact_input(form: ContactForm) -> ContactInput:
    """The service's input from a contact form (new or correction)."""
    return ContactInput(
        location=form.location(current_user.org_id),
        setting=form.setting.data,
        occurred_at=form.occurred_utc(),
        people_count=form.people_count.data or 1,
        services=list(form.services.data or []),
        referrals=list(form.referrals.data or []),
        notes=form.notes.data or None,
        client_hash=form.client_hash(),
        client_id=form.client_id.data or None,
    )


def _save(form: ContactForm) -> OutreachContact:
    existing = find_resent(OutreachContact, form.client_id.data, current_user.org_id)
    if existing is not None:
        return existing  # a resent form: the record already exists
    contact = record_contact(contact_input(form), recorded_by=current_user)
    audit("create", "contact", contact.id, user=current_user, remote_addr=request.remote_addr)
    return contact


@bp.route("/new", methods=["GET", "POST"])
@require_recorder
def new():
    form = ContactForm()
    form.set_site_choices(current_user.org_id)
    if request.method == "GET":
        prefill_now(form)
        # Made here too, so a form sent twice without JavaScript still saves once.
        form.client_id.data = new_client_id()
    contact = save_record(form, _save, _("Contact saved."), hidden=("client_id",))
    if contact is not None:
        return redirect(url_for("contacts.detail", contact_id=contact.id))
    status = 422 if request.method == "POST" else 200
    return render_template("contacts/new.html", form=form), status


def _filters() -> dict:
    lo, hi, _start, _end = date_range_args()
    return {
        "start": lo,
        "end": hi,
        "setting": request.args.get("setting") or None,
        "voided": request.args.get("voided") or None,
    }


@bp.get("/")
@require_recorder
def index():
    _lo, _hi, start, end = date_range_args()
    page = paginate(db.session, listed(current_user, **_filters()), rows=True)
    return render_template(
        "contacts/index.html", page=page, start=start, end=end, download=download_url(CONTACTS)
    )


@bp.get("/export.csv")
@require_list_exporter
def export():
    return csv_download(CONTACTS, listed(current_user, **_filters()))


@bp.get("/<int:contact_id>")
@require_recorder
def detail(contact_id: int):
    contact = get_visible_or_404(db.session, OutreachContact, contact_id)
    audit("view", "contact", contact.id, user=current_user, remote_addr=request.remote_addr)
    db.session.commit()
    recorder = contact.recorded_by
    return render_template(
        "contacts/detail.html",
        contact=contact,
        recorder=recorder,
        **correction_context(contact, "contact"),
    )
