"""Read-side questions about training: who lapses soon, who is current."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.extensions import db
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
    today = today or date.today()
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
    today = today or date.today()
    latest = _latest_validity()
    rows = db.session.execute(
        select(User, latest.c.until)
        .outerjoin(latest, latest.c.user_id == User.id)
        .where(User.org_id == org_id, User.active, User.role.in_(("peer", "trainer")))
        .order_by(User.display_name)
    ).all()
    return [(u, until) for u, until in rows]
