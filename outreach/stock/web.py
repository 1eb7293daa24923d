"""Shared pieces of the stock pages: roles, place and batch choices, the submit cycle."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts, show_domain_error
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.stock import queries as q
from outreach.stock import services as svc
from outreach.stock.models import Batch, Holding, StockMovement

MANAGERS = ("stock_manager", "coordinator", "org_admin")
HOLDERS = ("peer", "trainer", *MANAGERS)


def audit_create(kind: str, record_id: int | None) -> None:
    audit("create", kind, record_id, user=current_user, remote_addr=request.remote_addr)


def place(key: str) -> Holding:
    """A "store:<site>" or "bag:<user>" choice as a holding of the user's organisation."""
    kind, _sep, ident = (key or "").partition(":")
    model = {"store": Site, "bag": User}.get(kind)
    row = db.session.get(model, int(ident)) if model and ident.isdigit() else None
    if row is None or row.org_id != current_user.org_id:
        raise DomainError("place", _("Choose a store or bag of your organisation."))
    return svc.store_for(row) if kind == "store" else svc.bag_for(row)


def place_choices(stores_only: bool = False):
    places = q.places(current_user.org_id)
    if stores_only:
        places = [p for p in places if p.key.startswith("store:")]
    return opts([(p.key, p.label) for p in places], "—")


def batch_choices(product_id: int | None = None):
    rows = q.org_batches(current_user.org_id)
    today = org_today(current_user.organisation)
    return opts(
        [(0, "—")]
        + [
            (b.id, f"{name} — {q.batch_label(b, kits, today, in_bag=False)}")
            for b, name, kits in rows
            if not product_id or b.product_id == product_id
        ]
    )


def chosen_batch(batch_id: int) -> Batch:
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise DomainError("batch_id", _("Choose a batch."))
    return batch


def recorded(movement: StockMovement, message: str, holding_id: int) -> str:
    """Audit a new movement, say it was done, and return the holding page to go to."""
    audit_create("stock_movement", movement.id)
    flash(message, "success")
    return url_for("stock.holding", holding_id=holding_id)


def submit(form, act: Callable, success: str | None = None):
    """Validate → one service call (`act`, returning where to go) → commit → redirect.

    None when the form is not submitted or is refused: the caller renders it again."""
    if not form.validate_on_submit():
        return None
    try:
        target = act(form)
    except DomainError as exc:
        db.session.rollback()
        show_domain_error(form, exc)
        return None
    db.session.commit()
    if success:
        flash(success, "success")
    return redirect(target)


def form_page(form, title: str, template: str, act: Callable, **context):
    """A page with one form; authorising is done by the caller."""
    done = submit(form, act)
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, title=title, **context), status


def run_and_flash(act: Callable[[], object], success: str) -> None:
    """One service call from a button: commit and say so, or roll back and show why not."""
    try:
        act()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(success, "success")
