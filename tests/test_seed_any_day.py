"""The demo seed on any calendar day: an exact, first-to-expire ledger whatever the date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.test_seed import assert_ledger_exact

# Month ends and starts, both clock changes (London and Stockholm change at 01:00 UTC),
# 29 February, New Year, and the days the seed once broke on (1-4 December, 2 Feb, 2 March).
DAYS = [
    datetime(2027, 1, 1, 0, 10, tzinfo=UTC),
    datetime(2027, 1, 31, 23, 50, tzinfo=UTC),
    datetime(2027, 2, 2, 9, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    datetime(2028, 3, 1, 0, 5, tzinfo=UTC),
    datetime(2027, 3, 2, 8, 0, tzinfo=UTC),
    datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
    datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
    datetime(2027, 4, 30, 22, 30, tzinfo=UTC),
    datetime(2027, 5, 15, 12, 0, tzinfo=UTC),
    datetime(2027, 6, 30, 23, 30, tzinfo=UTC),
    datetime(2027, 7, 1, 0, 30, tzinfo=UTC),
    datetime(2027, 8, 31, 23, 0, tzinfo=UTC),
    datetime(2027, 9, 30, 12, 0, tzinfo=UTC),
    datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
    datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
    datetime(2027, 11, 30, 23, 59, tzinfo=UTC),
    datetime(2026, 12, 1, 0, 30, tzinfo=UTC),
    datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
    datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
    datetime(2026, 12, 4, 23, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 55, tzinfo=UTC),
]


@pytest.mark.slow
@pytest.mark.parametrize("now", DAYS, ids=[d.strftime("%Y-%m-%dT%H:%M") for d in DAYS])
def test_the_demo_ledger_is_exact_and_first_to_expire_on_any_day(runner, now):
    with time_machine.travel(now, tick=False):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert_ledger_exact()
