"""Time the monthly report on a seeded national-scale database (1,000,000 handouts).

Usage:
    .venv/bin/python bench/report_bench.py sqlite:////tmp/national.sqlite [--indexes]
    .venv/bin/python bench/report_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/national_report

Times (median of 7) the report's figures for everything (as the platform admin, suppressed)
and for the busiest organisation, the whole HTTP page through the Flask test client, and a
naive version that loads the month's handout rows into Python and counts them there.
--indexes first creates the covering indexes proposed for the migration (bench_* names).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter

INDEXES = (
    "CREATE INDEX IF NOT EXISTS bench_handouts_occurred_cover ON handouts "
    "(occurred_at, org_id, kind, product_id, setting, supply, repeat_reason, recipient_type, "
    "training_given, quantity, people_trained, site_id)",
    "CREATE INDEX IF NOT EXISTS bench_handouts_org_occurred_cover ON handouts "
    "(org_id, occurred_at, kind, product_id, setting, supply, repeat_reason, recipient_type, "
    "training_given, quantity, people_trained, site_id)",
    "CREATE INDEX IF NOT EXISTS bench_stock_movements_occurred ON stock_movements (occurred_at)",
)


def add_missing_columns(db, text) -> None:
    """A scratch database seeded before a model gained a column gets it (nullable) here."""
    from sqlalchemy import inspect

    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(db.engine.dialect)
                db.session.execute(
                    text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")
                )
    db.session.commit()


def password(user) -> str:
    """Every user of the national data set, the platform admin included, shares one password."""
    from outreach.seed.places import NATIONAL_PASSWORD

    return NATIONAL_PASSWORD


def median_ms(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(url: str, indexes: bool) -> None:
    os.environ["DATABASE_URL"] = url
    from datetime import UTC

    from sqlalchemy import func, select, text

    from outreach import create_app
    from outreach.auth.models import User
    from outreach.extensions import db
    from outreach.handouts.models import Handout
    from outreach.reports import figures
    from outreach.reports.scope import Scope, add_month, local_range, month_start, zone_groups

    app = create_app(
        {"WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "SERVER_NAME": None}
    )
    with app.app_context():
        db.create_all()  # older scratch databases may lack the stock tables
        add_missing_columns(db, text)
        if indexes:
            for ddl in INDEXES:
                db.session.execute(text(ddl))
            db.session.commit()
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("ANALYZE handouts"))
            else:
                db.session.execute(text("ANALYZE"))
            db.session.commit()
        latest = db.session.scalar(select(func.max(Handout.occurred_at))).astimezone(UTC)
        start = month_start(*add_month(latest.year, latest.month, -1))
        end = month_start(latest.year, latest.month)
        # start and end are naive local midnights (figures.build takes them so); the queries
        # here count each organisation's own local month, as the report does.
        in_month = local_range(Handout.occurred_at, Handout.org_id, zone_groups(None), start, end)
        org_id, month_rows = db.session.execute(
            select(Handout.org_id, func.count())
            .where(*in_month)
            .group_by(Handout.org_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        total = db.session.scalar(select(func.count()).select_from(Handout))
        dialect = db.engine.dialect.name
        everything = Scope("all", "all", "all", None, suppress=True)
        one_org = Scope("org", f"org-{org_id}", "org", [org_id])

        with app.test_request_context():
            all_ms = median_ms(lambda: figures.build(everything, start, end))
            org_ms = median_ms(lambda: figures.build(one_org, start, end))

        def naive(org: int | None):
            stmt = select(Handout).where(*in_month)
            if org is not None:
                stmt = stmt.where(Handout.org_id == org)
            rows = db.session.scalars(stmt).all()
            Counter((h.product_id, h.setting, h.supply) for h in rows)
            db.session.expunge_all()

        naive_all = median_ms(lambda: naive(None), runs=3)
        naive_org = median_ms(lambda: naive(org_id), runs=3)

        admin = db.session.scalar(select(User).where(User.role == "platform_admin"))
        member = db.session.scalar(
            select(User).where(User.org_id == org_id, User.role == "coordinator")
        )
        page = {}
        for name, user, query in (
            ("everything", admin, "scope=all"),
            ("one org", member, f"org={org_id}"),
        ):
            if user is None:
                continue
            client = app.test_client()
            client.post("/login", data={"username": user.username, "password": password(user)})
            path = f"/reports/monthly?month={start:%Y-%m}&{query}"
            first = client.get(path)
            if first.status_code != 200:
                print(f"HTTP page, {name}: got {first.status_code} (login failed?); not timed")
                continue
            page[name] = median_ms(lambda p=path, c=client: c.get(p))

    print(f"{dialect}: {total:,} handouts; month {start:%Y-%m} ", end="")
    state = "proposed" if indexes else "as is"
    print(f"({month_rows:,} handouts in the busiest org); indexes={state}")
    print(f"| figures, everything | {all_ms:.0f} ms |")
    print(f"| figures, one org | {org_ms:.0f} ms |")
    for name, ms in page.items():
        print(f"| HTTP page, {name} | {ms:.0f} ms |")
    print(f"| naive (rows into Python), everything | {naive_all:.0f} ms |")
    print(f"| naive (rows into Python), one org | {naive_org:.0f} ms |")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    main(args[0], "--indexes" in sys.argv)
