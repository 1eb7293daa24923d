"""Processes the crash test starts and kills: gunicorn, a private PostgreSQL, a scratch database."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SERVER_ENV = {
    "SECRET_KEY": "crash-test-secret",
    "CLIENT_CODE_KEY": "crash-test-client-code-key",
    "OUTREACH_ENV": "production",
    "SESSION_COOKIE_SECURE": "0",
    "GEOCODER": "offline",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(
    port: int,
    method: str,
    path: str,
    body=None,
    token: str = "",
    timeout: float = 30,
    hang_up: bool = False,
):
    """One request on its own connection: (status, parsed JSON or None).

    `hang_up`: close the connection right after sending, as a tablet losing signal would;
    the server still runs the request. Answers (0, None)."""
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        if hang_up:
            return 0, None
        resp = conn.getresponse()
        raw = resp.read()
        parsed = json.loads(raw) if raw and "json" in resp.getheader("Content-Type", "") else None
        return resp.status, parsed
    finally:
        conn.close()


@contextlib.contextmanager
def scratch_database(sqlite: bool, admin_url: str | None = None):
    """Yield the URL of a new empty database; drop it afterwards."""
    name = f"outreach_crash_{uuid.uuid4().hex[:10]}"
    if sqlite:
        with tempfile.TemporaryDirectory() as tmp:
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
        with contextlib.suppress(Exception), admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_schema(url: str, broken: bool = False) -> str:
    """`flask db upgrade` (create_all if the migrations lag); broken: no unique client_id."""
    from sqlalchemy import create_engine, inspect

    import outreach.schema  # noqa: F401  (every model, so the metadata is whole)
    from outreach.extensions import db

    if broken:
        from tests.crash.broken_app import create_schema

        create_schema(url)
        return "create_all without unique client_id (broken build)"
    env = os.environ | {"DATABASE_URL": url}
    cmd = [sys.executable, "-m", "flask", "--app", "outreach", "db", "upgrade"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        have = set(insp.get_table_names())
        lag = [t.name for t in db.metadata.sorted_tables if t.name not in have]
        lag += [
            f"{t.name}.{c.name}"
            for t in db.metadata.sorted_tables
            if t.name in have
            for c in t.columns
            if c.name not in {col["name"] for col in insp.get_columns(t.name)}
        ]
        if done.returncode == 0 and not lag:
            return "flask db upgrade"
        db.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.metadata.create_all(engine)
        why = ", ".join(lag[:5]) or done.stderr.strip().splitlines()[-1:]
        return f"create_all (flask db upgrade lags the models: {why})"
    finally:
        engine.dispose()


class Gunicorn:
    """`gunicorn -w N` on a fixed loopback port, in its own process group (killed as a group)."""

    def __init__(self, url: str, workers: int = 2, broken: bool = False):
        self.url, self.workers, self.broken = url, workers, broken
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float = 60) -> None:
        target = "tests.crash.broken_app:create_app()" if self.broken else "outreach:create_app()"
        cmd = [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            str(self.workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "error",
            target,
        ]
        env = os.environ | SERVER_ENV | {"DATABASE_URL": self.url}
        log = os.environ.get("CRASH_SERVER_LOG")  # a file for the server's errors, when set
        with open(log or os.devnull, "ab") as err:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                http(self.port, "GET", "/api/v1/openapi.json", timeout=5)
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once (the process group this object started)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    stop = kill

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.kill()


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"no {name} in /usr/lib/postgresql/*/bin")
    return found[-1]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a free loopback port, owned by the postgres user."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="outreach_crash_pg_")
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *cmd: str, timeout: float = 120) -> None:
        if os.geteuid() == 0:  # initdb refuses to run as root
            line = " ".join(f"'{c}'" for c in cmd)
            cmd = ("su", "postgres", "-c", line)
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            _pg_bin("pg_ctl"),
            "-D",
            self.dir,
            "-o",
            opts,
            "-l",
            f"{self.dir}/log",
            "start",
            "-w",
            "-t",
            "120",
        )

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int(Path(self.dir, "postmaster.pid").read_text().split()[0])
        return None

    def _children(self, pid: int) -> list[int]:
        out = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(Path(stat).read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(stat.split("/")[2]))
        return out

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends, as a crash of the database server would."""
        pid = self.pid()
        if pid is None:
            return
        children = self._children(pid)
        for p in [pid, *children]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in children):
            time.sleep(0.05)

    def running(self) -> bool:
        pid = self.pid()
        return pid is not None and Path(f"/proc/{pid}").exists()

    def ensure_running(self) -> None:
        if not self.running():
            self.start()

    def __enter__(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(_pg_bin("initdb"), "-D", self.dir, "-A", "trust", "-U", "postgres")
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            if self.running():
                self._as_postgres(_pg_bin("pg_ctl"), "-D", self.dir, "stop", "-m", "immediate")
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
