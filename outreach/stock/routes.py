"""Stock pages: on hand, deliveries, moves, counts, write-offs, requests, expiry, recalls."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts, show_domain_error
from outreach.orgs.models import Site
from outreach.places import org_sites
from outreach.products.models import Product
from outreach.products.services import active_products
from outreach.stock import bp
from outreach.stock import queries as q
from outreach.stock import services as svc
from outreach.stock.forms import (
    MOVEMENT_LABELS,
    REQUEST_STATUSES,
    CountForm,
    FulfilForm,
    MinLevelForm,
    MoveForm,
    RecallForm,
    ReceiveForm,
    ResupplyRequestForm,
    ReverseForm,
    WriteOffForm,
)
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockMovement
from outreach.tenancy import get_visible_or_404, paginate, require_role

MANAGERS = ("stock_manager", "coordinator", "org_admin")
HOLDERS = ("peer", "trainer", *MANAGERS)


def _audit(kind: str, record_id: int | None) -> None:
    audit("create", kind, record_id, user=current_user, remote_addr=request.remote_addr)


def _place(key: str) -> Holding:
    """A "store:<site>" or "bag:<user>" choice as a holding of the user's organisation."""
    kind, _sep, ident = (key or "").partition(":")
    model = {"store": Site, "bag": User}.get(kind)
    row = db.session.get(model, int(ident)) if model and ident.isdigit() else None
    if row is None or row.org_id != current_user.org_id:
        raise DomainError("place", _("Choose a store or bag of your organisation."))
    return svc.store_for(row) if kind == "store" else svc.bag_for(row)


def _place_choices(stores_only: bool = False):
    places = q.places(current_user.org_id)
    if stores_only:
        places = [p for p in places if p.key.startswith("store:")]
    return opts([(p.key, p.label) for p in places], "—")


def _batch_choices(product_id: int | None = None):
    rows = q.org_batches(current_user.org_id)
    return opts(
        [(0, "—")]
        + [
            (b.id, f"{name} — {q.batch_label(b, kits, in_bag=False)}")
            for b, name, kits in rows
            if not product_id or b.product_id == product_id
        ]
    )


def _batch(batch_id: int) -> Batch:
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise DomainError("batch_id", _("Choose a batch."))
    return batch


def _form_page(form, title: str, template: str, act, **context):
    """Authorise (done by the caller) → validate → one service call → commit → redirect."""
    if form.validate_on_submit():
        try:
            target = act(form)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            db.session.commit()
            return redirect(target)
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, title=title, **context), status


@bp.get("/")
@require_role(*MANAGERS)
def index():
    org_id = current_user.org_id
    return render_template(
        "stock/index.html",
        totals=q.totals_by_product(org_id),
        rows=q.on_hand(org_id),
        low=q.low_stock(org_id),
        labels=q.holding_labels(org_id),
        expiring=q.expiring(org_id, 90),
        requests=q.open_requests(org_id),
    )


@bp.get("/bag")
@require_role(*HOLDERS)
def my_bag(form=None, status: int = 200):
    form = form or ResupplyRequestForm()
    form.product_id.choices = opts([(p.id, p.name) for p in active_products()])
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
        today=date.today(),
        movement_kinds=MOVEMENT_LABELS,
        request_statuses=REQUEST_STATUSES,
    ), status


@bp.post("/bag/request")
@require_role(*HOLDERS)
def ask_for_kits():
    form = ResupplyRequestForm()
    form.product_id.choices = opts([(p.id, p.name) for p in active_products()])
    if form.validate_on_submit():
        try:
            product = db.session.get(Product, form.product_id.data or 0)
            req = svc.request_resupply(current_user, product, form.quantity.data, form.note.data)
            _audit("resupply_request", req.id)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your request was sent to the stock managers."), "success")
            return redirect(url_for("stock.my_bag"))
    return my_bag(form, 422)


@bp.post("/requests/<int:request_id>/cancel")
@require_role(*HOLDERS)
def cancel_request(request_id: int):
    req = get_visible_or_404(db.session, ResupplyRequest, request_id)
    try:
        svc.cancel_request(req, user=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The request was cancelled."), "success")
    if current_user.has_role(*MANAGERS):
        return redirect(url_for("stock.requests"))
    return redirect(url_for("stock.my_bag"))


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
        _audit("stock_movement", movement.id)
        flash(_("Delivery recorded."), "success")
        return url_for("stock.holding", holding_id=movement.to_holding_id)

    return _form_page(form, _("Receive a delivery"), "stock/form.html", act)


@bp.route("/move", methods=["GET", "POST"])
@require_role(*MANAGERS)
def move():
    form = MoveForm()
    form.from_place.choices = form.to_place.choices = _place_choices()
    form.batch_id.choices = _batch_choices()

    def act(form):
        movement = svc.transfer(
            from_holding=_place(form.from_place.data),
            to_holding=_place(form.to_place.data),
            batch=_batch(form.batch_id.data),
            quantity=form.quantity.data,
            recorded_by=current_user,
        )
        _audit("stock_movement", movement.id)
        flash(_("Kits moved."), "success")
        return url_for("stock.holding", holding_id=movement.to_holding_id)

    return _form_page(form, _("Move stock"), "stock/form.html", act)


@bp.route("/count", methods=["GET", "POST"])
@require_role(*MANAGERS)
def count():
    form = CountForm()
    form.place.choices = _place_choices()
    form.batch_id.choices = _batch_choices()

    def act(form):
        holding = _place(form.place.data)
        batch = _batch(form.batch_id.data)
        movement = svc.count(
            holding=holding,
            batch=batch,
            counted=form.counted.data,
            reason=form.reason.data,
            recorded_by=current_user,
        )
        if movement is None:
            flash(_("The count agrees with the records: nothing to adjust."), "success")
        else:
            _audit("stock_movement", movement.id)
            diff = movement.quantity if movement.to_holding_id else -movement.quantity
            flash(
                _(
                    "Counted %(counted)d; the records said %(before)d. "
                    "An adjustment of %(diff)+d was recorded.",
                    counted=movement.counted,
                    before=movement.counted - diff,
                    diff=diff,
                ),
                "success",
            )
        return url_for("stock.holding", holding_id=holding.id)

    return _form_page(form, _("Stock count"), "stock/form.html", act)


@bp.route("/write-off", methods=["GET", "POST"])
@require_role(*MANAGERS)
def write_off():
    form = WriteOffForm()
    form.place.choices = _place_choices()
    form.batch_id.choices = _batch_choices()

    def act(form):
        movement = svc.write_off(
            holding=_place(form.place.data),
            batch=_batch(form.batch_id.data),
            quantity=form.quantity.data,
            reason=form.reason.data,
            recorded_by=current_user,
        )
        _audit("stock_movement", movement.id)
        flash(_("Kits written off."), "success")
        return url_for("stock.holding", holding_id=movement.from_holding_id)

    return _form_page(form, _("Write off kits"), "stock/form.html", act)


def _fulfil_form(req: ResupplyRequest, formdata=None) -> FulfilForm:
    form = FulfilForm(formdata=formdata, prefix=f"r{req.id}")
    form.from_place.choices = _place_choices(stores_only=True)
    form.batch_id.choices = _batch_choices(req.product_id)
    if formdata is None:  # suggest the store batch that expires first (FEFO)
        form.quantity.data = req.quantity
        for holding, batch, _name, _qty in q.on_hand(current_user.org_id, req.product_id):
            if holding.kind == "store" and batch.expiry_date >= date.today():
                best = form.batch_id.data and db.session.get(Batch, form.batch_id.data)
                if not best or batch.expiry_date < best.expiry_date:
                    form.batch_id.data = batch.id
                    form.from_place.data = f"store:{holding.site_id}"
    return form


@bp.get("/requests")
@require_role(*MANAGERS)
def requests(failed: FulfilForm | None = None, failed_id: int | None = None, status: int = 200):
    reqs = q.open_requests(current_user.org_id)
    forms = {r.id: failed if r.id == failed_id else _fulfil_form(r) for r in reqs}
    people = {u.id: u for u in db.session.query(User).filter_by(org_id=current_user.org_id)}
    return render_template("stock/requests.html", reqs=reqs, forms=forms, people=people), status


@bp.post("/requests/<int:request_id>/fulfil")
@require_role(*MANAGERS)
def fulfil(request_id: int):
    req = get_visible_or_404(db.session, ResupplyRequest, request_id)
    form = _fulfil_form(req, request.form)
    if form.validate():
        try:
            movement = svc.fulfil_request(
                req,
                from_holding=_place(form.from_place.data),
                batch=_batch(form.batch_id.data),
                quantity=form.quantity.data,
                recorded_by=current_user,
            )
            _audit("stock_movement", movement.id)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Kits moved into the bag and the request closed."), "success")
            return redirect(url_for("stock.requests"))
    return requests(form, request_id, 422)


@bp.get("/expiring")
@require_role(*MANAGERS)
def expiring():
    days = min(max(request.args.get("days", 90, type=int) or 90, 1), 3650)
    rows = q.expiring(current_user.org_id, days)
    labels = q.holding_labels(current_user.org_id)
    return render_template("stock/expiring.html", rows=rows, days=days, labels=labels)


@bp.route("/holdings/<int:holding_id>", methods=["GET", "POST"])
@require_role(*MANAGERS)
def holding(holding_id: int):
    holding = q.holding_or_404(holding_id, current_user.org_id)
    form = MinLevelForm(obj=holding if request.method == "GET" else None)
    if form.validate_on_submit():
        svc.set_min_level(holding, form.min_level.data)
        db.session.commit()
        flash(_("Minimum saved."), "success")
        return redirect(url_for("stock.holding", holding_id=holding.id))
    page = paginate(db.session, q.holding_ledger(holding), rows=True)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "stock/holding.html",
        holding=holding,
        name=q.holding_label(holding),
        contents=q.holding_batches(holding),
        page=page,
        labels=q.holding_labels(current_user.org_id),
        form=form,
        reverse_form=ReverseForm(),
        movement_kinds=MOVEMENT_LABELS,
    ), status


@bp.post("/movements/<int:movement_id>/reverse")
@require_role(*MANAGERS)
def reverse(movement_id: int):
    movement = db.session.get(StockMovement, movement_id)
    if movement is None or movement.org_id != current_user.org_id:
        abort(404)
    back = request.form.get("holding_id", type=int) or movement.from_holding_id
    back = back or movement.to_holding_id
    form = ReverseForm()
    if not form.validate():
        flash(_("Give a reason for the reversal."), "error")
        return redirect(url_for("stock.holding", holding_id=back))
    try:
        rev = svc.reverse(movement, recorded_by=current_user, reason=form.reason.data)
        _audit("stock_movement", rev.id)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The movement was reversed."), "success")
    return redirect(url_for("stock.holding", holding_id=back))


@bp.get("/batches")
@require_role(*MANAGERS)
def batches():
    return render_template("stock/batches.html", rows=q.org_batches(current_user.org_id))


@bp.route("/batches/<int:batch_id>", methods=["GET", "POST"])
@require_role(*MANAGERS)
def batch(batch_id: int):
    batch = q.batch_for_org_or_404(batch_id, current_user.org_id)
    form = RecallForm()
    if form.validate_on_submit():
        moved = svc.recall(
            batch,
            org_id=current_user.org_id,
            recorded_by=current_user,
            reference=form.reference.data,
        )
        for movement in moved:
            _audit("stock_movement", movement.id)
        db.session.commit()
        kits = sum(m.quantity for m in moved)
        flash(_("Batch recalled: %(num)d kits taken out of stock.", num=kits), "success")
        return redirect(url_for("stock.batch", batch_id=batch.id))
    audit("view", "batch_trace", batch.id, user=current_user, remote_addr=request.remote_addr)
    db.session.commit()
    sites = {s.id: s.name for s in db.session.query(Site).filter_by(org_id=current_user.org_id)}
    return render_template(
        "stock/batch.html",
        batch=batch,
        locations=q.batch_locations(batch, current_user.org_id),
        handouts=q.handouts_for_batch(current_user.org_id, batch.id),
        labels=q.holding_labels(current_user.org_id),
        sites=sites,
        form=form,
        today=date.today(),
    ), (422 if request.method == "POST" else 200)
