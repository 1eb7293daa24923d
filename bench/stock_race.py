"""Race many handouts for the kits of one bag through a real gunicorn; check nothing oversells.

Usage (2 sync workers on 127.0.0.1; a scratch database is created and dropped):

    .venv/bin/python bench/stock_race.py            # PostgreSQL on 127.0.0.1:5432
    .venv/bin/python bench/stock_race.py --sqlite   # a SQLite file
    .venv/bin/python bench/stock_race.py --naive    # the same race against a read-then-write take
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "race password 123"
REFUSAL = re.compile(r"Your bag has (only \d+|no)( unexpired)? kits")
SERVER_ENV = {
    "SECRET_KEY": "stock-race-secret",
    "CLIENT_CODE_KEY": "stock-race-client-code-key",
    "OUTREACH_ENV": "production",
    "SESSION_COOKIE_SECURE": "0",
    "GEOCODER": "offline",
}


@contextlib.contextmanager
def scratch_database(sqlite: bool, admin_url: str = PG_ADMIN, folder: str | None = None):
    """Yield the URL of a new empty database; drop it afterwards."""
    name = f"outreach_race_{uuid.uuid4().hex[:10]}"
    if sqlite:
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            yield f"sqlite:///{tmp}/{name}.sqlite"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str, cheap_hash: bool = False):
    from outreach import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed", "CLIENT_CODE_KEY": "seed"}
    if cheap_hash:  # the hash carries its cost, so logins through the server are cheap too
        config |= {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024}
    return create_app(config)


def _close(db) -> None:
    """Hand the session's connection back, then close them all (no connection left to GC)."""
    db.session.remove()
    db.engine.dispose()


def make_schema(url: str, migrate: bool = True) -> str:
    """`flask db upgrade`; fall back to create_all when the migrations lag the models."""
    from sqlalchemy import inspect

    from outreach.extensions import db

    note = "create_all"
    if migrate:
        env = os.environ | {"DATABASE_URL": url}
        cmd = [sys.executable, "-m", "flask", "--app", "outreach", "db", "upgrade"]
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        note = "flask db upgrade"
    app = _app(url)
    with app.app_context():
        insp = inspect(db.engine)
        have = set(insp.get_table_names())
        lag = [t.name for t in db.metadata.sorted_tables if t.name not in have]
        lag += [
            f"{t.name}.{c.name}"
            for t in db.metadata.sorted_tables
            if t.name in have
            for c in t.columns
            if c.name not in {col["name"] for col in insp.get_columns(t.name)}
        ]
        if migrate and (done.returncode != 0 or lag):
            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            note = f"create_all (migrations lag the models: {', '.join(lag[:5]) or 'failed'})"
        if note.startswith("create_all"):
            db.create_all()
        _close(db)
    return note


@dataclass
class Seed:
    username: str
    product_id: int
    bag_id: int
    batch_id: int


def seed(url: str, kits: int, cheap_hash: bool = False) -> Seed:
    """One organisation that tracks stock, a trained peer, a site, a product, a bag of `kits`."""
    from outreach.auth.services import create_user
    from outreach.extensions import db
    from outreach.orgs.models import Organisation, Site
    from outreach.products.models import Product
    from outreach.stock import services as stock
    from outreach.trainings.services import record_session

    app = _app(url, cheap_hash)
    with app.app_context(), app.test_request_context():
        org = Organisation(name="Race org", area="Swansea Bay", tracks_stock=True)
        db.session.add(org)
        db.session.flush()
        site = Site(org_id=org.id, name="Race site", area="Swansea Bay", latitude=51.62,
                    longitude=-3.94)  # fmt: skip
        product = Product(name="Race kit", strength="1.8 mg", route="intranasal", doses_per_kit=2)
        db.session.add_all([site, product])
        peer = create_user("racepeer", PASSWORD, org, "peer")
        manager = create_user("racemanager", PASSWORD, org, "stock_manager")
        trainer = create_user("racetrainer", PASSWORD, org, "trainer")
        record_session(
            org_id=org.id, recorded_by=trainer, trainer=trainer,
            held_on=date.today() - timedelta(30), place="Room", kind="peer_distributor",
            topics=[], attendee_users=[peer],
        )  # fmt: skip
        received = stock.receive(
            site=site, product=product, batch_number="RACE1",
            expiry_date=date.today() + timedelta(365), quantity=kits, reference="DN-RACE",
            supplier="Martindale",
            recorded_by=manager,
        )  # fmt: skip
        bag = stock.bag_for(peer)
        stock.transfer(from_holding=stock.store_for(site), to_holding=bag,
                       batch=received.batch, quantity=kits, recorded_by=manager)  # fmt: skip
        out = Seed(peer.username, product.id, bag.id, received.batch.id)
        db.session.commit()
        _close(db)
    return out


def request(port: int, method: str, path: str, cookie: str = "", form: dict | None = None):
    """One HTTP request on its own connection: (status, headers, body text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    body = urlencode(form) if form is not None else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(url: str, workers: int = 2, naive: bool = False):
    """Serve the app on a free loopback port; yield the port; SIGTERM, then SIGKILL after 10 s."""
    with socket.socket() as sock:  # a free port (the OS picks one)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = "stock_race:naive_app()" if naive else "outreach:create_app()"
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    cmd += ["--pythonpath", str(ROOT / "bench"), "--log-level", "warning", target]
    env = os.environ | SERVER_ENV | {"DATABASE_URL": url}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if request(port, "GET", "/login")[0] == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /login within 30 s")
            time.sleep(0.2)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this script started
            proc.wait(5)


def _cookie(headers, old: str) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("session="):
            return value.split(";", 1)[0]
    return old


def _csrf(body: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', body)
    return re.search(r'value="([^"]+)"', tag.group(0)).group(1)


def login(port: int, username: str) -> tuple[str, str]:
    """A logged-in session: its cookie and a CSRF token from the handout form."""
    _status, headers, body = request(port, "GET", "/login")
    cookie = _cookie(headers, "")
    form = {"username": username, "password": PASSWORD, "csrf_token": _csrf(body)}
    status, headers, _body = request(port, "POST", "/login", cookie, form)
    if status != 302:
        raise RuntimeError(f"login answered {status}")
    cookie = _cookie(headers, cookie)
    status, headers, body = request(port, "GET", "/handouts/new", cookie)
    if status != 200:
        raise RuntimeError(f"/handouts/new answered {status}")
    return _cookie(headers, cookie), _csrf(body)


@dataclass
class Result:
    status: int = 0  # 0: no answer (timeout or connection error)
    seconds: float = 0.0
    refusal: bool = False
    error: str = ""


def fire(port: int, sessions: list[tuple[str, str]], product_id: int, n: int, timeout: float):
    """POST n handouts at once from n threads released by a barrier; (results, wall seconds)."""
    results = [Result() for _ in range(n)]
    barrier = threading.Barrier(n + 1, timeout=timeout)

    def one(i: int) -> None:
        cookie, token = sessions[i % len(sessions)]
        form = {"product_id": product_id, "quantity": 1, "supply": "first", "csrf_token": token,
                "latitude": 51.62, "longitude": -3.94, "client_id": str(uuid.uuid4())}  # fmt: skip
        barrier.wait()
        started = time.perf_counter()
        try:
            status, _headers, body = request(port, "POST", "/handouts/new", cookie, form)
            results[i] = Result(status, time.perf_counter() - started, bool(REFUSAL.search(body)))
        except Exception as exc:  # noqa: BLE001 - counted as an error in the summary
            results[i] = Result(0, time.perf_counter() - started, error=repr(exc))

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(max(0.0, timeout - (time.perf_counter() - started)))
    return results, time.perf_counter() - started


@dataclass
class Report:
    figures: dict
    checks: list[tuple[str, bool, str]]  # (what, passed, what was seen)
    ok: bool = field(init=False)

    def __post_init__(self) -> None:
        self.ok = all(passed for _name, passed, _seen in self.checks)


def verify(url: str, s: Seed, kits: int, results: list[Result], wall: float) -> Report:
    """Compare what the clients saw with what the database holds."""
    from sqlalchemy import func, select

    from outreach.extensions import db
    from outreach.handouts.models import Handout
    from outreach.stock.models import StockBalance as Bal
    from outreach.stock.models import StockMovement as Mov

    with _app(url).app_context():
        one = db.session.scalar
        stored = one(select(func.count()).select_from(Handout))
        balance = one(
            select(Bal.quantity).where(Bal.holding_id == s.bag_id, Bal.batch_id == s.batch_id)
        )
        lowest = one(select(func.min(Bal.quantity)))
        moved = one(select(func.coalesce(func.sum(Mov.quantity), 0)).where(Mov.kind == "handout"))
        _close(db)
    saved = sum(r.status == 302 for r in results)
    refused = sum(r.status == 422 for r in results)
    worded = sum(r.status == 422 and r.refusal for r in results)
    other = [r.status for r in results if r.status not in (302, 422)]
    times = sorted(r.seconds for r in results if r.status) or [0.0]
    figures = {
        "requests": len(results), "stored": stored, "302 saved": saved, "422 refused": refused,
        "errors": len(other), "p50 ms": round(1000 * statistics.median(times)),
        "p95 ms": round(1000 * times[min(len(times) - 1, int(0.95 * len(times)))]),
        "wall s": round(wall, 2), "balance": balance,
    }  # fmt: skip
    errors = [r.error for r in results if r.error][:2]
    return Report(figures, [
        ("handouts stored == 302 answers == kits", stored == saved == kits, f"{stored}/{saved}"),
        ("every other answer is a 422 refusal", refused == len(results) - saved, f"{other}"),
        ("each 422 says what the bag holds", worded == refused, f"{worded} of {refused}"),
        ("bag balance is 0", balance == 0, f"{balance}"),
        ("no balance below zero", (lowest or 0) >= 0, f"min {lowest}"),
        ("handout movements sum to the kits", moved == kits, f"{moved}"),
        ("no 5xx and no lost request", not other, f"{errors}"),
    ])  # fmt: skip


def run(url: str, kits: int = 20, n: int = 50, sessions: int = 10, workers: int = 2,
        naive: bool = False, timeout: float = 60, migrate: bool = True,
        cheap_hash: bool = False) -> Report:  # fmt: skip
    """The whole race on a database that exists and is empty."""
    schema = make_schema(url, migrate)
    s = seed(url, kits, cheap_hash)
    with gunicorn(url, workers, naive) as port:
        logged_in = [login(port, s.username) for _ in range(sessions)]
        results, wall = fire(port, logged_in, s.product_id, n, timeout)
    report = verify(url, s, kits, results, wall)
    report.figures["schema"] = schema
    return report


def naive_app():
    """The app with the bug the guarded UPDATE prevents: read the balance, then write it less n.

    For the demonstration only (`--naive`); gunicorn loads it from this file."""
    from flask_babel import lazy_gettext as _l
    from sqlalchemy import update

    from outreach import create_app
    from outreach.extensions import db
    from outreach.stock import balances, services
    from outreach.stock.models import Batch, StockBalance

    def take(holding, batch, quantity: int) -> None:
        seen = balances.balance(holding, batch)
        if seen < quantity:
            raise balances.InsufficientStock(
                "quantity", _l("Your bag has only %(num)d kits", num=seen)
            )
        db.session.execute(
            update(StockBalance)
            .where(StockBalance.holding_id == holding.id, StockBalance.batch_id == batch.id)
            .values(quantity=seen - quantity)
        )

    def take_first_to_expire(holding, product_id: int, quantity: int, on) -> int | None:
        batch_id = services.first_to_expire(holding, product_id, quantity, on)
        if batch_id is None:
            return None
        take(holding, db.session.get(Batch, batch_id), quantity)
        return batch_id

    balances.take = services.take = take
    services.take_first_to_expire = take_first_to_expire
    return create_app()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument("--pg", default=PG_ADMIN, help="PostgreSQL server's admin database URL")
    parser.add_argument("--kits", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--naive", action="store_true", help="a read-then-write take (the bug)")
    args = parser.parse_args()
    if not (1 <= args.requests <= 500 and 1 <= args.sessions <= 50 and 1 <= args.workers <= 8):
        parser.error("1-500 requests, 1-50 sessions and 1-8 workers")
    with scratch_database(args.sqlite, args.pg) as url:
        report = run(url, args.kits, args.requests, args.sessions, args.workers, args.naive,
                     args.timeout)  # fmt: skip
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"\n{engine}, {args.workers} gunicorn workers, {'NAIVE take' if args.naive else 'app'}")
    for name, value in report.figures.items():
        print(f"  {name:<12} {value}")
    for name, passed, detail in report.checks:
        print(f"  [{'ok' if passed else 'FAIL'}] {name} ({detail})")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
