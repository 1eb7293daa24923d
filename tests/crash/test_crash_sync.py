"""Tablets sync with retries while the server is SIGKILLed: nothing lost, nothing doubled."""

from __future__ import annotations

import crash_sync
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.realclock]


def test_no_record_is_lost_or_doubled_and_stock_is_exact_while_servers_are_killed(on_sqlite):
    plan = crash_sync.Plan(
        tablets=8, records=150, kills=4, db_kills=0 if on_sqlite else 2, pace=1.5, deadline=120
    )
    report = crash_sync.run(plan, sqlite=on_sqlite, log=lambda _line: None)
    assert report["gunicorn_kills"] >= 2, report
    if not on_sqlite:
        assert report["postgres_kills"] >= 1, report
    assert report["records_sent"] == report["confirmed"] == 1200
    assert report["refused"] == 0, report["refusals"]
    assert report["lost"] == 0
    assert report["duplicated"] == 0
    assert report["receipts_duplicated"] == report["receipts_missing"] == 0
    assert report["table_counts"] == report["sent_counts"]
    assert report["stock"] and report["stock_exact"], report["stock"]
    assert crash_sync.passed(report)


def test_the_same_check_fails_against_a_build_without_unique_client_ids(on_sqlite):
    plan = crash_sync.Plan(tablets=4, records=60, kills=1, pace=1.0, lost_reply=0.5, deadline=60)
    report = crash_sync.run(plan, sqlite=on_sqlite, broken=True, log=lambda _line: None)
    # Duplicates are found; they may also have emptied bags, so later handouts were refused.
    assert report["duplicated"] > 0, report
    assert not crash_sync.passed(report)
