"""The audit log page for organisation administrators."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from outreach.audit.labels import ACTION_LABELS, RECORD_TYPE_LABELS
from outreach.audit.models import AuditEvent
from outreach.auditlog import bp
from outreach.auth.models import User
from outreach.extensions import db
from outreach.listing import date_range_args, id_arg
from outreach.tenancy import paginate, require_role


@bp.get("/")
@require_role("org_admin")
def index():
    stmt = (
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.org_id == current_user.org_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if action := request.args.get("action"):
        stmt = stmt.where(AuditEvent.action == action)
    if (user_id := id_arg("user")) is not None:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    lo, hi, start, end = date_range_args()
    if lo is not None:
        stmt = stmt.where(AuditEvent.at >= lo)
    if hi is not None:
        stmt = stmt.where(AuditEvent.at < hi)
    page = paginate(db.session, stmt, rows=True)
    return render_template(
        "audit/index.html",
        page=page,
        actions=ACTION_LABELS,
        record_types=RECORD_TYPE_LABELS,
        people=db.session.scalars(  # deactivated people too: their past is in the log
            select(User).where(User.org_id == current_user.org_id).order_by(User.display_name)
        ).all(),
        start=start,
        end=end,
    )
