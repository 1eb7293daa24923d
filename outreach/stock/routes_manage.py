"""Stock-manager forms that change stock: receive a delivery, move, count, write off."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.orgs.models import Site
from outreach.places import org_sites
from outreach.products.models import Product
from outreach.products.services import active_products
from outreach.stock import bp
from outreach.stock import services as svc
from outreach.stock.forms import CountForm, MoveForm, ReceiveForm, WriteOffForm
from outreach.stock.web import (
    MANAGERS,
    batch_choices,
    chosen_batch,
    form_page,
    place,
    place_choices,
    recorded,
)
from outreach.tenancy import require_role


@bp.route("/receive", methods=["GET", "POST"])
@require_role(*MANAGERS)
def receive():
    form = ReceiveForm()
    form.site_id.choices = opts(
        [(0, "—")] + [(s.id, s.name) for s in org_sites(current_user.org_id)]
    )
    form.product_id.choices = opts([(0, "—")] + [(p.id, p.name) for p in active_products()])

    def act(form):
        site = db.session.get(Site, form.site_id.data)
        product = db.session.get(Product, form.product_id.data)
        if site is None or site.org_id != current_user.org_id:
            raise DomainError("site_id", _("Choose one of your organisation's sites."))
        movement = svc.receive(
            site=site,
            product=product,
            batch_number=form.batch_number.data,
            expiry_date=form.expiry_date.data,
            quantity=form.quantity.data,
            reference=form.reference.data,
            recorded_by=current_user,
        )
        return recorded(movement, _("Delivery recorded."), movement.to_holding_id)

    return form_page(form, _("Receive a delivery"), "stock/form.html", act)


@bp.route("/move", methods=["GET", "POST"])
@require_role(*MANAGERS)
def move():
    form = MoveForm()
    form.from_place.choices = form.to_place.choices = place_choices()
    form.batch_id.choices = batch_choices()

    def act(form):
        movement = svc.transfer(
            from_holding=place(form.from_place.data),
            to_holding=place(form.to_place.data),
            batch=chosen_batch(form.batch_id.data),
            quantity=form.quantity.data,
            recorded_by=current_user,
        )
        return recorded(movement, _("Kits moved."), movement.to_holding_id)

    return form_page(form, _("Move stock"), "stock/form.html", act)


@bp.route("/count", methods=["GET", "POST"])
@require_role(*MANAGERS)
def count():
    form = CountForm()
    form.place.choices = place_choices()
    form.batch_id.choices = batch_choices()

    def act(form):
        holding = place(form.place.data)
        batch = chosen_batch(form.batch_id.data)
        movement = svc.count(
            holding=holding,
            batch=batch,
            counted=form.counted.data,
            reason=form.reason.data,
            recorded_by=current_user,
        )
        if movement is None:
            flash(_("The count agrees with the records: nothing to adjust."), "success")
            return url_for("stock.holding", holding_id=holding.id)
        diff = movement.quantity if movement.to_holding_id else -movement.quantity
        message = _(
            "Counted %(counted)d; the records said %(before)d. "
            "An adjustment of %(diff)+d was recorded.",
            counted=movement.counted,
            before=movement.counted - diff,
            diff=diff,
        )
        return recorded(movement, message, holding.id)

    return form_page(form, _("Stock count"), "stock/form.html", act)


@bp.route("/write-off", methods=["GET", "POST"])
@require_role(*MANAGERS)
def write_off():
    form = WriteOffForm()
    form.place.choices = place_choices()
    form.batch_id.choices = batch_choices()

    def act(form):
        movement = svc.write_off(
            holding=place(form.place.data),
            batch=chosen_batch(form.batch_id.data),
            quantity=form.quantity.data,
            reason=form.reason.data,
            recorded_by=current_user,
        )
        return recorded(movement, _("Kits written off."), movement.from_holding_id)

    return form_page(form, _("Write off kits"), "stock/form.html", act)
