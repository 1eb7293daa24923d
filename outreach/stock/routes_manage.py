"""Stock-manager forms that change stock: receive a delivery, move, count, write off."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from outreach.access import require
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.forms_cycle import Asked
from outreach.orgs.models import Site
from outreach.places import org_sites
from outreach.products.models import Product
from outreach.products.services import active_products
from outreach.stock import bp
from outreach.stock import services as svc
from outreach.stock.forms import CountForm, MoveForm, ReceiveForm, WriteOffForm
from outreach.stock.web import (
    ask_big_quantity,
    batch_choices,
    chosen_batch,
    confirm_above,
    form_page,
    place,
    place_choices,
    recorded,
)


def _site(form) -> Site:
    site = db.session.get(Site, form.site_id.data)
    if site is None or site.org_id != current_user.org_id:
        raise DomainError("site_id", _("Choose one of your organisation's sites."))
    return site


def _holding_page(key: str) -> str:
    """A place's page, for a form already recorded (its holding exists by then)."""
    try:
        return url_for("stock.holding", holding_id=place(key).id)
    except DomainError:
        return url_for("stock.index")


@bp.route("/receive", methods=["GET", "POST"])
@require("manage_stock")
def receive():
    form = ReceiveForm()
    form.site_id.choices = opts(
        [(0, "—")] + [(s.id, s.name) for s in org_sites(current_user.org_id)]
    )
    form.product_id.choices = opts([(0, "—")] + [(p.id, p.name) for p in active_products()])

    def act(form):
        try:
            movement = svc.receive(
                site=_site(form),
                product=db.session.get(Product, form.product_id.data),
                batch_number=form.batch_number.data,
                expiry_date=form.expiry_date.data,
                quantity=form.quantity.data,
                reference=form.reference.data,
                supplier=form.supplier.data,
                received_at=form.received_utc(),
                late_reason=form.late_reason.data,
                add_to_existing=form.add_to_existing.data,
                recorded_by=current_user,
            )
        except svc.DuplicateDelivery:
            form.duplicate = True  # the page offers "Add to that delivery"
            raise
        return recorded(movement, _("Delivery recorded."), movement.to_holding_id)

    def again(form):
        return _holding_page(f"store:{form.site_id.data}")

    return form_page(
        form,
        _("Receive a delivery"),
        "stock/receive.html",
        act,
        name="receive",
        again=again,
        ask=ask_big_quantity,
        suppliers=svc.known_suppliers(current_user.org_id),
    )


@bp.route("/move", methods=["GET", "POST"])
@require("manage_stock")
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

    return form_page(
        form,
        _("Move stock"),
        "stock/form.html",
        act,
        name="move",
        again=lambda form: _holding_page(form.to_place.data),
        ask=ask_big_quantity,
    )


def _ask_count(form) -> Asked | None:
    """A big count, or a count that changes the records by a big figure, asks first."""
    counted = form.counted.data
    before = svc.balance(place(form.place.data), chosen_batch(form.batch_id.data))
    if max(counted, abs(counted - before)) <= confirm_above():
        return None
    message = _(
        "You counted %(counted)d kits; the records say %(before)d. Check the figure: is it right?",
        counted=counted,
        before=before,
    )
    button = ngettext(
        "Yes, record a count of %(num)d kit", "Yes, record a count of %(num)d kits", counted
    )
    return Asked(counted, message, button)


@bp.route("/count", methods=["GET", "POST"])
@require("manage_stock")
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

    return form_page(
        form,
        _("Stock count"),
        "stock/form.html",
        act,
        name="count",
        again=lambda form: _holding_page(form.place.data),
        ask=_ask_count,
    )


@bp.route("/write-off", methods=["GET", "POST"])
@require("manage_stock")
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

    return form_page(
        form,
        _("Write off kits"),
        "stock/form.html",
        act,
        name="writeoff",
        again=lambda form: _holding_page(form.place.data),
        ask=ask_big_quantity,
    )
