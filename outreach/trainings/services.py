"""Recording training sessions, and who is a current, trained distributor."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach.access import can
from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.orgs.services import org_today
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.vocab import DISTRIBUTOR_KINDS, TRAINING_KINDS, TRAINING_TOPICS


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _current_clause(user_id: int):
    return (
        select(func.max(TrainingAttendance.valid_until))
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(
            TrainingAttendance.user_id == user_id,
            TrainingAttendance.passed,
            TrainingSession.kind.in_(DISTRIBUTOR_KINDS),
        )
    )


def current_until(user_id: int, on: date | None = None) -> date | None:
    """The last day this user is a current distributor, or None if they are not now (`on`: a
    day in the organisation's zone; today there by default)."""
    on = on or org_today(db.session.get(User, user_id).org_id)
    return db.session.scalar(
        _current_clause(user_id).where(
            TrainingAttendance.valid_until >= on, TrainingSession.held_on <= on
        )
    )


def _trained_periods(user_id: int) -> list[tuple[date, date]]:
    """Every (held on, valid until) of the user's passed distributor trainings, one query."""
    stmt = _current_clause(user_id).with_only_columns(
        TrainingSession.held_on, TrainingAttendance.valid_until
    )
    with db.session.no_autoflush:  # record_session flushes; pending handouts cannot matter
        rows = db.session.execute(stmt).all()
    return [(held, until) for held, until in rows if until is not None]


MAX_COMMUNITY = 1000  # community attendees of one session
_MEMO = "training_current_memo"


@contextmanager
def remembering_current() -> Iterator[None]:
    """Inside this block is_current asks the database once per user, for every day (a batch
    spans days); recording a training session (or forget_current) empties the memo, so
    answers never go stale."""
    outer = g.get(_MEMO)
    if outer is None:
        setattr(g, _MEMO, {})
    try:
        yield
    finally:
        if outer is None:
            g.pop(_MEMO, None)


def forget_current() -> None:
    """Empty the is_current memo (after a session is recorded or a savepoint rolled back)."""
    if has_app_context() and (memo := g.get(_MEMO)) is not None:
        memo.clear()


def is_current(user: User, on: date | None = None) -> bool:
    memo = g.get(_MEMO) if has_app_context() else None
    if memo is None:
        return current_until(user.id, on) is not None
    if user.id not in memo:
        memo[user.id] = _trained_periods(user.id)
    day = on or org_today(user.org_id)
    return any(held <= day <= until for held, until in memo[user.id])


def valid_until_for(user_id: int | None, held_on: date, months: int) -> date:
    """A renewal taken inside the window runs on from the old expiry, so nothing is lost by
    renewing early and nobody shows as lapsed the day after."""
    fresh = add_months(held_on, months)
    if user_id is None:
        return fresh
    window = current_app.config["TRAINING_RENEWAL_WINDOW_DAYS"]
    old = current_until(user_id, held_on)
    if old and old - held_on <= timedelta(days=window):
        return max(fresh, add_months(old, months))
    return fresh


def _check_session(
    org_id, trainer, held_on, kind, topics, attendee_users, attendee_hashes, community_count
):
    """A session's kind, day, trainer, topics and attendees, or the DomainError naming the field."""
    if kind not in TRAINING_KINDS:
        raise DomainError("kind", _l("Choose a kind of training."))
    if held_on > org_today(org_id):
        raise DomainError("held_on", _l("A session cannot be recorded before it is held."))
    if trainer.org_id != org_id or not can(trainer, "lead_training"):
        raise DomainError("trainer_id", _l("The trainer must be a trainer of your organisation."))
    if any(t not in TRAINING_TOPICS for t in topics):
        raise DomainError("topics", _l("Unknown topic."))
    if any(u.org_id != org_id for u in attendee_users):
        raise DomainError("attendee_ids", _l("Attendees must belong to your organisation."))
    if not 0 <= community_count <= MAX_COMMUNITY:
        raise DomainError(
            "community_count",
            _l(
                "The number of community attendees must be between 0 and %(max)d.",
                max=MAX_COMMUNITY,
            ),
        )
    if not attendee_users and not attendee_hashes and community_count <= 0:
        raise DomainError("community_count", _l("Record at least one attendee or a count."))


def record_session(
    *,
    org_id: int,
    recorded_by: User,
    trainer: User,
    held_on: date,
    place: str,
    kind: str,
    topics: list[str],
    attendee_users: list[User],
    attendee_hashes: list[str] = (),
    community_count: int = 0,
    passed_user_ids: set[int] | None = None,
    valid_months: int | None = None,
    notes: str | None = None,
    client_id: str | None = None,
) -> TrainingSession:
    _check_session(
        org_id, trainer, held_on, kind, topics, attendee_users, attendee_hashes, community_count
    )
    months = valid_months or current_app.config["TRAINING_VALID_MONTHS"]
    passed = {u.id for u in attendee_users} if passed_user_ids is None else passed_user_ids
    session = TrainingSession(
        org_id=org_id,
        recorded_by_id=recorded_by.id,
        trainer_id=trainer.id,
        trainer=trainer,
        held_on=held_on,
        place=place.strip(),
        kind=kind,
        topics=",".join(topics),
        community_count=community_count,
        valid_months=months,
        notes=(notes or None),
    )
    if client_id:
        session.client_id = client_id
    for user in attendee_users:
        ok = user.id in passed
        session.attendees.append(
            TrainingAttendance(
                user_id=user.id,
                user=user,
                passed=ok,
                valid_until=valid_until_for(user.id, held_on, months) if ok else None,
            )
        )
    for client_hash in dict.fromkeys(attendee_hashes):
        session.attendees.append(
            TrainingAttendance(
                client_hash=client_hash, passed=True, valid_until=add_months(held_on, months)
            )
        )
    db.session.add(session)
    db.session.flush()
    forget_current()
    return session
