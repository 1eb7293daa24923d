"""Handouts racing for the last kits of one bag through a real gunicorn never oversell.

Runs bench/stock_race.py's scenario, smaller, on the engine TEST_DATABASE_URL names, in a database
of its own (the suite's test database is wiped between tests, under a server's feet)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.realclock  # the server is another process, on the machine's clock

KITS, REQUESTS, SESSIONS = 10, 30, 5
BENCH = Path(__file__).resolve().parents[2] / "bench" / "stock_race.py"


def _bench():
    spec = importlib.util.spec_from_file_location("stock_race", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("stock_race", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


race = _bench()
TEST_DB = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DB.startswith("postgres")


def _race(folder: Path, naive: bool = False):
    """The race on a new empty database of the chosen engine, dropped afterwards."""
    admin = ""
    if ON_POSTGRES:
        url = TEST_DB.replace("postgresql://", "postgresql+psycopg://", 1)
        admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    with race.scratch_database(not ON_POSTGRES, admin, folder=str(folder)) as url:
        # Two sync workers: two requests really run at once, each in its own transaction.
        return race.run(
            url, KITS, REQUESTS, SESSIONS, workers=2, naive=naive, timeout=30, migrate=False,
            cheap_hash=True,
        )  # fmt: skip


def test_thirty_racing_handouts_through_gunicorn_store_exactly_the_ten_kits_in_the_bag(tmp_path):
    # Why this fails with a read-then-write take (balance read, then `quantity = seen - 1`):
    # on PostgreSQL (READ COMMITTED) worker B reads the balance while worker A's transaction has
    # taken a kit but not committed; B's UPDATE waits for A's row lock, then writes the stale
    # `seen - 1` over A's decrement. Both handouts are stored, one kit leaves the bag: more than
    # 10 handouts get 302 and the handout movements sum past 10 (see the naive test below). The
    # guarded `UPDATE … SET quantity = quantity - 1 WHERE quantity >= 1` re-reads the row after
    # the lock, so the 11th request matches no row and gets the 422 refusal.
    report = _race(tmp_path)
    failed = [(name, detail) for name, passed, detail in report.checks if not passed]
    assert not failed, (failed, report.figures)
    assert report.figures["stored"] == KITS
    assert report.figures["422 refused"] == REQUESTS - KITS
    assert report.figures["balance"] == 0


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="On SQLite each handout's INSERT takes the database write lock before the stock is "
    "read, so even a naive take is serialised there; the lost update shows on PostgreSQL.",
)
def test_demonstration_a_naive_read_then_write_take_oversells_through_the_same_server(
    tmp_path,
):
    # The same race against a server whose take reads the balance and then writes it less one
    # (bench/stock_race.py naive_app): the checks above catch it. Lost updates depend on timing,
    # so up to three rounds (on a 2-core machine each round oversold 1 to 4 kits in 6 of 6 tries).
    for _round in range(3):
        report = _race(tmp_path, naive=True)
        if report.figures["stored"] > KITS:
            break
    assert report.figures["stored"] > KITS, report.figures
    assert not report.ok
