"""Time `seed-demo --handouts N` on a scratch database and print what was loaded.

Usage (the database must be new or empty; its schema is created here):

    .venv/bin/python bench/seed_timing.py sqlite:////tmp/national_stock.sqlite 1000000
    createdb -h 127.0.0.1 -U postgres national_stock
    PG=postgresql+psycopg://postgres@127.0.0.1:5432/national_stock
    .venv/bin/python bench/seed_timing.py $PG 1000000
"""

from __future__ import annotations

import os
import sys
import time


def main(url: str, handouts: int) -> None:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import func, select

    from outreach import create_app
    from outreach.extensions import db
    from outreach.seed import seed_demo
    from outreach.stock.models import StockMovement

    app = create_app()
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        seed_demo(handouts=handouts, echo=print)
        elapsed = time.perf_counter() - started
        for table in db.metadata.sorted_tables:
            rows = db.session.scalar(select(func.count()).select_from(table))
            print(f"{table.name:24} {rows:>10,}")
        kinds = select(StockMovement.kind, func.count()).group_by(StockMovement.kind)
        for kind, rows in db.session.execute(kinds):
            print(f"  stock movements: {kind:13} {rows:>10,}")
        print(f"{db.engine.dialect.name}: {handouts:,} handouts in {elapsed:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
