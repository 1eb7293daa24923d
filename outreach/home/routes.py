"""Home pages: quick actions for peers, the week at a glance for coordinators."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from outreach.access import can
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.home import bp
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from outreach.stock.queries import bag_contents, expiring, holding_labels, low_stock, open_requests
from outreach.tenancy import live, scoped_select, visible
from outreach.trainings.queries import lapsing_soon
from outreach.trainings.services import current_until


def _recent(model, limit=5):
    return list(
        db.session.scalars(
            scoped_select(model)
            .where(live(model))
            .order_by(model.occurred_at.desc(), model.id.desc())
            .limit(limit)
        )
    )


@bp.get("/")
@login_required
def index():
    if can(current_user, "administer_platform"):
        return redirect(url_for("admin.organisations"))
    if not can(current_user, "read_org_records"):
        return render_template(
            "home/peer.html",
            trained_until=current_until(current_user.id),
            handouts=_recent(Handout),
            contacts=_recent(OutreachContact),
            overdoses=_recent(OverdoseReport),
            bag=bag_contents(current_user.id) if current_user.organisation.tracks_stock else None,
        )
    since = utcnow() - timedelta(days=7)

    def this_week(model):
        return visible(model), live(model), model.occurred_at >= since

    week = {
        "kits": db.session.scalar(
            select(func.coalesce(func.sum(Handout.quantity), 0)).where(*this_week(Handout))
        ),
        "contacts": db.session.scalar(
            select(func.count()).select_from(OutreachContact).where(*this_week(OutreachContact))
        ),
        "people": db.session.scalar(
            select(func.coalesce(func.sum(OutreachContact.people_count), 0)).where(
                *this_week(OutreachContact)
            )
        ),
        "overdoses": db.session.scalar(
            select(func.count()).select_from(OverdoseReport).where(*this_week(OverdoseReport))
        ),
    }
    window = current_app.config["TRAINING_RENEWAL_WINDOW_DAYS"]
    org_id = current_user.org_id
    stock = None
    if current_user.organisation.tracks_stock:
        stock = {
            "low": low_stock(org_id),
            "expiring": expiring(org_id, current_app.config["SHORT_DATED_DAYS"]),
            "requests": len(open_requests(org_id)),
            "labels": holding_labels(org_id),
        }
    return render_template(
        "home/coordinator.html",
        week=week,
        overdoses=_recent(OverdoseReport, 8),
        lapsing=lapsing_soon(org_id, window),
        window=window,
        stock=stock,
    )
