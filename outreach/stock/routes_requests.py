"""A holder's bag and requests for kits; stock managers fulfil or cancel the requests."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import can, require
from outreach.auth.models import User
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.forms_cycle import run_and_flash
from outreach.orgs.services import org_today
from outreach.products.models import Product
from outreach.products.services import active_products
from outreach.stock import bp
from outreach.stock import queries as q
from outreach.stock import services as svc
from outreach.stock.forms import (
    MOVEMENT_LABELS,
    REQUEST_STATUSES,
    FulfilForm,
    ResupplyRequestForm,
)
from outreach.stock.models import Holding, ResupplyRequest
from outreach.stock.web import (
    ask_big_quantity,
    audit_create,
    batch_choices,
    chosen_batch,
    keyed,
    place,
    place_choices,
    submit,
)
from outreach.tenancy import get_visible_or_404


def _request_form(form: ResupplyRequestForm | None = None) -> ResupplyRequestForm:
    form = form or ResupplyRequestForm()
    form.product_id.choices = opts([(p.id, p.name) for p in active_products()])
    keyed(form)
    return form


@bp.get("/bag")
@require("hold_stock")
def my_bag(form=None, status: int = 200):
    form = _request_form(form)
    if form.product_id.data is None and current_user.usual_product_id:
        form.product_id.data = current_user.usual_product_id
    bag = db.session.query(Holding).filter_by(user_id=current_user.id).one_or_none()
    ledger = db.session.execute(q.holding_ledger(bag).limit(10)).all() if bag else []
    return render_template(
        "stock/bag.html",
        form=form,
        contents=q.bag_contents(current_user.id),
        requests=q.my_requests(current_user.id),
        ledger=ledger,
        bag=bag,
        labels=q.holding_labels(current_user.org_id) if bag else {},
        today=org_today(current_user.organisation),
        movement_kinds=MOVEMENT_LABELS,
        request_statuses=REQUEST_STATUSES,
    ), status


@bp.post("/bag/request")
@require("hold_stock")
def ask_for_kits():
    form = _request_form()

    def act(form):
        product = db.session.get(Product, form.product_id.data or 0)
        req = svc.request_resupply(current_user, product, form.quantity.data, form.note.data)
        audit_create("resupply_request", req.id)
        return url_for("stock.my_bag")

    sent = _("Your request was sent to the stock managers.")
    posted = submit(form, act, sent, name="request", again=lambda f: url_for("stock.my_bag"))
    return posted.response or my_bag(form, 422)


@bp.post("/requests/<int:request_id>/cancel")
@require("hold_stock")
def cancel_request(request_id: int):
    req = get_visible_or_404(db.session, ResupplyRequest, request_id)
    if req.user_id != current_user.id and not can(current_user, "manage_stock"):
        abort(404)  # a trainer sees the organisation's requests but cancels only their own
    run_and_flash(
        lambda: svc.cancel_request(req, user=current_user), _("The request was cancelled.")
    )
    if can(current_user, "manage_stock"):
        return redirect(url_for("stock.requests"))
    return redirect(url_for("stock.my_bag"))


def _fulfil_form(req: ResupplyRequest, formdata=None) -> FulfilForm:
    form = FulfilForm(formdata=formdata, prefix=f"r{req.id}")
    form.from_place.choices = place_choices(stores_only=True)
    form.batch_id.choices = batch_choices(req.product_id)
    if formdata is None:  # suggest the store batch that leaves first (first to expire)
        form.quantity.data = req.quantity
        today = org_today(current_user.organisation)
        first = svc.first_in_stores(current_user.org_id, req.product_id, today)
        if first is not None:
            holding_id, form.batch_id.data = first
            form.from_place.data = f"store:{db.session.get(Holding, holding_id).site_id}"
    return form


@bp.get("/requests")
@require("manage_stock")
def requests(failed: FulfilForm | None = None, failed_id: int | None = None, asked=None):
    reqs = q.open_requests(current_user.org_id)
    forms = {r.id: failed if r.id == failed_id else _fulfil_form(r) for r in reqs}
    for form in forms.values():
        keyed(form)
    people = {u.id: u for u in db.session.query(User).filter_by(org_id=current_user.org_id)}
    waiting = asked is not None and not asked.confirmed
    status = 422 if failed is not None and not waiting else 200
    return render_template(
        "stock/requests.html",
        reqs=reqs,
        forms=forms,
        people=people,
        asked=asked,
        asked_id=failed_id,
    ), status


@bp.post("/requests/<int:request_id>/fulfil")
@require("manage_stock")
def fulfil(request_id: int):
    req = get_visible_or_404(db.session, ResupplyRequest, request_id)
    form = _fulfil_form(req, request.form)

    def act(form):
        movement = svc.fulfil_request(
            req,
            from_holding=place(form.from_place.data),
            batch=chosen_batch(form.batch_id.data),
            quantity=form.quantity.data,
            recorded_by=current_user,
        )
        audit_create("stock_movement", movement.id)
        return url_for("stock.requests")

    closed = _("Kits moved into the bag and the request closed.")
    posted = submit(
        form,
        act,
        closed,
        name="fulfil",
        again=lambda f: url_for("stock.requests"),
        ask=ask_big_quantity,
    )
    return posted.response or requests(form, request_id, posted.asked)
