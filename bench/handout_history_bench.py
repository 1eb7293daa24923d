"""What checking a handout against its bag's past (outreach/stock/history.py) costs a handout.

Records N one-kit handouts through record_handout in an organisation that tracks stock, each
committed on its own, with the check and with it replaced by "no shortfall", twice each in turn;
prints the median time per handout. The schema is created in the given (scratch) database.

    .venv/bin/python bench/handout_history_bench.py sqlite:////tmp/history_bench.sqlite 300
    psql -h 127.0.0.1 -U postgres -c 'create database history_bench'
    .venv/bin/python bench/handout_history_bench.py \\
        postgresql+psycopg://postgres@127.0.0.1:5432/history_bench 300
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSWORD = "bench password 123"


def run(url: str, n: int, check: bool) -> float:
    from outreach import create_app
    from outreach.auth.services import create_user
    from outreach.extensions import db
    from outreach.handouts.services import HandoutInput, record_handout
    from outreach.orgs.models import Organisation, Site
    from outreach.places import Location
    from outreach.products.models import Product
    from outreach.stock import history
    from outreach.stock import services as stock
    from outreach.trainings.services import record_session

    stock.shortfall = history.shortfall if check else (lambda *_args: None)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "CLIENT_CODE_KEY": "bench",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
        }
    )
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        org = Organisation(name="Bench", area="Bench", tracks_stock=True)
        db.session.add(org)
        db.session.flush()
        site = Site(org_id=org.id, name="Site", area="Bench", latitude=51.6, longitude=-3.9)
        product = Product(name="Kit", strength="1.8 mg", route="intranasal", doses_per_kit=2)
        db.session.add_all([site, product])
        db.session.flush()
        peer = create_user("peer", PASSWORD, org, "peer")
        manager = create_user("manager", PASSWORD, org, "stock_manager")
        trainer = create_user("trainer", PASSWORD, org, "trainer")
        record_session(
            org_id=org.id, recorded_by=trainer, trainer=trainer,
            held_on=date.today() - timedelta(30), place="Room", kind="peer_distributor",
            topics=[], attendee_users=[peer],
        )  # fmt: skip
        received = stock.receive(
            site=site, product=product, batch_number="B1", quantity=2 * n, reference=None,
            expiry_date=date.today() + timedelta(300), recorded_by=manager,
        )  # fmt: skip
        stock.transfer(
            from_holding=stock.store_for(site), to_holding=stock.bag_for(peer),
            batch=received.batch, quantity=2 * n, recorded_by=manager,
        )  # fmt: skip
        db.session.commit()
        where = Location(51.6, -3.9, "gps")
        times = []
        for _ in range(n):
            started = time.perf_counter()
            data = HandoutInput(product_id=product.id, quantity=1, location=where, supply="first")
            record_handout(data, giver=peer, recorded_by=peer)
            db.session.commit()
            times.append(time.perf_counter() - started)
        db.session.rollback()
        db.drop_all()
    return statistics.median(times) * 1000


def main(url: str, n: int) -> None:
    engine = url.split(":", 1)[0]
    for check in (False, True, False, True):
        label = "with the check" if check else "without it"
        print(f"{engine}: {run(url, n, check):.2f} ms per handout {label} (median of {n})")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300)
