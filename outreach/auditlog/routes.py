"""The audit log page for organisation administrators."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from outreach.access import require
from outreach.audit.labels import ACTION_LABELS, RECORD_TYPE_LABELS
from outreach.audit.models import AuditEvent
from outreach.audit.services import record as audit
from outreach.auditlog import bp
from outreach.auditlog.forms import AuditFilters
from outreach.auth.models import User
from outreach.extensions import db
from outreach.listing import matching
from outreach.tenancy import paginate, visible


@bp.get("/")
@require("administer_org")
def index():
    stmt = (
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(visible(AuditEvent))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    filters = AuditFilters()
    given = filters.query_args()
    if given["action"]:
        stmt = stmt.where(AuditEvent.action == given["action"])
    if given["user"] is not None:
        stmt = stmt.where(AuditEvent.user_id == given["user"])
    if given["start"] is not None:
        stmt = stmt.where(AuditEvent.at >= given["start"])
    if given["end"] is not None:
        stmt = stmt.where(AuditEvent.at < given["end"])
    page = paginate(db.session, matching(filters, stmt), rows=True)
    _audit_reading(page.page)
    return render_template(
        "audit/index.html",
        page=page,
        actions=ACTION_LABELS,
        record_types=RECORD_TYPE_LABELS,
        people=db.session.scalars(  # deactivated people too: their past is in the log
            select(User).where(visible(User)).order_by(User.display_name)
        ).all(),
        filters=filters,
        start=filters.typed("start"),
        end=filters.typed("end"),
    )


def _audit_reading(page: int) -> None:
    """Reading the log is itself logged: which page and search."""
    given = " ".join(f"{k}={v}" for k, v in request.args.items() if k != "page" and v)
    audit(
        "view",
        "audit_log",
        user=current_user,
        detail=f"page {page}" + (f"; {given}" if given else ""),
        remote_addr=request.remote_addr,
    )
    db.session.commit()
