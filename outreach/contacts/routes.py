"""Outreach contact pages: new contact, list with filters (and as CSV), detail."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.contacts import bp
from outreach.contacts.export import CONTACTS
from outreach.contacts.forms import ContactFilters, ContactForm
from outreach.contacts.models import OutreachContact
from outreach.contacts.queries import listed
from outreach.contacts.services import ContactInput, record_contact
from outreach.fieldpages import list_export, list_page, new_record_page, record_page, save_once


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
    return save_once(
        OutreachContact,
        form,
        lambda: record_contact(contact_input(form), recorded_by=current_user),
        "contact",
    )


@bp.route("/new", methods=["GET", "POST"])
@require("record_field_work")
def new():
    form = ContactForm()
    form.set_site_choices(current_user.org_id)
    return new_record_page("contacts/new.html", form, _save, _("Contact saved."), _detail_url)


def _detail_url(contact: OutreachContact) -> str:
    return url_for("contacts.detail", contact_id=contact.id)


@bp.get("/")
@require("record_field_work")
def index():
    return list_page("contacts/index.html", CONTACTS, ContactFilters(), listed)


@bp.get("/export.csv")
@require("export_lists")
def export():
    return list_export(CONTACTS, ContactFilters(), listed)


@bp.get("/<int:contact_id>")
@require("record_field_work")
def detail(contact_id: int):
    return record_page("contacts/detail.html", OutreachContact, contact_id, "contact", "contact")
