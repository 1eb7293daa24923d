"""Data-sharing partnerships between two organisations: the platform admin starts and ends them."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import aliased
from wtforms import SelectField
from wtforms.validators import InputRequired

from outreach.access import require
from outreach.admin import bp
from outreach.audit.services import record as audit
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.forms_cycle import post_form, run_and_flash
from outreach.orgs.models import Organisation, Partnership


class PartnershipForm(FlaskForm):
    org_a = SelectField(_l("First organisation"), coerce=int, validators=[InputRequired()])
    org_b = SelectField(_l("Second organisation"), coerce=int, validators=[InputRequired()])


class EndForm(FlaskForm):
    pass


def start_partnership(org_a_id: int, org_b_id: int) -> Partnership:
    """Start (or restart) sharing aggregates between two organisations; flushes."""
    if org_a_id == org_b_id:
        raise DomainError("org_b", _l("Choose two different organisations."))
    low, high = sorted((org_a_id, org_b_id))
    if db.session.get(Organisation, low) is None or db.session.get(Organisation, high) is None:
        raise DomainError("org_a", _l("Choose an organisation from the list."))
    row = db.session.scalar(
        select(Partnership).where(Partnership.org_a_id == low, Partnership.org_b_id == high)
    )
    if row is not None and row.active:
        raise DomainError("org_b", _l("These organisations are already partners."))
    if row is None:
        row = Partnership(org_a_id=low, org_b_id=high)
        db.session.add(row)
    row.active = True
    db.session.flush()
    return row


def end_partnership(row: Partnership) -> None:
    row.active = False
    db.session.flush()


def _rows() -> list:
    a, b = aliased(Organisation), aliased(Organisation)
    stmt = (
        select(Partnership, a.name, b.name)
        .join(a, a.id == Partnership.org_a_id)
        .join(b, b.id == Partnership.org_b_id)
        .order_by(Partnership.active.desc(), a.name, b.name)
    )
    return list(db.session.execute(stmt).all())


@bp.route("/partnerships", methods=["GET", "POST"])
@require("administer_platform")
def partnerships():
    form = PartnershipForm()
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name))
    choices = opts([(o.id, o.name) for o in orgs])
    form.org_a.choices = choices
    form.org_b.choices = choices

    def act(form):
        row = start_partnership(form.org_a.data, form.org_b.data)
        audit("create", "partnership", row.id, user=current_user, remote_addr=request.remote_addr)
        return url_for("admin.partnerships")

    started = _("The partnership has started.")
    posted = post_form(form, act, started)
    if posted.response is not None:
        return posted.response
    # the list of partnerships is read after a refusal's rollback
    return render_template(
        "admin/partnerships.html", form=form, rows=_rows(), end=EndForm()
    ), posted.status


@bp.post("/partnerships/<int:partnership_id>/end")
@require("administer_platform")
def partnership_end(partnership_id: int):
    row = db.get_or_404(Partnership, partnership_id)

    def act() -> None:
        end_partnership(row)
        audit("update", "partnership", row.id, user=current_user, remote_addr=request.remote_addr)

    if EndForm().validate_on_submit() and row.active:
        run_and_flash(act, _("The partnership has ended."))
    return redirect(url_for("admin.partnerships"))
