"""Correcting and voiding a handout or tally (the rule and the pages: outreach.corrections)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import can, require
from outreach.corrections.views import correct_page, void_page
from outreach.extensions import db
from outreach.handouts import bp
from outreach.handouts.forms import HandoutCorrectionForm, TallyCorrectionForm
from outreach.handouts.models import Handout
from outreach.handouts.routes import giver_of, handout_input, prepare_form
from outreach.handouts.services import correct_handout
from outreach.orgs.services import org_today
from outreach.tenancy import get_visible_or_404


def _detail(handout: Handout) -> str:
    return url_for("handouts.detail", handout_id=handout.id)


@bp.route("/<int:handout_id>/edit", methods=["GET", "POST"])
@require("record_field_work")
def edit(handout_id: int):
    handout = get_visible_or_404(db.session, Handout, handout_id)
    single = handout.kind == "single"
    form = HandoutCorrectionForm() if single else TallyCorrectionForm()
    bag = prepare_form(form, handout) if not handout.voided else []
    hidden = () if can(current_user, "record_for_others") else ("giver_id",)

    def save(form):
        data = form.corrected(handout, handout_input(form, handout.kind))
        return correct_handout(
            handout, data, giver=giver_of(form), by=current_user, remote_addr=request.remote_addr
        )

    def render(form):
        template = "handouts/new.html" if single else "handouts/tally.html"
        shown = [row for row in bag if row[0].product_id == form.product_id.data] or bag
        today = org_today(current_user.organisation)
        return render_template(template, form=form, record=handout, bag=shown[:6], today=today)

    return correct_page(handout, form, save, render, _detail, hidden)


@bp.route("/<int:handout_id>/void", methods=["GET", "POST"])
@require("record_field_work")
def void(handout_id: int):
    handout = get_visible_or_404(db.session, Handout, handout_id)
    title = _("Void this tally") if handout.kind == "tally" else _("Void this handout")
    return void_page(handout, "handout", title, _detail(handout))
