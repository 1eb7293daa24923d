"""Load: N tablets each syncing M records at once through gunicorn; latency percentiles, errors.

Every tablet sends its records as the tablet's outbox does: in batches of the outbox's size
(`BATCH` in static/js/outbox.js, read from there), one request after another.

Usage (a scratch database is created and dropped; gunicorn on a free 127.0.0.1 port):

    .venv/bin/python bench/api_load.py                      # PostgreSQL 127.0.0.1:5432, 2 and 4
    .venv/bin/python bench/api_load.py --sqlite --workers 2
    .venv/bin/python bench/api_load.py --stock-tablets 25   # half the tablets track stock
    .venv/bin/python bench/api_load.py --tablets 50 --records 200 --batch 50 --single 40
    .venv/bin/python bench/api_load.py --workers 2 --gunicorn "--worker-class gthread --threads 4"
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crash_sync import make_records  # noqa: E402

from tests.crash.servers import Gunicorn, http, make_schema, scratch_database  # noqa: E402
from tests.crash.world import seed  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
OUTBOX_JS = Path(__file__).resolve().parent.parent / "static/js/outbox.js"
PATHS = {
    "handout": "/handouts",
    "tally": "/tallies",
    "contact": "/contacts",
    "overdose_report": "/overdose-reports",
}


def outbox_batch() -> int:
    """The number of records the tablet's outbox sends in one request."""
    return int(re.search(r"var BATCH = (\d+);", OUTBOX_JS.read_text()).group(1))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def fire(port: int, tokens: list[str], jobs: list[list[tuple[str, dict]]]) -> dict:
    """Every tablet sends its requests one after another, all tablets at once."""
    latencies: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(len(jobs) + 1)
    lock = threading.Lock()

    def tablet(token: str, requests: list[tuple[str, dict]]) -> None:
        barrier.wait()
        for path, body in requests:
            t0 = time.perf_counter()
            try:
                status, answer = http(port, "POST", path, body, token, timeout=120)
            except OSError as exc:
                status, answer = 0, str(exc)
            took = time.perf_counter() - t0
            bad = status not in (200, 201) or (
                path.endswith("/sync") and any(r["status"] != "stored" for r in answer["results"])
            )
            with lock:
                latencies.append(took)
                if bad:
                    errors.append(f"{status} {str(answer)[:200]}")

    threads = [threading.Thread(target=tablet, args=a) for a in zip(tokens, jobs, strict=True)]
    for t in threads:
        t.start()
    barrier.wait()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0  # this load generator's own CPU, on the same 2 cores
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:3],
        "wall": wall,
        "client_cpu": cpu,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "max": max(latencies, default=0),
        "mean": statistics.fmean(latencies) if latencies else 0,
    }


def run(
    sqlite: bool, workers: int, tablets: int, records: int, batch: int, single: int, stock: int
) -> list:
    """`stock` of the tablets belong to an organisation that tracks stock: their records are
    handouts that take kits from their bags (first to expire), the others a mix of kinds."""
    import random

    rows = []
    with scratch_database(sqlite, PG_ADMIN) as url:
        make_schema(url)
        kits = (records + single) * 2  # a record takes 1 or 2 kits; two batches of this many
        world = seed(url, stock_peers=stock, peers=tablets - stock, kits_per_batch=kits)
        with Gunicorn(url, workers) as server:
            tokens = [
                http(
                    server.port,
                    "POST",
                    "/api/v1/tokens",
                    {"username": name, "password": world.password},
                )[1]["token"]
                for name, _tracks in world.peers
            ]
            rnd = random.Random(1)
            outboxes = [make_records(world, tracks, records, rnd) for _n, tracks in world.peers]
            jobs = [
                [
                    ("/api/v1/sync", {"records": box[i : i + batch]})
                    for i in range(0, records, batch)
                ]
                for box in outboxes
            ]
            result = fire(server.port, tokens, jobs)
            rows.append(("sync", batch, tablets * records, result))
            if single:
                outboxes = [make_records(world, tracks, single, rnd) for _n, tracks in world.peers]
                jobs = [
                    [
                        (f"/api/v1{PATHS[r['kind']]}", {**r["data"], "client_id": r["client_id"]})
                        for r in box
                    ]
                    for box in outboxes
                ]
                result = fire(server.port, tokens, jobs)
                rows.append(("single", 1, tablets * single, result))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--batch", type=int, default=outbox_batch(), help="default: the outbox's")
    parser.add_argument(
        "--stock-tablets", type=int, default=0, help="how many tablets track stock (default 0)"
    )
    parser.add_argument("--single", type=int, default=40, help="single POSTs per tablet (0: none)")
    parser.add_argument(
        "--gunicorn", default="", help='more gunicorn options, e.g. "--worker-class gthread"'
    )
    args = parser.parse_args(argv)
    if args.gunicorn:  # gunicorn reads this variable; the server inherits our environment
        os.environ["GUNICORN_CMD_ARGS"] = args.gunicorn
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"machine: {os.cpu_count()} cores; {args.tablets} tablets at once "
        f"({args.stock_tablets} tracking stock); {backend}"
    )
    print(f"gunicorn -w N {args.gunicorn}".rstrip() + "\n")
    print(
        "| backend | workers | mode | records | requests | errors | p50 ms | p95 ms | p99 ms "
        "| max ms | total s | records/s | client CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for workers in args.workers:
        for mode, size, count, r in run(
            args.sqlite,
            workers,
            args.tablets,
            args.records,
            args.batch,
            args.single,
            args.stock_tablets,
        ):
            label = f"sync ×{size}" if mode == "sync" else "single POST"
            print(
                f"| {backend} | {workers} | {label} | {count} | {r['requests']} | {r['errors']} "
                f"| {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | {r['p99'] * 1000:.0f} "
                f"| {r['max'] * 1000:.0f} | {r['wall']:.1f} | {count / r['wall']:.0f} "
                f"| {r['client_cpu']:.1f} |",
                flush=True,
            )
            if r["errors"]:
                print("  errors:", r["first_errors"])
            ok = ok and not r["errors"] and r["p95"] < 0.5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
