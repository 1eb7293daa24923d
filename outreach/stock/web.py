"""Shared pieces of the stock pages: roles, place and batch choices, questions, one-time keys."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.forms_cycle import Asked, Posted, post_form
from outreach.orgs.models import Site
from outreach.orgs.services import org_today
from outreach.stock import formkeys
from outreach.stock import queries as q
from outreach.stock import services as svc
from outreach.stock.models import Batch, Holding, StockMovement


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
            (b.id, f"{q.batch_label(b, kits, today, in_bag=False)} — {name}")
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


def confirm_above() -> int:
    return int(current_app.config["STOCK_CONFIRM_ABOVE"])


def ask_if_big(kits: int | None, message: str) -> Asked | None:
    """Ask before recording more kits than STOCK_CONFIRM_ABOVE at once."""
    if kits is None or kits <= confirm_above():
        return None
    button = ngettext("Yes, record %(num)d kit", "Yes, record %(num)d kits", kits)
    return Asked(kits, message, button)


def ask_big_quantity(form) -> Asked | None:
    """A form's `quantity` above STOCK_CONFIRM_ABOVE asks before it is recorded."""
    return ask_if_big(form.quantity.data, big_figure(form.quantity.data))


def big_figure(kits: int) -> str:
    return _(
        "%(num)d kits is more than %(limit)d. Check the figure: is it right?",
        num=kits,
        limit=confirm_above(),
    )


def keyed(form) -> None:
    """Give the form its one-time key: the one it was shown with, or a new one."""
    form.form_key.data = formkeys.usable(form.form_key.data) or formkeys.new_key()


def submit(
    form, act: Callable, success: str | None = None, *, name: str, again: Callable, ask=None
) -> Posted:
    """The post cycle (outreach/forms_cycle.py) of a stock form: its one-time key is claimed
    before `act` runs, so a form sent twice saves once and then goes where `again` says."""
    keyed(form)

    def claimed(form):
        formkeys.claim(form.form_key.data, current_user, name)
        return act(form)

    return post_form(form, claimed, success, ask=ask, again=again)


def form_page(form, title: str, template: str, act: Callable, *, name, again, ask=None, **context):
    """A page with one stock form; authorising is done by the caller."""
    posted = submit(form, act, name=name, again=again, ask=ask)
    if posted.response is not None:
        return posted.response
    return render_template(
        template, form=form, title=title, asked=posted.asked, **context
    ), posted.status
