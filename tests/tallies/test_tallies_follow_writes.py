"""The monthly tallies (outreach/tallies) stay equal to the records through every kind of write:
what the flushes leave is compared with the tallies counted again from the records."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.tallies import keep
from outreach.tallies.models import OverdoseMonth, SupplyKitMonth, SupplyMonth
from tests import factories

pytestmark = pytest.mark.usefixtures("app")

TALLIES = (SupplyKitMonth, SupplyMonth, OverdoseMonth)
# Local midnights that start a month in London and in Stockholm, and 29 February.
EDGES = [
    datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 2026-01 in Stockholm, 2025-12 in London
    datetime(2026, 1, 1, 0, 30, tzinfo=UTC),
    datetime(2028, 2, 29, 23, 59, tzinfo=UTC),  # 29 Feb in London, 1 March in Stockholm
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the spring clock change
    datetime(2026, 10, 31, 23, 30, tzinfo=UTC),  # after the autumn change: 1 Nov in Stockholm
]
CODES = ["a" * 64, "b" * 64, "c" * 64]


def tally_cells() -> dict:
    """Every non-empty tally cell, by table."""
    out = {}
    for model in TALLIES:
        t = model.__table__
        kits = t.c.kits if "kits" in t.c else t.c.records
        stmt = select(t.c.org_id, t.c.month, t.c.key, t.c.records, kits)
        out[model.__tablename__] = {
            (org, month, key): (records, n)
            for org, month, key, records, n in db.session.execute(stmt)
            if records or n
        }
    return out


def _counted_again() -> dict:
    keep.refresh(db.session.connection())
    return tally_cells()


def _world(make):
    london = make.org(timezone="Europe/London")
    stockholm = make.org(timezone="Europe/Stockholm")
    peers = [make.user(organisation=london), make.user(organisation=stockholm)]
    sites = [make.site(organisation=london), make.site(organisation=stockholm)]
    return peers, sites


def _supply(make, rng, peers, sites):
    i = rng.randrange(2)
    repeat = rng.random() < 0.4
    return make.handout(
        giver=peers[i],
        site_id=sites[i].id if rng.random() < 0.5 else None,
        occurred_at=rng.choice(EDGES) + timedelta(minutes=rng.randrange(-60, 60)),
        quantity=rng.randrange(1, 4),
        client_hash=rng.choice([*CODES, None]),
        setting=rng.choice(["street", "hostel", "prison_release"]),
        supply="repeat" if repeat else "first",
        repeat_reason=rng.choice(["used_self", "lost", None]) if repeat else None,
        recipient_type=rng.choice(["at_risk", "family_friend", None]),
    )


def _change(rng, row: Handout, peers) -> None:
    what = rng.randrange(6)
    if what == 0:
        row.quantity = rng.randrange(1, 6)
    elif what == 1:
        row.occurred_at = rng.choice(EDGES) - timedelta(days=rng.randrange(0, 40))
    elif what == 2:
        row.voided_at, row.voided_by_id, row.void_reason = EDGES[0], peers[0].id, "typed twice"
    elif what == 3:
        row.client_hash = rng.choice([*CODES, None])
    elif what == 4:
        row.setting, row.recipient_type = "hostel", "at_risk"
    else:
        db.session.delete(row)


@pytest.mark.parametrize("seed", range(4))
def test_every_write_keeps_the_tallies_equal_to_the_records(make, seed):
    rng = random.Random(seed)
    peers, sites = _world(make)
    rows = [_supply(make, rng, peers, sites) for _ in range(12)]
    db.session.flush()
    for _ in range(25):  # one change a flush: an added supply, a correction, a void, a delete
        if rng.random() < 0.4 or not rows:
            rows.append(_supply(make, rng, peers, sites))
        else:
            row = rows.pop(rng.randrange(len(rows)))
            _change(rng, row, peers)
            if row not in db.session.deleted:
                rows.append(row)
        db.session.flush()
    kept = tally_cells()
    assert kept["supply_months"], "the writes made no tally at all"
    assert kept == _counted_again()


def test_a_late_earlier_supply_moves_the_new_person_in_the_tally(make):
    peers, _ = _world(make)
    later = make.handout(giver=peers[0], client_hash=CODES[0], occurred_at=EDGES[4])
    db.session.flush()
    make.handout(giver=peers[1], client_hash=CODES[0], occurred_at=EDGES[1])
    db.session.flush()
    assert later.id is not None
    assert tally_cells() == _counted_again()
    t = SupplyMonth.__table__
    marks = dict(db.session.execute(select(t.c.month, t.c.new_person).where(t.c.records > 0)).all())
    assert marks == {202610: False, 202601: True}  # London: 31 October, 1 January


def test_overdose_reports_are_tallied_in_their_organisation_s_local_month(make):
    peers, _ = _world(make)
    for peer in peers:
        factories.OverdoseReportFactory(recorder=peer, occurred_at=EDGES[0], place_type="own_home")
    report = factories.OverdoseReportFactory(recorder=peers[0], occurred_at=EDGES[2])
    db.session.flush()
    report.outcome, report.taken_to_hospital = "died", True
    db.session.flush()
    t = OverdoseMonth.__table__
    months = sorted(db.session.execute(select(t.c.org_id, t.c.month, t.c.records)).all())
    london, stockholm = peers[0].org_id, peers[1].org_id
    live = [m for m in months if m[2]]
    assert live == sorted([(london, 202512, 1), (stockholm, 202601, 1), (london, 202802, 1)])
    assert tally_cells() == _counted_again()


def test_a_change_of_zone_moves_an_organisation_s_records_to_its_new_local_months(make):
    peers, _ = _world(make)
    make.handout(giver=peers[0], occurred_at=EDGES[0], quantity=2)
    db.session.flush()
    peers[0].organisation.timezone = "Europe/Stockholm"
    db.session.flush()
    t = SupplyKitMonth.__table__
    months = {m: k for m, k in db.session.execute(select(t.c.month, t.c.kits)) if k}
    assert months == {202601: 2}
    assert tally_cells() == _counted_again()


THREADS = 8


def test_racing_writers_of_one_cell_are_all_counted(app, make):
    """Each writer adds one supply to the same tally cell at the same moment: an increment in
    place counts them all, where a read-then-write of the cell would lose some."""
    peers, _ = _world(make)
    peer_id, org_id, product_id = peers[0].id, peers[0].org_id, factories.ProductFactory().id
    db.session.commit()
    barrier = threading.Barrier(THREADS, timeout=60)
    errors: list[str] = []

    def run() -> None:
        with app.app_context():
            try:
                row = Handout(
                    org_id=org_id,
                    recorded_by_id=peer_id,
                    giver_id=peer_id,
                    product_id=product_id,
                    occurred_at=EDGES[1],
                    kind="single",
                    quantity=1,
                    setting="street",
                    supply="first",
                    latitude=51.62,
                    longitude=-3.94,
                )
                db.session.add(row)
                barrier.wait()
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported in the assertion below
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    db.session.expire_all()
    t = SupplyMonth.__table__
    assert db.session.scalar(select(t.c.records).where(t.c.org_id == org_id)) == THREADS
