"""Time the national programmes' returns on a seeded national-scale database.

Usage:
    .venv/bin/python bench/seed_timing.py URL 1000000   (the national set; it loads the areas)
    .venv/bin/python bench/returns_bench.py sqlite:////tmp/national.sqlite
    .venv/bin/python bench/returns_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/national
    .venv/bin/python bench/returns_bench.py URL --queries   (each query of Wales's return alone)

Times (median of 5, after one warm-up) returns.build, every table of the return, for the last
complete UK financial year (or Swedish calendar year) in the data:

- "all areas": every health board of Wales, every health board of Scotland (when the data has
  Scottish records), every kommun of Västra Götaland; as the platform administrator (every
  organisation, partners' parts through the disclosure rule: two passes) and as the
  coordinator of the busiest organisation (their own records, exact);
- "one board": Swansea Bay University Health Board by local authority, the same two viewers;
- the whole page through the Flask test client, once, for the first of them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def median_ms(fn, runs: int = 5) -> float:
    fn()  # warm the caches, as a second request would find them
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    from datetime import UTC

    from sqlalchemy import func, select

    from outreach import create_app
    from outreach.areas.queries import by_code
    from outreach.auth.models import User
    from outreach.extensions import db
    from outreach.handouts.models import Handout
    from outreach.reports import returns
    from outreach.reports.periods import last_full
    from outreach.seed.places import NATIONAL_PASSWORD

    app = create_app({"WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        latest = db.session.scalar(select(func.max(Handout.occurred_at))).astimezone(UTC)
        total = db.session.scalar(select(func.count()).select_from(Handout))
        fy = last_full("financial_year", latest.date())
        year = last_full("year", latest.date())
        busiest = db.session.scalar(
            select(Handout.org_id).group_by(Handout.org_id).order_by(func.count().desc()).limit(1)
        )
        admin = db.session.scalar(select(User).where(User.role == "platform_admin"))
        member = db.session.scalar(
            select(User).where(User.org_id == busiest, User.role == "coordinator")
        )
        cases = [
            ("Wales, all health boards", "wales", "W92000004", "board", fy),
            ("Scotland, all health boards", "scotland", "S92000003", "board", fy),
            ("Västra Götaland, all kommuner", "sweden", "SE-14", "local_authority", year),
            ("Swansea Bay (one board), by local authority", "wales", "W11000031",
             "local_authority", fy),
        ]  # fmt: skip
        print(f"# {db.engine.dialect.name}, {total:,} handouts; FY {fy.label}, year {year.label}")
        print("| return | viewer | median ms |")
        print("|---|---|---|")
        with app.test_request_context():
            for label, shape, code, level, period in cases:
                root = by_code(code)
                for who, user in (("platform admin", admin), ("busiest org", member)):
                    args = (user, shape, root, level, period)
                    ms = median_ms(lambda a=args: returns.build(*a))
                    print(f"| {label} | {who} | {ms:,.0f} |")
        client = app.test_client()
        client.post("/login", data={"username": admin.username, "password": NATIONAL_PASSWORD})
        path = f"/reports/returns?return=wales&area=W92000004&level=board&period={fy.key}"
        client.get(path)
        started = time.perf_counter()
        resp = client.get(path)
        ms = (time.perf_counter() - started) * 1000
        print(f"\nWhole page (Wales FY by board, platform admin): {resp.status_code}, {ms:,.0f} ms")


def queries(url: str) -> None:
    """Each query behind Wales's financial-year return for every organisation, timed alone."""
    os.environ["DATABASE_URL"] = url
    from outreach import create_app
    from outreach.areas.queries import by_code, unit_of, units
    from outreach.extensions import db
    from outreach.reports import programme
    from outreach.reports.people import people_counts
    from outreach.reports.periods import Period
    from outreach.reports.scope import Scope, zone_groups

    app = create_app()
    with app.app_context(), app.test_request_context():
        fy = Period("financial_year", (2025, 4), 12)
        root = by_code("W92000004")
        parts, whole = units(root, "board"), unit_of(root)
        scope = Scope("return", "r", "r", None, zones=zone_groups(None))
        leaves, before, a, b, p = whole.leaves, fy.previous(), fy.start, fy.end, programme
        prev = (before.start, before.end)
        print(f"# {db.engine.dialect.name}: Wales, FY {fy.label}, every organisation")
        for name, fn in (
            ("kits and supplies", lambda: p.supply_counts(scope, leaves, a, b, 1)),
            ("people by board and of Wales", lambda: people_counts(scope, whole, parts, a, b, 1)),
            ("people of Wales, previous period", lambda: people_counts(scope, whole, [], *prev, 1)),
            ("overdose reports", lambda: p.overdose_counts(scope, leaves, a, b, 1)),
            ("reach", lambda: p.reach_counts(scope, leaves, b, 1)),
            ("previous period", lambda: p.totals(scope, leaves, before.start, before.end, 1)),
            ("24 months", lambda: p.monthly(scope, leaves, fy.shifted(-12).start, 24, 1)),
        ):  # fmt: skip
            print(f"{name}: {median_ms(fn, runs=3):,.0f} ms")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "--queries":
        queries(sys.argv[1])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
