"""The audit log page for organisation administrators."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from outreach.audit import bp
from outreach.audit.models import AuditEvent
from outreach.auth.models import User
from outreach.extensions import db
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
    page = paginate(db.session, stmt, rows=True)
    return render_template("audit/index.html", page=page)
