"""Stock pages: on hand, expiry, a holding's ledger and reversals, batches and recalls."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from outreach.access import can, require
from outreach.audit.services import record as audit
from outreach.extensions import db
from outreach.forms_cycle import Asked, post_form
from outreach.listing import id_arg
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.stock import bp, routes_manage, routes_requests  # noqa: F401  (registers their pages)
from outreach.stock import queries as q
from outreach.stock import services as svc
from outreach.stock.forms import MOVEMENT_LABELS, MinLevelForm, RecallForm, ReverseForm
from outreach.stock.models import StockMovement
from outreach.stock.web import audit_create, submit
from outreach.tenancy import paginate


@bp.get("/")
@require("manage_stock")
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


@bp.get("/expiring")
@require("manage_stock")
def expiring():
    days = min(max(id_arg("days") or 90, 1), 3650)
    rows = q.expiring(current_user.org_id, days)
    labels = q.holding_labels(current_user.org_id)
    return render_template("stock/expiring.html", rows=rows, days=days, labels=labels)


@bp.route("/holdings/<int:holding_id>", methods=["GET", "POST"])
@require("manage_stock")
def holding(holding_id: int):
    holding = q.holding_or_404(holding_id, current_user.org_id)
    form = MinLevelForm(obj=holding if request.method == "GET" else None)

    def act(form):
        svc.set_min_level(holding, form.min_level.data)
        return url_for("stock.holding", holding_id=holding.id)

    posted = post_form(form, act, _("Minimum saved."))
    if posted.response is not None:
        return posted.response
    page = paginate(db.session, q.holding_ledger(holding), rows=True)
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
    ), posted.status


@bp.post("/movements/<int:movement_id>/reverse")
@require("manage_stock")
def reverse(movement_id: int):
    """Reverse a movement: the holding page's button asks first, on a page of its own."""
    movement = db.session.get(StockMovement, movement_id)
    if movement is None or movement.org_id != current_user.org_id:
        abort(404)
    back = id_arg("holding_id", request.form) or movement.from_holding_id
    back_url = url_for("stock.holding", holding_id=back or movement.to_holding_id)
    labels = q.holding_labels(current_user.org_id)
    form = ReverseForm()

    def ask(form):
        message = _(
            "Reverse this movement? %(num)d kits of batch %(number)s go back: from %(from)s "
            "to %(to)s.",
            num=movement.quantity,
            number=movement.batch.batch_number,
            **{
                "from": labels.get(movement.to_holding_id, _("outside stock")),
                "to": labels.get(movement.from_holding_id, _("outside stock")),
            },
        )
        button = ngettext(
            "Yes, reverse %(num)d kit", "Yes, reverse %(num)d kits", movement.quantity
        )
        return Asked(movement.quantity, message, button)

    def act(form):
        rev = svc.reverse(movement, recorded_by=current_user, reason=form.reason.data)
        audit_create("stock_movement", rev.id)
        return back_url

    posted = submit(
        form,
        act,
        _("The movement was reversed."),
        name="reverse",
        again=lambda f: back_url,
        ask=ask,
    )
    if posted.response is not None:
        return posted.response
    if posted.waiting:
        return render_template(
            "stock/reverse.html",
            form=form,
            asked=posted.asked,
            movement=movement,
            labels=labels,
            back=back,
            back_url=back_url,
            movement_kinds=MOVEMENT_LABELS,
        )
    refused = form.form_errors + [e for e in form.reason.errors if form.reason.data]
    flash(str(refused[0]) if refused else _("Give a reason for the reversal."), "error")
    return redirect(back_url)


@bp.get("/batches")
@require("manage_stock")
def batches():
    return render_template("stock/batches.html", rows=q.org_batches(current_user.org_id))


@bp.route("/batches/<int:batch_id>", methods=["GET", "POST"])
@require("manage_stock")
def batch(batch_id: int):
    batch = q.batch_for_org_or_404(batch_id, current_user.org_id)
    locations = q.batch_locations(batch, current_user.org_id)
    page = url_for("stock.batch", batch_id=batch.id)
    form = RecallForm()

    def ask(form):
        kits = sum(qty for _holding, qty in locations)
        if not kits:
            return None
        message = _(
            "Recall batch %(number)s? %(num)d kits in %(places)d stores and bags are taken "
            "out of stock.",
            number=batch.batch_number,
            num=kits,
            places=len(locations),
        )
        return Asked(
            kits, message, ngettext("Yes, recall %(num)d kit", "Yes, recall %(num)d kits", kits)
        )

    def act(form):
        moved = svc.recall(
            batch,
            org_id=current_user.org_id,
            recorded_by=current_user,
            reference=form.reference.data,
        )
        for movement in moved:
            audit_create("stock_movement", movement.id)
        kits = sum(m.quantity for m in moved)
        flash(_("Batch recalled: %(num)d kits taken out of stock.", num=kits), "success")
        return page

    posted = submit(form, act, name="recall", again=lambda f: page, ask=ask)
    if posted.response is not None:
        return posted.response
    audit("view", "batch_trace", batch.id, user=current_user, remote_addr=request.remote_addr)
    db.session.commit()
    sites = {s.id: s.name for s in db.session.query(Site).filter_by(org_id=current_user.org_id)}
    return render_template(
        "stock/batch.html",
        batch=batch,
        locations=locations,
        # Who got the batch is person-level: the platform administrator manages stock without it.
        handouts=q.handouts_for_batch(current_user.org_id, batch)
        if can(current_user, "read_org_records")
        else [],
        labels=q.holding_labels(current_user.org_id),
        sites=sites,
        form=form,
        asked=posted.asked,
        today=org_today(current_user.organisation),
    ), posted.status
