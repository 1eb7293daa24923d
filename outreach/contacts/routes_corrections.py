"""Correcting and voiding an outreach contact (the rule and the pages: outreach.corrections)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.contacts import bp
from outreach.contacts.forms import ContactCorrectionForm
from outreach.contacts.models import OutreachContact
from outreach.contacts.routes import contact_input
from outreach.contacts.services import correct_contact
from outreach.corrections.views import correct_record_page, void_page
from outreach.extensions import db
from outreach.tenancy import get_visible_or_404


def _detail(contact: OutreachContact) -> str:
    return url_for("contacts.detail", contact_id=contact.id)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@require("record_field_work")
def edit(contact_id: int):
    contact = get_visible_or_404(db.session, OutreachContact, contact_id)
    form = ContactCorrectionForm()
    form.set_site_choices(current_user.org_id, contact.site_id)
    template = "contacts/new.html"
    return correct_record_page(contact, form, contact_input, correct_contact, template, _detail)


@bp.route("/<int:contact_id>/void", methods=["GET", "POST"])
@require("record_field_work")
def void(contact_id: int):
    contact = get_visible_or_404(db.session, OutreachContact, contact_id)
    return void_page(contact, "contact", _("Void this contact"), _detail(contact))
