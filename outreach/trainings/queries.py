"""Read-side questions about training: who lapses soon, who is current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort
from sqlalchemy import Select, func, select

from outreach.access import can, roles_with
from outreach.auth.models import User
from outreach.extensions import db
from outreach.orgs.services import org_today
from outreach.tenancy import scoped_select
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.vocab import DISTRIBUTOR_KINDS


def _latest_validity():
    return (
        select(TrainingAttendance.user_id, func.max(TrainingAttendance.valid_until).label("until"))
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(
            TrainingAttendance.passed,
            TrainingAttendance.user_id.is_not(None),
            TrainingSession.kind.in_(DISTRIBUTOR_KINDS),
        )
        .group_by(TrainingAttendance.user_id)
        .subquery()
    )


def lapsing_soon(
    org_id: int, within_days: int, today: date | None = None
) -> list[tuple[User, date]]:
    """Users whose current training ends within `within_days` (soonest first)."""
    today = today or org_today(org_id)
    latest = _latest_validity()
    rows = db.session.execute(
        select(User, latest.c.until)
        .join(latest, latest.c.user_id == User.id)
        .where(
            User.org_id == org_id,
            User.active,
            latest.c.until >= today,
            latest.c.until <= today + timedelta(days=within_days),
        )
        .order_by(latest.c.until)
    ).all()
    return [(u, until) for u, until in rows]


def training_status(org_id: int, today: date | None = None) -> list[tuple[User, date | None]]:
    """Every active peer and trainer of the organisation with their training's end date."""
    today = today or org_today(org_id)
    latest = _latest_validity()
    rows = db.session.execute(
        select(User, latest.c.until)
        .outerjoin(latest, latest.c.user_id == User.id)
        .where(User.org_id == org_id, User.active, User.role.in_(roles_with("attend_training")))
        .order_by(User.display_name)
    ).all()
    return [(u, until) for u, until in rows]


LAPSING, LAPSED, NEVER, CURRENT = "lapsing", "lapsed", "never", "current"
_STATUS_ORDER = {LAPSING: 0, LAPSED: 1, NEVER: 2, CURRENT: 3}


@dataclass
class StatusRow:
    user: User
    until: date | None
    status: str


def status_rows(org_id: int, window_days: int, today: date | None = None) -> list[StatusRow]:
    """Every peer and trainer with a status; lapsing soon first, then lapsed, never, current."""
    today = today or org_today(org_id)
    rows = []
    for user, until in training_status(org_id, today):
        if until is None:
            status = NEVER
        elif until < today:
            status = LAPSED
        elif until <= today + timedelta(days=window_days):
            status = LAPSING
        else:
            status = CURRENT
        rows.append(StatusRow(user, until, status))
    # Lapsed: most recently lapsed first, as they are the likeliest to renew.
    rows.sort(
        key=lambda r: (
            _STATUS_ORDER[r.status],
            -r.until.toordinal() if r.status == LAPSED else (r.until or today).toordinal(),
            r.user.display_name,
        )
    )
    return rows


def visible_sessions(user: User) -> Select:
    """Sessions this user may read: the whole organisation's for trainers and managers; for a
    peer, only sessions they attended (never another organisation's)."""
    if can(user, "read_org_records"):
        return scoped_select(TrainingSession, user)
    attended = (
        select(TrainingAttendance.id)
        .where(
            TrainingAttendance.session_id == TrainingSession.id,
            TrainingAttendance.user_id == user.id,
        )
        .exists()
    )
    return select(TrainingSession).where(TrainingSession.org_id == user.org_id, attended)


def filtered(
    user: User, *, start: date | None = None, end: date | None = None, kind: str | None = None
) -> Select:
    stmt = visible_sessions(user)
    if start is not None:
        stmt = stmt.where(TrainingSession.held_on >= start)
    if end is not None:
        stmt = stmt.where(TrainingSession.held_on <= end)
    if kind:
        stmt = stmt.where(TrainingSession.kind == kind)
    return stmt.order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())


def get_session_or_404(user: User, session_id: int) -> TrainingSession:
    found = db.session.scalar(visible_sessions(user).where(TrainingSession.id == session_id))
    if found is None:
        abort(404)
    return found


def find_by_client_id(org_id: int, client_id: str) -> TrainingSession | None:
    return db.session.scalar(
        select(TrainingSession).where(
            TrainingSession.org_id == org_id, TrainingSession.client_id == client_id
        )
    )
