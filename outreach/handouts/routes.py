"""Handout pages: new handout, new tally, detail (the list: routes_list.py; the client-code
look-up: routes_lookup.py)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from outreach.access import can, require
from outreach.auth.models import User
from outreach.auth.services import org_members
from outreach.corrections.views import correction_context
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import kept_choice, opts, prefill_now, record_day
from outreach.fieldpages import save_once, shown_record
from outreach.forms_cycle import post_form
from outreach.handouts import bp
from outreach.handouts.forms import HandoutForm, TallyForm, fill_handout_form
from outreach.handouts.lookup import LookupThrottled, look_up
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.orgs.services import org_today, org_zone
from outreach.products.models import Product
from outreach.products.services import active_products
from outreach.stock.models import Batch
from outreach.stock.queries import bag_contents, batch_label
from outreach.stock.services import first_batches, is_short_dated
from outreach.timezones import local_day
from outreach.trainings.services import current_until


def prepare_form(form, handout: Handout | None = None) -> list:
    """Fill the choices (and on a correction, the handout's values); return the giver's bag
    (batch, product name, kits) when stock is kept."""
    products = [(p.id, p.name) for p in active_products()]
    members = [(u.id, u.display_name) for u in org_members(current_user.org_id)]
    if handout is not None:  # what it holds stays a choice, even if withdrawn since
        products += kept_choice(products, handout.product_id, Product, "name")
        members += kept_choice(members, handout.giver_id, User, "display_name")
    form.product_id.choices = opts(products)
    form.set_site_choices(current_user.org_id, handout.site_id if handout else None)
    form.giver_id.choices = opts(members)
    if request.method == "GET" and handout is not None:
        fill_handout_form(form, handout)
    elif request.method == "GET":
        prefill_now(form)
        form.giver_id.data = current_user.id
        if current_user.usual_product_id:
            form.product_id.data = current_user.usual_product_id
    if not current_user.organisation.tracks_stock:
        return []
    # Only a member of this organisation: the posted id is not validated yet at this point.
    giver_id = form.giver_id.data if form.giver_id.data in {i for i, _name in members} else None
    if not can(current_user, "record_for_others") or giver_id is None:
        giver_id = current_user.id
    bag = bag_contents(giver_id)
    several = len({b.product_id for b, _name, _qty in bag}) > 1
    today = org_today(current_user.organisation)
    first = first_batches(db.session.get(User, giver_id), today)
    # Every batch in the bag, each naming its product: the page's script shows only the chosen
    # product's (without it the list is whole, and the service refuses another product's).
    choices = [SelectChoice(0, _("Automatic: the batch that expires first"))] + [
        SelectChoice(
            b.id,
            f"{batch_label(b, qty, today)} — {name}" if several else batch_label(b, qty, today),
            {
                "data-product": b.product_id,
                "data-first": "1" if first.get(b.product_id) == b.id else "0",
            },
        )
        for b, name, qty in bag
    ]
    if handout is not None and handout.batch_id:  # the corrected handout's batch stays a choice
        held = [(c.value, c.label) for c in choices]
        choices += opts(kept_choice(held, handout.batch_id, Batch, "batch_number"))
    form.batch_id.choices = choices
    if request.method == "GET" and handout is None:  # suggest the batch a handout takes first
        if form.product_id.data is None:  # no usual product: the bag's first to expire
            fresh = [b.product_id for b, _n, _q in bag if b.id in first.values()]
            form.product_id.data = fresh[0] if fresh else None
        form.batch_id.data = first.get(form.product_id.data, 0)
    return bag


def giver_of(form) -> User:
    giver_id = form.giver_id.data or current_user.id
    if not can(current_user, "record_for_others"):
        giver_id = current_user.id  # a peer records only their own handouts
    giver = db.session.get(User, giver_id)
    if giver is None or giver.org_id != current_user.org_id:
        raise DomainError("giver_id", _("Choose a person from your organisation."))
    return giver


def handout_input(form, kind: str) -> HandoutInput:
    """The service's input from a handout or tally form (new or correction)."""
    data = HandoutInput(
        kind=kind,
        product_id=form.product_id.data,
        quantity=form.quantity.data,
        location=form.location(current_user.org_id),
        setting=form.setting.data,
        occurred_at=form.occurred_utc(),
        batch_label=form.batch_label.data,
        batch_id=form.batch_id.data or None,
        client_id=form.client_id.data or None,
    )
    if kind == "single":
        data.supply = form.supply.data
        data.recipient_type = form.recipient_type.data or None
        data.repeat_reason = (
            form.repeat_reason.data or None if form.supply.data == "repeat" else None
        )
        data.previous_source = form.previous_source.data or None
        data.training_given = form.training_given.data
        data.client_hash = form.client_hash()
        data.age_band, data.sex = form.band_and_sex(record_day(data.occurred_at))
    else:
        data.people_count = form.people_count.data
        data.people_trained = form.people_trained.data
    return data


def _save(form, kind: str) -> str:
    handout = save_once(
        Handout,
        form,
        lambda: record_handout(
            handout_input(form, kind), giver=giver_of(form), recorded_by=current_user
        ),
        "handout",
    )
    flash(_("Handout saved.") if kind == "single" else _("Tally saved."), "success")
    _warn_if_short_dated(handout)
    return url_for("handouts.detail", handout_id=handout.id)


def _form_page(form, kind: str, template: str):
    bag = prepare_form(form)
    hidden = () if can(current_user, "record_for_others") else ("giver_id",)
    posted = post_form(form, lambda f: _save(f, kind), hidden=hidden)
    if posted.response is not None:
        return posted.response
    status = posted.status
    if status == 422 and form.occurred_at.data is None:
        prefill_now(form)  # sent as "now" (empty): a refused form shows now again
    today = org_today(current_user.organisation)
    until = current_until(current_user.id, today)
    shown = [row for row in bag if row[0].product_id == form.product_id.data] or bag
    return render_template(
        template, form=form, trained_until=until, bag=shown[:6], today=today
    ), status


def _warn_if_short_dated(handout: Handout) -> None:
    batch = handout.batch
    day = local_day(handout.occurred_at, org_zone(current_user.organisation))
    if batch is not None and is_short_dated(batch, day):
        flash(
            _(
                "Batch %(number)s expires on %(date)s — hand it out first.",
                number=batch.batch_number,
                date=batch.expiry_date.isoformat(),
            ),
            "info",
        )


@bp.route("/new", methods=["GET", "POST"])
@require("record_field_work")
def new():
    return _form_page(HandoutForm(), "single", "handouts/new.html")


@bp.route("/tally", methods=["GET", "POST"])
@require("record_field_work")
def tally():
    return _form_page(TallyForm(), "tally", "handouts/tally.html")


@bp.get("/<int:handout_id>")
@require("record_field_work")
def detail(handout_id: int):
    handout = shown_record(Handout, handout_id, "handout")
    history, elsewhere, wait = [], False, None
    if handout.client_hash:
        try:
            found = look_up(handout.client_hash, current_user, request.remote_addr)
        except LookupThrottled as exc:
            wait = exc.wait  # the page is shown, without the earlier supplies
        else:
            history = [h for h in found.own if h["occurred_at"] != handout.occurred_at]
            elsewhere = found.supplied_elsewhere
        db.session.commit()
    giver, batch = handout.giver, handout.batch
    replaces = db.session.scalar(select(Handout).where(Handout.replaced_by_id == handout.id))
    return render_template(
        "handouts/detail.html",
        handout=handout,
        giver=giver,
        history=history,
        supplied_elsewhere=elsewhere,
        lookup_wait=wait,
        batch=batch,
        replaces=replaces,
        **correction_context(handout, "handout"),
    )
