"""The shared rate-limit counter: windows, waits, clearing, and no hit lost between workers."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from outreach import throttle
from outreach.extensions import db
from outreach.throttle import Limit
from tests.stock.helpers import at_once

PER_MINUTE = Limit(3, timedelta(minutes=1))


def test_hits_count_within_a_window_and_start_again_after_it(app):
    with time_machine.travel("2026-11-18 10:00:00+00:00", tick=False) as clock:
        assert [throttle.hit("k", PER_MINUTE) for _ in range(4)] == [1, 2, 3, 4]
        assert throttle.count("k", PER_MINUTE) == 4
        clock.shift(timedelta(seconds=59))
        assert throttle.count("k", PER_MINUTE) == 4
        clock.shift(timedelta(seconds=1))
        assert throttle.count("k", PER_MINUTE) == 0
        assert throttle.hit("k", PER_MINUTE) == 1


def test_the_wait_is_zero_under_the_limit_and_the_rest_of_the_window_at_it(app):
    with time_machine.travel("2026-11-18 10:00:00+00:00", tick=False) as clock:
        throttle.hit("k", PER_MINUTE)
        throttle.hit("k", PER_MINUTE)
        assert throttle.wait_seconds("k", PER_MINUTE) == 0
        throttle.hit("k", PER_MINUTE)
        clock.shift(timedelta(seconds=20))
        assert throttle.wait_seconds("k", PER_MINUTE) == 40
        clock.shift(timedelta(seconds=40))
        assert throttle.wait_seconds("k", PER_MINUTE) == 0


def test_keys_count_apart_and_clear_forgets_one(app):
    throttle.hit("a", PER_MINUTE)
    throttle.hit("a", PER_MINUTE)
    throttle.hit("b", PER_MINUTE)
    throttle.clear("a")
    assert throttle.count("a", PER_MINUTE) == 0
    assert throttle.count("b", PER_MINUTE) == 1


def test_twenty_workers_hitting_at_once_lose_no_hit(app):
    """Each thread has its own session and transaction, as each gunicorn worker would."""
    db.session.commit()

    def hit(_worker):
        throttle.hit("shared", Limit(1000, timedelta(minutes=5)))
        db.session.commit()

    assert [a for a in at_once(app, list(range(20)), hit) if a is not None] == []
    db.session.remove()
    assert throttle.count("shared", Limit(1000, timedelta(minutes=5))) == 20
