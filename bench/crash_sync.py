"""Crash test: tablets sync with retries while gunicorn (and PostgreSQL) is SIGKILLed; then audit.

Usage (everything on 127.0.0.1; scratch database, servers and processes are cleaned up):

    .venv/bin/python bench/crash_sync.py --sqlite                 # SQLite file, gunicorn killed
    .venv/bin/python bench/crash_sync.py --pg                     # private PostgreSQL, both killed
    .venv/bin/python bench/crash_sync.py --sqlite --broken        # no unique client_id: must fail
    .venv/bin/python bench/crash_sync.py --pg --tablets 20 --records 400 --kills 15 --db-kills 4

Exit status 0 when nothing was lost or duplicated and stock is exact, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPException
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash.servers import (  # noqa: E402
    Gunicorn,
    PrivatePostgres,
    http,
    make_schema,
    scratch_database,
)
from tests.crash.world import World, audit, seed  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Plan:
    tablets: int = 8  # half in the organisation without stock, half in the one with stock
    records: int = 150  # per tablet
    kills: int = 8  # SIGKILLs of gunicorn (master and workers)
    db_kills: int = 0  # SIGKILLs of the private PostgreSQL (PostgreSQL only)
    pace: float = 1.0  # mean pause of a tablet between two batches, seconds
    lost_reply: float = 0.1  # chance a tablet "loses" a confirmed answer and sends the batch again
    hang_up: float = 0.05  # chance a tablet hangs up right after sending (the server goes on)
    workers: int = 2
    seed: int = 1
    deadline: float = 300.0  # seconds; the run fails beyond this


@dataclass
class Tablet:
    """One simulated tablet: its outbox (records made locally) and what the server confirmed."""

    username: str
    stock: bool
    outbox: list[dict]
    confirmed: dict[str, dict] = field(default_factory=dict)
    refused: dict[str, dict] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    resends: int = 0
    token: str = ""


def make_records(world: World, stock: bool, n: int, rnd: random.Random) -> list[dict]:
    """The tablet's records: UUID client_ids made on the device, fixed content (retries match)."""
    out = []
    for i in range(n):
        when = (NOW - timedelta(days=i % 20, minutes=rnd.randrange(600))).isoformat()
        where = {"occurred_at": when, "latitude": 51.62, "longitude": -3.94}
        kind = "handout" if stock else ("handout", "tally", "contact", "overdose_report")[i % 4]
        product = world.stock_product if stock else world.product
        data = {
            "handout": {
                **where,
                "product_id": product,
                "supply": "first",
                "quantity": rnd.choice((1, 1, 2)) if stock else 1,
            },
            "tally": {"site_id": world.site, "product_id": product, "quantity": 5},
            "contact": {**where, "services": ["naloxone"], "people_count": 1},
            "overdose_report": {**where, "administered_by": "peer", "outcome": "survived"},
        }[kind]
        out.append({"kind": kind, "client_id": str(uuid.uuid4()), "data": data})
    return out


def _login(port: int, tablet: Tablet, password: str, stop: float) -> None:
    while time.monotonic() < stop:
        with contextlib.suppress(OSError, ValueError, HTTPException):
            status, body = http(
                port, "POST", "/api/v1/tokens", {"username": tablet.username, "password": password}
            )
            if status == 201:
                tablet.token = body["token"]
                return
        time.sleep(0.2)
    raise TimeoutError(f"{tablet.username} got no token")


def run_tablet(port: int, tablet: Tablet, plan: Plan, password: str, rnd: random.Random) -> None:
    """Send the outbox in batches of 25–50, each retried (same client_ids) until confirmed."""
    stop = time.monotonic() + plan.deadline
    _login(port, tablet, password, stop)
    pending = list(tablet.outbox)
    while pending:
        size = rnd.randint(25, 50)
        batch, pending = pending[:size], pending[size:]
        waiting = {r["client_id"]: r for r in batch}
        while waiting:
            if time.monotonic() > stop:
                raise TimeoutError(f"{tablet.username}: {len(waiting)} records never confirmed")
            tablet.requests += 1
            hang_up = rnd.random() < plan.hang_up
            try:
                status, body = http(
                    port,
                    "POST",
                    "/api/v1/sync",
                    {"records": list(waiting.values())},
                    tablet.token,
                    timeout=30,
                    hang_up=hang_up,
                )
            except (OSError, ValueError, HTTPException):  # a kill can cut an answer short
                status, body = 0, None
            if status != 200 or body is None:
                tablet.retries += 1
                time.sleep(0.1 + rnd.random() * 0.3)
                continue
            if rnd.random() < plan.lost_reply:  # the answer "never arrived": send it all again
                tablet.resends += 1
                continue
            for result in body["results"]:
                record = waiting.pop(result["client_id"], None)
                if record is None:
                    continue
                if result["status"] in ("stored", "already_stored"):
                    tablet.confirmed[record["client_id"]] = record
                else:
                    tablet.refused[record["client_id"]] = result
        time.sleep(rnd.random() * 2 * plan.pace)


def killer(
    kill: callable,
    restart: callable,
    times: int,
    done: threading.Event,
    rnd: random.Random,
    low: float,
    high: float,
) -> list[float]:
    """Kill, wait, restart: `times` times at random intervals, or until the tablets are done."""
    when = []
    start = time.monotonic()
    while len(when) < times and not done.wait(rnd.uniform(low, high)):
        kill()
        when.append(round(time.monotonic() - start, 2))
        restart()
    return when


def run(plan: Plan, sqlite: bool, broken: bool = False, log=print) -> dict:
    """One crash run; returns the audit (lost, duplicated, stock …) with the run's figures."""
    rnd = random.Random(plan.seed)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        pg = None if sqlite else stack.enter_context(PrivatePostgres())
        admin = None if pg is None else pg.admin_url
        url = stack.enter_context(scratch_database(sqlite, admin))
        schema = make_schema(url, broken)
        world = seed(
            url,
            stock_peers=plan.tablets // 2,
            peers=plan.tablets - plan.tablets // 2,
            kits_per_batch=plan.records,
        )
        server = stack.enter_context(Gunicorn(url, plan.workers, broken))
        log(
            f"schema: {schema}; gunicorn on 127.0.0.1:{server.port}"
            + (f"; private PostgreSQL on port {pg.port}" if pg else "")
        )
        tablets = [
            Tablet(name, stock, make_records(world, stock, plan.records, rnd))
            for name, stock in world.peers
        ]
        errors: list[BaseException] = []

        def guarded(tablet: Tablet, r: random.Random) -> None:
            try:
                run_tablet(server.port, tablet, plan, world.password, r)
            except BaseException as exc:  # reported below, never swallowed
                errors.append(exc)

        threads = [
            threading.Thread(target=guarded, args=(t, random.Random(rnd.random())), daemon=True)
            for t in tablets
        ]
        done = threading.Event()
        kills: dict[str, list[float]] = {}
        killers = [
            threading.Thread(
                target=lambda: kills.__setitem__(
                    "gunicorn",
                    killer(
                        server.kill,
                        server.start,
                        plan.kills,
                        done,
                        random.Random(rnd.random()),
                        0.5,
                        2.0,
                    ),
                )
            )
        ]
        if pg is not None and plan.db_kills:
            killers.append(
                threading.Thread(
                    target=lambda: kills.__setitem__(
                        "postgres",
                        killer(
                            pg.kill,
                            pg.start,
                            plan.db_kills,
                            done,
                            random.Random(rnd.random()),
                            2.0,
                            5.0,
                        ),
                    )
                )
            )
        for t in threads + killers:
            t.start()
        for t in threads:
            t.join(plan.deadline + 30)
        done.set()
        for t in killers:
            t.join(120)
        if errors:
            raise errors[0]
        sync_seconds = time.monotonic() - started
        server.stop()
        if pg is not None:
            pg.ensure_running()
        report = audit(url, world, tablets)
    report |= {
        "backend": "sqlite" if sqlite else "postgresql",
        "build": "broken" if broken else "real",
        "schema": schema,
        "tablets": len(tablets),
        "records_sent": sum(len(t.outbox) for t in tablets),
        "confirmed": sum(len(t.confirmed) for t in tablets),
        "refused": sum(len(t.refused) for t in tablets),
        "refusals": sorted({json.dumps(r["errors"]) for t in tablets for r in t.refused.values()})[
            :3
        ],
        "requests": sum(t.requests for t in tablets),
        "retries": sum(t.retries for t in tablets),
        "resends": sum(t.resends for t in tablets),
        "gunicorn_kills": len(kills.get("gunicorn", [])),
        "postgres_kills": len(kills.get("postgres", [])),
        "seconds": round(sync_seconds, 1),
    }
    return report


def passed(report: dict) -> bool:
    return (
        report["lost"] == 0
        and report["duplicated"] == 0
        and report["refused"] == 0
        and report["stock_exact"]
        and report["confirmed"] == report["records_sent"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    backend = parser.add_mutually_exclusive_group()
    backend.add_argument("--sqlite", action="store_true", help="a SQLite file (default)")
    backend.add_argument("--pg", action="store_true", help="a private PostgreSQL cluster")
    parser.add_argument("--broken", action="store_true", help="the build without unique ids")
    for name, value in vars(Plan()).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args(argv)
    plan = Plan(**{k: getattr(args, k) for k in vars(Plan())})
    if args.pg and not plan.db_kills:
        plan.db_kills = 3
    report = run(plan, sqlite=not args.pg, broken=args.broken)
    print(json.dumps(report, indent=2))
    ok = passed(report)
    print("PASS: 0 lost, 0 duplicated, stock exact" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
