"""Fixed-window counters in the database (see outreach.throttle)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.throttle.models import KEY_MAX, ThrottleCount


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits per `window` for one key."""

    limit: int
    window: timedelta


def _key(key: str) -> str:
    return key[:KEY_MAX]


def _row(key: str, limit: Limit) -> ThrottleCount | None:
    row = db.session.get(ThrottleCount, _key(key), populate_existing=True)
    if row is None or row.window_start <= utcnow() - limit.window:
        return None
    return row


def count(key: str, limit: Limit) -> int:
    """Hits of `key` in its current window (0 once the window has passed)."""
    row = _row(key, limit)
    return row.hits if row else 0


def wait_seconds(key: str, limit: Limit) -> int:
    """Seconds until `key` may be hit again: 0 while it is under its limit."""
    row = _row(key, limit)
    if row is None or row.hits < limit.limit:
        return 0
    left = (row.window_start + limit.window - utcnow()).total_seconds()
    return max(1, math.ceil(left))


def hit(key: str, limit: Limit) -> int:
    """Count one hit of `key`; return the hits in its window, this one included.

    A single UPDATE adds to a live window; a passed window is replaced by a new one. Parallel
    workers inserting the same new window meet on the primary key, and the loser counts on the
    winner's row, so no hit is lost.
    """
    key = _key(key)
    now = utcnow()
    live = ThrottleCount.window_start > now - limit.window
    result = db.session.execute(
        update(ThrottleCount)
        .where(ThrottleCount.key == key, live)
        .values(hits=ThrottleCount.hits + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        db.session.execute(
            delete(ThrottleCount)
            .where(ThrottleCount.key == key, ~live)
            .execution_options(synchronize_session=False)
        )
        try:
            with db.session.begin_nested():
                db.session.add(ThrottleCount(key=key, window_start=now, hits=1))
        except IntegrityError:
            db.session.execute(
                update(ThrottleCount)
                .where(ThrottleCount.key == key)
                .values(hits=ThrottleCount.hits + 1)
                .execution_options(synchronize_session=False)
            )
    return count(key, limit)


def clear(key: str) -> None:
    """Forget `key`'s hits (a successful login clears its account's failures)."""
    db.session.execute(
        delete(ThrottleCount)
        .where(ThrottleCount.key == _key(key))
        .execution_options(synchronize_session=False)
    )


def purge(prefix: str, limit: Limit) -> int:
    """Forget every key starting with `prefix` whose window has passed; returns how many.

    For counters keyed afresh each window (the public pages key an address by a hash that
    changes every window): their rows would otherwise stay, never hit again."""
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key after every `prefix…`
    result = db.session.execute(
        delete(ThrottleCount)
        .where(
            ThrottleCount.key >= prefix,
            ThrottleCount.key < end,
            ThrottleCount.window_start <= utcnow() - limit.window,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
